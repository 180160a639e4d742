//! The protobuf messages of `export.bin` and `export.sig`, field for field as the published
//! `exposure_key_export.proto` (proto2, as Apple's readers need).
//!
//! Written by hand with `prost` derives so the build needs no `protoc`. Every scalar is
//! `optional` (proto2), so "absent" and "zero" stay distinguishable when reading other servers'
//! files.

/// One key file: a time window of diagnosis keys for one region, plus who signed it.
#[derive(Clone, PartialEq, prost::Message)]
pub struct TemporaryExposureKeyExport {
    /// Window start, UTC seconds.
    #[prost(fixed64, optional, tag = "1")]
    pub start_timestamp: Option<u64>,
    /// Window end, UTC seconds.
    #[prost(fixed64, optional, tag = "2")]
    pub end_timestamp: Option<u64>,
    /// Region, e.g. a country code ("VN").
    #[prost(string, optional, tag = "3")]
    pub region: Option<String>,
    /// 1-based index of this file in its batch.
    #[prost(int32, optional, tag = "4")]
    pub batch_num: Option<i32>,
    /// Number of files in the batch.
    #[prost(int32, optional, tag = "5")]
    pub batch_size: Option<i32>,
    /// The signers of this file; the same entries appear in `export.sig`.
    #[prost(message, repeated, tag = "6")]
    pub signature_infos: Vec<SignatureInfo>,
    /// Keys released for the first time.
    #[prost(message, repeated, tag = "7")]
    pub keys: Vec<TemporaryExposureKey>,
    /// Keys whose status changed since an earlier file (e.g. revoked).
    #[prost(message, repeated, tag = "8")]
    pub revised_keys: Vec<TemporaryExposureKey>,
}

/// Who signed a file and how; fields 1 and 2 are reserved (old app bundle id / package name).
#[derive(Clone, PartialEq, prost::Message)]
pub struct SignatureInfo {
    /// Key version, e.g. "v1"; devices look the public key up as `"{id}-{version}"`.
    #[prost(string, optional, tag = "3")]
    pub verification_key_version: Option<String>,
    /// Key id; Apple expects the country's MCC (e.g. "452" for Vietnam).
    #[prost(string, optional, tag = "4")]
    pub verification_key_id: Option<String>,
    /// ASN.1 OID of the algorithm, "1.2.840.10045.4.3.2" for ECDSA P-256 with SHA-256.
    #[prost(string, optional, tag = "5")]
    pub signature_algorithm: Option<String>,
}

/// One diagnosis key as it travels in the file.
#[derive(Clone, PartialEq, prost::Message)]
pub struct TemporaryExposureKey {
    /// The 16-byte TEK.
    #[prost(bytes = "vec", optional, tag = "1")]
    pub key_data: Option<Vec<u8>>,
    /// Deprecated 0..8 risk; ignored by v1.5+ frameworks when `report_type` is set.
    #[prost(int32, optional, tag = "2")]
    pub transmission_risk_level: Option<i32>,
    /// Interval number at which the key became valid.
    #[prost(int32, optional, tag = "3")]
    pub rolling_start_interval_number: Option<i32>,
    /// Intervals the key was valid for; 144 when absent.
    #[prost(int32, optional, tag = "4", default = "144")]
    pub rolling_period: Option<i32>,
    /// How the key's owner was diagnosed.
    #[prost(enumeration = "ReportType", optional, tag = "5")]
    pub report_type: Option<i32>,
    /// Days from symptom onset to the key's day (zigzag-encoded, may be negative).
    #[prost(sint32, optional, tag = "6")]
    pub days_since_onset_of_symptoms: Option<i32>,
}

/// How a key's owner was diagnosed.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    prost::Enumeration,
    serde::Deserialize,
    serde::Serialize,
)]
#[serde(rename_all = "snake_case")]
#[repr(i32)]
pub enum ReportType {
    /// Never returned by the frameworks; a key without a type.
    Unknown = 0,
    /// A positive test.
    ConfirmedTest = 1,
    /// Diagnosed by a clinician without a test.
    ConfirmedClinicalDiagnosis = 2,
    /// Self-reported symptoms or test.
    SelfReport = 3,
    /// Reserved.
    Recursive = 4,
    /// A key withdrawn, e.g. after a negative test; only in `revised_keys`.
    Revoked = 5,
}

/// The content of `export.sig`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct TEKSignatureList {
    /// One signature per signing key, newest key first.
    #[prost(message, repeated, tag = "1")]
    pub signatures: Vec<TEKSignature>,
}

/// One signature of `export.bin`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct TEKSignature {
    /// Which key made the signature.
    #[prost(message, optional, tag = "1")]
    pub signature_info: Option<SignatureInfo>,
    /// Copy of the file's batch number (readers use the one in `export.bin`).
    #[prost(int32, optional, tag = "2")]
    pub batch_num: Option<i32>,
    /// Copy of the file's batch size.
    #[prost(int32, optional, tag = "3")]
    pub batch_size: Option<i32>,
    /// ECDSA signature of all of `export.bin`, X9.62 ASN.1 DER `SEQUENCE { r, s }`.
    #[prost(bytes = "vec", optional, tag = "4")]
    pub signature: Option<Vec<u8>>,
}
