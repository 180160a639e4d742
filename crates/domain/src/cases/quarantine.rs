//! Quarantine plans from the rules table: the same function gives the official's list and the
//! citizen's "quarantine until …", so the two can never disagree.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::TracingRules;
use crate::time::parse_date;
use crate::validation::Checker;
use crate::{FieldError, Invalid};

/// Highest contact level an order can be for (F1 … F6).
pub const MAX_LEVEL: u8 = 6;

/// Where a person is quarantined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuarantineKind {
    /// A centralised facility.
    Facility,
    Home,
}

impl QuarantineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuarantineKind::Facility => "facility",
            QuarantineKind::Home => "home",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "facility" => Some(QuarantineKind::Facility),
            "home" => Some(QuarantineKind::Home),
            _ => None,
        }
    }

    /// The kind typed for `field`, or its `choice_unknown` error.
    pub fn parse_field(field: &str, s: &str) -> Result<Self, FieldError> {
        Self::parse(s).ok_or_else(|| {
            FieldError::new(
                field,
                "choice_unknown",
                "Hình thức là facility hoặc home",
                "The kind is facility or home",
            )
        })
    }
}

/// An official's quarantine order as submitted.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QuarantineForm {
    pub person_id: i64,
    /// 1 for F1, 2 for F2, …
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 6))]
    pub level: u8,
    /// Day 1 (`YYYY-MM-DD`); today by default.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub starts_on: Option<String>,
    /// `facility` or `home`; the profile's choice for the level by default.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<QuarantineKind>))]
    pub kind: Option<String>,
    #[serde(default)]
    pub case_id: Option<i64>,
}

/// A checked quarantine order (the person and case still to be found in the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarantineRequest {
    pub person_id: i64,
    pub level: u8,
    pub starts_on: Date,
    /// `None`: the profile's kind for the level.
    pub kind: Option<QuarantineKind>,
    pub case_id: Option<i64>,
}

impl QuarantineForm {
    /// Checks every field at once; `today` is day 1 when none is given.
    pub fn parse(&self, today: Date) -> Result<QuarantineRequest, Invalid> {
        let mut c = Checker::new();
        if !(1..=MAX_LEVEL).contains(&self.level) {
            c.push(FieldError::new(
                "level",
                "level_range",
                format!("Cấp tiếp xúc từ 1 (F1) đến {MAX_LEVEL}"),
                format!("The level is 1 (F1) to {MAX_LEVEL}"),
            ));
        }
        let starts_on = match &self.starts_on {
            Some(s) => c.check(parse_date("starts_on", s)),
            None => Some(today),
        };
        let kind = self
            .kind
            .as_deref()
            .and_then(|k| c.check(QuarantineKind::parse_field("kind", k)));
        c.finish(|| QuarantineRequest {
            person_id: self.person_id,
            level: self.level,
            starts_on: starts_on.unwrap_or(today),
            kind,
            case_id: self.case_id,
        })
    }
}

/// The result of a test taken in quarantine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuarantineTestResult {
    Negative,
    Positive,
}

impl QuarantineTestResult {
    pub fn as_str(self) -> &'static str {
        match self {
            QuarantineTestResult::Negative => "negative",
            QuarantineTestResult::Positive => "positive",
        }
    }
}

/// A test result as an official records it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QuarantineTestForm {
    /// The day the sample was taken (`YYYY-MM-DD`), inside the quarantine.
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub date: String,
    /// `negative` or `positive`.
    #[cfg_attr(feature = "openapi", schema(value_type = QuarantineTestResult))]
    pub result: String,
}

/// A checked test result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuarantineTest {
    pub date: Date,
    pub result: QuarantineTestResult,
}

impl QuarantineTestForm {
    /// Checks both fields: the sample day must fall within `[starts_on, ends_on]` of the order
    /// and not after `today`.
    pub fn parse(
        &self,
        starts_on: Date,
        ends_on: Date,
        today: Date,
    ) -> Result<QuarantineTest, Invalid> {
        let mut c = Checker::new();
        let date = c.check(parse_date("date", &self.date).and_then(|d| {
            if starts_on <= d && d <= ends_on && d <= today {
                Ok(d)
            } else {
                Err(FieldError::new(
                    "date",
                    "date_outside_quarantine",
                    "Ngày xét nghiệm phải trong thời gian cách ly và không ở tương lai",
                    "The test date must fall inside the quarantine and not in the future",
                ))
            }
        }));
        let result = match self.result.as_str() {
            "negative" => Some(QuarantineTestResult::Negative),
            "positive" => Some(QuarantineTestResult::Positive),
            _ => {
                c.push(FieldError::new(
                    "result",
                    "result_unknown",
                    "Kết quả là negative hoặc positive",
                    "The result is negative or positive",
                ));
                None
            }
        };
        c.finish(|| QuarantineTest {
            date: date.unwrap_or(today),
            result: result.unwrap_or(QuarantineTestResult::Negative),
        })
    }
}

/// A person's quarantine: the days of it, the tests and the monitoring after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuarantinePlan {
    pub kind: QuarantineKind,
    /// The first day (day 1).
    pub starts_on: Date,
    /// The last day of quarantine.
    pub ends_on: Date,
    /// The last day of health monitoring at home after it (equal to `ends_on` when none).
    pub monitoring_until: Date,
    /// The test dates.
    pub tests_on: Vec<Date>,
}

impl QuarantinePlan {
    /// The plan for a contact of `level` whose quarantine starts on `starts_on`; `kind`
    /// overrides the profile's (a district may send F1 home when facilities are full).
    pub fn for_level(
        rules: &TracingRules,
        level: u8,
        starts_on: Date,
        kind: Option<QuarantineKind>,
    ) -> Self {
        let rule = rules.quarantine_rule(level);
        let day = |n: i64| {
            starts_on
                .checked_add(jiff::Span::new().days(n - 1))
                .unwrap_or(starts_on)
        };
        let ends_on = day(rule.days);
        Self {
            kind: kind.unwrap_or(rule.kind),
            starts_on,
            ends_on,
            monitoring_until: day(rule.days + rule.monitoring_days),
            tests_on: rule.test_days.iter().map(|d| day(*d)).collect(),
        }
    }

    /// The day number (1-based) of `date` in the quarantine, if it falls inside it.
    pub fn day_of(&self, date: Date) -> Option<i64> {
        if date < self.starts_on || date > self.ends_on {
            return None;
        }
        self.starts_on
            .until(date)
            .ok()
            .map(|s| i64::from(s.get_days()) + 1)
    }

    /// Whether two plans share at least one day of quarantine.
    pub fn overlaps(&self, other: &QuarantinePlan) -> bool {
        self.starts_on <= other.ends_on && other.starts_on <= self.ends_on
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Profile;

    fn codes(err: Invalid) -> Vec<&'static str> {
        err.0.iter().map(|e| e.code).collect()
    }

    #[test]
    fn an_order_names_every_wrong_field_and_defaults_to_today() {
        let today: Date = "2021-07-20".parse().unwrap();
        let form = |level, starts_on: Option<&str>, kind: Option<&str>| QuarantineForm {
            person_id: 7,
            level,
            starts_on: starts_on.map(Into::into),
            kind: kind.map(Into::into),
            case_id: None,
        };
        let ok = form(1, None, Some("home")).parse(today).unwrap();
        assert_eq!((ok.starts_on, ok.kind), (today, Some(QuarantineKind::Home)));
        let bad = form(7, Some("20/07/2021"), Some("hotel")).parse(today);
        assert_eq!(
            codes(bad.unwrap_err()),
            ["level_range", "date_invalid", "choice_unknown"]
        );
    }

    #[test]
    fn a_test_falls_inside_the_order_and_not_in_the_future() {
        let day = |s: &str| s.parse::<Date>().unwrap();
        let (start, end, today) = (day("2021-07-20"), day("2021-08-02"), day("2021-07-25"));
        let form = |date: &str, result: &str| QuarantineTestForm {
            date: date.into(),
            result: result.into(),
        };
        let ok = form("2021-07-21", "positive")
            .parse(start, end, today)
            .unwrap();
        assert_eq!(ok.result, QuarantineTestResult::Positive);
        let future = form("2021-07-26", "negative").parse(start, end, today);
        assert_eq!(codes(future.unwrap_err()), ["date_outside_quarantine"]);
        let bad = form("someday", "maybe").parse(start, end, today);
        assert_eq!(codes(bad.unwrap_err()), ["date_invalid", "result_unknown"]);
    }

    #[test]
    fn f1_gets_fourteen_days_in_a_facility_with_tests_on_days_1_7_14() {
        let rules = Profile::covid19_2021().tracing;
        let start: Date = "2021-07-20".parse().unwrap();
        let plan = QuarantinePlan::for_level(&rules, 1, start, None);
        assert_eq!(plan.kind, QuarantineKind::Facility);
        assert_eq!(plan.ends_on.to_string(), "2021-08-02");
        assert_eq!(plan.monitoring_until.to_string(), "2021-08-16");
        let tests: Vec<String> = plan.tests_on.iter().map(ToString::to_string).collect();
        assert_eq!(tests, ["2021-07-20", "2021-07-26", "2021-08-02"]);
        assert_eq!(plan.day_of("2021-07-26".parse().unwrap()), Some(7));
        assert_eq!(plan.day_of("2021-08-03".parse().unwrap()), None);
        let f2 = QuarantinePlan::for_level(&rules, 2, start, Some(QuarantineKind::Home));
        assert_eq!(f2.kind, QuarantineKind::Home);
        assert!(f2.tests_on.is_empty());
        assert!(plan.overlaps(&f2));
        let later = QuarantinePlan::for_level(&rules, 1, "2021-08-03".parse().unwrap(), None);
        assert!(!plan.overlaps(&later));
    }
}
