//! Vietnamese mobile phone numbers: parsing, normalising to +84…, masking for logs.
//!
//! People type numbers as `0912 345 678`, `+84 912.345.678` or `84912345678`; all of these are
//! one subscriber, so the account key is the normalised E.164 form `+84912345678`.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::FieldError;

/// The pattern of a number [`PhoneNumber::parse`] accepts: `0`, `84` or `+84`, a mobile range's
/// digit and eight more, with spaces, dots, dashes or brackets anywhere between.
pub const PHONE_PATTERN: &str = concat!(
    "^\\s*(\\+?[ .()\\-]*8[ .()\\-]*4|[ .()\\-]*0)",
    "[ .()\\-]*[35789]([ .()\\-]*[0-9]){8}[ .()\\-]*\\s*$"
);

/// The same, or blank (an optional number).
pub const OPTIONAL_PHONE_PATTERN: &str = concat!(
    "^\\s*((\\+?[ .()\\-]*8[ .()\\-]*4|[ .()\\-]*0)",
    "[ .()\\-]*[35789]([ .()\\-]*[0-9]){8}[ .()\\-]*)?\\s*$"
);

crate::schema_marker!(
    /// A mobile number as typed, for `#[schema(value_type = PhoneText)]`.
    #[cfg(feature = "openapi")]
    pub PhoneText = crate::schema::string_matching(PHONE_PATTERN)
);

crate::schema_marker!(
    /// An optional mobile number as typed (blank means none).
    #[cfg(feature = "openapi")]
    pub OptionalPhoneText = crate::schema::string_matching(OPTIONAL_PHONE_PATTERN)
);

/// A Vietnamese mobile number in E.164 form (`+84` and nine digits).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhoneNumber(String);

/// Leading digits (after the 0 or +84) of Vietnam's mobile ranges since the 2018 renumbering.
const MOBILE_PREFIXES: [char; 5] = ['3', '5', '7', '8', '9'];

impl PhoneNumber {
    /// Parses a number as a person would type it; `field` names the input in the error.
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let invalid = || {
            FieldError::new(
                field,
                "phone_invalid",
                "Số điện thoại di động không hợp lệ (ví dụ 0912 345 678)",
                "Not a valid Vietnamese mobile number (e.g. 0912 345 678)",
            )
        };
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(FieldError::new(
                field,
                "required",
                "Hãy nhập số điện thoại",
                "Enter a phone number",
            ));
        }
        let (plus, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let mut digits = String::with_capacity(12);
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '.' | '-' | '(' | ')' => {}
                _ => return Err(invalid()),
            }
        }
        let national = if let Some(n) = digits.strip_prefix("84").filter(|n| n.len() == 9) {
            n
        } else if plus {
            return Err(invalid());
        } else if let Some(n) = digits.strip_prefix('0') {
            n
        } else {
            return Err(invalid());
        };
        let first = national.chars().next().ok_or_else(invalid)?;
        if national.len() != 9 || !MOBILE_PREFIXES.contains(&first) {
            return Err(invalid());
        }
        Ok(Self(format!("+84{national}")))
    }

    /// Rebuilds a number that was normalised before (read back from the store).
    pub fn from_normalised(e164: &str) -> Option<Self> {
        Self::parse("phone", e164).ok().filter(|p| p.0 == e164)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form used in logs and on screens where the full number is not needed: `+8491****678`.
    pub fn masked(&self) -> String {
        mask(&self.0)
    }
}

/// Masks all but the first five and last three characters of a phone-like string.
pub fn mask(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < 5 || i >= chars.len() - 3 {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

impl fmt::Display for PhoneNumber {
    /// Displays masked, so a phone number never reaches a log line by accident.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl Serialize for PhoneNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_the_usual_ways_of_typing_a_number() {
        for input in [
            "0912345678",
            "0912 345 678",
            "+84912345678",
            "84912345678",
            "+84 912.345.678",
            "(091) 234-5678",
        ] {
            assert_eq!(
                PhoneNumber::parse("phone", input).unwrap().as_str(),
                "+84912345678",
                "{input}"
            );
        }
        assert_eq!(
            PhoneNumber::parse("p", "0388888888").unwrap().as_str(),
            "+84388888888"
        );
    }

    #[test]
    fn rejects_landlines_short_numbers_and_junk() {
        for input in [
            "",
            "0241234567",
            "091234567",
            "09123456789",
            "+1 650 555 0100",
            "abc",
            "091234567x",
            "+0912345678",
            "0012345678",
        ] {
            assert!(PhoneNumber::parse("phone", input).is_err(), "{input}");
        }
    }

    #[test]
    fn masks_in_display() {
        let p = PhoneNumber::parse("phone", "0912345678").unwrap();
        assert_eq!(p.to_string(), "+8491****678");
        assert!(!format!("{p}").contains("2345"));
    }

    proptest! {
        /// The document's pattern says exactly what the parser accepts, so a client that
        /// follows the document is never refused (and one that does not is).
        #[test]
        fn the_published_pattern_is_the_parser(s in "[ \t+0-9.()\\-x]{0,16}|[ +]{0,2}(84|0)[ .-]?[0-9 .()-]{9,12}") {
            let pattern = regex::Regex::new(PHONE_PATTERN).unwrap();
            prop_assert_eq!(pattern.is_match(&s), PhoneNumber::parse("phone", &s).is_ok(), "{:?}", s);
            let optional = regex::Regex::new(OPTIONAL_PHONE_PATTERN).unwrap();
            let blank_or_valid = s.trim().is_empty() || PhoneNumber::parse("phone", &s).is_ok();
            prop_assert_eq!(optional.is_match(&s), blank_or_valid, "{:?}", s);
        }

        #[test]
        fn parse_never_panics(s in ".*") {
            let _ = PhoneNumber::parse("phone", &s);
        }

        #[test]
        fn normalised_numbers_round_trip(n in 300_000_000u32..1_000_000_000) {
            if let Ok(p) = PhoneNumber::parse("phone", &format!("0{n}")) {
                prop_assert_eq!(PhoneNumber::from_normalised(p.as_str()), Some(p));
            }
        }
    }
}
