use base64::Engine as _;

use super::*;

/// 2026-11-29 10:00 UTC.
fn now() -> Timestamp {
    "2026-11-29T10:00:00Z".parse().unwrap()
}

/// The first interval of the UTC day `days_ago` days before `now()`.
fn day_start(days_ago: u32) -> i64 {
    i64::from(en_interval_number(now().as_second()) / 144 * 144 - days_ago * 144)
}

fn key(byte: u8, start: i64, period: i64) -> KeyForm {
    KeyForm {
        key: base64::engine::general_purpose::STANDARD.encode([byte; 16]),
        rolling_start_number: start,
        rolling_period: period,
        transmission_risk: 0,
    }
}

fn form(keys: Vec<KeyForm>) -> UploadForm {
    UploadForm {
        token: "t".into(),
        keys,
        symptom_onset_date: None,
        padding: Some("AAAA".into()),
    }
}

fn rules() -> UploadRules {
    UploadRules {
        now: now(),
        max_keys: 30,
        retention_days: 14,
        max_days_from_onset: 14,
        report_type: ReportType::ConfirmedTest,
        onset_date: None,
    }
}

fn codes(err: Invalid) -> Vec<(String, &'static str)> {
    err.0.into_iter().map(|e| (e.field, e.code)).collect()
}

#[test]
fn fourteen_days_of_keys_pass_and_todays_is_embargoed_until_it_expires() {
    let keys = (0..14)
        .map(|d| key(d as u8 + 1, day_start(d), 144))
        .collect();
    let accepted = validate_upload(&form(keys), &rules()).unwrap();
    assert_eq!(accepted.len(), 14);
    let today = accepted
        .iter()
        .find(|k| i64::from(k.key.rolling_start_interval_number) == day_start(0))
        .unwrap();
    // Today's key expires at midnight UTC; it is released an hour later.
    assert_eq!(today.available_at, "2026-11-30T01:00:00Z".parse().unwrap());
    let yesterday = accepted
        .iter()
        .find(|k| i64::from(k.key.rolling_start_interval_number) == day_start(1))
        .unwrap();
    assert_eq!(yesterday.available_at, now());
    assert_eq!(yesterday.key.report_type, Some(ReportType::ConfirmedTest));
    assert_eq!(yesterday.key.transmission_risk_level, 2);
}

#[test]
fn bad_keys_are_named_one_by_one() {
    let mut short = key(1, day_start(1), 144);
    short.key = base64::engine::general_purpose::STANDARD.encode([1u8; 15]);
    let err = validate_upload(
        &form(vec![
            short,
            key(2, day_start(2), 145),
            key(3, day_start(0) + 200, 144),
            key(4, day_start(20), 144),
            key(5, -1, 144),
        ]),
        &rules(),
    )
    .unwrap_err();
    assert_eq!(
        codes(err),
        [
            ("keys[0].key".into(), "key_malformed"),
            ("keys[1].rolling_period".into(), "rolling_period_range"),
            ("keys[2].rolling_start_number".into(), "key_from_future"),
            ("keys[3].rolling_start_number".into(), "key_too_old"),
            ("keys[4].rolling_start_number".into(), "rolling_start_range"),
        ]
    );
}

#[test]
fn overlaps_duplicates_and_counts_are_refused() {
    let err = validate_upload(
        &form(vec![
            key(1, day_start(2), 144),
            key(2, day_start(2) + 100, 144),
        ]),
        &rules(),
    )
    .unwrap_err();
    assert_eq!(codes(err)[0].1, "keys_overlap");
    let err = validate_upload(
        &form(vec![key(1, day_start(2), 144), key(1, day_start(3), 144)]),
        &rules(),
    )
    .unwrap_err();
    assert_eq!(codes(err)[0].1, "key_duplicate");
    // Up to three keys may share a start (a key ended early and a new one begun).
    let same: Vec<_> = (1..=3).map(|b| key(b, day_start(1), 10)).collect();
    assert_eq!(validate_upload(&form(same), &rules()).unwrap().len(), 3);
    let four: Vec<_> = (1..=4).map(|b| key(b, day_start(1), 10)).collect();
    assert_eq!(
        codes(validate_upload(&form(four), &rules()).unwrap_err())[0].1,
        "keys_same_start"
    );
    assert_eq!(
        codes(validate_upload(&form(vec![]), &rules()).unwrap_err())[0].1,
        "keys_count"
    );
    let many: Vec<_> = (0..31).map(|b| key(b, day_start(1), 144)).collect();
    assert_eq!(
        codes(validate_upload(&form(many), &rules()).unwrap_err())[0].1,
        "keys_count"
    );
}

#[test]
fn days_since_onset_come_from_the_officials_date_first() {
    let mut f = form(
        (0..14)
            .map(|d| key(d as u8 + 1, day_start(d), 144))
            .collect(),
    );
    f.symptom_onset_date = Some("2026-11-27".into());
    let accepted = validate_upload(&f, &rules()).unwrap();
    let days = |k: &AcceptedKey| k.key.days_since_onset_of_symptoms.unwrap();
    let mut all: Vec<_> = accepted.iter().map(days).collect();
    all.sort_unstable();
    assert_eq!(all, (-11..=2).collect::<Vec<_>>());

    let mut official = rules();
    official.onset_date = Some("2026-11-10".parse().unwrap());
    let accepted = validate_upload(&f, &official).unwrap();
    // Keys more than 14 days from onset (before 2026-10-27 or after 2026-11-24) are dropped.
    assert_eq!(accepted.len(), 9);
    assert!(accepted.iter().all(|k| days(k).abs() <= 14));

    f.symptom_onset_date = Some("2026-12-01".into());
    assert_eq!(
        codes(validate_upload(&f, &rules()).unwrap_err())[0].1,
        "onset_out_of_range"
    );
    f.symptom_onset_date = Some("yesterday".into());
    assert_eq!(
        codes(validate_upload(&f, &rules()).unwrap_err())[0].1,
        "date_malformed"
    );
}

proptest::proptest! {
    /// The fuzz target's property on every `cargo test`: arbitrary keys never panic the
    /// validation, and what passes is within the protocol's ranges.
    #[test]
    fn arbitrary_uploads_never_panic(
        raw in proptest::collection::vec(
            (proptest::collection::vec(proptest::num::u8::ANY, 0..20), proptest::num::i64::ANY, -5i64..200, -3i64..12),
            0..40,
        ),
        onset in proptest::option::of("[0-9-]{0,12}"),
    ) {
        let keys = raw
            .into_iter()
            .map(|(bytes, start, period, risk)| KeyForm {
                key: base64::engine::general_purpose::STANDARD.encode(bytes),
                rolling_start_number: if start % 2 == 0 { day_start((start.unsigned_abs() % 20) as u32) } else { start },
                rolling_period: period,
                transmission_risk: risk,
            })
            .collect();
        let mut f = form(keys);
        f.symptom_onset_date = onset;
        if let Ok(accepted) = validate_upload(&f, &rules()) {
            for k in accepted {
                proptest::prop_assert!((1..=144).contains(&k.key.rolling_period));
                proptest::prop_assert!(i64::from(k.key.rolling_start_interval_number) <= day_start(0) + 144);
            }
        }
    }
}
