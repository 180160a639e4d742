//! Closed lists of query and body values the server checks itself, published as string enums.

/// Defines a marker type whose schema is a string enum of the given values, for
/// `#[param(value_type = …)]` / `#[schema(value_type = …)]` on a string the handler parses.
macro_rules! choices {
    ($(#[$doc:meta])* $name:ident = [$($wire:literal),+ $(,)?]) => {
        phongdich_domain::schema_marker!(
            $(#[$doc])*
            pub(crate) $name = phongdich_domain::schema::string_enum([$($wire),+])
        );
    };
}
pub(crate) use choices;
