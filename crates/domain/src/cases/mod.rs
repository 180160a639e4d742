//! Case and contact tracing: confirmed cases (F0), their contacts from every source, the
//! F-levels along the chain (F1, F2, F3 …) with the time rules of the Ministry of Health, and
//! quarantine orders computed from one rules table that the citizen's view shares.
//!
//! Every number comes from the profile's `[tracing]` section ([`TracingRules`]).

mod case;
mod contact;
mod levels;
mod quarantine;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use case::{Case, CaseForm, CaseSource, CaseStatus, Person, PersonForm};
pub use contact::{Confidence, Contact, ContactForm, ContactSource, Setting};
pub use levels::{expand, next_level, Edge, Expansion, PersonId, Reached, Seed};
pub use quarantine::{
    QuarantineForm, QuarantineKind, QuarantinePlan, QuarantineRequest, QuarantineTest,
    QuarantineTestForm, QuarantineTestResult, MAX_LEVEL,
};

use crate::proximity::ContactLevel;

/// The `[tracing]` section of the disease profile.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TracingRules {
    pub transmission_days_before: i64,
    pub close_contact_metres: f64,
    pub close_contact_masked_minutes: i64,
    pub max_depth: u8,
    pub retention_days: i64,
    /// How far back a case's onset or sample date may lie: the longest incubation period. A
    /// contact exposed earlier can no longer fall ill from the case, so gathering them would
    /// only reveal their movements; venue and proximity contacts are gathered from no earlier
    /// than this many days before registration either.
    #[serde(default = "default_lookback_days")]
    pub lookback_days: i64,
    /// Quarantine rules by level name (`F1`, `F2`; deeper levels follow `F2`).
    pub quarantine: BTreeMap<String, QuarantineRule>,
}

fn default_lookback_days() -> i64 {
    14
}

/// What a contact of one level must do.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct QuarantineRule {
    pub kind: QuarantineKind,
    pub days: i64,
    pub monitoring_days: i64,
    pub test_days: Vec<i64>,
}

impl TracingRules {
    pub(crate) fn check(&self) -> Result<(), String> {
        if self.transmission_days_before < 0
            || self.close_contact_masked_minutes <= 0
            || self.retention_days <= 0
            || self.lookback_days <= 0
            || self.close_contact_metres.is_nan()
            || self.close_contact_metres <= 0.0
        {
            return Err("tracing: periods, minutes and distance must be positive".into());
        }
        if !(1..=6).contains(&self.max_depth) {
            return Err("tracing.max_depth: must be 1 to 6".into());
        }
        for level in ["F1", "F2"] {
            let rule = self
                .quarantine
                .get(level)
                .ok_or_else(|| format!("tracing.quarantine.{level} is missing"))?;
            if rule.days <= 0 || rule.monitoring_days < 0 {
                return Err(format!("tracing.quarantine.{level}: days must be positive"));
            }
            if rule.test_days.iter().any(|d| *d < 1 || *d > rule.days) {
                return Err(format!(
                    "tracing.quarantine.{level}.test_days: each must be within 1..=days"
                ));
            }
        }
        if let Some(unknown) = self.quarantine.keys().find(|k| *k != "F1" && *k != "F2") {
            return Err(format!("tracing.quarantine: unknown level {unknown}"));
        }
        Ok(())
    }

    /// The quarantine rule of a level: F1's for F1, F2's for F2 and deeper.
    pub fn quarantine_rule(&self, level: u8) -> &QuarantineRule {
        let key = if level <= 1 { "F1" } else { "F2" };
        // Both keys are checked to exist when the profile loads.
        &self.quarantine[key]
    }

    /// Whether an interviewed contact is close: any time unmasked, or long enough masked.
    pub fn is_close(&self, masked: Option<bool>, minutes: i64) -> bool {
        match masked {
            Some(true) => minutes >= self.close_contact_masked_minutes,
            // Unknown masking is judged as unmasked: the safer reading for tracing.
            Some(false) | None => true,
        }
    }
}

/// The contact level as the proximity part names it, for levels 1 and 2.
pub fn contact_level(level: u8) -> Option<ContactLevel> {
    match level {
        1 => Some(ContactLevel::F1),
        2 => Some(ContactLevel::F2),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::profile::{Profile, COVID19_2021};

    #[test]
    fn the_shipped_rules_parse_and_bad_ones_are_refused() {
        let rules = Profile::covid19_2021().tracing;
        assert_eq!(rules.transmission_days_before, 2);
        assert_eq!(rules.quarantine_rule(1).test_days, [1, 7, 14]);
        assert_eq!(rules.quarantine_rule(3).days, 14);
        assert!(rules.is_close(Some(true), 15));
        assert!(!rules.is_close(Some(true), 14));
        assert!(rules.is_close(Some(false), 1));
        let bad = COVID19_2021.replace("test_days = [1, 7, 14]", "test_days = [0, 21]");
        assert!(Profile::parse(&bad).unwrap_err().contains("test_days"));
        let bad = COVID19_2021.replace("max_depth = 3", "max_depth = 0");
        assert!(Profile::parse(&bad).is_err());
    }
}
