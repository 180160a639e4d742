//! What people send about places: a facility's registration (by officials), citizens' feedback
//! on a facility and citizens' risk reports ("Phản ánh") with their triage states.

use serde::{Deserialize, Serialize};

use super::FacilityType;
use crate::units::parse_code;
use crate::validation::{required_text, Checker};
use crate::venues::form::{optional_text, position};
use crate::{FieldError, Invalid, Message};

/// Longest facility name (a school's or hospital's full name fits).
pub const MAX_FACILITY_NAME_CHARS: usize = 160;
/// Longest address.
pub const MAX_ADDRESS_CHARS: usize = 200;
/// Longest feedback or risk report text, and longest answer or note.
pub const MAX_REPORT_CHARS: usize = 2_000;

/// A facility as an official registers it. A facility is always on the map, so its point is
/// required (unlike a venue's).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FacilityForm {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::RequiredText))]
    pub name: String,
    /// `school`, `medical`, `workplace` or `transport`.
    #[cfg_attr(feature = "openapi", schema(value_type = super::FacilityType))]
    pub facility_type: String,
    /// The commune or ward it is in.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::units::UnitCodeText))]
    pub unit_code: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::OptionalText))]
    pub address: String,
    /// WGS 84 latitude, in Vietnam.
    #[cfg_attr(feature = "openapi", schema(required = true, value_type = f64, minimum = 6.0, maximum = 24.0))]
    pub lat: Option<f64>,
    /// WGS 84 longitude, in Vietnam.
    #[cfg_attr(feature = "openapi", schema(required = true, value_type = f64, minimum = 102.0, maximum = 118.0))]
    pub lon: Option<f64>,
}

/// A checked facility registration.
#[derive(Debug, Clone, PartialEq)]
pub struct FacilityInput {
    pub name: String,
    pub facility_type: FacilityType,
    pub unit_code: String,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
}

impl FacilityForm {
    /// Checks every field, reporting all problems at once.
    pub fn parse(&self) -> Result<FacilityInput, Invalid> {
        let mut c = Checker::new();
        let name = c.check(required_text("name", &self.name, MAX_FACILITY_NAME_CHARS));
        let facility_type = c.check(FacilityType::parse("facility_type", &self.facility_type));
        let unit_code = c.check(parse_code("unit_code", &self.unit_code));
        let address = c.check(optional_text("address", &self.address, MAX_ADDRESS_CHARS));
        let point = match c.check(position(self.lat, self.lon)) {
            Some(None) => {
                c.push(FieldError::new(
                    "lat",
                    "required",
                    "Cần vị trí (vĩ độ, kinh độ) để hiện trên bản đồ",
                    "A position (latitude, longitude) is needed to show it on the map",
                ));
                None
            }
            other => other.flatten(),
        };
        c.finish(|| {
            let (lat, lon) = point.unwrap_or_default();
            FacilityInput {
                name: name.unwrap_or_default(),
                facility_type: facility_type.unwrap_or(FacilityType::School),
                unit_code: unit_code.unwrap_or_default(),
                address: address.unwrap_or_default(),
                lat,
                lon,
            }
        })
    }
}

/// Checks the text of feedback, a risk report, an answer or a closing note.
pub fn report_text(field: &str, text: &str) -> Result<String, FieldError> {
    required_text(field, text, MAX_REPORT_CHARS)
}

/// What a citizen's risk report is about (the categories of the 2021 apps' "Phản ánh").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RiskCategory {
    /// Someone nearby with symptoms or a suspected infection.
    SuspectedCase,
    /// Someone back from an outbreak area who has not declared or is not isolating.
    UndeclaredArrival,
    /// A venue that does not check QR codes or declarations.
    VenueNotChecking,
    /// A crowd or gathering against the rules.
    Gathering,
    Other,
}

impl RiskCategory {
    pub const ALL: &'static [RiskCategory] = &[
        RiskCategory::SuspectedCase,
        RiskCategory::UndeclaredArrival,
        RiskCategory::VenueNotChecking,
        RiskCategory::Gathering,
        RiskCategory::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RiskCategory::SuspectedCase => "suspected_case",
            RiskCategory::UndeclaredArrival => "undeclared_arrival",
            RiskCategory::VenueNotChecking => "venue_not_checking",
            RiskCategory::Gathering => "gathering",
            RiskCategory::Other => "other",
        }
    }

    pub fn label(self) -> Message {
        match self {
            RiskCategory::SuspectedCase => {
                Message::new("Nghi nhiễm gần tôi", "Suspected case nearby")
            }
            RiskCategory::UndeclaredArrival => Message::new(
                "Người từ vùng dịch về không khai báo",
                "Arrival from an outbreak area not declared",
            ),
            RiskCategory::VenueNotChecking => {
                Message::new("Địa điểm không quét mã QR", "Venue not checking QR codes")
            }
            RiskCategory::Gathering => {
                Message::new("Tụ tập đông người", "Gathering against the rules")
            }
            RiskCategory::Other => Message::new("Khác", "Other"),
        }
    }

    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        parse_choice(
            field,
            input,
            Self::ALL,
            |c| c.as_str(),
            "Loại phản ánh",
            "a risk category",
        )
    }
}

/// Where a risk report is in its handling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RiskStatus {
    Open,
    /// An official has seen it and is acting.
    InProgress,
    /// Handled, with a note to the reporter.
    Closed,
}

impl RiskStatus {
    pub const ALL: &'static [RiskStatus] =
        &[RiskStatus::Open, RiskStatus::InProgress, RiskStatus::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            RiskStatus::Open => "open",
            RiskStatus::InProgress => "in_progress",
            RiskStatus::Closed => "closed",
        }
    }

    pub fn label(self) -> Message {
        match self {
            RiskStatus::Open => Message::new("Chờ xử lý", "Open"),
            RiskStatus::InProgress => Message::new("Đang xử lý", "In progress"),
            RiskStatus::Closed => Message::new("Đã xử lý", "Closed"),
        }
    }

    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        parse_choice(
            field,
            input,
            Self::ALL,
            |s| s.as_str(),
            "Trạng thái",
            "a status",
        )
    }

    /// The status after an official's action, or why the action does not apply: a closed
    /// report stays closed (a new problem is a new report).
    pub fn after(self, action: RiskAction) -> Result<RiskStatus, FieldError> {
        match (self, action) {
            (RiskStatus::Closed, _) => Err(FieldError::new(
                "status",
                "report_closed",
                "Phản ánh này đã được xử lý xong",
                "This report has already been closed",
            )),
            (_, RiskAction::Triage) => Ok(RiskStatus::InProgress),
            (_, RiskAction::Close) => Ok(RiskStatus::Closed),
        }
    }
}

/// What an official does to a risk report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RiskAction {
    Triage,
    Close,
}

/// A citizen's risk report as sent (the photo is handled apart, as bytes).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RiskReportForm {
    /// `GET /api/v1/risk-reports/categories` lists them with their labels.
    #[cfg_attr(feature = "openapi", schema(value_type = RiskCategory))]
    pub category: String,
    /// The commune or ward where the risk is; its officials receive the report.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::units::UnitCodeText))]
    pub unit_code: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 6.0, maximum = 24.0))]
    pub lat: Option<f64>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 102.0, maximum = 118.0))]
    pub lon: Option<f64>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::OptionalText))]
    pub address: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::RequiredText))]
    pub text: String,
    /// A JPEG or PNG as a `data:` URL or plain Base64.
    #[serde(default)]
    pub photo: Option<String>,
}

/// A checked risk report.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskReportInput {
    pub category: RiskCategory,
    pub unit_code: String,
    pub position: Option<(f64, f64)>,
    pub address: String,
    pub text: String,
}

impl RiskReportForm {
    pub fn parse(&self) -> Result<RiskReportInput, Invalid> {
        let mut c = Checker::new();
        let category = c.check(RiskCategory::parse("category", &self.category));
        let unit_code = c.check(parse_code("unit_code", &self.unit_code));
        let position = c.check(position(self.lat, self.lon)).flatten();
        let address = c.check(optional_text("address", &self.address, MAX_ADDRESS_CHARS));
        let text = c.check(report_text("text", &self.text));
        c.finish(|| RiskReportInput {
            category: category.unwrap_or(RiskCategory::Other),
            unit_code: unit_code.unwrap_or_default(),
            position,
            address: address.unwrap_or_default(),
            text: text.unwrap_or_default(),
        })
    }
}

fn parse_choice<T: Copy>(
    field: &str,
    input: &str,
    all: &[T],
    name: impl Fn(T) -> &'static str,
    what_vi: &str,
    what_en: &str,
) -> Result<T, FieldError> {
    all.iter()
        .copied()
        .find(|v| name(*v) == input.trim())
        .ok_or_else(|| {
            let names = all.iter().map(|v| name(*v)).collect::<Vec<_>>().join(", ");
            FieldError::new(
                field,
                "choice_unknown",
                format!("{what_vi} {input:?} không hợp lệ; chọn một trong: {names}"),
                format!("{input:?} is not {what_en}; choose one of: {names}"),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facility() -> FacilityForm {
        FacilityForm {
            name: " Trường THCS Sa Pa ".into(),
            facility_type: "school".into(),
            unit_code: "03199".into(),
            address: "Đường Xuân Viên".into(),
            lat: Some(22.336),
            lon: Some(103.843),
        }
    }

    fn codes(e: &Invalid) -> Vec<(&str, &str)> {
        e.0.iter().map(|f| (f.field.as_str(), f.code)).collect()
    }

    #[test]
    fn a_facility_needs_a_type_and_a_point_in_vietnam() {
        let f = facility().parse().unwrap();
        assert_eq!(f.name, "Trường THCS Sa Pa");
        assert_eq!(f.facility_type, FacilityType::School);

        let mut bad = facility();
        bad.facility_type = "bar".into();
        bad.lat = None;
        bad.lon = None;
        let e = bad.parse().unwrap_err();
        assert_eq!(
            codes(&e),
            [("facility_type", "choice_unknown"), ("lat", "required")]
        );

        let mut swapped = facility();
        swapped.lat = Some(103.843);
        swapped.lon = Some(22.336);
        assert_eq!(
            codes(&swapped.parse().unwrap_err()),
            [("lat", "outside_vietnam")]
        );
    }

    #[test]
    fn a_risk_report_names_every_problem() {
        let form = RiskReportForm {
            category: "rumour".into(),
            unit_code: "x".into(),
            lat: Some(22.3),
            lon: None,
            address: String::new(),
            text: "   ".into(),
            photo: None,
        };
        let e = form.parse().unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["category", "unit_code", "lon", "text"]);

        let ok = RiskReportForm {
            category: "gathering".into(),
            unit_code: "03199".into(),
            lat: None,
            lon: None,
            address: "Chợ đêm".into(),
            text: "Đám cưới 200 người".into(),
            photo: None,
        }
        .parse()
        .unwrap();
        assert_eq!(ok.category, RiskCategory::Gathering);
        assert_eq!(ok.position, None);
    }

    #[test]
    fn a_closed_report_stays_closed() {
        assert_eq!(
            RiskStatus::Open.after(RiskAction::Triage),
            Ok(RiskStatus::InProgress)
        );
        assert_eq!(
            RiskStatus::InProgress.after(RiskAction::Close),
            Ok(RiskStatus::Closed)
        );
        assert_eq!(
            RiskStatus::Open.after(RiskAction::Close),
            Ok(RiskStatus::Closed)
        );
        let e = RiskStatus::Closed.after(RiskAction::Triage).unwrap_err();
        assert_eq!(e.code, "report_closed");
        for s in RiskStatus::ALL {
            assert_eq!(RiskStatus::parse("s", s.as_str()), Ok(*s));
        }
        for c in RiskCategory::ALL {
            assert_eq!(RiskCategory::parse("c", c.as_str()), Ok(*c));
        }
    }
}
