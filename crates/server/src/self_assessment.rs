//! Recording a facility's daily self-assessment: the criteria set in force for its type, the
//! domain's check and colour, the store, and the map's live update. The API and the demo seed
//! both go through here.

use phongdich_domain::safety::{assess, AssessmentForm, CriteriaSet, FacilityType};
use phongdich_domain::time::vietnam_date;
use phongdich_store::{Facility, StoredAssessment};

use crate::error::ApiError;
use crate::map::Layer;
use crate::state::AppState;

/// The layer a facility is drawn on.
pub(crate) fn layer_of(f: &Facility) -> Layer {
    if f.facility_type == FacilityType::Medical {
        Layer::MedicalFacilities
    } else {
        Layer::FacilitySafety
    }
}

impl AppState {
    /// The criteria set in force for a facility type: the newest an official published, else
    /// the shipped one.
    pub async fn criteria_set(&self, t: FacilityType) -> Result<CriteriaSet, ApiError> {
        match self.store().criteria_set_version(t, None).await? {
            Some(stored) => serde_json::from_str(&stored.body)
                .map_err(|e| ApiError::Internal(anyhow::anyhow!("stored criteria set: {e}"))),
            None => Ok(CriteriaSet::shipped_for(t).clone()),
        }
    }

    /// Checks `form` against the facility's set for today, stores it (replacing an earlier one
    /// of the day) and tells open maps. The caller has checked that `staff_id` may assess.
    pub async fn record_assessment(
        &self,
        facility: &Facility,
        staff_id: Option<i64>,
        form: &AssessmentForm,
    ) -> Result<StoredAssessment, ApiError> {
        let set = self.criteria_set(facility.facility_type).await?;
        let now = self.now();
        let checked = assess(&set, form, vietnam_date(now))?;
        let stored = StoredAssessment {
            facility_id: facility.id,
            day: checked.day.to_string(),
            set_id: checked.set_id,
            set_version: checked.set_version,
            answers: checked.answers,
            colour: checked.colour,
            outcome: serde_json::to_value(&checked.outcome).map_err(anyhow::Error::from)?,
            reasons: checked.reasons,
            submitted_by: staff_id,
            submitted_at: now,
        };
        self.store().save_assessment(&stored).await?;
        tracing::info!(
            facility = facility.id,
            colour = stored.colour.as_str(),
            "self-assessment"
        );
        self.map_changed(&[layer_of(facility)]);
        Ok(stored)
    }
}
