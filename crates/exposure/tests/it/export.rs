//! Key export files: our own round trip, tampering, and Google's signed example file.

use std::collections::HashMap;

use base64::Engine as _;
use p256::ecdsa::{SigningKey, VerifyingKey};
use p256::pkcs8::DecodePublicKey;
use phongdich_exposure::export::{
    archive, build_export, read_export, DiagnosisKey, ExportBatch, ExportError, ReportType,
    SigningInfo, TEKSignatureList, TemporaryExposureKeyExport, ECDSA_SHA256_OID, EXPORT_HEADER,
};
use prost::Message;

fn signer(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32].into()).unwrap()
}

fn batch() -> ExportBatch {
    ExportBatch {
        start_timestamp: 1_590_159_600,
        end_timestamp: 1_590_246_000,
        region: "VN".into(),
        batch_num: 1,
        batch_size: 1,
    }
}

fn info() -> SigningInfo {
    SigningInfo {
        verification_key_id: "452".into(),
        verification_key_version: "v1".into(),
    }
}

fn keys() -> Vec<DiagnosisKey> {
    vec![
        DiagnosisKey {
            key_data: [0xf0; 16],
            rolling_start_interval_number: 2_642_976,
            rolling_period: 144,
            transmission_risk_level: 0,
            report_type: Some(ReportType::ConfirmedTest),
            days_since_onset_of_symptoms: Some(-3),
        },
        DiagnosisKey {
            key_data: [0x01; 16],
            rolling_start_interval_number: 2_643_120,
            rolling_period: 37,
            transmission_risk_level: 5,
            report_type: None,
            days_since_onset_of_symptoms: None,
        },
    ]
}

/// Unzips an export into (export.bin, export.sig).
fn entries(zip: &[u8]) -> (Vec<u8>, Vec<u8>) {
    use std::io::Read;
    let mut a = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut read = |name: &str| {
        let mut out = Vec::new();
        a.by_name(name).unwrap().read_to_end(&mut out).unwrap();
        out
    };
    (read("export.bin"), read("export.sig"))
}

#[test]
fn round_trip_sorts_keys_by_bytes() {
    let key = signer(7);
    let zip = build_export(&batch(), &keys(), &key, &info()).unwrap();
    let (got_batch, got_keys) = read_export(&zip, key.verifying_key()).unwrap();
    assert_eq!(got_batch, batch());
    let mut want = keys();
    want.sort_by_key(|k| k.key_data);
    assert_eq!(got_keys, want);

    let (bin, sig) = entries(&zip);
    assert_eq!(&bin[..16], EXPORT_HEADER);
    let export = TemporaryExposureKeyExport::decode(&bin[16..]).unwrap();
    let sinfo = &export.signature_infos[0];
    assert_eq!(sinfo.verification_key_id.as_deref(), Some("452"));
    assert_eq!(sinfo.verification_key_version.as_deref(), Some("v1"));
    assert_eq!(sinfo.signature_algorithm.as_deref(), Some(ECDSA_SHA256_OID));
    let list = TEKSignatureList::decode(sig.as_slice()).unwrap();
    assert_eq!(list.signatures.len(), 1);
    let der = list.signatures[0].signature.as_deref().unwrap();
    assert_eq!(der[0], 0x30, "DER SEQUENCE");
    assert!((8..=72).contains(&der.len()));
}

#[test]
fn wrong_public_key_is_rejected() {
    let zip = build_export(&batch(), &keys(), &signer(7), &info()).unwrap();
    let err = read_export(&zip, signer(8).verifying_key()).unwrap_err();
    assert!(matches!(err, ExportError::BadSignature), "{err}");
}

#[test]
fn any_flipped_byte_in_export_bin_fails() {
    let key = signer(7);
    let zip = build_export(&batch(), &keys(), &key, &info()).unwrap();
    let (bin, sig) = entries(&zip);
    assert!(read_export(&archive(&bin, &sig).unwrap(), key.verifying_key()).is_ok());
    for i in 0..bin.len() {
        let mut tampered = bin.clone();
        tampered[i] ^= 0x01;
        let zip = archive(&tampered, &sig).unwrap();
        let err = read_export(&zip, key.verifying_key()).unwrap_err();
        assert!(matches!(err, ExportError::BadSignature), "byte {i}: {err}");
    }
}

#[test]
fn invalid_inputs() {
    let mut bad = keys();
    bad[1].rolling_period = 145;
    let err = build_export(&batch(), &bad, &signer(7), &info()).unwrap_err();
    assert!(
        matches!(err, ExportError::InvalidKey { index: 1, .. }),
        "{err}"
    );

    let err = read_export(b"not a zip", signer(7).verifying_key()).unwrap_err();
    assert!(matches!(err, ExportError::Zip(_)), "{err}");

    let zip = build_export(&batch(), &keys(), &signer(7), &info()).unwrap();
    let (bin, _) = entries(&zip);
    let mut only_bin = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    only_bin
        .start_file("export.bin", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(&mut only_bin, &bin).unwrap();
    let only_bin = only_bin.finish().unwrap().into_inner();
    let err = read_export(&only_bin, signer(7).verifying_key()).unwrap_err();
    assert!(
        matches!(err, ExportError::MissingEntry("export.sig")),
        "{err}"
    );

    // A third entry is refused even though the signature verifies.
    let (bin, sig) = entries(&zip);
    let mut extra = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in [("export.bin", &bin), ("export.sig", &sig), ("README", &bin)] {
        extra
            .start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut extra, bytes).unwrap();
    }
    let extra = extra.finish().unwrap().into_inner();
    let err = read_export(&extra, signer(7).verifying_key()).unwrap_err();
    assert!(
        matches!(err, ExportError::UnexpectedEntry(ref n) if n == "README"),
        "{err}"
    );
}

proptest::proptest! {
    /// The fuzz target's property on every `cargo test`: arbitrary bytes, and a real export
    /// with arbitrary bytes changed, never panic and never verify.
    #[test]
    fn arbitrary_files_never_verify(
        junk in proptest::collection::vec(proptest::num::u8::ANY, 0..2048),
        edits in proptest::collection::vec((proptest::num::usize::ANY, 1u8..=255), 1..8),
    ) {
        let key = signer(7);
        proptest::prop_assert!(read_export(&junk, key.verifying_key()).is_err());
        let mut zip = build_export(&batch(), &keys(), &key, &info()).unwrap();
        let len = zip.len();
        for (at, flip) in edits {
            zip[at % len] ^= flip;
        }
        if let Ok((_, read)) = read_export(&zip, key.verifying_key()) {
            // Only bytes outside what is signed (zip metadata) may have changed.
            let mut expected = keys();
            expected.sort_by_key(|k| k.key_data);
            proptest::prop_assert_eq!(read, expected);
        }
    }
}

fn vector_a() -> HashMap<&'static str, &'static str> {
    include_str!("../data/signed_export_vector_a.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split_once(' ').unwrap())
        .collect()
}

#[test]
fn google_signed_example_file_verifies_and_decodes() {
    let v = vector_a();
    let bin = hex::decode(v["export_bin"]).unwrap();
    let sig = hex::decode(v["export_sig"]).unwrap();
    assert_eq!(bin.len(), 135);
    // gaen.md says 114 bytes, but the hex is 115: tag 0a, length 0x71 = 113, then 113 bytes.
    assert_eq!(sig.len(), 115);
    let spki = base64::engine::general_purpose::STANDARD
        .decode(v["public_key_spki_base64"])
        .unwrap();
    let public = VerifyingKey::from_public_key_der(&spki).unwrap();

    let (batch, keys) = read_export(&archive(&bin, &sig).unwrap(), &public).unwrap();
    assert_eq!(
        batch,
        ExportBatch {
            start_timestamp: 1_590_159_600,
            end_timestamp: 1_590_246_000,
            region: "US".into(),
            batch_num: 1,
            batch_size: 1,
        }
    );
    let key = |hex_key: &str, tr, start, period| DiagnosisKey {
        key_data: hex::decode(hex_key).unwrap().try_into().unwrap(),
        rolling_start_interval_number: start,
        rolling_period: period,
        transmission_risk_level: tr,
        report_type: None,
        days_since_onset_of_symptoms: None,
    };
    assert_eq!(
        keys,
        vec![
            key("172fc480e598490c34177604339b1543", 8, 2_649_980, 1),
            key("2b63053ac483238de176169e861f3dcd", 1, 2_649_866, 114),
        ]
    );

    let export = TemporaryExposureKeyExport::decode(&bin[16..]).unwrap();
    let sinfo = &export.signature_infos[0];
    assert_eq!(sinfo.verification_key_version.as_deref(), Some("1"));
    assert_eq!(sinfo.verification_key_id.as_deref(), Some("some_id"));
    assert_eq!(sinfo.signature_algorithm.as_deref(), Some(ECDSA_SHA256_OID));

    // Re-encoding the decoded messages gives back Google's exact bytes, so the hand-written
    // field numbers and wire types match the published .proto.
    let mut reencoded = EXPORT_HEADER.to_vec();
    export.encode(&mut reencoded).unwrap();
    assert_eq!(reencoded, bin);
    assert_eq!(
        TEKSignatureList::decode(sig.as_slice())
            .unwrap()
            .encode_to_vec(),
        sig
    );

    // The header is signed too: the signature fails without it.
    let err = read_export(&archive(&bin[16..], &sig).unwrap(), &public).unwrap_err();
    assert!(matches!(err, ExportError::BadSignature), "{err}");
}
