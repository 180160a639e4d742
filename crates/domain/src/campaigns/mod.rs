//! Adoption campaigns (SPEC §7): units of government and work (agencies, schools, companies,
//! communes) with their head counts, campaigns that set targets such as "100% of civil servants
//! with a smartphone" or "50% of smartphone users" by a deadline with reporting dates, the
//! counts units report, and the progress a dashboard shows (reported beside measured, expected
//! by now, behind schedule, late to report, totals).

mod campaign;
mod org_unit;
mod progress;
mod report;

#[cfg(test)]
mod tests;

pub use campaign::{Campaign, CampaignForm, Goal, Target, TargetForm, MAX_CAMPAIGN_UNITS};
pub use org_unit::{HeadCounts, OrgKind, OrgUnit, OrgUnitForm, ORG_CODE_MAX};
pub use progress::{due_date, progress, reminder_due, totals, TargetProgress, UnitProgress};
pub use report::{Report, ReportForm};

use serde::{Deserialize, Serialize};

use crate::{FieldError, Message};

/// Whom a target counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Population {
    /// Everyone on the unit's staff.
    Staff,
    /// Staff who own a smartphone ("100% cán bộ có điện thoại thông minh").
    StaffSmartphone,
    /// Residents of a commune.
    Residents,
    /// Residents who use a smartphone ("trên 50% người dùng điện thoại thông minh").
    SmartphoneUsers,
    /// Public venues that should register a QR code.
    Venues,
}

impl Population {
    pub const ALL: &'static [Population] = &[
        Population::Staff,
        Population::StaffSmartphone,
        Population::Residents,
        Population::SmartphoneUsers,
        Population::Venues,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Population::Staff => "staff",
            Population::StaffSmartphone => "staff_smartphone",
            Population::Residents => "residents",
            Population::SmartphoneUsers => "smartphone_users",
            Population::Venues => "venues",
        }
    }

    pub fn label(self) -> Message {
        match self {
            Population::Staff => Message::new("Cán bộ, nhân viên", "Staff"),
            Population::StaffSmartphone => {
                Message::new("Cán bộ có điện thoại thông minh", "Staff with a smartphone")
            }
            Population::Residents => Message::new("Người dân", "Residents"),
            Population::SmartphoneUsers => {
                Message::new("Người dùng điện thoại thông minh", "Smartphone users")
            }
            Population::Venues => Message::new("Địa điểm công cộng", "Public venues"),
        }
    }

    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        Self::ALL
            .iter()
            .copied()
            .find(|p| p.as_str() == input.trim())
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|p| p.as_str()).collect();
                FieldError::new(
                    field,
                    "choice_unknown",
                    format!(
                        "Nhóm {input:?} không hợp lệ; chọn một trong: {}",
                        names.join(", ")
                    ),
                    format!(
                        "{input:?} is not a population; choose one of: {}",
                        names.join(", ")
                    ),
                )
            })
    }
}

/// A count as sent: any JSON integer, so a negative number gets a clear message rather than a
/// type error.
/// The largest head count or reported count: more people than any country has, so a typing
/// slip is caught before it skews every percentage.
pub const MAX_COUNT: i64 = 1_000_000_000;

pub(crate) fn count(field: &str, n: i64) -> Result<u64, FieldError> {
    if n > MAX_COUNT {
        return Err(FieldError::new(
            field,
            "count_too_large",
            format!("Số lượng tối đa là {MAX_COUNT}"),
            format!("A count is at most {MAX_COUNT}"),
        ));
    }
    u64::try_from(n).map_err(|_| {
        FieldError::new(
            field,
            "count_negative",
            "Số lượng không được âm",
            "A count cannot be negative",
        )
    })
}
