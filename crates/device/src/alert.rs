//! The exposure alert a phone shows: the most recent UTC day whose summed window scores reach
//! the health authority's threshold, whether it makes the user an F1 (contact of a confirmed
//! case) or an F2 (contact of someone who was themselves an F1), and what the contact was like.
//!
//! The alert is always recomputed from the stored windows, so it follows the configuration and
//! the retention period without being stored itself.

use std::collections::BTreeSet;

use phongdich_exposure::export::ReportType;
use phongdich_exposure::scoring::{
    daily_summaries, latest_exposure, window_score, Infectiousness, ScoringConfig,
};
use serde::{Deserialize, Serialize};

use crate::calendar::date_string;
use crate::state::StoredWindow;

/// How close to a case the user was, in the Vietnamese F-levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ContactLevel {
    /// Close contact of a diagnosed person.
    F1,
    /// Close contact of an F1: the matched keys were uploaded with report type `Recursive`.
    F2,
}

/// An exposure the phone notifies its user about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// F1 if any window counted that day came from a non-recursive key, F2 otherwise.
    pub level: ContactLevel,
    /// The exposure's UTC day, as days since the Unix epoch.
    pub day: u32,
    /// The exposure's UTC day as `YYYY-MM-DD`.
    pub date: String,
    /// Summed score of that day, in weighted seconds.
    pub score: f64,
    /// The score in weighted minutes, rounded to 0.1.
    pub weighted_minutes: f64,
    /// Minutes of contact that day: the summed durations of the counted sightings.
    pub minutes: f64,
    /// The closest typical attenuation seen that day, in dB.
    pub min_attenuation_db: u8,
    /// The diagnosis keys that matched that day (hex, sorted), so a "report as F1" can name the
    /// upload it matched without knowing whose it is.
    pub matched_keys: Vec<String>,
}

/// What a phone reports about itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExposureStatus {
    /// The current alert, if any.
    pub alert: Option<Alert>,
    /// Own daily keys kept.
    pub own_keys: usize,
    /// Sightings in the encounter log.
    pub encounters: usize,
    /// Key files ingested.
    pub exports_processed: usize,
}

/// Whether a window enters the daily sums: the same rule as
/// [`daily_summaries`] (infectious, a real report type, at least the minimum window score).
fn counts(window: &StoredWindow, config: &ScoringConfig) -> bool {
    let w = &window.window;
    w.infectiousness != Infectiousness::None
        && !matches!(w.report_type, ReportType::Unknown | ReportType::Revoked)
        && window_score(w, config) >= config.minimum_window_score
}

/// The alert the stored windows add up to, if any.
pub(crate) fn current_alert(windows: &[StoredWindow], config: &ScoringConfig) -> Option<Alert> {
    let plain: Vec<_> = windows.iter().map(|w| w.window.clone()).collect();
    let summaries = daily_summaries(&plain, config);
    let summary = latest_exposure(&summaries, config)?;
    let day_windows = windows
        .iter()
        .filter(|w| w.window.day == summary.day && counts(w, config));

    let mut level = ContactLevel::F2;
    let mut seconds = 0u64;
    let mut min_attenuation_db = u8::MAX;
    let mut keys = BTreeSet::new();
    for stored in day_windows {
        if stored.window.report_type != ReportType::Recursive {
            level = ContactLevel::F1;
        }
        for scan in &stored.window.scan_instances {
            seconds += u64::from(scan.seconds_since_last_scan);
            min_attenuation_db = min_attenuation_db.min(scan.typical_attenuation_db);
        }
        keys.insert(hex::encode(stored.key));
    }
    Some(Alert {
        level,
        day: summary.day,
        date: date_string(i64::from(summary.day)),
        score: summary.score,
        weighted_minutes: (summary.score / 60.0 * 10.0).round() / 10.0,
        minutes: seconds as f64 / 60.0,
        min_attenuation_db,
        matched_keys: keys.into_iter().collect(),
    })
}

/// Whether `after` is news compared with `before`: a new day, a new level or a higher score.
pub(crate) fn is_new(before: Option<&Alert>, after: Option<&Alert>) -> bool {
    match (before, after) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(b), Some(a)) => a.day != b.day || a.level != b.level || a.score > b.score,
    }
}

#[cfg(test)]
mod tests {
    use phongdich_exposure::scoring::{CalibrationConfidence, ExposureWindow, ScanInstance};

    use super::*;

    fn stored(key: u8, day: u32, report_type: ReportType, scans: &[(u8, u32)]) -> StoredWindow {
        StoredWindow {
            key: [key; 16],
            window: ExposureWindow {
                day,
                report_type,
                infectiousness: Infectiousness::High,
                calibration_confidence: CalibrationConfidence::Medium,
                scan_instances: scans
                    .iter()
                    .map(|&(db, secs)| ScanInstance {
                        typical_attenuation_db: db,
                        min_attenuation_db: db,
                        seconds_since_last_scan: secs,
                    })
                    .collect(),
            },
        }
    }

    fn config() -> ScoringConfig {
        let mut config = ScoringConfig::default();
        config.report_type_weights.recursive = 1.0;
        config
    }

    #[test]
    fn latest_exposed_day_wins() {
        let windows = [
            stored(1, 100, ReportType::ConfirmedTest, &[(20, 900)]),
            stored(2, 102, ReportType::ConfirmedTest, &[(45, 600), (40, 300)]),
            // Day 103 is below the threshold: 300 s near = 300.
            stored(3, 103, ReportType::ConfirmedTest, &[(45, 300)]),
        ];
        let alert = current_alert(&windows, &config()).unwrap();
        assert_eq!(alert.day, 102);
        assert_eq!(alert.date, "1970-04-13");
        assert_eq!(alert.level, ContactLevel::F1);
        assert_eq!(alert.score, 900.0);
        assert_eq!(alert.weighted_minutes, 15.0);
        assert_eq!(alert.minutes, 15.0);
        assert_eq!(alert.min_attenuation_db, 40);
        assert_eq!(alert.matched_keys, [hex::encode([2u8; 16])]);
    }

    #[test]
    fn recursive_only_day_is_f2() {
        let windows = [
            stored(4, 50, ReportType::Recursive, &[(20, 700)]),
            stored(5, 50, ReportType::Recursive, &[(55, 600)]),
        ];
        let alert = current_alert(&windows, &config()).unwrap();
        assert_eq!(alert.level, ContactLevel::F2);
        // 700 × 1.5 + 600 × 0.5.
        assert_eq!(alert.score, 1_350.0);
        assert_eq!(alert.weighted_minutes, 22.5);
        assert_eq!(alert.matched_keys.len(), 2);

        let mut mixed = windows.to_vec();
        mixed.push(stored(6, 50, ReportType::SelfReport, &[(70, 60)]));
        let alert = current_alert(&mixed, &config()).unwrap();
        assert_eq!(alert.level, ContactLevel::F1);
        assert_eq!(alert.min_attenuation_db, 20);
    }

    #[test]
    fn no_exposed_day_no_alert() {
        let windows = [stored(1, 100, ReportType::ConfirmedTest, &[(45, 899)])];
        assert_eq!(current_alert(&windows, &config()), None);
        assert_eq!(current_alert(&[], &config()), None);
    }

    #[test]
    fn news() {
        let windows = [stored(1, 100, ReportType::ConfirmedTest, &[(20, 900)])];
        let a = current_alert(&windows, &config()).unwrap();
        let higher = Alert {
            score: a.score + 1.0,
            ..a.clone()
        };
        assert!(is_new(None, Some(&a)));
        assert!(!is_new(Some(&a), Some(&a)));
        assert!(is_new(Some(&a), Some(&higher)));
        assert!(!is_new(Some(&higher), Some(&a)));
        assert!(!is_new(Some(&a), None));
    }
}
