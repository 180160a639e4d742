//! Integration tests of the device SDK: whole phones in temporary folders, meeting through
//! scripted contacts and ingesting key files signed as the health authority signs them.

mod end_to_end;
mod exports;
mod invalid;
mod keys;
mod persistence;

use p256::ecdsa::{SigningKey, VerifyingKey};
use phongdich_device::{Consent, Device, DeviceConfig};
use phongdich_exposure::export::{
    build_export, DiagnosisKey, ExportBatch, ReportType, SigningInfo,
};
use phongdich_exposure::scoring::ScoringConfig;
use tempfile::TempDir;

/// 2025-11-30 09:00:00 UTC, the start of an interval.
const T0: i64 = 1_764_460_800 + 9 * 3_600;
/// Days since the epoch of [`T0`].
const DAY0: u32 = 20_422;
const DAY: i64 = 86_400;

/// A fresh phone in its own folder, using [`config`].
fn phone() -> (TempDir, Device) {
    let dir = tempfile::tempdir().unwrap();
    let mut device = Device::open(dir.path()).unwrap();
    device.set_config(config()).unwrap();
    (dir, device)
}

/// Buckets at 30/55/70 dB weighted 1.5/1.0/0.5/0 and a daily threshold of 900 weighted
/// seconds, so 15 minutes at 55 dB is just an exposure. Recursive keys weigh 1.0 here (the
/// default is 0) so that F2 alerts can happen.
fn config() -> DeviceConfig {
    let mut scoring = ScoringConfig {
        attenuation_thresholds_db: [30, 55, 70],
        attenuation_weights: [1.5, 1.0, 0.5, 0.0],
        daily_score_threshold: 900.0,
        ..ScoringConfig::default()
    };
    scoring.report_type_weights.recursive = 1.0;
    DeviceConfig {
        scoring,
        ..DeviceConfig::default()
    }
}

fn signer() -> SigningKey {
    SigningKey::from_bytes(&[7; 32].into()).unwrap()
}

fn verifier() -> VerifyingKey {
    *signer().verifying_key()
}

/// The keys `device` shares after consenting, marked as the server would mark them.
fn shared_keys(
    device: &mut Device,
    now: i64,
    report_type: ReportType,
    days_since_onset: Option<i32>,
) -> Vec<DiagnosisKey> {
    device.set_consent(Consent {
        share_keys: true,
        report_f1: false,
    });
    let mut keys = device.keys_to_share(now).unwrap();
    for key in &mut keys {
        key.report_type = Some(report_type);
        key.days_since_onset_of_symptoms = days_since_onset;
    }
    keys
}

/// A key file of `keys` signed by [`signer`].
fn export(keys: &[DiagnosisKey]) -> Vec<u8> {
    let batch = ExportBatch {
        start_timestamp: 1_764_400_000,
        end_timestamp: 1_764_403_600,
        region: "VN".to_owned(),
        batch_num: 1,
        batch_size: 1,
    };
    let info = SigningInfo {
        verification_key_id: "452".to_owned(),
        verification_key_version: "v1".to_owned(),
    };
    build_export(&batch, keys, &signer(), &info).unwrap()
}
