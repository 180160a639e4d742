//! EN v2 scoring against sums worked out by hand from the formula (gaen.md §5.3).

use phongdich_exposure::export::ReportType;
use phongdich_exposure::scoring::{
    daily_summaries, is_exposed, latest_exposure, weighted_duration, window_score,
    CalibrationConfidence, DailySummary, ExposureWindow, Infectiousness, ScanInstance,
    ScoringConfig, ScoringConfigError,
};

fn scan(attenuation: u8, seconds: u32) -> ScanInstance {
    ScanInstance {
        typical_attenuation_db: attenuation,
        min_attenuation_db: attenuation.saturating_sub(3),
        seconds_since_last_scan: seconds,
    }
}

fn window(day: u32, report_type: ReportType, scans: Vec<ScanInstance>) -> ExposureWindow {
    ExposureWindow {
        day,
        report_type,
        infectiousness: Infectiousness::High,
        calibration_confidence: CalibrationConfidence::Medium,
        scan_instances: scans,
    }
}

/// One scan in every bucket, and each threshold value itself (upper bounds are inclusive).
fn mixed() -> ExposureWindow {
    window(
        18_000,
        ReportType::ConfirmedTest,
        vec![
            scan(25, 300), // immediate
            scan(30, 300), // immediate: 30 ≤ t0
            scan(31, 200), // near
            scan(50, 100), // near: 50 ≤ t1
            scan(55, 120), // medium
            scan(60, 60),  // medium: 60 ≤ t2
            scan(61, 600), // other
        ],
    )
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn defaults_are_the_enx_ones() {
    let c = ScoringConfig::default();
    assert_eq!(c.attenuation_thresholds_db, [30, 50, 60]);
    assert_eq!(c.attenuation_weights, [1.5, 1.0, 0.5, 0.0]);
    assert_eq!(c.infectiousness_weights.standard, 1.0);
    assert_eq!(c.infectiousness_weights.high, 1.0);
    assert_eq!(c.report_type_weights.confirmed_test, 1.0);
    assert_eq!(c.report_type_weights.confirmed_clinical_diagnosis, 1.0);
    assert_eq!(c.report_type_weights.self_report, 1.0);
    assert_eq!(c.minimum_window_score, 0.0);
    assert_eq!(c.validate(), Ok(()));
}

#[test]
fn fifteen_minutes_at_weight_one_is_900() {
    let c = ScoringConfig::default();
    let w = window(1, ReportType::ConfirmedTest, vec![scan(40, 300); 3]);
    assert!(close(window_score(&w, &c), 900.0));
}

#[test]
fn buckets_with_default_weights() {
    // immediate 600 s × 1.5 = 900; near 300 s × 1.0 = 300; medium 180 s × 0.5 = 90; other × 0.
    let c = ScoringConfig::default();
    assert!(close(weighted_duration(&mixed(), &c), 1290.0));
    assert!(close(window_score(&mixed(), &c), 1290.0));
}

#[test]
fn report_type_and_infectiousness_weights_multiply() {
    let mut c = ScoringConfig::default();
    c.report_type_weights.self_report = 0.6;
    c.infectiousness_weights.standard = 0.8;
    let mut w = mixed();
    w.report_type = ReportType::SelfReport;
    w.infectiousness = Infectiousness::Standard;
    // 1290 × 0.6 × 0.8
    assert!(close(window_score(&w, &c), 619.2));
    assert!(close(weighted_duration(&w, &c), 1290.0));

    w.infectiousness = Infectiousness::None;
    assert_eq!(window_score(&w, &c), 0.0);
    w.infectiousness = Infectiousness::High;
    w.report_type = ReportType::Revoked;
    assert_eq!(window_score(&w, &c), 0.0);
}

#[test]
fn daily_sums_and_decision() {
    let c = ScoringConfig::default();
    let mut half = window(18_001, ReportType::ConfirmedTest, vec![scan(40, 300)]);
    half.infectiousness = Infectiousness::Standard;
    let mut dropped = mixed();
    dropped.day = 18_002;
    dropped.infectiousness = Infectiousness::None;
    let windows = vec![
        window(18_001, ReportType::ConfirmedTest, vec![scan(20, 200)]), // 200 × 1.5 = 300
        mixed(),                                                        // 1290
        window(18_000, ReportType::SelfReport, vec![scan(45, 300); 3]), // 900
        half,                                                           // 300
        dropped,
    ];
    let days = daily_summaries(&windows, &c);
    assert_eq!(
        days,
        vec![
            DailySummary {
                day: 18_000,
                score: 2190.0,
                max_window_score: 1290.0,
                weighted_duration_seconds: 2190.0,
            },
            DailySummary {
                day: 18_001,
                score: 600.0,
                max_window_score: 300.0,
                weighted_duration_seconds: 600.0,
            },
        ]
    );
    assert!(is_exposed(&days[0], &c));
    assert!(!is_exposed(&days[1], &c));
    assert_eq!(latest_exposure(&days, &c).map(|d| d.day), Some(18_000));

    let mut strict = c.clone();
    strict.daily_score_threshold = 600.0;
    assert_eq!(latest_exposure(&days, &strict).map(|d| d.day), Some(18_001));

    // A minimum window score drops the small windows before summing.
    let mut picky = c.clone();
    picky.minimum_window_score = 301.0;
    let days = daily_summaries(&windows, &picky);
    assert_eq!(days.len(), 1);
    assert!(close(days[0].score, 2190.0));
}

#[test]
fn config_deserializes_partially_from_a_profile() {
    let c: ScoringConfig = serde_json::from_str(
        r#"{"attenuation_thresholds_db": [30, 50, 70],
            "attenuation_weights": [1.0, 1.0, 1.0, 0.0],
            "report_type_weights": {"self_report": 0.5},
            "daily_score_threshold": 780}"#,
    )
    .unwrap();
    assert_eq!(c.attenuation_thresholds_db, [30, 50, 70]);
    assert_eq!(c.report_type_weights.self_report, 0.5);
    assert_eq!(c.report_type_weights.confirmed_test, 1.0);
    assert_eq!(c.infectiousness_weights.high, 1.0);
    assert_eq!(c.daily_score_threshold, 780.0);
    assert_eq!(c.validate(), Ok(()));

    let unknown = serde_json::from_str::<ScoringConfig>(r#"{"thresholds": [1, 2, 3]}"#);
    assert!(unknown.is_err());

    let bad = ScoringConfig {
        attenuation_thresholds_db: [50, 30, 60],
        ..Default::default()
    };
    assert_eq!(bad.validate(), Err(ScoringConfigError::ThresholdsDecrease));
    let mut bad = ScoringConfig::default();
    bad.infectiousness_weights.high = 3.0;
    assert!(matches!(
        bad.validate(),
        Err(ScoringConfigError::WeightOutOfRange(_))
    ));
    let bad = ScoringConfig {
        daily_score_threshold: f64::NAN,
        ..Default::default()
    };
    assert!(matches!(
        bad.validate(),
        Err(ScoringConfigError::NegativeThreshold(_))
    ));
}
