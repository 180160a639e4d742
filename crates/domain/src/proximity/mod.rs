//! Bluetooth exposure notification on the server side: the profile's numbers, the diagnosis a
//! health official certifies with an upload code, and the validation of a phone's key upload.
//!
//! The cryptography and file formats live in the `phongdich-exposure` crate; this module holds
//! the rules a health authority chooses (how long codes live, which keys are accepted, how
//! phones score a contact) so a new outbreak is a new profile.

mod claim;
mod code;
mod upload;

use phongdich_exposure::export::ReportType;
use phongdich_exposure::scoring::ScoringConfig;
use serde::{Deserialize, Serialize};

use crate::validation::{FieldError, Message};

pub use claim::{F1Claim, F1ReportForm, MAX_SCORE};
pub use code::{CaseCodeRequest, CodeRequest};
pub use upload::{
    parse_onset_date, validate_upload, AcceptedKey, KeyForm, UploadForm, UploadRules,
};

/// The `[exposure]` section of the disease profile.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExposureRules {
    /// Days diagnosis keys and export files are kept.
    pub retention_days: i64,
    /// Minutes an upload code stays valid.
    pub code_minutes: i64,
    /// Hours an upload token stays valid (it is used once).
    pub token_hours: i64,
    /// Most keys accepted in one upload.
    pub max_keys_per_upload: usize,
    /// Keys further than this many days from symptom onset are dropped.
    pub max_days_from_onset: i64,
    /// EN v2 scoring parameters, sent to phones.
    pub scoring: ScoringConfig,
    /// What a phone shows for each contact level.
    pub guidance: LevelGuidance,
}

/// The guidance of an exposure alert by contact level, in Vietnamese and English.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LevelGuidance {
    pub f1_vi: String,
    pub f1_en: String,
    pub f2_vi: String,
    pub f2_en: String,
}

impl LevelGuidance {
    pub fn for_level(&self, level: ContactLevel) -> Message {
        match level {
            ContactLevel::F1 => Message::new(&self.f1_vi, &self.f1_en),
            ContactLevel::F2 => Message::new(&self.f2_vi, &self.f2_en),
        }
    }
}

impl ExposureRules {
    pub(crate) fn check(&self) -> Result<(), String> {
        if self.retention_days <= 0
            || self.code_minutes <= 0
            || self.token_hours <= 0
            || self.max_keys_per_upload == 0
            || self.max_days_from_onset <= 0
        {
            return Err("exposure: periods and limits must be positive".into());
        }
        self.scoring
            .validate()
            .map_err(|e| format!("exposure.scoring: {e}"))
    }
}

/// How close to a confirmed case a person is: F1 met the case, F2 met an F1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ContactLevel {
    F1,
    F2,
}

impl ContactLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            ContactLevel::F1 => "F1",
            ContactLevel::F2 => "F2",
        }
    }

    pub fn parse(field: &str, s: &str) -> Result<Self, FieldError> {
        match s {
            "F1" => Ok(ContactLevel::F1),
            "F2" => Ok(ContactLevel::F2),
            _ => Err(FieldError::new(
                field,
                "level_unknown",
                "Mức tiếp xúc phải là F1 hoặc F2",
                "The contact level must be F1 or F2",
            )),
        }
    }
}

/// The diagnoses an official can certify with an upload code. Keys of an F1 who shares them
/// are `Recursive`: that is how a phone tells an F2 alert from an F1 one.
pub const OFFICIAL_REPORT_TYPES: [&str; 3] = [
    "confirmed_test",
    "confirmed_clinical_diagnosis",
    "self_report",
];

crate::schema_marker!(
    /// One of [`OFFICIAL_REPORT_TYPES`], for `#[schema(value_type = …)]`.
    #[cfg(feature = "openapi")]
    pub OfficialReportType = crate::schema::string_enum(OFFICIAL_REPORT_TYPES)
);

/// The wire name of a report type.
pub fn report_type_name(t: ReportType) -> &'static str {
    match t {
        ReportType::Unknown => "unknown",
        ReportType::ConfirmedTest => "confirmed_test",
        ReportType::ConfirmedClinicalDiagnosis => "confirmed_clinical_diagnosis",
        ReportType::SelfReport => "self_report",
        ReportType::Recursive => "recursive",
        ReportType::Revoked => "revoked",
    }
}

/// Reads a report type an official may certify.
pub fn parse_official_report_type(field: &str, s: &str) -> Result<ReportType, FieldError> {
    match s {
        "confirmed_test" => Ok(ReportType::ConfirmedTest),
        "confirmed_clinical_diagnosis" => Ok(ReportType::ConfirmedClinicalDiagnosis),
        "self_report" => Ok(ReportType::SelfReport),
        _ => Err(FieldError::new(
            field,
            "report_type_unknown",
            "Loại chẩn đoán phải là confirmed_test, confirmed_clinical_diagnosis hoặc self_report",
            "The report type must be confirmed_test, confirmed_clinical_diagnosis or self_report",
        )),
    }
}

/// Reads any stored report type back.
pub fn report_type_from_name(s: &str) -> ReportType {
    match s {
        "confirmed_test" => ReportType::ConfirmedTest,
        "confirmed_clinical_diagnosis" => ReportType::ConfirmedClinicalDiagnosis,
        "self_report" => ReportType::SelfReport,
        "recursive" => ReportType::Recursive,
        "revoked" => ReportType::Revoked,
        _ => ReportType::Unknown,
    }
}

/// Checks the shape of a typed upload code: 8 digits (GAEN's short code).
pub fn code_well_formed(field: &str, code: &str) -> Result<String, FieldError> {
    let code = code.trim();
    if code.len() == 8 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code.to_owned())
    } else {
        Err(FieldError::new(
            field,
            "code_malformed",
            "Mã xác nhận ca bệnh gồm đúng 8 chữ số",
            "The case verification code has exactly 8 digits",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Profile;

    #[test]
    fn the_shipped_profile_scores_twenty_minutes_at_55_db_as_a_close_contact() {
        use phongdich_exposure::scoring::*;
        let rules = Profile::covid19_2021().exposure;
        let window = |db: u8, minutes: u32| ExposureWindow {
            day: 20_000,
            report_type: ReportType::ConfirmedTest,
            infectiousness: Infectiousness::High,
            calibration_confidence: CalibrationConfidence::Medium,
            scan_instances: (0..minutes)
                .map(|_| ScanInstance {
                    typical_attenuation_db: db,
                    min_attenuation_db: db,
                    seconds_since_last_scan: 60,
                })
                .collect(),
        };
        let near = daily_summaries(&[window(55, 20)], &rules.scoring);
        assert_eq!(near[0].score, 1200.0);
        assert!(is_exposed(&near[0], &rules.scoring));
        let far = daily_summaries(&[window(80, 2)], &rules.scoring);
        assert!(!is_exposed(&far[0], &rules.scoring));
        let brief = daily_summaries(&[window(55, 10)], &rules.scoring);
        assert!(!is_exposed(&brief[0], &rules.scoring));
    }

    #[test]
    fn codes_and_report_types() {
        assert_eq!(code_well_formed("code", " 12345678 ").unwrap(), "12345678");
        assert!(code_well_formed("code", "1234567").is_err());
        assert!(code_well_formed("code", "1234567a").is_err());
        for name in OFFICIAL_REPORT_TYPES {
            let t = parse_official_report_type("t", name).unwrap();
            assert_eq!(report_type_name(t), name);
            assert_eq!(report_type_from_name(name), t);
        }
        assert!(parse_official_report_type("t", "recursive").is_err());
        assert_eq!(ContactLevel::parse("l", "F2").unwrap(), ContactLevel::F2);
        assert!(ContactLevel::parse("l", "F3").is_err());
    }
}
