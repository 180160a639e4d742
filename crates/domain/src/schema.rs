//! Closed lists of choices published in the API document for string fields the domain parses
//! itself (so that a wrong value is answered with a bilingual field error, not a decoder's
//! message). A field names its list with `#[schema(value_type = …)]`.

/// The schema of a string that is one of `values`.
#[cfg(feature = "openapi")]
pub fn string_enum(
    values: impl IntoIterator<Item = &'static str>,
) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(values))
        .into()
}

/// The schema of a string matching `pattern`.
#[cfg(feature = "openapi")]
pub fn string_matching(pattern: &str) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .pattern(Some(pattern))
        .into()
}

/// Defines a marker type whose schema is `$schema` (for `value_type`). The attributes given
/// go on the type and both impls, so the domain passes `#[cfg(feature = "openapi")]`.
#[macro_export]
macro_rules! string_schema {
    ($(#[$attr:meta])* $vis:vis $name:ident = $schema:expr) => {
        $(#[$attr])*
        $vis struct $name;

        $(#[$attr])*
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $schema
            }
        }

        $(#[$attr])*
        impl utoipa::ToSchema for $name {}
    };
}

/// A marker type whose schema is a string enum of the given wire names.
macro_rules! string_choices {
    ($(#[$doc:meta])* $name:ident = [$($wire:literal),+ $(,)?]) => {
        $crate::string_schema!(
            #[cfg(feature = "openapi")] $(#[$doc])*
            pub(crate) $name = $crate::schema::string_enum([$($wire),+])
        );
    };
}
pub(crate) use string_choices;

/// A marker type whose schema is a string matching a pattern (for the items of a list, which a
/// field attribute cannot give a pattern).
macro_rules! string_pattern {
    ($(#[$doc:meta])* $name:ident = $pattern:expr) => {
        $crate::string_schema!(
            #[cfg(feature = "openapi")] $(#[$doc])*
            pub(crate) $name = $crate::schema::string_matching($pattern)
        );
    };
}
pub(crate) use string_pattern;

/// The pattern of a required line of text as `validation::required_text` checks it: something
/// besides white space, and no control characters inside (white space around is trimmed).
pub const REQUIRED_TEXT_PATTERN: &str = "^\\s*[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*\\s*$";

crate::string_schema!(
    /// A required line of text (names, notes, answers), for `#[schema(value_type = RequiredText)]`.
    #[cfg(feature = "openapi")]
    pub RequiredText = string_matching(REQUIRED_TEXT_PATTERN)
);
