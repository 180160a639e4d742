//! Own keys and advertisements: one key per UTC day, one identifier per interval, retention.

use phongdich_device::Consent;
use phongdich_exposure::crypto::{aem, aemk, en_interval_number, metadata, rpi, rpik};
use phongdich_exposure::KEY_ROLLING_PERIOD;

use crate::{phone, DAY, T0};

#[test]
fn advertisement_changes_with_the_interval() {
    let (_dir, mut device) = phone();
    let first = device.advertisement(T0);
    assert_eq!(device.advertisement(T0 + 599), first);
    assert_eq!(device.advertisement(T0 + 300), first);
    let next = device.advertisement(T0 + 600);
    assert_ne!(next[..16], first[..16]);
    assert_ne!(next[16..], first[16..]);
    assert_eq!(device.status().own_keys, 1);
}

#[test]
fn advertisement_is_the_rpi_and_aem_of_the_held_key() {
    let (_dir, mut device) = phone();
    let now = T0 + 4_321;
    let payload = device.advertisement(now);
    device.set_consent(Consent {
        share_keys: true,
        report_f1: false,
    });
    let keys = device.keys_to_share(now).unwrap();
    assert_eq!(keys.len(), 1);
    let key = &keys[0];
    assert_eq!(key.rolling_period, KEY_ROLLING_PERIOD);
    assert_eq!(key.rolling_start_interval_number % KEY_ROLLING_PERIOD, 0);
    assert_eq!(
        i64::from(key.rolling_start_interval_number) * 600,
        T0 - 9 * 3_600,
        "the key starts at UTC midnight"
    );
    assert_eq!(key.report_type, None);
    assert_eq!(key.days_since_onset_of_symptoms, None);
    assert_eq!(key.transmission_risk_level, 0);

    let interval = en_interval_number(now);
    let expected_rpi = rpi(&rpik(&key.key_data), interval);
    assert_eq!(payload[..16], expected_rpi);
    let mut sent_aem = [0u8; 4];
    sent_aem.copy_from_slice(&payload[16..]);
    let tx_power = device.config().tx_power_dbm;
    assert_eq!(
        aem(&aemk(&key.key_data), &expected_rpi, &sent_aem),
        metadata(1, 0, tx_power)
    );
}

#[test]
fn a_new_key_each_utc_day() {
    let (_dir, mut device) = phone();
    let midnight = T0 - 9 * 3_600 + DAY;
    let before = device.advertisement(midnight - 1);
    let after = device.advertisement(midnight);
    assert_ne!(before, after);
    // Going back to yesterday uses yesterday's key again, not a third one.
    assert_eq!(device.advertisement(midnight - 1), before);
    device.set_consent(Consent {
        share_keys: true,
        report_f1: false,
    });
    let keys = device.keys_to_share(midnight).unwrap();
    assert_eq!(keys.len(), 2);
    assert_ne!(keys[0].key_data, keys[1].key_data);
    assert_eq!(
        keys[1].rolling_start_interval_number - keys[0].rolling_start_interval_number,
        KEY_ROLLING_PERIOD
    );
    assert_eq!(keys[1].rolling_start_interval_number as i64 * 600, midnight);
}

#[test]
fn keys_are_kept_for_the_retention_period() {
    let (_dir, mut device) = phone();
    for day in 0..20 {
        device.advertisement(T0 + day * DAY);
    }
    let own_keys = device.status().own_keys;
    assert!((14..=15).contains(&own_keys), "{own_keys} keys kept");
    device.set_consent(Consent {
        share_keys: true,
        report_f1: false,
    });
    let keys = device.keys_to_share(T0 + 19 * DAY).unwrap();
    assert_eq!(keys.len(), own_keys);
    let today_start = en_interval_number(T0 + 19 * DAY) / 144 * 144;
    assert_eq!(
        keys.last().unwrap().rolling_start_interval_number,
        today_start
    );
    assert!(keys
        .iter()
        .all(|k| today_start - k.rolling_start_interval_number <= 14 * 144));
    let distinct: std::collections::HashSet<_> = keys.iter().map(|k| k.key_data).collect();
    assert_eq!(distinct.len(), keys.len());
}

#[test]
fn rotate_drops_old_encounters() {
    let (_dir, mut device) = phone();
    device.record_sighting(T0, &[1; 20], -60, 60).unwrap();
    device.record_sighting(T0 + DAY, &[2; 20], -60, 60).unwrap();
    assert_eq!(device.status().encounters, 2);
    // 14 days later both are still within the retention period.
    device.rotate(T0 + 14 * DAY);
    assert_eq!(device.status().encounters, 2);
    // On day 15 the first has gone, on day 16 the second too.
    device.rotate(T0 + 15 * DAY);
    assert_eq!(device.status().encounters, 1);
    device.rotate(T0 + 16 * DAY);
    assert_eq!(device.status().encounters, 0);
}

#[test]
fn a_shorter_retention_applies_at_the_next_rotation() {
    let (_dir, mut device) = phone();
    for day in 0..10 {
        device
            .record_sighting(T0 + day * DAY, &[3; 20], -60, 60)
            .unwrap();
    }
    assert_eq!(device.status().encounters, 10);
    let mut config = device.config().clone();
    config.retention_days = 3;
    device.set_config(config).unwrap();
    device.rotate(T0 + 9 * DAY);
    // Days 6, 7, 8 and 9.
    assert_eq!(device.status().encounters, 4);
    assert_eq!(device.status().own_keys, 4);
}
