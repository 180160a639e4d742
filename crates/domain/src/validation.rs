//! Per-field validation errors in Vietnamese and English.
//!
//! Input is checked once at the edge; every problem found is reported together so the user can
//! fix the whole form in one go, and nothing is stored while any problem remains.

use serde::{Deserialize, Serialize};

/// A user-facing message in both languages of the product: Vietnamese first, English beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Message {
    pub vi: String,
    pub en: String,
}

impl Message {
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            vi: vi.into(),
            en: en.into(),
        }
    }
}

/// One problem with one input field, with a stable machine-readable code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field as sent, with its path (`identity.phone`, `targets[1].percent`).
    pub field: String,
    /// The rule it broke, stable for programs (`required`, `too_long`, `unit_unknown`…).
    pub code: &'static str,
    pub message: Message,
}

impl FieldError {
    pub fn new(
        field: impl Into<String>,
        code: &'static str,
        vi: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Self {
            field: field.into(),
            code,
            message: Message::new(vi, en),
        }
    }
}

/// All the problems found in one input. Never empty when returned as an error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid input: {}", .0.iter().map(|e| e.field.as_str()).collect::<Vec<_>>().join(", "))]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn one(error: FieldError) -> Self {
        Self(vec![error])
    }
}

/// Collects field errors while a form is checked, then yields the value or every error at once.
#[derive(Debug, Default)]
pub struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps `result`'s value, or records its error and returns `None`.
    pub fn check<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.errors.push(error);
                None
            }
        }
    }

    pub fn push(&mut self, error: FieldError) {
        self.errors.push(error);
    }

    /// Ends the check: `Ok(value)` only when no error was recorded.
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, Invalid> {
        if self.errors.is_empty() {
            Ok(value())
        } else {
            Err(Invalid(self.errors))
        }
    }
}

/// Checks a required free-text field: trimmed, not empty, at most `max` characters.
pub fn required_text(field: &str, value: &str, max: usize) -> Result<String, FieldError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(FieldError::new(
            field,
            "required",
            "Không được để trống",
            "Must not be empty",
        ));
    }
    if trimmed.chars().count() > max {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("Tối đa {max} ký tự"),
            format!("At most {max} characters"),
        ));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(FieldError::new(
            field,
            "control_characters",
            "Chứa ký tự không hợp lệ",
            "Contains invalid characters",
        ));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_trims_and_bounds() {
        assert_eq!(required_text("name", "  Lan  ", 10).unwrap(), "Lan");
        assert_eq!(
            required_text("name", "   ", 10).unwrap_err().code,
            "required"
        );
        assert_eq!(
            required_text("name", "Nguyễn Văn An", 5).unwrap_err().code,
            "too_long"
        );
        assert_eq!(
            required_text("name", "a\u{0}b", 5).unwrap_err().code,
            "control_characters"
        );
    }

    #[test]
    fn checker_reports_every_error() {
        let mut c = Checker::new();
        c.check(required_text("a", "", 3));
        c.check(required_text("b", "okay", 3));
        let err = c.finish(|| ()).unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["a", "b"]);
    }

    proptest::proptest! {
        /// The text patterns the document publishes accept exactly what the checks accept.
        #[test]
        fn the_published_text_patterns_are_the_checks(s in "[a é\t\n\r\u{0}\u{1c}\u{7f}\u{85}\u{a0}\u{3000}]{0,6}") {
            let required = regex::Regex::new(crate::schema::REQUIRED_TEXT_PATTERN).unwrap();
            proptest::prop_assert_eq!(required.is_match(&s), required_text("f", &s, 100).is_ok(), "{:?}", s);
            let optional = regex::Regex::new(crate::schema::OPTIONAL_TEXT_PATTERN).unwrap();
            let accepted = crate::venues::form::optional_text("f", &s, 100).is_ok();
            proptest::prop_assert_eq!(optional.is_match(&s), accepted, "{:?}", s);
        }
    }
}
