//! The schema of a declaration as a request body: the form's fields and, by `kind`, the parts
//! `DeclarationForm::parse` requires, so the document says what a complete declaration is.

use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::openapi::{Ref, RefOr};
use utoipa::ToSchema;

use super::{DailyForm, DeclarationForm, EntryForm, HealthForm, IdentityForm, TravelForm};
use crate::declarations::Kind;

pub(super) fn submission() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    let of = |name: std::borrow::Cow<'static, str>| -> RefOr<Schema> {
        Ref::from_schema_name(name).into()
    };
    // A journey by air or rail names its departure airport or station.
    let travel: RefOr<Schema> = AllOfBuilder::new()
        .item(of(TravelForm::name()))
        .item(
            OneOfBuilder::new()
                .item(
                    ObjectBuilder::new()
                        .property("conveyance", crate::schema::string_enum(["air", "rail"]))
                        .property(
                            "departure_station",
                            <crate::schema::RequiredText as utoipa::PartialSchema>::schema(),
                        )
                        .required("departure_station"),
                )
                .item(
                    ObjectBuilder::new()
                        .property("conveyance", crate::schema::string_enum(["road", "water"])),
                ),
        )
        .into();
    // Where one travelled is said when one did.
    let health_schema = || -> RefOr<Schema> {
        OneOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::Null))
            .item(
                AllOfBuilder::new().item(of(HealthForm::name())).item(
                    OneOfBuilder::new()
                        .item(
                            ObjectBuilder::new().property(
                                "travelled",
                                ObjectBuilder::new()
                                    .schema_type(Type::Boolean)
                                    .enum_values(Some([false])),
                            ),
                        )
                        .item(
                            ObjectBuilder::new()
                                .property(
                                    "travelled",
                                    ObjectBuilder::new()
                                        .schema_type(Type::Boolean)
                                        .enum_values(Some([true])),
                                )
                                .property(
                                    "travel_places",
                                    <crate::schema::RequiredText as utoipa::PartialSchema>::schema(
                                    ),
                                )
                                .required("travelled")
                                .required("travel_places"),
                        ),
                ),
            )
            .into()
    };
    let kind = |kind: Kind, needs: Vec<(&str, RefOr<Schema>)>, consent: bool| {
        let mut variant = ObjectBuilder::new()
            .property("kind", crate::schema::string_enum([kind.as_str()]))
            .required("kind");
        if consent {
            variant = variant
                .property(
                    "consent",
                    ObjectBuilder::new()
                        .schema_type(Type::Boolean)
                        .enum_values(Some([true])),
                )
                .required("consent");
        }
        for (field, schema) in needs {
            variant = variant.property(field, schema).required(field);
        }
        if kind != Kind::DailyUpdate {
            variant = variant.property("health", health_schema());
        }
        variant
    };
    let identity = || ("identity", of(IdentityForm::name()));
    AllOfBuilder::new()
        .item(<DeclarationForm as utoipa::PartialSchema>::schema())
        .item(
            OneOfBuilder::new()
                .item(kind(Kind::Domestic, vec![identity()], true))
                .item(kind(
                    Kind::DomesticTravel,
                    vec![identity(), ("travel", travel)],
                    true,
                ))
                .item(kind(
                    Kind::Entry,
                    vec![identity(), ("entry", of(EntryForm::name()))],
                    true,
                ))
                .item(kind(
                    Kind::DailyUpdate,
                    vec![("daily", of(DailyForm::name()))],
                    false,
                )),
        )
        .into()
}
