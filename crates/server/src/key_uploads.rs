//! Accepting a diagnosed person's keys for a verified code: the GAEN validation with the
//! profile's limits and the code's diagnosis, then the store, in one place for the API and the
//! demo seed.

use phongdich_domain::proximity::{
    report_type_from_name, validate_upload, UploadForm, UploadRules,
};
use phongdich_domain::Message;
use phongdich_store::{EnCode, NewKey, StoreError};

use crate::error::ApiError;
use crate::state::AppState;

/// What an upload stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadOutcome {
    /// Keys stored (new, or revising a key an F1 shared).
    pub inserted: u64,
    /// Keys left out because they lie too far from symptom onset.
    pub dropped: usize,
}

/// The answer to a second use of an upload token.
pub(crate) fn token_used() -> ApiError {
    ApiError::Conflict {
        code: "token_used",
        message: Message::new(
            "Mã tải lên đã được dùng",
            "The upload token was already used",
        ),
    }
}

impl AppState {
    /// Validates `form` under the code's diagnosis and onset and stores the keys, consuming the
    /// code's token. Nothing is stored when any key is refused.
    pub async fn accept_upload(
        &self,
        code: &EnCode,
        form: &UploadForm,
    ) -> Result<UploadOutcome, ApiError> {
        let now = self.now();
        let rules = &self.profile().exposure;
        let upload_rules = UploadRules {
            now,
            max_keys: rules.max_keys_per_upload,
            retention_days: rules.retention_days,
            max_days_from_onset: rules.max_days_from_onset,
            report_type: report_type_from_name(&code.report_type),
            onset_date: code.onset_day.as_deref().and_then(|d| d.parse().ok()),
        };
        let accepted = validate_upload(form, &upload_rules)?;
        let keys: Vec<NewKey> = accepted
            .iter()
            .map(|k| NewKey {
                key_hex: hex::encode(k.key.key_data),
                rolling_start: k.key.rolling_start_interval_number,
                rolling_period: k.key.rolling_period,
                transmission_risk: k.key.transmission_risk_level,
                report_type: code.report_type.clone(),
                days_since_onset: k.key.days_since_onset_of_symptoms,
                available_at: k.available_at,
            })
            .collect();
        let (_, inserted) = self
            .store()
            .store_upload(code.id, &keys, now)
            .await
            .map_err(|e| match e {
                StoreError::Conflict("token_used") => token_used(),
                e => e.into(),
            })?;
        tracing::info!(inserted, "diagnosis keys uploaded");
        Ok(UploadOutcome {
            inserted,
            dropped: form.keys.len() - accepted.len(),
        })
    }
}
