//! Absurd input is refused with a reason and leaves the phone as it was.

use phongdich_device::{meet, Consent, Device, DeviceConfig, DeviceError, Radio, Sighting};

use crate::{phone, T0};

fn assert_invalid<T: std::fmt::Debug>(result: Result<T, DeviceError>) {
    assert!(
        matches!(result, Err(DeviceError::Invalid(_))),
        "expected Invalid, got {result:?}"
    );
}

#[test]
fn meet_refuses_absurd_contacts() {
    let (_a_dir, mut a) = phone();
    let (_b_dir, mut b) = phone();
    assert_invalid(meet(&mut a, &mut b, T0, 10, 200));
    assert_invalid(meet(&mut a, &mut b, T0, 10, 121));
    assert_invalid(meet(&mut a, &mut b, T0, 0, 55));
    assert_invalid(meet(&mut a, &mut b, T0, 1_441, 55));
    assert_invalid(meet(&mut a, &mut b, -600, 10, 55));
    // A phone advertising +100 dBm would be heard at +50 dBm: no real RSSI.
    let mut loud = a.config().clone();
    loud.tx_power_dbm = 100;
    b.set_config(loud).unwrap();
    assert_invalid(meet(&mut a, &mut b, T0, 10, 50));
    for phone in [&a, &b] {
        assert_eq!(phone.status().encounters, 0);
        assert_eq!(phone.status().own_keys, 0);
    }
    // The boundaries themselves are fine.
    b.set_config(crate::config()).unwrap();
    meet(&mut a, &mut b, T0, 1, 120).unwrap();
    meet(&mut a, &mut b, T0, 1_440, 0).unwrap();
    assert_eq!(a.status().encounters, 1_441);
}

#[test]
fn record_sighting_refuses_out_of_range_readings() {
    let (_dir, mut device) = phone();
    let payload = [5; 20];
    assert_invalid(device.record_sighting(T0, &payload, -128, 60));
    assert_invalid(device.record_sighting(T0, &payload, 21, 60));
    assert_invalid(device.record_sighting(T0, &payload, i8::MAX, 60));
    assert_invalid(device.record_sighting(T0, &payload, -60, 0));
    assert_invalid(device.record_sighting(T0, &payload, -60, 301));
    assert_invalid(device.record_sighting(-1, &payload, -60, 60));
    assert_eq!(device.status().encounters, 0);
    device.record_sighting(T0, &payload, -127, 1).unwrap();
    device.record_sighting(T0, &payload, 20, 300).unwrap();
    assert_eq!(device.status().encounters, 2);
}

/// A radio that hears a fixed list and remembers what it was asked to broadcast.
struct Scripted {
    heard: Vec<Sighting>,
    broadcast: Vec<[u8; 20]>,
}

impl Radio for Scripted {
    fn scan(&mut self, own: [u8; 20], _now: i64) -> Vec<Sighting> {
        self.broadcast.push(own);
        self.heard.clone()
    }
}

#[test]
fn scan_records_what_the_radio_heard() {
    let (_dir, mut device) = phone();
    let mut radio = Scripted {
        heard: vec![
            Sighting {
                payload: [1; 20],
                rssi_dbm: -50,
            },
            Sighting {
                payload: [2; 20],
                rssi_dbm: -80,
            },
        ],
        broadcast: Vec::new(),
    };
    assert_eq!(device.scan(&mut radio, T0, 300).unwrap(), 2);
    assert_eq!(radio.broadcast, [device.advertisement(T0)]);
    assert_eq!(device.status().encounters, 2);

    assert_invalid(device.scan(&mut radio, T0 + 300, 0));
    radio.heard.push(Sighting {
        payload: [3; 20],
        rssi_dbm: 40,
    });
    assert_invalid(device.scan(&mut radio, T0 + 300, 300));
    assert_eq!(
        device.status().encounters,
        2,
        "nothing of a bad scan is kept"
    );
}

#[test]
fn sharing_keys_needs_consent() {
    let (_dir, mut device) = phone();
    device.advertisement(T0);
    let err = device.keys_to_share(T0).unwrap_err();
    assert!(matches!(err, DeviceError::NoConsent(_)), "{err}");
    device.set_consent(Consent {
        share_keys: false,
        report_f1: true,
    });
    assert!(matches!(
        device.keys_to_share(T0),
        Err(DeviceError::NoConsent(_))
    ));
    device.set_consent(Consent {
        share_keys: true,
        report_f1: false,
    });
    assert_eq!(device.keys_to_share(T0).unwrap().len(), 1);
}

#[test]
fn a_bad_configuration_is_refused_and_the_old_one_kept() {
    let (_dir, mut device) = phone();
    let before = device.config().clone();
    let mut bad = DeviceConfig::default();
    bad.days_since_onset_to_infectiousness.pop();
    assert!(matches!(
        device.set_config(bad),
        Err(DeviceError::Config(_))
    ));
    let mut bad = DeviceConfig::default();
    bad.scoring.attenuation_weights[0] = 3.0;
    assert!(matches!(
        device.set_config(bad),
        Err(DeviceError::Config(_))
    ));
    assert_eq!(device.config(), &before);
    let fresh = Device::open(tempfile::tempdir().unwrap().path()).unwrap();
    assert_eq!(fresh.config(), &DeviceConfig::default());
}
