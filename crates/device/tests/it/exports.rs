//! The export index: which files are still to ingest.

use phongdich_device::DeviceError;
use phongdich_exposure::export::ReportType;

use crate::{export, phone, shared_keys, verifier, T0};

#[test]
fn pending_exports_skips_processed_names_and_blank_lines() {
    let (_dir, mut device) = phone();
    let (_other_dir, mut other) = phone();
    other.advertisement(T0);
    let file = export(&shared_keys(
        &mut other,
        T0,
        ReportType::ConfirmedTest,
        None,
    ));
    let index = "exports/1764400000-00001.zip\n\n  \nexports/1764403600-00001.zip\r\nexports/1764407200-00001.zip\nexports/1764403600-00001.zip\n";
    assert_eq!(
        device.pending_exports(index),
        [
            "exports/1764400000-00001.zip",
            "exports/1764403600-00001.zip",
            "exports/1764407200-00001.zip",
        ]
    );
    let outcome = device
        .ingest_export("exports/1764403600-00001.zip", &file, &verifier(), T0)
        .unwrap();
    // Nothing matched, but the file counts as processed.
    assert_eq!((outcome.keys, outcome.matched_keys), (1, 0));
    assert!(!outcome.new_alert);
    assert_eq!(
        device.pending_exports(index),
        [
            "exports/1764400000-00001.zip",
            "exports/1764407200-00001.zip",
        ]
    );
    assert_eq!(device.status().exports_processed, 1);
    assert!(device.pending_exports("").is_empty());
    assert!(device.pending_exports("\n\n").is_empty());
}

#[test]
fn a_key_file_needs_a_name() {
    let (_dir, mut device) = phone();
    let file = export(&[]);
    assert!(matches!(
        device.ingest_export(" ", &file, &verifier(), T0),
        Err(DeviceError::Invalid(_))
    ));
    assert_eq!(device.status().exports_processed, 0);
}
