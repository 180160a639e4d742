//! "I may be F1": the report a citizen's phone sends after a match, checked before any key is
//! looked up.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::ExposureRules;
use crate::validation::Checker;
use crate::{FieldError, Invalid};

/// Highest daily score a phone can report: weighted seconds over a day, with the strongest
/// attenuation weight (2.5).
pub const MAX_SCORE: f64 = 86_400.0 * 2.5;

/// A citizen's report of an exposure their phone found.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct F1ReportForm {
    /// The exposure's day (`YYYY-MM-DD`, UTC as the phone reports it), within the keys'
    /// retention period.
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub exposure_date: String,
    /// The day's score in weighted seconds.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 216000))]
    pub score: f64,
    /// Minutes of contact that day.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1440))]
    pub minutes: f64,
    /// Hex of the diagnosis keys that matched (public: they were in an export).
    #[cfg_attr(feature = "openapi", schema(min_items = 1, value_type = Vec<KeyHex>))]
    pub matched_keys: Vec<String>,
    /// Consent to upload one's own keys so one's contacts are warned as F2.
    #[serde(default)]
    pub share_keys: bool,
}

crate::schema::string_pattern!(
    /// A temporary exposure key in hex (16 bytes).
    pub(crate) KeyHex = "^[0-9A-Fa-f]{32}$"
);

/// A checked report: the keys are lowercase hex, as the store keeps them.
#[derive(Debug, Clone, PartialEq)]
pub struct F1Claim {
    pub exposure_date: Date,
    pub score: f64,
    pub minutes: f64,
    pub matched_keys: Vec<String>,
    pub share_keys: bool,
}

impl F1ReportForm {
    /// Checks every field at once; `today` is the UTC date the phone's days are counted in.
    pub fn parse(&self, today: Date, rules: &ExposureRules) -> Result<F1Claim, Invalid> {
        let mut c = Checker::new();
        let within_retention = |d: Date| {
            d <= today
                && today
                    .since(d)
                    .is_ok_and(|s| i64::from(s.get_days()) <= rules.retention_days)
        };
        let day = c.check(
            self.exposure_date
                .trim()
                .parse::<Date>()
                .ok()
                .filter(|d| within_retention(*d))
                .ok_or_else(|| {
                    FieldError::new(
                        "exposure_date",
                        "exposure_date_invalid",
                        format!(
                            "Ngày tiếp xúc phải có dạng YYYY-MM-DD, trong {} ngày qua",
                            rules.retention_days
                        ),
                        format!(
                            "The exposure date must be YYYY-MM-DD within the last {} days",
                            rules.retention_days
                        ),
                    )
                }),
        );
        if !(0.0..=MAX_SCORE).contains(&self.score) {
            c.push(FieldError::new(
                "score",
                "score_range",
                "Điểm không hợp lệ",
                "The score is out of range",
            ));
        }
        if !(0.0..=1440.0).contains(&self.minutes) {
            c.push(FieldError::new(
                "minutes",
                "minutes_range",
                "Số phút phải từ 0 đến 1440",
                "Minutes must be 0 to 1440",
            ));
        }
        let keys_ok = (1..=rules.max_keys_per_upload).contains(&self.matched_keys.len())
            && self
                .matched_keys
                .iter()
                .all(|k| k.len() == 32 && k.bytes().all(|b| b.is_ascii_hexdigit()));
        if !keys_ok {
            c.push(FieldError::new(
                "matched_keys",
                "matched_keys_malformed",
                format!(
                    "Cần từ 1 đến {} khóa khớp, mỗi khóa 32 ký tự hex",
                    rules.max_keys_per_upload
                ),
                format!(
                    "Give 1 to {} matched keys, each 32 hex characters",
                    rules.max_keys_per_upload
                ),
            ));
        }
        c.finish(|| F1Claim {
            exposure_date: day.unwrap_or(today),
            score: self.score,
            minutes: self.minutes,
            matched_keys: self
                .matched_keys
                .iter()
                .map(|k| k.to_ascii_lowercase())
                .collect(),
            share_keys: self.share_keys,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> ExposureRules {
        crate::profile::Profile::covid19_2021().exposure.clone()
    }

    fn form() -> F1ReportForm {
        F1ReportForm {
            exposure_date: "2021-07-18".into(),
            score: 900.0,
            minutes: 20.0,
            matched_keys: vec!["00112233445566778899AABBCCDDEEFF".into()],
            share_keys: false,
        }
    }

    #[test]
    fn a_recent_report_is_accepted_with_its_keys_lowercased() {
        let today = Date::new(2021, 7, 20).unwrap();
        let claim = form().parse(today, &rules()).unwrap();
        assert_eq!(claim.exposure_date, Date::new(2021, 7, 18).unwrap());
        assert_eq!(claim.matched_keys, ["00112233445566778899aabbccddeeff"]);
    }

    #[test]
    fn every_wrong_field_is_named_at_once() {
        let today = Date::new(2021, 7, 20).unwrap();
        let bad = F1ReportForm {
            exposure_date: "2021-07-21".into(),
            score: -1.0,
            minutes: 2000.0,
            matched_keys: vec!["zz".into()],
            share_keys: true,
        };
        let codes: Vec<_> = bad
            .parse(today, &rules())
            .unwrap_err()
            .0
            .iter()
            .map(|e| e.code)
            .collect();
        assert_eq!(
            codes,
            [
                "exposure_date_invalid",
                "score_range",
                "minutes_range",
                "matched_keys_malformed"
            ]
        );
    }
}
