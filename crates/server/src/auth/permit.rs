//! The policy at the edge: [`May<P>`] is a staff session whose role and unit tier the domain
//! policy ([`phongdich_domain::policy`]) allows to do `P`'s action. Being an extractor of the
//! request's head, it decides before the body is read, so a refused role learns nothing from
//! validation answers; the jurisdiction of each record is then checked with
//! [`StaffUser::scope`].

use std::marker::PhantomData;
use std::ops::Deref;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use phongdich_domain::jurisdiction::Actor;
use phongdich_domain::policy::{decide, Action, Denied, Reach};
use phongdich_domain::units::Tier;
use phongdich_domain::Message;

use crate::auth::StaffUser;
use crate::error::ApiError;
use crate::state::AppState;

/// A type naming one [`Action`], so a handler's signature says what it does.
pub trait Permission {
    const ACTION: Action;
}

/// A member of staff allowed to do `P`'s action, with how far it reaches.
pub struct May<P: Permission> {
    pub staff: StaffUser,
    pub reach: Reach,
    _action: PhantomData<P>,
}

impl<P: Permission> Deref for May<P> {
    type Target = StaffUser;
    fn deref(&self) -> &StaffUser {
        &self.staff
    }
}

impl<P: Permission> FromRequestParts<AppState> for May<P> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let staff = StaffUser::from_request_parts(parts, state).await?;
        let reach = staff.may(P::ACTION)?;
        Ok(May {
            staff,
            reach,
            _action: PhantomData,
        })
    }
}

impl StaffUser {
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Asks the policy whether this member of staff may do `action` (for handlers whose callers
    /// may be staff or citizens, which cannot use [`May`]).
    pub fn may(&self, action: Action) -> Result<Reach, ApiError> {
        decide(&self.actor, action).map_err(|denied| match denied {
            Denied::Role => ApiError::forbidden_role(),
            Denied::Tier(lowest) => ApiError::Forbidden {
                code: "tier_too_low",
                message: match lowest {
                    Tier::Country => Message::new(
                        "Chỉ cán bộ cấp trung ương được làm việc này",
                        "Only national staff may do this",
                    ),
                    _ => Message::new(
                        "Chỉ cán bộ cấp tỉnh trở lên được làm việc này",
                        "Only province-level staff or higher may do this",
                    ),
                },
            },
        })
    }
}

macro_rules! permissions {
    ($($name:ident),* $(,)?) => {
        /// One marker type per [`Action`], for [`May`].
        pub mod can {
            use super::{Action, Permission};
            $(
                pub struct $name;
                impl Permission for $name {
                    const ACTION: Action = Action::$name;
                }
            )*
        }
    };
}

permissions!(
    ReadAudit,
    ManageStaff,
    RotateSigningKeys,
    ReadCitizens,
    ReadDeclarations,
    DeclareAtCheckpoint,
    ManageVenues,
    SeeOwnVenues,
    IssueCaseCodes,
    PublishKeyExports,
    ReadF1Reports,
    TraceCases,
    ManageQuarantine,
    ReadTracedPeople,
    ManageZones,
    ManageFacilities,
    AssessFacility,
    ReviseCriteriaSets,
    AnswerFeedback,
    ReadFeedback,
    HandleRiskReports,
    SetPopulation,
    OrganiseCampaigns,
    ReportCampaigns,
);
