//! Facility safety ("An toàn COVID") and area levels.
//!
//! Facilities (schools, medical facilities, workplaces, transport) answer a daily self-assessment
//! from the criteria set of their type ([`CriteriaSet`], shipped as TOML in `data/criteria/`).
//! [`assess`] checks the answers and gives the facility's colour with its reasons; a facility
//! that has not assessed itself today is grey ([`colour_for`]). Area levels 1–4 come from new
//! community cases per 100,000 people per week and the profile's `[area_levels]` thresholds
//! ([`area_level`], [`aggregate`]).

mod area;
mod assessment;
mod criteria;
mod reports;

#[cfg(test)]
mod tests;

pub use area::{aggregate, area_level, AreaCount, AreaLevel, AreaLevelError, AreaLevelRules};
pub use assessment::{assess, colour_for, Assessment, AssessmentForm, Outcome};
pub use criteria::{
    AnswerOption, Band, Basis, CriteriaSet, Criterion, PassFailRule, SetKind, ANSWER_MET,
    ANSWER_NOT_MET, MAX_CRITERIA,
};
pub use reports::{
    report_text, FacilityForm, FacilityInput, RiskAction, RiskCategory, RiskReportForm,
    RiskReportInput, RiskStatus, MAX_ADDRESS_CHARS, MAX_FACILITY_NAME_CHARS, MAX_REPORT_CHARS,
};

use serde::{Deserialize, Serialize};

use crate::{FieldError, Message};

/// The kinds of facility that assess themselves (SPEC §6), each with its own criteria set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FacilityType {
    School,
    Medical,
    /// Workplaces, industrial zones and worker dormitories.
    Workplace,
    /// Stations, ports, bus terminals and passenger vehicles.
    Transport,
}

impl FacilityType {
    pub const ALL: &'static [FacilityType] = &[
        FacilityType::School,
        FacilityType::Medical,
        FacilityType::Workplace,
        FacilityType::Transport,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FacilityType::School => "school",
            FacilityType::Medical => "medical",
            FacilityType::Workplace => "workplace",
            FacilityType::Transport => "transport",
        }
    }

    /// Vietnamese and English labels.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            FacilityType::School => ("Trường học", "School"),
            FacilityType::Medical => ("Cơ sở y tế", "Medical facility"),
            FacilityType::Workplace => ("Nơi làm việc, khu công nghiệp", "Workplace"),
            FacilityType::Transport => ("Vận tải hành khách", "Passenger transport"),
        }
    }

    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        Self::ALL
            .iter()
            .copied()
            .find(|t| t.as_str() == input.trim())
            .ok_or_else(|| {
                let names = Self::ALL
                    .iter()
                    .map(|t| t.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                FieldError::new(
                    field,
                    "choice_unknown",
                    format!("Loại cơ sở {input:?} không hợp lệ; chọn một trong: {names}"),
                    format!("{input:?} is not a facility type; choose one of: {names}"),
                )
            })
    }
}

/// A facility's colour on the map. An assessment gives green, yellow or red; grey means the
/// facility has not assessed itself today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SafetyColour {
    Green,
    Yellow,
    Red,
    Grey,
}

impl SafetyColour {
    pub fn as_str(self) -> &'static str {
        match self {
            SafetyColour::Green => "green",
            SafetyColour::Yellow => "yellow",
            SafetyColour::Red => "red",
            SafetyColour::Grey => "grey",
        }
    }

    /// What the colour means, for a legend.
    pub fn label(self) -> Message {
        match self {
            SafetyColour::Green => Message::new("An toàn", "Safe"),
            SafetyColour::Yellow => Message::new("Có nguy cơ", "At risk"),
            SafetyColour::Red => Message::new("Không an toàn", "Unsafe"),
            SafetyColour::Grey => Message::new("Chưa tự đánh giá hôm nay", "Not assessed today"),
        }
    }
}
