//! The state folder: what is saved comes back, what is not saved does not, and a damaged file
//! is reported rather than silently replaced.

use phongdich_device::{meet, Consent, Device, DeviceError};
use phongdich_exposure::export::ReportType;

use crate::{config, export, phone, shared_keys, verifier, T0};

#[test]
fn reopening_gives_the_same_phone() {
    let (dir, mut device) = phone();
    let (_other_dir, mut other) = phone();
    meet(&mut device, &mut other, T0, 20, 55).unwrap();
    let keys = shared_keys(&mut other, T0 + 3_600, ReportType::ConfirmedTest, Some(0));
    device
        .ingest_export(
            "exports/1-00001.zip",
            &export(&keys),
            &verifier(),
            T0 + 3_600,
        )
        .unwrap();
    device.set_consent(Consent {
        share_keys: false,
        report_f1: true,
    });
    let status = device.status();
    assert!(status.alert.is_some());
    assert_eq!(status.encounters, 20);
    let advertisement = device.advertisement(T0 + 3_600);
    device.save().unwrap();

    let mut reopened = Device::open(dir.path()).unwrap();
    assert_eq!(reopened.status(), status);
    assert_eq!(reopened.config(), &config());
    assert_eq!(reopened.consent(), device.consent());
    // The same key, so the same identifier in the same interval.
    assert_eq!(reopened.advertisement(T0 + 3_600), advertisement);
    assert!(reopened.pending_exports("exports/1-00001.zip\n").is_empty());
    assert!(!dir.path().join("device.json.tmp").exists());
}

#[test]
fn unsaved_changes_are_lost() {
    let (dir, mut device) = phone();
    device.save().unwrap();
    device.record_sighting(T0, &[9; 20], -50, 60).unwrap();
    let reopened = Device::open(dir.path()).unwrap();
    assert_eq!(reopened.status().encounters, 0);
}

#[test]
fn a_missing_folder_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("phones").join("a");
    let mut device = Device::open(&path).unwrap();
    assert_eq!(device.status().own_keys, 0);
    device.advertisement(T0);
    device.save().unwrap();
    assert_eq!(Device::open(&path).unwrap().status().own_keys, 1);
}

#[test]
fn a_corrupt_state_file_is_an_error() {
    let (dir, device) = phone();
    device.save().unwrap();
    let file = dir.path().join("device.json");
    let text = std::fs::read_to_string(&file).unwrap();
    for bad in [
        text[..text.len() / 2].to_owned(),
        "not json".to_owned(),
        text.replace("\"retention_days\":14", "\"retention_days\":0"),
        String::new(),
    ] {
        std::fs::write(&file, bad).unwrap();
        let err = Device::open(dir.path()).unwrap_err();
        assert!(matches!(err, DeviceError::Corrupt(_)), "{err}");
    }
}
