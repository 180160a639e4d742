//! The venue registration form and its validation (also used row by row by the CSV import).

use serde::{Deserialize, Serialize};

use super::Category;
use crate::units::parse_code;
use crate::validation::{required_text, Checker};
use crate::{FieldError, Invalid};

/// Longest venue name accepted (fits a poster headline).
pub const MAX_VENUE_NAME_CHARS: usize = 120;
/// Longest street part of an address.
pub const MAX_STREET_CHARS: usize = 200;

/// A venue as submitted.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VenueForm {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::RequiredText))]
    pub name: String,
    /// One of the category wire names (`GET /api/v1/venues/categories` lists them with their
    /// labels and check-out times).
    #[cfg_attr(feature = "openapi", schema(value_type = super::Category))]
    pub category: String,
    /// The commune or ward the venue is in.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::units::UnitCodeText))]
    pub unit_code: String,
    /// House number and street, village or hamlet.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::OptionalText))]
    pub street: String,
    /// WGS 84 latitude and longitude; both or neither.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 6.0, maximum = 24.0))]
    pub lat: Option<f64>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 102.0, maximum = 118.0))]
    pub lon: Option<f64>,
}

/// A checked venue registration.
#[derive(Debug, Clone, PartialEq)]
pub struct VenueInput {
    pub name: String,
    pub category: Category,
    pub unit_code: String,
    pub street: String,
    pub position: Option<(f64, f64)>,
}

/// Vietnam with its islands (Trường Sa reaches 117° E): a point outside is a typing mistake,
/// most often latitude and longitude swapped.
const LAT_RANGE: std::ops::RangeInclusive<f64> = 6.0..=24.0;
const LON_RANGE: std::ops::RangeInclusive<f64> = 102.0..=118.0;

impl VenueForm {
    /// Checks every field, reporting all problems at once.
    pub fn parse(&self) -> Result<VenueInput, Invalid> {
        let mut c = Checker::new();
        let name = c.check(required_text("name", &self.name, MAX_VENUE_NAME_CHARS));
        let category = c.check(Category::parse("category", &self.category));
        let unit_code = c.check(parse_code("unit_code", &self.unit_code));
        let street = c.check(optional_text("street", &self.street, MAX_STREET_CHARS));
        let position = c.check(position(self.lat, self.lon)).flatten();
        c.finish(|| VenueInput {
            name: name.unwrap_or_default(),
            category: category.unwrap_or(Category::Other),
            unit_code: unit_code.unwrap_or_default(),
            street: street.unwrap_or_default(),
            position,
        })
    }
}

pub(crate) fn optional_text(field: &str, value: &str, max: usize) -> Result<String, FieldError> {
    if value.trim().is_empty() {
        Ok(String::new())
    } else {
        required_text(field, value, max)
    }
}

/// Both coordinates inside Vietnam, or neither.
pub(crate) fn position(
    lat: Option<f64>,
    lon: Option<f64>,
) -> Result<Option<(f64, f64)>, FieldError> {
    match (lat, lon) {
        (None, None) => Ok(None),
        (Some(lat), Some(lon)) if LAT_RANGE.contains(&lat) && LON_RANGE.contains(&lon) => {
            Ok(Some((lat, lon)))
        }
        (Some(_), Some(_)) => Err(FieldError::new(
            "lat",
            "outside_vietnam",
            "Tọa độ nằm ngoài Việt Nam (vĩ độ 6–24, kinh độ 102–118); có thể bạn đã đảo vĩ độ và kinh độ",
            "The point is outside Vietnam (latitude 6–24, longitude 102–118); latitude and longitude may be swapped",
        )),
        _ => Err(FieldError::new(
            "lon",
            "incomplete_position",
            "Cần nhập cả vĩ độ và kinh độ, hoặc bỏ trống cả hai",
            "Give both latitude and longitude, or neither",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> VenueForm {
        VenueForm {
            name: " Chợ Bắc Hà ".into(),
            category: "market".into(),
            unit_code: "02839".into(),
            street: "Thôn Bắc Hà".into(),
            lat: Some(22.54),
            lon: Some(104.29),
        }
    }

    #[test]
    fn a_good_form_parses() {
        let v = form().parse().unwrap();
        assert_eq!(v.name, "Chợ Bắc Hà");
        assert_eq!(v.category, Category::Market);
        assert_eq!(v.position, Some((22.54, 104.29)));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let bad = VenueForm {
            name: "".into(),
            category: "casino".into(),
            unit_code: "abc".into(),
            street: "".into(),
            lat: Some(104.29),
            lon: Some(22.54),
        };
        let codes: Vec<_> = bad.parse().unwrap_err().0.iter().map(|e| e.code).collect();
        assert_eq!(
            codes,
            [
                "required",
                "choice_unknown",
                "unit_unknown",
                "outside_vietnam"
            ]
        );
        let half = VenueForm {
            lon: None,
            ..form()
        };
        assert_eq!(half.parse().unwrap_err().0[0].code, "incomplete_position");
    }
}
