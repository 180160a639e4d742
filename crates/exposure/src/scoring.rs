//! Exposure Notification v2 risk scoring: exposure windows → weighted seconds → daily summaries.
//!
//! The framework reports each contact with a diagnosis key as exposure windows of up to 30
//! minutes of scans. Each scan's duration is weighted by how close the other phone was (four
//! attenuation buckets), the window by how the key's owner was diagnosed and how infectious
//! they were that day, and the windows of one UTC day are summed. The unit is the weighted
//! second: 15 minutes with every weight at 1.0 scores 900.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::export::ReportType;

/// One Bluetooth scan of a few seconds in which a diagnosis key's identifiers were heard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanInstance {
    /// Aggregate (rounded mean) attenuation of the beacons of this scan, in dB; what scoring uses.
    pub typical_attenuation_db: u8,
    /// Minimum attenuation in the scan, in dB.
    pub min_attenuation_db: u8,
    /// Seconds since the previous scan: the duration this scan stands for.
    pub seconds_since_last_scan: u32,
}

/// How infectious the key's owner was on the key's day, from the days-since-onset mapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Infectiousness {
    /// Not infectious: the framework drops such windows, and so does scoring.
    None,
    /// Infectious.
    Standard,
    /// Around symptom onset, most infectious.
    High,
}

/// How well the other phone's TX power is calibrated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CalibrationConfidence {
    /// No calibration data.
    Lowest,
    /// Calibrated from the manufacturer's model family.
    Low,
    /// Calibrated for the model.
    Medium,
    /// Calibrated for the model, measured.
    High,
}

/// Up to 30 minutes of scans of one diagnosis key on one UTC day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExposureWindow {
    /// The UTC day, as whole days since the Unix epoch.
    pub day: u32,
    /// How the key's owner was diagnosed.
    pub report_type: ReportType,
    /// How infectious the key's owner was that day.
    pub infectiousness: Infectiousness,
    /// How trustworthy the attenuations are.
    pub calibration_confidence: CalibrationConfidence,
    /// The scans, in time order.
    pub scan_instances: Vec<ScanInstance>,
}

/// Weights per report type; unknown and revoked keys never count.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportTypeWeights {
    /// Positive test.
    pub confirmed_test: f64,
    /// Clinical diagnosis.
    pub confirmed_clinical_diagnosis: f64,
    /// Self report.
    pub self_report: f64,
    /// Reserved by the protocol; 0 by default, so such keys do not count.
    pub recursive: f64,
}

impl Default for ReportTypeWeights {
    fn default() -> Self {
        Self {
            confirmed_test: 1.0,
            confirmed_clinical_diagnosis: 1.0,
            self_report: 1.0,
            recursive: 0.0,
        }
    }
}

/// Weights per infectiousness; `None` never counts.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InfectiousnessWeights {
    /// Standard infectiousness.
    pub standard: f64,
    /// High infectiousness.
    pub high: f64,
}

impl Default for InfectiousnessWeights {
    fn default() -> Self {
        Self {
            standard: 1.0,
            high: 1.0,
        }
    }
}

/// The scoring parameters a health authority sets; a disease profile carries them.
///
/// Every field has a default, so a profile need only name what it changes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScoringConfig {
    /// Upper bounds, inclusive, of the immediate, near and medium buckets in dB; above the
    /// last is "other". Must not decrease.
    pub attenuation_thresholds_db: [u8; 3],
    /// Weights of the immediate, near, medium and other buckets, each 0..=2.5.
    pub attenuation_weights: [f64; 4],
    /// Weights per infectiousness, each 0..=2.5.
    pub infectiousness_weights: InfectiousnessWeights,
    /// Weights per report type, each 0..=2.5.
    pub report_type_weights: ReportTypeWeights,
    /// Windows scoring below this are ignored.
    pub minimum_window_score: f64,
    /// A day whose summed score reaches this is an exposure, in weighted seconds.
    pub daily_score_threshold: f64,
}

impl Default for ScoringConfig {
    /// The Exposure Notifications Express defaults (30/50/60 dB; 150/100/50/0 %; all report
    /// type and infectiousness weights 100 %; minimum window score 0), with a daily threshold
    /// of 900 weighted seconds: 15 minutes of near contact, the classic close-contact rule.
    /// ENX leaves that threshold to the health authority.
    fn default() -> Self {
        Self {
            attenuation_thresholds_db: [30, 50, 60],
            attenuation_weights: [1.5, 1.0, 0.5, 0.0],
            infectiousness_weights: InfectiousnessWeights::default(),
            report_type_weights: ReportTypeWeights::default(),
            minimum_window_score: 0.0,
            daily_score_threshold: 900.0,
        }
    }
}

/// Why a scoring configuration is unusable.
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum ScoringConfigError {
    /// The attenuation thresholds decrease.
    #[error("attenuation thresholds must not decrease")]
    ThresholdsDecrease,
    /// A weight is outside 0..=2.5 (or not a number).
    #[error("weight {0} must be between 0 and 2.5")]
    WeightOutOfRange(&'static str),
    /// A score threshold is negative or not a number.
    #[error("{0} must be a non-negative number")]
    NegativeThreshold(&'static str),
}

impl ScoringConfig {
    /// The largest weight the framework accepts.
    pub const MAX_WEIGHT: f64 = 2.5;

    /// Checks the ranges the framework enforces, so a bad profile fails when loaded rather
    /// than scoring silently wrong.
    pub fn validate(&self) -> Result<(), ScoringConfigError> {
        let [t0, t1, t2] = self.attenuation_thresholds_db;
        if t0 > t1 || t1 > t2 {
            return Err(ScoringConfigError::ThresholdsDecrease);
        }
        let [w0, w1, w2, w3] = self.attenuation_weights;
        let r = &self.report_type_weights;
        let i = &self.infectiousness_weights;
        let weights = [
            ("attenuation_weights[0]", w0),
            ("attenuation_weights[1]", w1),
            ("attenuation_weights[2]", w2),
            ("attenuation_weights[3]", w3),
            ("infectiousness_weights.standard", i.standard),
            ("infectiousness_weights.high", i.high),
            ("report_type_weights.confirmed_test", r.confirmed_test),
            (
                "report_type_weights.confirmed_clinical_diagnosis",
                r.confirmed_clinical_diagnosis,
            ),
            ("report_type_weights.self_report", r.self_report),
            ("report_type_weights.recursive", r.recursive),
        ];
        if let Some((name, _)) = weights
            .iter()
            .find(|(_, w)| !(0.0..=Self::MAX_WEIGHT).contains(w))
        {
            return Err(ScoringConfigError::WeightOutOfRange(name));
        }
        for (name, t) in [
            ("minimum_window_score", self.minimum_window_score),
            ("daily_score_threshold", self.daily_score_threshold),
        ] {
            if t.is_nan() || t < 0.0 {
                return Err(ScoringConfigError::NegativeThreshold(name));
            }
        }
        Ok(())
    }

    fn attenuation_weight(&self, attenuation_db: u8) -> f64 {
        let [t0, t1, t2] = self.attenuation_thresholds_db;
        let [immediate, near, medium, other] = self.attenuation_weights;
        match attenuation_db {
            a if a <= t0 => immediate,
            a if a <= t1 => near,
            a if a <= t2 => medium,
            _ => other,
        }
    }

    fn report_type_weight(&self, report_type: ReportType) -> f64 {
        let w = &self.report_type_weights;
        match report_type {
            ReportType::ConfirmedTest => w.confirmed_test,
            ReportType::ConfirmedClinicalDiagnosis => w.confirmed_clinical_diagnosis,
            ReportType::SelfReport => w.self_report,
            ReportType::Recursive => w.recursive,
            ReportType::Unknown | ReportType::Revoked => 0.0,
        }
    }

    fn infectiousness_weight(&self, infectiousness: Infectiousness) -> f64 {
        match infectiousness {
            Infectiousness::None => 0.0,
            Infectiousness::Standard => self.infectiousness_weights.standard,
            Infectiousness::High => self.infectiousness_weights.high,
        }
    }
}

/// Scan durations weighted by attenuation bucket, in weighted seconds.
pub fn weighted_duration(window: &ExposureWindow, config: &ScoringConfig) -> f64 {
    window
        .scan_instances
        .iter()
        .map(|s| {
            f64::from(s.seconds_since_last_scan)
                * config.attenuation_weight(s.typical_attenuation_db)
        })
        .sum()
}

/// A window's score: its weighted duration times the report type and infectiousness weights.
pub fn window_score(window: &ExposureWindow, config: &ScoringConfig) -> f64 {
    weighted_duration(window, config)
        * config.report_type_weight(window.report_type)
        * config.infectiousness_weight(window.infectiousness)
}

/// The scores of one UTC day.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct DailySummary {
    /// The UTC day, as whole days since the Unix epoch.
    pub day: u32,
    /// Sum of the day's window scores.
    pub score: f64,
    /// Highest single window score of the day.
    pub max_window_score: f64,
    /// Sum of the day's weighted durations (before report type and infectiousness weights).
    pub weighted_duration_seconds: f64,
}

/// Sums windows per UTC day, oldest day first.
///
/// Windows of non-infectious, unknown-type or revoked keys are left out, as the framework never
/// reports them, and so are windows scoring below `minimum_window_score`; a day with no window
/// left has no summary.
pub fn daily_summaries(windows: &[ExposureWindow], config: &ScoringConfig) -> Vec<DailySummary> {
    let mut days: BTreeMap<u32, DailySummary> = BTreeMap::new();
    for window in windows {
        let excluded = window.infectiousness == Infectiousness::None
            || matches!(
                window.report_type,
                ReportType::Unknown | ReportType::Revoked
            );
        let score = window_score(window, config);
        if excluded || score < config.minimum_window_score {
            continue;
        }
        let day = days.entry(window.day).or_insert(DailySummary {
            day: window.day,
            score: 0.0,
            max_window_score: 0.0,
            weighted_duration_seconds: 0.0,
        });
        day.score += score;
        day.max_window_score = day.max_window_score.max(score);
        day.weighted_duration_seconds += weighted_duration(window, config);
    }
    days.into_values().collect()
}

/// Whether a day's summed score reaches the configured threshold.
pub fn is_exposed(summary: &DailySummary, config: &ScoringConfig) -> bool {
    summary.score >= config.daily_score_threshold
}

/// The most recent day that counts as an exposure, the one a notification should name.
pub fn latest_exposure<'a>(
    summaries: &'a [DailySummary],
    config: &ScoringConfig,
) -> Option<&'a DailySummary> {
    summaries
        .iter()
        .filter(|s| is_exposed(s, config))
        .max_by_key(|s| s.day)
}
