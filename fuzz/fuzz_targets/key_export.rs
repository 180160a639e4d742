//! Key export files from outside (what phones download): no panic, and nothing verifies
//! without the signing key. Also the bare `export.bin` protobuf, decoded as a reader would.
#![no_main]

use libfuzzer_sys::fuzz_target;
use phongdich_exposure::export::{read_export, TemporaryExposureKeyExport, EXPORT_HEADER};
use prost::Message;

fuzz_target!(|data: &[u8]| {
    let key = p256::ecdsa::SigningKey::from_bytes(&[7u8; 32].into()).unwrap();
    assert!(read_export(data, key.verifying_key()).is_err());
    if let Some(payload) = data.strip_prefix(EXPORT_HEADER.as_slice()) {
        let _ = TemporaryExposureKeyExport::decode(payload);
    }
});
