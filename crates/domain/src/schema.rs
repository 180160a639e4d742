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

/// Defines a marker type whose schema is a string enum of the given wire names (the type only
/// exists with the `openapi` feature, for `value_type`).
macro_rules! string_choices {
    ($(#[$doc:meta])* $name:ident = [$($wire:literal),+ $(,)?]) => {
        $(#[$doc])*
        #[cfg(feature = "openapi")]
        pub(crate) struct $name;

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $crate::schema::string_enum([$($wire),+])
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}
    };
}
pub(crate) use string_choices;

/// Defines a marker type whose schema is a string matching a pattern (for the items of a list,
/// which a field attribute cannot give a pattern).
macro_rules! string_pattern {
    ($(#[$doc:meta])* $name:ident = $pattern:literal) => {
        $(#[$doc])*
        #[cfg(feature = "openapi")]
        pub(crate) struct $name;

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $crate::schema::string_matching($pattern)
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}
    };
}
pub(crate) use string_pattern;

/// The pattern of a required line of text as `validation::required_text` checks it: something
/// besides white space, and no control characters inside (white space around is trimmed).
pub const REQUIRED_TEXT_PATTERN: &str = "^\\s*[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*\\s*$";

/// A required line of text (names, notes, answers), for `#[schema(value_type = RequiredText)]`.
#[cfg(feature = "openapi")]
pub struct RequiredText;

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for RequiredText {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        string_matching(REQUIRED_TEXT_PATTERN)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for RequiredText {}
