//! Exposure windows: an official says "a case was at this venue from … to …", with a risk level
//! that decides the guidance its visitors get.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::profile::CheckinRules;
use crate::validation::Checker;
use crate::{FieldError, Invalid, Message};

/// How worried a visitor should be (the NHS app's "warn" and "alert" tiers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    /// Watch your health.
    Low,
    /// You may be a close contact: stay home and get tested.
    High,
}

impl RiskLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::Low => "low",
            RiskLevel::High => "high",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "low" => Some(RiskLevel::Low),
            "high" => Some(RiskLevel::High),
            _ => None,
        }
    }

    /// The profile's guidance for this level.
    pub fn guidance(self, rules: &CheckinRules) -> Message {
        let g = &rules.guidance;
        match self {
            RiskLevel::Low => Message::new(&g.low_vi, &g.low_en),
            RiskLevel::High => Message::new(&g.high_vi, &g.high_en),
        }
    }
}

/// Longest window one marking may cover; longer exposures are marked day by day.
pub const MAX_WINDOW_HOURS: i64 = 24;

/// An exposure window as an official submits it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExposureForm {
    /// RFC 3339 times, e.g. `2021-07-20T08:00:00+07:00`.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub starts_at: String,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub ends_at: String,
    /// `low` or `high`.
    #[cfg_attr(feature = "openapi", schema(value_type = RiskLevel))]
    pub level: String,
    /// Free reference to the case (its registry id once tracing is in place).
    #[serde(default)]
    pub case_ref: Option<String>,
}

/// A checked exposure window.
#[derive(Debug, Clone, PartialEq)]
pub struct ExposureWindow {
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub level: RiskLevel,
    pub case_ref: Option<String>,
}

impl ExposureForm {
    /// Checks the window against now and the retention period (a window whose visits are
    /// already deleted could alert nobody).
    pub fn parse(&self, now: Timestamp, rules: &CheckinRules) -> Result<ExposureWindow, Invalid> {
        let mut c = Checker::new();
        let start = c.check(instant("starts_at", &self.starts_at));
        let end = c.check(instant("ends_at", &self.ends_at));
        let level = c.check(RiskLevel::parse(self.level.trim()).ok_or_else(|| {
            FieldError::new(
                "level",
                "choice_unknown",
                "Mức nguy cơ phải là low hoặc high",
                "The risk level must be low or high",
            )
        }));
        let case_ref = self
            .case_ref
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if case_ref.is_some_and(|s| s.chars().count() > 64 || s.chars().any(char::is_control)) {
            c.push(FieldError::new(
                "case_ref",
                "too_long",
                "Mã ca bệnh tối đa 64 ký tự",
                "A case reference has at most 64 characters",
            ));
        }
        if let (Some(start), Some(end)) = (start, end) {
            if end <= start {
                c.push(FieldError::new(
                    "ends_at",
                    "ends_before_start",
                    "Thời điểm kết thúc phải sau thời điểm bắt đầu",
                    "The end must be after the start",
                ));
            } else if end.duration_since(start) > SignedDuration::from_hours(MAX_WINDOW_HOURS) {
                c.push(FieldError::new(
                    "ends_at",
                    "window_too_long",
                    format!("Mỗi khoảng thời gian tối đa {MAX_WINDOW_HOURS} giờ; hãy đánh dấu từng ngày"),
                    format!("A window covers at most {MAX_WINDOW_HOURS} hours; mark each day"),
                ));
            }
            if start > now {
                c.push(FieldError::new(
                    "starts_at",
                    "time_in_future",
                    "Thời điểm bắt đầu ở tương lai",
                    "The start is in the future",
                ));
            } else if end < now - SignedDuration::from_hours(24 * rules.retention_days) {
                c.push(FieldError::new(
                    "starts_at",
                    "time_too_old",
                    format!("Dữ liệu quét mã chỉ lưu {} ngày", rules.retention_days),
                    format!("Check-ins are kept for {} days only", rules.retention_days),
                ));
            }
        }
        c.finish(|| ExposureWindow {
            starts_at: start.unwrap_or(now),
            ends_at: end.unwrap_or(now),
            level: level.unwrap_or(RiskLevel::Low),
            case_ref: case_ref.map(str::to_owned),
        })
    }
}

use crate::time::parse_instant as instant;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Profile;

    fn form(start: &str, end: &str, level: &str) -> ExposureForm {
        ExposureForm {
            starts_at: start.into(),
            ends_at: end.into(),
            level: level.into(),
            case_ref: Some("BN1234".into()),
        }
    }

    #[test]
    fn windows_are_checked() {
        let rules = Profile::covid19_2021().checkin;
        let now: Timestamp = "2021-07-20T12:00:00Z".parse().unwrap();
        let ok = form(
            "2021-07-20T08:00:00+07:00",
            "2021-07-20T10:00:00+07:00",
            "high",
        );
        let w = ok.parse(now, &rules).unwrap();
        assert_eq!(w.level, RiskLevel::High);
        assert_eq!(
            w.ends_at.duration_since(w.starts_at),
            SignedDuration::from_hours(2)
        );
        let code = |f: ExposureForm| f.parse(now, &rules).unwrap_err().0[0].code;
        assert_eq!(
            code(form("2021-07-20T10:00:00Z", "2021-07-20T09:00:00Z", "low")),
            "ends_before_start"
        );
        assert_eq!(
            code(form("2021-07-18T10:00:00Z", "2021-07-20T09:00:00Z", "low")),
            "window_too_long"
        );
        assert_eq!(
            code(form("2021-07-21T10:00:00Z", "2021-07-21T11:00:00Z", "low")),
            "time_in_future"
        );
        assert_eq!(
            code(form("2021-06-01T10:00:00Z", "2021-06-01T11:00:00Z", "low")),
            "time_too_old"
        );
        assert_eq!(
            code(form("yesterday", "2021-06-01T11:00:00Z", "low")),
            "time_invalid"
        );
        assert_eq!(
            code(form(
                "2021-07-20T08:00:00Z",
                "2021-07-20T09:00:00Z",
                "extreme"
            )),
            "choice_unknown"
        );
    }
}
