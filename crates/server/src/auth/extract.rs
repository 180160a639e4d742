//! Extractors: a handler that takes [`CitizenUser`] or [`StaffUser`] runs only for a valid
//! session of that kind; [`StaffUser::require`] is the role check and [`StaffUser::scope`] the
//! jurisdiction check (refusals audited). Handlers never look at tokens or roles themselves.
//! A staff account that must change its password gets a restricted session: every extractor
//! refuses it except [`AnySession`], which only the password change, `GET /me` and logout take.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use phongdich_domain::audit::{AuditEvent, Outcome};
use phongdich_domain::jurisdiction::Actor;
use phongdich_domain::units::Unit;
use phongdich_store::Subject;

use crate::auth::tokens::token_hash;
use crate::error::ApiError;
use crate::state::AppState;

/// Any signed-in caller, with the hash of the token they presented (for logout).
#[derive(Debug, Clone)]
pub struct Caller {
    pub subject: Subject,
    pub token_hash: String,
}

/// Any valid session, including one restricted to choosing a new password.
#[derive(Debug, Clone)]
pub struct AnySession {
    pub caller: Caller,
    /// The account must change its password before any other call.
    pub must_change_password: bool,
}

/// A signed-in citizen.
#[derive(Debug, Clone, Copy)]
pub struct CitizenUser {
    pub citizen_id: i64,
}

/// A signed-in member of staff.
#[derive(Debug, Clone)]
pub struct StaffUser {
    pub actor: Actor,
}

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

impl FromRequestParts<AppState> for AnySession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts).ok_or(ApiError::Unauthenticated)?;
        let hash = token_hash(token);
        let session = state
            .store()
            .session_state(&hash, state.now())
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        Ok(AnySession {
            caller: Caller {
                subject: session.subject,
                token_hash: hash,
            },
            must_change_password: session.must_change_password,
        })
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let session = AnySession::from_request_parts(parts, state).await?;
        if session.must_change_password {
            return Err(ApiError::Forbidden {
                code: "password_change_required",
                message: phongdich_domain::Message::new(
                    "Hãy đổi mật khẩu trước khi tiếp tục (POST /api/v1/me/password)",
                    "Change your password before anything else (POST /api/v1/me/password)",
                ),
            });
        }
        Ok(session.caller)
    }
}

/// A caller who may be signed in: `None` without a token or with one that is not valid (for
/// public pages that audit who among staff opened them).
impl axum::extract::OptionalFromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, ApiError> {
        match <Caller as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(c) => Ok(Some(c)),
            Err(ApiError::Unauthenticated) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

impl FromRequestParts<AppState> for CitizenUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match Caller::from_request_parts(parts, state).await?.subject {
            Subject::Citizen { citizen_id } => Ok(CitizenUser { citizen_id }),
            Subject::Staff(_) => Err(ApiError::Forbidden {
                code: "citizens_only",
                message: phongdich_domain::Message::new(
                    "Chức năng này dành cho người dân",
                    "This is for citizens' accounts",
                ),
            }),
        }
    }
}

impl FromRequestParts<AppState> for StaffUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match Caller::from_request_parts(parts, state).await?.subject {
            Subject::Staff(actor) => Ok(StaffUser { actor }),
            Subject::Citizen { .. } => Err(ApiError::Forbidden {
                code: "staff_only",
                message: phongdich_domain::Message::new(
                    "Chức năng này dành cho cán bộ",
                    "This is for staff accounts",
                ),
            }),
        }
    }
}

impl StaffUser {
    /// Passes when `unit` is inside the staff member's jurisdiction; otherwise records the
    /// refused `action` in the audit log and answers 403.
    pub async fn scope(
        &self,
        state: &AppState,
        unit: &Unit,
        action: &'static str,
    ) -> Result<(), ApiError> {
        if self.actor.covers(&unit.path) {
            return Ok(());
        }
        let event = AuditEvent {
            action,
            subject: format!("unit:{}", unit.code),
            unit_code: Some(unit.code.clone()),
            outcome: Outcome::Denied,
        };
        state
            .store()
            .record_audit(&self.actor, &event, state.now())
            .await?;
        Err(ApiError::out_of_jurisdiction())
    }
}
