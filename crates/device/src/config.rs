//! The parameters a health authority sets for phones: how exposure windows are scored, how
//! infectious a key's owner was by days since symptom onset, and this phone's own radio and
//! retention settings. The defaults are those of Exposure Notifications Express (ENX).

use phongdich_exposure::export::ReportType;
use phongdich_exposure::scoring::{Infectiousness, ScoringConfig};
use serde::{Deserialize, Serialize};

use crate::DeviceError;

/// Days since symptom onset covered by the infectiousness map: −14..=14.
pub const ONSET_DAYS: std::ops::RangeInclusive<i32> = -14..=14;
/// Entries of the infectiousness map, one per day of [`ONSET_DAYS`].
pub const ONSET_MAP_LEN: usize = 29;
/// Longest retention a configuration may ask for, in days.
pub const MAX_RETENTION_DAYS: u32 = 60;

/// Everything that decides how this phone scores what it heard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeviceConfig {
    /// Attenuation buckets, weights and the daily threshold.
    pub scoring: ScoringConfig,
    /// Days since onset −14..=14 → infectiousness; 29 entries, index 0 = day −14.
    pub days_since_onset_to_infectiousness: Vec<Infectiousness>,
    /// Infectiousness of keys uploaded without days since onset.
    pub infectiousness_when_onset_missing: Infectiousness,
    /// Report type of keys uploaded without one, e.g. `"confirmed_test"`.
    pub report_type_when_missing: ReportType,
    /// The calibrated TX power this phone advertises in its metadata, in dBm.
    pub tx_power_dbm: i8,
    /// Days of own keys and encounters kept before today: older ones are deleted.
    pub retention_days: u32,
}

impl Default for DeviceConfig {
    /// The ENX defaults (gaen.md §5.4: the map `0x0401555AA9400000` decoded): days −14..=−4
    /// none, −3 and −2 standard, −1..=+3 high, +4..=+10 standard, +11..=+14 none; a missing
    /// onset counts as standard. Keys without a report type count as confirmed tests, since
    /// this health authority publishes only keys confirmed by a verification code.
    fn default() -> Self {
        let days_since_onset_to_infectiousness = ONSET_DAYS
            .map(|day| match day {
                -3..=-2 | 4..=10 => Infectiousness::Standard,
                -1..=3 => Infectiousness::High,
                _ => Infectiousness::None,
            })
            .collect();
        Self {
            scoring: ScoringConfig::default(),
            days_since_onset_to_infectiousness,
            infectiousness_when_onset_missing: Infectiousness::Standard,
            report_type_when_missing: ReportType::ConfirmedTest,
            // The metadata carries the power calibrated against the reference phone (a typical
            // iPhone), not the radio's nominal output. 0 dBm makes attenuation read as −RSSI,
            // so a phone heard at −55 dBm, about 1.5 m away, is 55 dB: the scale the ENX
            // thresholds (30/50/60 dB) are written for.
            tx_power_dbm: 0,
            retention_days: 14,
        }
    }
}

impl DeviceConfig {
    /// Checks every field, so a bad configuration fails when it is set, not while scoring.
    pub fn validate(&self) -> Result<(), DeviceError> {
        self.scoring
            .validate()
            .map_err(|e| DeviceError::Config(e.to_string()))?;
        if self.days_since_onset_to_infectiousness.len() != ONSET_MAP_LEN {
            return Err(DeviceError::Config(format!(
                "days_since_onset_to_infectiousness must have {ONSET_MAP_LEN} entries (days -14..=14), not {}",
                self.days_since_onset_to_infectiousness.len()
            )));
        }
        if matches!(
            self.report_type_when_missing,
            ReportType::Unknown | ReportType::Revoked
        ) {
            return Err(DeviceError::Config(
                "report_type_when_missing must be a real report type".to_owned(),
            ));
        }
        if self.tx_power_dbm == i8::MIN {
            return Err(DeviceError::Config(
                "tx_power_dbm must be between -127 and 127".to_owned(),
            ));
        }
        if !(1..=MAX_RETENTION_DAYS).contains(&self.retention_days) {
            return Err(DeviceError::Config(format!(
                "retention_days must be between 1 and {MAX_RETENTION_DAYS}"
            )));
        }
        Ok(())
    }

    /// The infectiousness of a key's owner on the key's day.
    ///
    /// Days outside −14..=14 are not infectious, as in the frameworks' mapping.
    pub fn infectiousness(&self, days_since_onset: Option<i32>) -> Infectiousness {
        match days_since_onset {
            None => self.infectiousness_when_onset_missing,
            Some(day) if ONSET_DAYS.contains(&day) => {
                // `day + 14` is 0..=28 here; validation guarantees 29 entries.
                let index = usize::try_from(day + 14).unwrap_or_default();
                self.days_since_onset_to_infectiousness
                    .get(index)
                    .copied()
                    .unwrap_or(Infectiousness::None)
            }
            Some(_) => Infectiousness::None,
        }
    }

    /// The report type a key counts as: its own, or the configured one when it has none.
    pub fn report_type(&self, report_type: Option<ReportType>) -> ReportType {
        match report_type {
            None | Some(ReportType::Unknown) => self.report_type_when_missing,
            Some(t) => t,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enx_default_map() {
        let config = DeviceConfig::default();
        config.validate().unwrap();
        let at = |day| config.infectiousness(Some(day));
        assert_eq!(at(-14), Infectiousness::None);
        assert_eq!(at(-4), Infectiousness::None);
        assert_eq!(at(-3), Infectiousness::Standard);
        assert_eq!(at(-2), Infectiousness::Standard);
        assert_eq!(at(-1), Infectiousness::High);
        assert_eq!(at(0), Infectiousness::High);
        assert_eq!(at(3), Infectiousness::High);
        assert_eq!(at(4), Infectiousness::Standard);
        assert_eq!(at(10), Infectiousness::Standard);
        assert_eq!(at(11), Infectiousness::None);
        assert_eq!(at(14), Infectiousness::None);
        assert_eq!(at(15), Infectiousness::None);
        assert_eq!(at(-20), Infectiousness::None);
        assert_eq!(config.infectiousness(None), Infectiousness::Standard);
    }

    #[test]
    fn report_type_when_missing() {
        let config = DeviceConfig::default();
        assert_eq!(config.report_type(None), ReportType::ConfirmedTest);
        assert_eq!(
            config.report_type(Some(ReportType::Unknown)),
            ReportType::ConfirmedTest
        );
        assert_eq!(
            config.report_type(Some(ReportType::Recursive)),
            ReportType::Recursive
        );
    }

    #[test]
    fn serde_uses_snake_case_names() {
        let json = serde_json::to_value(DeviceConfig::default()).unwrap();
        assert_eq!(json["report_type_when_missing"], "confirmed_test");
        assert_eq!(json["days_since_onset_to_infectiousness"][14], "high");
        let back: DeviceConfig = serde_json::from_value(json).unwrap();
        assert_eq!(back, DeviceConfig::default());
        // Every field has a default, so a file names only what it changes.
        let partial: DeviceConfig = serde_json::from_str(r#"{"retention_days": 7}"#).unwrap();
        assert_eq!(partial.retention_days, 7);
        assert_eq!(partial.scoring, ScoringConfig::default());
    }

    #[test]
    fn rejects_bad_configs() {
        let bad = [
            DeviceConfig {
                days_since_onset_to_infectiousness: vec![Infectiousness::High; 28],
                ..DeviceConfig::default()
            },
            DeviceConfig {
                retention_days: 0,
                ..DeviceConfig::default()
            },
            DeviceConfig {
                tx_power_dbm: i8::MIN,
                ..DeviceConfig::default()
            },
            DeviceConfig {
                report_type_when_missing: ReportType::Revoked,
                ..DeviceConfig::default()
            },
            DeviceConfig {
                scoring: ScoringConfig {
                    attenuation_thresholds_db: [60, 50, 30],
                    ..ScoringConfig::default()
                },
                ..DeviceConfig::default()
            },
        ];
        for config in bad {
            assert!(matches!(config.validate(), Err(DeviceError::Config(_))));
        }
    }
}
