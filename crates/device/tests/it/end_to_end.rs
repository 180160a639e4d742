//! Phones meet, one of them tests positive and shares its keys, the health authority publishes
//! a signed key file, and the others ingest it.

use p256::ecdsa::SigningKey;
use phongdich_device::{meet, Alert, ContactLevel, Device, DeviceError};
use phongdich_exposure::export::{DiagnosisKey, ReportType};
use phongdich_exposure::scoring::ScoringConfig;

use crate::{export, phone, shared_keys, verifier, DAY, DAY0, T0};

const LATER: i64 = T0 + 6 * 3_600;

fn alert(device: &Device) -> Alert {
    device.status().alert.expect("an alert")
}

#[test]
fn twenty_minutes_near_a_case_is_an_f1_alert() {
    let (_a_dir, mut a) = phone();
    let (_b_dir, mut b) = phone();
    let (_c_dir, mut c) = phone();
    meet(&mut a, &mut b, T0, 20, 55).unwrap();
    meet(&mut a, &mut c, T0 + 2 * 3_600, 2, 80).unwrap();
    assert_eq!(b.status().encounters, 20);
    assert_eq!(c.status().encounters, 2);

    let keys = shared_keys(&mut a, LATER, ReportType::ConfirmedTest, Some(0));
    assert_eq!(keys.len(), 1);
    let file = export(&keys);

    let outcome = b
        .ingest_export("exports/1-00001.zip", &file, &verifier(), LATER)
        .unwrap();
    assert_eq!(outcome.keys, 1);
    assert_eq!(outcome.matched_keys, 1);
    assert!(outcome.new_alert);
    let alert = alert(&b);
    assert_eq!(alert.level, ContactLevel::F1);
    assert_eq!(alert.day, DAY0);
    assert_eq!(alert.date, "2025-11-30");
    // 55 dB is the near bucket (30 < a ≤ 55), weight 1.0: 20 × 60 s × 1.0.
    assert_eq!(alert.score, 1_200.0);
    assert_eq!(alert.weighted_minutes, 20.0);
    assert_eq!(alert.minutes, 20.0);
    assert_eq!(alert.min_attenuation_db, 55);
    assert_eq!(alert.matched_keys, [hex::encode(keys[0].key_data)]);

    // C heard A too, but only 2 minutes at 80 dB (weight 0): a match without an alert.
    let outcome = c
        .ingest_export("exports/1-00001.zip", &file, &verifier(), LATER)
        .unwrap();
    assert_eq!(outcome.matched_keys, 1);
    assert!(!outcome.new_alert);
    assert_eq!(c.status().alert, None);

    // The same file again, under another name, changes nothing: keys replace their windows.
    let again = b
        .ingest_export("exports/2-00001.zip", &file, &verifier(), LATER)
        .unwrap();
    assert!(!again.new_alert);
    assert_eq!(b.status().alert.unwrap().score, 1_200.0);
    assert_eq!(b.status().exports_processed, 2);
}

#[test]
fn a_file_signed_by_another_key_changes_nothing() {
    let (_a_dir, mut a) = phone();
    let (_b_dir, mut b) = phone();
    meet(&mut a, &mut b, T0, 20, 55).unwrap();
    let file = export(&shared_keys(
        &mut a,
        LATER,
        ReportType::ConfirmedTest,
        Some(0),
    ));
    let before = b.status();
    let stranger = *SigningKey::from_bytes(&[8; 32].into())
        .unwrap()
        .verifying_key();

    // Even a day later (which would rotate keys), a rejected file changes nothing.
    let err = b
        .ingest_export("exports/1-00001.zip", &file, &stranger, LATER + DAY)
        .unwrap_err();
    assert!(matches!(err, DeviceError::Export(_)), "{err}");
    let mut tampered = file.clone();
    let middle = tampered.len() / 2;
    tampered[middle] ^= 1;
    let err = b
        .ingest_export("exports/1-00001.zip", &tampered, &verifier(), LATER)
        .unwrap_err();
    assert!(matches!(err, DeviceError::Export(_)), "{err}");
    assert_eq!(b.status(), before);
    assert_eq!(
        b.pending_exports("exports/1-00001.zip"),
        ["exports/1-00001.zip"]
    );

    b.ingest_export("exports/1-00001.zip", &file, &verifier(), LATER)
        .unwrap();
    assert_eq!(alert(&b).level, ContactLevel::F1);
}

#[test]
fn keys_of_an_f1_who_reports_give_an_f2_alert() {
    let (_a_dir, mut a) = phone();
    let (_b_dir, mut b) = phone();
    meet(&mut a, &mut b, T0, 20, 55).unwrap();
    let recursive = export(&shared_keys(&mut a, LATER, ReportType::Recursive, None));
    let outcome = b
        .ingest_export("exports/1-00001.zip", &recursive, &verifier(), LATER)
        .unwrap();
    assert!(outcome.new_alert);
    let f2 = alert(&b);
    assert_eq!(f2.level, ContactLevel::F2);
    assert_eq!(f2.score, 1_200.0);

    // With the default weights recursive keys count for nothing: no F2 alerts at all.
    let mut config = b.config().clone();
    config.scoring.report_type_weights = ScoringConfig::default().report_type_weights;
    b.set_config(config).unwrap();
    assert_eq!(b.status().alert, None);
}

#[test]
fn an_f1_level_outranks_f2_on_the_same_day() {
    let (_a_dir, mut a) = phone();
    let (_d_dir, mut d) = phone();
    let (_b_dir, mut b) = phone();
    meet(&mut a, &mut b, T0, 20, 55).unwrap();
    meet(&mut d, &mut b, T0 + 3_600, 5, 55).unwrap();
    let f1 = export(&shared_keys(&mut a, LATER, ReportType::Recursive, None));
    b.ingest_export("f2.zip", &f1, &verifier(), LATER).unwrap();
    assert_eq!(alert(&b).level, ContactLevel::F2);
    let case = export(&shared_keys(
        &mut d,
        LATER,
        ReportType::ConfirmedTest,
        Some(1),
    ));
    let outcome = b
        .ingest_export("f1.zip", &case, &verifier(), LATER)
        .unwrap();
    assert!(outcome.new_alert, "the level changed");
    let alert = alert(&b);
    assert_eq!(alert.level, ContactLevel::F1);
    assert_eq!(alert.score, 1_500.0);
    assert_eq!(alert.minutes, 25.0);
    assert_eq!(alert.matched_keys.len(), 2);
}

#[test]
fn a_second_file_adds_to_the_same_day() {
    let (_a_dir, mut a) = phone();
    let (_d_dir, mut d) = phone();
    let (_b_dir, mut b) = phone();
    // Two short contacts with two different cases: 10 minutes each, at 20 dB (weight 1.5)
    // and at 60 dB (medium, weight 0.5).
    meet(&mut a, &mut b, T0, 5, 20).unwrap();
    meet(&mut d, &mut b, T0 + 3_600, 20, 60).unwrap();
    let first = export(&shared_keys(
        &mut a,
        LATER,
        ReportType::ConfirmedTest,
        Some(2),
    ));
    let outcome = b
        .ingest_export("1.zip", &first, &verifier(), LATER)
        .unwrap();
    assert_eq!(outcome.matched_keys, 1);
    assert!(!outcome.new_alert, "300 s × 1.5 = 450 is below 900");
    let second = export(&shared_keys(&mut d, LATER, ReportType::SelfReport, None));
    let outcome = b
        .ingest_export("2.zip", &second, &verifier(), LATER)
        .unwrap();
    assert!(outcome.new_alert);
    let alert = alert(&b);
    // 450 + 1 200 s × 0.5 = 1 050.
    assert_eq!(alert.score, 1_050.0);
    assert_eq!(alert.weighted_minutes, 17.5);
    assert_eq!(alert.minutes, 25.0);
    assert_eq!(alert.min_attenuation_db, 20);
}

#[test]
fn long_contacts_are_cut_into_windows_and_scored_in_full() {
    let (_a_dir, mut a) = phone();
    let (_b_dir, mut b) = phone();
    meet(&mut a, &mut b, T0, 95, 25).unwrap();
    let file = export(&shared_keys(
        &mut a,
        LATER,
        ReportType::ConfirmedTest,
        Some(0),
    ));
    b.ingest_export("1.zip", &file, &verifier(), LATER).unwrap();
    let alert = alert(&b);
    assert_eq!(alert.score, 95.0 * 60.0 * 1.5);
    assert_eq!(alert.minutes, 95.0);
}

#[test]
fn revoked_and_non_infectious_keys_do_not_alert() {
    let (_a_dir, mut a) = phone();
    let (_b_dir, mut b) = phone();
    meet(&mut a, &mut b, T0, 20, 55).unwrap();
    // Ten days before onset is not infectious in the ENX map.
    let early = export(&shared_keys(
        &mut a,
        LATER,
        ReportType::ConfirmedTest,
        Some(-10),
    ));
    let outcome = b
        .ingest_export("early.zip", &early, &verifier(), LATER)
        .unwrap();
    assert_eq!(outcome.matched_keys, 1);
    assert_eq!(b.status().alert, None);

    let confirmed = export(&shared_keys(
        &mut a,
        LATER,
        ReportType::ConfirmedTest,
        Some(0),
    ));
    b.ingest_export("confirmed.zip", &confirmed, &verifier(), LATER)
        .unwrap();
    assert!(b.status().alert.is_some());
    // A negative follow-up test revokes the key: the alert goes.
    let revoked = export(&shared_keys(&mut a, LATER, ReportType::Revoked, None));
    let outcome = b
        .ingest_export("revoked.zip", &revoked, &verifier(), LATER)
        .unwrap();
    assert!(!outcome.new_alert);
    assert_eq!(b.status().alert, None);
}

#[test]
fn sightings_count_only_near_their_interval() {
    let (_a_dir, mut a) = phone();
    let (_b_dir, mut b) = phone();
    let payload = a.advertisement(T0);
    // Heard one interval late (a phone clock ten minutes off): counted. Three intervals late
    // (a replayed identifier): ignored.
    for minute in 0..10 {
        b.record_sighting(T0 + 600 + minute * 60, &payload, -55, 60)
            .unwrap();
        b.record_sighting(T0 + 1_800 + minute * 60, &payload, -20, 60)
            .unwrap();
    }
    let file = export(&shared_keys(
        &mut a,
        LATER,
        ReportType::ConfirmedTest,
        Some(0),
    ));
    let outcome = b.ingest_export("1.zip", &file, &verifier(), LATER).unwrap();
    assert_eq!(outcome.matched_keys, 1);
    assert_eq!(b.status().alert, None, "600 weighted seconds only");
    let mut config = b.config().clone();
    config.scoring.daily_score_threshold = 600.0;
    b.set_config(config).unwrap();
    let alert = alert(&b);
    assert_eq!((alert.score, alert.min_attenuation_db), (600.0, 55));
}

#[test]
fn alerts_expire_with_the_retention_period() {
    let (_a_dir, mut a) = phone();
    let (_b_dir, mut b) = phone();
    meet(&mut a, &mut b, T0, 20, 55).unwrap();
    let file = export(&shared_keys(
        &mut a,
        LATER,
        ReportType::ConfirmedTest,
        Some(0),
    ));
    b.ingest_export("1.zip", &file, &verifier(), LATER).unwrap();
    b.rotate(T0 + 14 * DAY);
    assert!(b.status().alert.is_some());
    b.rotate(T0 + 15 * DAY);
    assert_eq!(b.status().alert, None);
    assert_eq!(b.status().encounters, 0);
}

#[test]
fn a_crowded_log_and_a_large_file() {
    let (_a_dir, mut a) = phone();
    let (_b_dir, mut b) = phone();
    // 10 000 sightings of strangers over the past days, then the contact with the case.
    for i in 0..10_000u32 {
        let mut payload = [0u8; 20];
        payload[..4].copy_from_slice(&i.to_le_bytes());
        payload[4..8].copy_from_slice(&(i.wrapping_mul(2_654_435_761)).to_le_bytes());
        let at = T0 - 5 * DAY + i64::from(i) * 40;
        b.record_sighting(at, &payload, -70, 60).unwrap();
    }
    meet(&mut a, &mut b, T0, 16, 40).unwrap();
    let mut keys: Vec<DiagnosisKey> = (0..2_000u32)
        .map(|i| {
            let mut key_data = [0x5a; 16];
            key_data[..4].copy_from_slice(&i.to_be_bytes());
            DiagnosisKey {
                key_data,
                rolling_start_interval_number: (T0 / 600) as u32 / 144 * 144 - 144 * (i % 14),
                rolling_period: 144,
                transmission_risk_level: 0,
                report_type: Some(ReportType::ConfirmedTest),
                days_since_onset_of_symptoms: Some(1),
            }
        })
        .collect();
    keys.extend(shared_keys(
        &mut a,
        LATER,
        ReportType::ConfirmedTest,
        Some(1),
    ));
    let outcome = b
        .ingest_export("big.zip", &export(&keys), &verifier(), LATER)
        .unwrap();
    assert_eq!((outcome.keys, outcome.matched_keys), (2_001, 1));
    assert_eq!(b.status().encounters, 10_016);
    assert_eq!(alert(&b).score, 960.0);
}
