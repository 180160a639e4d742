//! Diagnosis-key uploads from outside (the body of `POST /api/v1/exposure/keys`): decoding and
//! validation never panic, and every accepted key is within the protocol's ranges.
#![no_main]

use libfuzzer_sys::fuzz_target;
use phongdich_domain::proximity::{validate_upload, UploadForm, UploadRules};
use phongdich_exposure::export::ReportType;

fuzz_target!(|data: &[u8]| {
    let Ok(form) = serde_json::from_slice::<UploadForm>(data) else {
        return;
    };
    let rules = UploadRules {
        now: jiff::Timestamp::from_second(1_800_000_000).unwrap(),
        max_keys: 30,
        retention_days: 14,
        max_days_from_onset: 14,
        report_type: ReportType::ConfirmedTest,
        onset_date: None,
    };
    if let Ok(keys) = validate_upload(&form, &rules) {
        for k in keys {
            assert!((1..=144).contains(&k.key.rolling_period));
        }
    }
});
