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
macro_rules! schema_marker {
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
    ($(#[$doc:meta])* $vis:vis $name:ident = [$($wire:literal),+ $(,)?]) => {
        $crate::schema_marker!(
            #[cfg(feature = "openapi")] $(#[$doc])*
            $vis $name = $crate::schema::string_enum([$($wire),+])
        );
    };
}
pub(crate) use string_choices;

/// A marker type whose schema is a string matching a pattern (for the items of a list, which a
/// field attribute cannot give a pattern).
macro_rules! string_pattern {
    ($(#[$doc:meta])* $vis:vis $name:ident = $pattern:expr) => {
        $crate::schema_marker!(
            #[cfg(feature = "openapi")] $(#[$doc])*
            $vis $name = $crate::schema::string_matching($pattern)
        );
    };
}
pub(crate) use string_pattern;

/// The pattern of a required line of text as `validation::required_text` checks it: something
/// besides white space, and no control characters inside (white space around is trimmed).
pub const REQUIRED_TEXT_PATTERN: &str = "^\\s*[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*\\s*$";

/// The pattern of an optional line of text as `venues::form::optional_text` checks it: blank,
/// or required text.
pub const OPTIONAL_TEXT_PATTERN: &str = "^\\s*[^\\u0000-\\u001F\\u007F-\\u009F]*\\s*$";

crate::schema_marker!(
    /// An optional line of text (blank, or text without control characters).
    #[cfg(feature = "openapi")]
    pub OptionalText = string_matching(OPTIONAL_TEXT_PATTERN)
);

crate::schema_marker!(
    /// A required line of text (names, notes, answers), for `#[schema(value_type = RequiredText)]`.
    #[cfg(feature = "openapi")]
    pub RequiredText = string_matching(REQUIRED_TEXT_PATTERN)
);

crate::schema_marker!(
    /// A day, `YYYY-MM-DD`, for the items of a list (a field takes `#[schema(format = Date)]`).
    #[cfg(feature = "openapi")]
    pub DateText = utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .format(Some(utoipa::openapi::schema::SchemaFormat::KnownFormat(
            utoipa::openapi::schema::KnownFormat::Date,
        )))
        .into()
);
