//! The signed key export file that Apple's and Google's frameworks download.
//!
//! `export.zip` holds two entries: `export.bin`, the 16-byte header `"EK Export v1    "` followed
//! by a [`TemporaryExposureKeyExport`] protobuf, and `export.sig`, a [`TEKSignatureList`] with an
//! ECDSA P-256 / SHA-256 signature (ASN.1 DER) over all of `export.bin`, header included.
//! Phones trust a file only through that signature, so [`read_export`] checks it before it
//! decodes anything.

mod proto;

use std::io::{Cursor, Read, Write};

use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use prost::Message;

pub use proto::{
    ReportType, SignatureInfo, TEKSignature, TEKSignatureList, TemporaryExposureKey,
    TemporaryExposureKeyExport,
};

use crate::crypto::{Tek, KEY_ROLLING_PERIOD};

/// The fixed 16-byte header of `export.bin`: `"EK Export v1"` padded with four spaces.
pub const EXPORT_HEADER: &[u8; 16] = b"EK Export v1    ";
/// ASN.1 OID of ECDSA with SHA-256, the algorithm every framework accepts.
pub const ECDSA_SHA256_OID: &str = "1.2.840.10045.4.3.2";
/// Name of the payload entry in the archive.
pub const BIN_ENTRY: &str = "export.bin";
/// Name of the signature entry in the archive.
pub const SIG_ENTRY: &str = "export.sig";
/// Largest entry [`read_export`] will inflate: 750 000 keys (the frameworks' bound) take about
/// 25 MB, so anything beyond 32 MiB is a broken or hostile archive, not a key file.
pub const MAX_ENTRY_BYTES: u64 = 32 * 1024 * 1024;

/// The header fields of one key file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportBatch {
    /// Window start, Unix seconds (by arrival of the keys at the server).
    pub start_timestamp: u64,
    /// Window end, Unix seconds.
    pub end_timestamp: u64,
    /// Region the keys belong to, e.g. "VN".
    pub region: String,
    /// 1-based index in the batch; use 1 (iOS reads only single-file batches).
    pub batch_num: i32,
    /// Files in the batch; use 1.
    pub batch_size: i32,
}

/// A diagnosis key: a TEK published by someone diagnosed, with its validity and metadata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiagnosisKey {
    /// The TEK.
    pub key_data: Tek,
    /// Interval number at which the key became valid.
    pub rolling_start_interval_number: u32,
    /// Number of 10-minute intervals the key was valid for, 1..=144.
    pub rolling_period: u32,
    /// Deprecated v1 risk 0..=8; kept because older frameworks still read it.
    pub transmission_risk_level: i32,
    /// How the owner was diagnosed, if known.
    pub report_type: Option<ReportType>,
    /// Days from symptom onset to the key's day, if known.
    pub days_since_onset_of_symptoms: Option<i32>,
}

/// Which public key verifies a file: devices look it up as `"{id}-{version}"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigningInfo {
    /// Key id; Apple expects the country's MCC ("452" for Vietnam).
    pub verification_key_id: String,
    /// Key version, e.g. "v1".
    pub verification_key_version: String,
}

/// Why a key file could not be built or read.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The archive is not a readable ZIP.
    #[error("the archive is not a valid zip: {0}")]
    Zip(#[from] zip::result::ZipError),
    /// Reading or writing an archive entry failed.
    #[error("archive entry I/O failed: {0}")]
    Io(#[from] std::io::Error),
    /// A required entry is missing.
    #[error("the archive has no {0}")]
    MissingEntry(&'static str),
    /// The archive holds something besides `export.bin` and `export.sig`.
    #[error("the archive holds an unexpected entry {0:?}")]
    UnexpectedEntry(String),
    /// An entry inflates beyond [`MAX_ENTRY_BYTES`].
    #[error("{0} is larger than {MAX_ENTRY_BYTES} bytes")]
    TooLarge(&'static str),
    /// `export.bin` does not start with [`EXPORT_HEADER`].
    #[error("export.bin does not start with the \"EK Export v1\" header")]
    BadHeader,
    /// No signature in `export.sig` verifies `export.bin` with the given key.
    #[error("no signature in export.sig verifies export.bin")]
    BadSignature,
    /// A protobuf entry does not decode.
    #[error("protobuf does not decode: {0}")]
    Decode(#[from] prost::DecodeError),
    /// A key is out of the protocol's ranges.
    #[error("key {index}: {reason}")]
    InvalidKey {
        /// Position of the key (file order when reading, input order when building).
        index: usize,
        /// What is wrong with it.
        reason: &'static str,
    },
}

/// Builds `export.zip`: the keys sorted by key bytes (so the file does not reveal which keys
/// were uploaded together, as the reference server does), signed with `signer`.
///
/// Padding with fake keys, batching and time windows are the caller's policy.
pub fn build_export(
    batch: &ExportBatch,
    keys: &[DiagnosisKey],
    signer: &SigningKey,
    info: &SigningInfo,
) -> Result<Vec<u8>, ExportError> {
    let signature_info = SignatureInfo {
        verification_key_version: Some(info.verification_key_version.clone()),
        verification_key_id: Some(info.verification_key_id.clone()),
        signature_algorithm: Some(ECDSA_SHA256_OID.to_owned()),
    };
    let mut wire_keys = keys
        .iter()
        .enumerate()
        .map(|(index, key)| to_wire(index, key))
        .collect::<Result<Vec<_>, _>>()?;
    wire_keys.sort_by(|a, b| a.key_data.cmp(&b.key_data));
    let export = TemporaryExposureKeyExport {
        start_timestamp: Some(batch.start_timestamp),
        end_timestamp: Some(batch.end_timestamp),
        region: Some(batch.region.clone()),
        batch_num: Some(batch.batch_num),
        batch_size: Some(batch.batch_size),
        signature_infos: vec![signature_info.clone()],
        keys: wire_keys,
        revised_keys: Vec::new(),
    };
    let mut bin = Vec::with_capacity(EXPORT_HEADER.len() + export.encoded_len());
    bin.extend_from_slice(EXPORT_HEADER);
    export.encode(&mut bin).expect("a Vec grows as needed");

    let signature: Signature = signer.sign(&bin);
    let sig = TEKSignatureList {
        signatures: vec![TEKSignature {
            signature_info: Some(signature_info),
            batch_num: Some(batch.batch_num),
            batch_size: Some(batch.batch_size),
            signature: Some(signature.to_der().as_bytes().to_vec()),
        }],
    };
    archive(&bin, &sig.encode_to_vec())
}

/// Zips an already built `export.bin` and `export.sig`, for servers that sign elsewhere (an HSM
/// or cloud KMS) and for tests.
pub fn archive(export_bin: &[u8], export_sig: &[u8]) -> Result<Vec<u8>, ExportError> {
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file(BIN_ENTRY, options)?;
    zip.write_all(export_bin)?;
    zip.start_file(SIG_ENTRY, options)?;
    zip.write_all(export_sig)?;
    Ok(zip.finish()?.into_inner())
}

/// Reads `export.zip`, checks that a signature in `export.sig` verifies all of `export.bin` with
/// `verifier`, and returns the batch and its keys; revised keys follow the new ones (their
/// `report_type` says what changed).
pub fn read_export(
    zip: &[u8],
    verifier: &VerifyingKey,
) -> Result<(ExportBatch, Vec<DiagnosisKey>), ExportError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip))?;
    // Exactly the two entries: anything else means the file was not made by a key server.
    if let Some(extra) = archive
        .file_names()
        .find(|name| *name != BIN_ENTRY && *name != SIG_ENTRY)
    {
        return Err(ExportError::UnexpectedEntry(extra.to_owned()));
    }
    let bin = read_entry(&mut archive, BIN_ENTRY)?;
    let sig = read_entry(&mut archive, SIG_ENTRY)?;

    let signatures = TEKSignatureList::decode(sig.as_slice())?;
    let verified = signatures.signatures.iter().any(|s| {
        let algorithm_ok = s
            .signature_info
            .as_ref()
            .and_then(|i| i.signature_algorithm.as_deref())
            .is_none_or(|alg| alg == ECDSA_SHA256_OID);
        algorithm_ok
            && s.signature
                .as_deref()
                .and_then(|der| Signature::from_der(der).ok())
                .is_some_and(|sig| verifier.verify(&bin, &sig).is_ok())
    });
    if !verified {
        return Err(ExportError::BadSignature);
    }
    let payload = bin
        .strip_prefix(EXPORT_HEADER.as_slice())
        .ok_or(ExportError::BadHeader)?;
    let export = TemporaryExposureKeyExport::decode(payload)?;
    let batch = ExportBatch {
        start_timestamp: export.start_timestamp.unwrap_or_default(),
        end_timestamp: export.end_timestamp.unwrap_or_default(),
        region: export.region.clone().unwrap_or_default(),
        batch_num: export.batch_num.unwrap_or(1),
        batch_size: export.batch_size.unwrap_or(1),
    };
    let keys = export
        .keys
        .iter()
        .chain(&export.revised_keys)
        .enumerate()
        .map(|(index, key)| from_wire(index, key))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((batch, keys))
}

fn read_entry(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &'static str,
) -> Result<Vec<u8>, ExportError> {
    let entry = match archive.by_name(name) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => return Err(ExportError::MissingEntry(name)),
        Err(e) => return Err(e.into()),
    };
    let mut out = Vec::new();
    // Read one byte past the limit to tell "exactly at the limit" from "beyond it".
    entry.take(MAX_ENTRY_BYTES + 1).read_to_end(&mut out)?;
    if out.len() as u64 > MAX_ENTRY_BYTES {
        return Err(ExportError::TooLarge(name));
    }
    Ok(out)
}

fn to_wire(index: usize, key: &DiagnosisKey) -> Result<TemporaryExposureKey, ExportError> {
    let invalid = |reason| ExportError::InvalidKey { index, reason };
    if !(1..=KEY_ROLLING_PERIOD).contains(&key.rolling_period) {
        return Err(invalid("rolling period must be 1..=144"));
    }
    let start = i32::try_from(key.rolling_start_interval_number)
        .map_err(|_| invalid("rolling start interval number does not fit an int32"))?;
    Ok(TemporaryExposureKey {
        key_data: Some(key.key_data.to_vec()),
        transmission_risk_level: Some(key.transmission_risk_level),
        rolling_start_interval_number: Some(start),
        rolling_period: Some(key.rolling_period as i32),
        report_type: key.report_type.map(|t| t as i32),
        days_since_onset_of_symptoms: key.days_since_onset_of_symptoms,
    })
}

fn from_wire(index: usize, key: &TemporaryExposureKey) -> Result<DiagnosisKey, ExportError> {
    let invalid = |reason| ExportError::InvalidKey { index, reason };
    let key_data: Tek = key
        .key_data
        .as_deref()
        .and_then(|k| k.try_into().ok())
        .ok_or_else(|| invalid("key data must be 16 bytes"))?;
    let rolling_period = u32::try_from(key.rolling_period())
        .ok()
        .filter(|p| (1..=KEY_ROLLING_PERIOD).contains(p))
        .ok_or_else(|| invalid("rolling period must be 1..=144"))?;
    let rolling_start_interval_number = u32::try_from(key.rolling_start_interval_number())
        .map_err(|_| invalid("rolling start interval number is negative"))?;
    let report_type = match key.report_type {
        None => None,
        Some(t) => Some(ReportType::try_from(t).map_err(|_| invalid("unknown report type"))?),
    };
    Ok(DiagnosisKey {
        key_data,
        rolling_start_interval_number,
        rolling_period,
        transmission_risk_level: key.transmission_risk_level(),
        report_type,
        days_since_onset_of_symptoms: key.days_since_onset_of_symptoms,
    })
}
