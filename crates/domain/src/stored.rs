//! Closed lists kept as text in the database map back to their enums strictly: a stored name the
//! code does not know fails the row instead of being guessed or passed on as a string.

/// A stored name that is not one of its enum's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown stored {kind} {value:?}")]
pub struct UnknownStored {
    pub kind: &'static str,
    pub value: String,
}

/// Implements `from_stored` and `TryFrom<String>` (for `#[sqlx(try_from = "String")]`) for an
/// enum with `ALL` and `as_str`.
macro_rules! stored_names {
    ($name:ident, $kind:literal) => {
        impl $name {
            /// The value with this stored (and wire) name.
            pub fn from_stored(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::stored::UnknownStored;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::from_stored(&value)
                    .ok_or($crate::stored::UnknownStored { kind: $kind, value })
            }
        }
    };
}
pub(crate) use stored_names;
