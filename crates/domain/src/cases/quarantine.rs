//! Quarantine plans from the rules table: the same function gives the official's list and the
//! citizen's "quarantine until …", so the two can never disagree.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::TracingRules;

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
