//! An official's request for a case's upload code, checked before a code is drawn.

use jiff::civil::Date;
use phongdich_exposure::export::ReportType;
use serde::{Deserialize, Serialize};

use super::{parse_official_report_type, parse_onset_date};
use crate::phone::PhoneNumber;
use crate::validation::Checker;
use crate::Invalid;

/// The request as sent.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    /// The case's unit (commune or above), inside the official's jurisdiction.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::units::UnitCodeText))]
    pub unit_code: String,
    /// `confirmed_test` (default), `confirmed_clinical_diagnosis` or `self_report`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<super::OfficialReportType>))]
    pub report_type: Option<String>,
    /// Symptom onset (`YYYY-MM-DD`), if known, within the last 28 days: phones weigh contacts
    /// by days since onset.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub symptom_onset_date: Option<String>,
    /// The case's phone: the code is sent there by SMS and linked to their account.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::phone::OptionalPhoneText>))]
    pub phone: Option<String>,
}

/// A checked request (the unit is resolved by the store).
#[derive(Debug, Clone, PartialEq)]
pub struct CaseCodeRequest {
    pub unit_code: String,
    pub report_type: ReportType,
    pub onset: Option<Date>,
    pub phone: Option<PhoneNumber>,
}

impl CodeRequest {
    /// Checks every field at once; `today` is Vietnam's date.
    pub fn parse(&self, today: Date) -> Result<CaseCodeRequest, Invalid> {
        let mut c = Checker::new();
        let report_type = c.check(parse_official_report_type(
            "report_type",
            self.report_type.as_deref().unwrap_or("confirmed_test"),
        ));
        let onset = match &self.symptom_onset_date {
            Some(s) => c.check(parse_onset_date(s, today)).map(Some),
            None => Some(None),
        };
        let phone = match self.phone.as_deref().map(str::trim) {
            Some(p) if !p.is_empty() => c.check(PhoneNumber::parse("phone", p)).map(Some),
            _ => Some(None),
        };
        c.finish(|| CaseCodeRequest {
            unit_code: self.unit_code.trim().to_owned(),
            report_type: report_type.unwrap_or(ReportType::ConfirmedTest),
            onset: onset.flatten(),
            phone: phone.flatten(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(report_type: Option<&str>, onset: Option<&str>, phone: Option<&str>) -> CodeRequest {
        CodeRequest {
            unit_code: " 10 ".into(),
            report_type: report_type.map(Into::into),
            symptom_onset_date: onset.map(Into::into),
            phone: phone.map(Into::into),
        }
    }

    #[test]
    fn defaults_to_a_confirmed_test_without_onset_or_phone() {
        let today: Date = "2021-07-20".parse().unwrap();
        let checked = request(None, None, Some("  ")).parse(today).unwrap();
        assert_eq!(checked.report_type, ReportType::ConfirmedTest);
        assert_eq!((checked.onset, checked.phone), (None, None));
        assert_eq!(checked.unit_code, "10");
    }

    #[test]
    fn names_every_wrong_field() {
        let today: Date = "2021-07-20".parse().unwrap();
        let err = request(Some("recursive"), Some("2021-07-21"), Some("12"))
            .parse(today)
            .unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["report_type", "symptom_onset_date", "phone"]);
    }
}
