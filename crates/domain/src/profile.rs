//! The disease profile: every number the rules use, read from a TOML file so an operator can
//! change them for the next outbreak. The COVID-19 2021 default ships in `data/profiles/`.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::cases::TracingRules;
use crate::proximity::ExposureRules;
use crate::safety::AreaLevelRules;
use crate::venues::Category;

/// The shipped default profile's text.
pub const COVID19_2021: &str = include_str!("../../../data/profiles/covid19-2021.toml");

/// A disease profile.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    pub declarations: DeclarationRules,
    pub health_pass: PassRules,
    pub checkin: CheckinRules,
    pub exposure: ExposureRules,
    pub tracing: TracingRules,
    pub area_levels: AreaLevelRules,
    pub retention: RetentionRules,
}

/// How long personal data without a period of its own elsewhere in the profile is kept (check-ins
/// `[checkin]`, diagnosis keys and F1 reports `[exposure]`, tracing records and handled reports
/// `[tracing]` have theirs). The purge runs in the server's housekeeping.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionRules {
    /// Health declarations, counted from the declaration (entry declarations: from the end of
    /// their monitoring). One of a person with an open case or a quarantine order not yet over
    /// is kept until that ends.
    pub declarations_days: i64,
    /// Risk reports still open or in progress (from their last change) and feedback never
    /// answered (from when it was sent): longer than handled ones, never forever.
    pub unhandled_reports_days: i64,
    /// Citizen accounts nobody signed in to for this long, with everything under them, unless
    /// the person has an open case or quarantine order, or the account is named in the audit log.
    pub inactive_account_days: i64,
    /// Campaign reports and reminders, and the reporters' phones of units in no campaign since,
    /// counted from the campaign's deadline.
    pub campaigns_days: i64,
    /// The audit log (at least [`crate::audit::AUDIT_FLOOR_DAYS`]).
    pub audit_days: i64,
}

impl RetentionRules {
    fn check(&self, profile: &Profile) -> Result<(), String> {
        let r = self;
        if [
            r.declarations_days,
            r.unhandled_reports_days,
            r.inactive_account_days,
            r.campaigns_days,
        ]
        .iter()
        .any(|d| *d <= 0)
        {
            return Err("retention: periods must be positive".into());
        }
        // A declaration backs a health pass and the questions look back over its days.
        if r.declarations_days * 86_400 < profile.health_pass.longest_secs()
            || r.declarations_days < profile.declarations.lookback_days
        {
            return Err(
                "retention.declarations_days: shorter than a health pass or the lookback".into(),
            );
        }
        if r.unhandled_reports_days <= profile.tracing.retention_days {
            return Err(
                "retention.unhandled_reports_days: must be longer than tracing.retention_days (handled reports)"
                    .into(),
            );
        }
        if r.audit_days < crate::audit::AUDIT_FLOOR_DAYS {
            return Err(format!(
                "retention.audit_days: at least {} (the database refuses to delete younger rows)",
                crate::audit::AUDIT_FLOOR_DAYS
            ));
        }
        Ok(())
    }
}

/// Numbers for venue check-ins and their exposure alerts.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckinRules {
    pub retention_days: i64,
    pub overlap_margin_minutes: i64,
    pub max_offline_hours: i64,
    pub max_future_seconds: i64,
    /// Minutes until the automatic check-out, by venue category wire name.
    pub dwell_minutes: BTreeMap<String, i64>,
    pub guidance: Guidance,
}

/// The guidance text of a venue alert, by risk level, in Vietnamese and English.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guidance {
    pub low_vi: String,
    pub low_en: String,
    pub high_vi: String,
    pub high_en: String,
}

impl CheckinRules {
    /// The automatic check-out delay of a category (checked to exist when the profile loads).
    pub fn dwell(&self, category: Category) -> jiff::SignedDuration {
        let minutes = self
            .dwell_minutes
            .get(category.as_str())
            .copied()
            .unwrap_or(120);
        jiff::SignedDuration::from_mins(minutes)
    }

    fn check(&self) -> Result<(), String> {
        if self.retention_days <= 0
            || self.overlap_margin_minutes < 0
            || self.max_offline_hours < 0
            || self.max_future_seconds < 0
        {
            return Err("checkin: periods must not be negative (retention_days > 0)".into());
        }
        for c in Category::ALL {
            match self.dwell_minutes.get(c.as_str()) {
                Some(m) if *m > 0 => {}
                Some(_) => {
                    return Err(format!(
                        "checkin.dwell_minutes.{}: must be positive",
                        c.as_str()
                    ))
                }
                None => return Err(format!("checkin.dwell_minutes: {} is missing", c.as_str())),
            }
        }
        if let Some(unknown) = self
            .dwell_minutes
            .keys()
            .find(|k| Category::parse("", k).is_err())
        {
            return Err(format!("checkin.dwell_minutes: unknown category {unknown}"));
        }
        Ok(())
    }
}

/// Numbers for health declarations.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeclarationRules {
    pub lookback_days: i64,
    pub entry_monitoring_days: i64,
    pub fever_celsius: f64,
    pub min_plausible_celsius: f64,
    pub max_plausible_celsius: f64,
    pub travel_days_ahead: i64,
}

/// How long a health pass stays valid, by colour.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PassRules {
    pub green_hours: i64,
    pub yellow_hours: i64,
    pub red_hours: i64,
}

impl PassRules {
    /// The longest a pass can stay valid, in seconds (how long a retired key must still verify).
    pub fn longest_secs(&self) -> i64 {
        self.green_hours.max(self.yellow_hours).max(self.red_hours) * 3600
    }
}

impl Profile {
    /// Parses a profile and checks that its numbers make sense together.
    pub fn parse(text: &str) -> Result<Self, String> {
        let profile: Profile = toml::from_str(text).map_err(|e| e.to_string())?;
        let d = &profile.declarations;
        if !(d.min_plausible_celsius < d.fever_celsius && d.fever_celsius < d.max_plausible_celsius)
        {
            return Err(
                "declarations: need min_plausible_celsius < fever_celsius < max_plausible_celsius"
                    .into(),
            );
        }
        if d.lookback_days <= 0 || d.entry_monitoring_days <= 0 || d.travel_days_ahead < 0 {
            return Err("declarations: day counts must be positive".into());
        }
        let p = &profile.health_pass;
        if p.green_hours <= 0 || p.yellow_hours <= 0 || p.red_hours <= 0 {
            return Err("health_pass: validity hours must be positive".into());
        }
        profile.checkin.check()?;
        profile.exposure.check()?;
        profile.tracing.check()?;
        profile.area_levels.check()?;
        profile.retention.check(&profile)?;
        Ok(profile)
    }

    /// The shipped COVID-19 2021 profile.
    pub fn covid19_2021() -> Self {
        Self::parse(COVID19_2021).unwrap_or_else(|e| panic!("shipped profile is broken: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_profile_parses() {
        let p = Profile::covid19_2021();
        assert_eq!(p.declarations.lookback_days, 14);
        assert_eq!(p.declarations.fever_celsius, 37.5);
    }

    #[test]
    fn inconsistent_profiles_are_refused() {
        let broken = COVID19_2021.replace("fever_celsius = 37.5", "fever_celsius = 45.0");
        assert!(Profile::parse(&broken).is_err());
        assert!(Profile::parse("name = 1").is_err());
        let typo = COVID19_2021.replace("lookback_days", "lookbak_days");
        assert!(Profile::parse(&typo).is_err());
        let no_market = COVID19_2021.replace("market = 90", "");
        assert!(Profile::parse(&no_market).unwrap_err().contains("market"));
        let short_audit = COVID19_2021.replace("audit_days = 1826", "audit_days = 365");
        assert!(Profile::parse(&short_audit)
            .unwrap_err()
            .contains("audit_days"));
        let forever_open = COVID19_2021.replace(
            "unhandled_reports_days = 180",
            "unhandled_reports_days = 90",
        );
        assert!(Profile::parse(&forever_open)
            .unwrap_err()
            .contains("unhandled"));
    }
}
