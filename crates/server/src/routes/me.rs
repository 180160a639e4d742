//! The signed-in caller's own account: profile, family members, and a staff member's own
//! password change (the one call a session restricted by a forced change may make).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use phongdich_domain::accounts::{FamilyMemberInput, MAX_NAME_CHARS};
use phongdich_domain::units::parse_code;
use phongdich_domain::validation::{required_text, Checker};
use phongdich_store::Subject;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::me_data;
use crate::auth::{passwords, AnySession, CitizenUser};
use crate::client_addr::ClientAddr;
use crate::error::{ApiError, ApiResult};
use crate::input::{ApiJson, ApiPath};
use crate::openapi::answers::{
    Conflict, Forbidden, JsonBody, Malformed, NotFound, Session, TooMany, Unauthenticated,
};
use crate::routes::views::{unit_view, FamilyMemberView, UnitView, UnitViews};
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// This module's routes and their part of the OpenAPI document (paths under `/api/v1`).
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_me, update_me, me_data::delete_me))
        .routes(routes!(change_password))
        .routes(routes!(add_family_member))
        .routes(routes!(remove_family_member))
}

/// The caller's account: a citizen with family, or a member of staff with role and unit.
#[derive(Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Me {
    Citizen {
        id: i64,
        phone: String,
        full_name: Option<String>,
        unit: Option<UnitView>,
        family: Vec<FamilyMemberView>,
        /// The code of the unit (office, school, commune) the citizen gave for campaigns.
        org_unit: Option<String>,
    },
    Staff {
        id: i64,
        username: String,
        full_name: String,
        role: String,
        unit: UnitView,
        /// Only `POST /api/v1/me/password` answers until the password is changed.
        must_change_password: bool,
    },
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PasswordChange {
    /// The current (or temporary) password.
    old_password: String,
    /// At least 12 characters, not a common password, not containing the username.
    #[schema(pattern = "\\S")]
    new_password: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProfileUpdate {
    #[schema(value_type = Option<phongdich_domain::schema::RequiredText>)]
    full_name: Option<String>,
    /// Code of the home commune (or any unit) from `/api/v1/units`.
    #[schema(value_type = Option<phongdich_domain::units::UnitCodeText>)]
    unit_code: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewFamilyMember {
    #[schema(value_type = phongdich_domain::schema::RequiredText)]
    full_name: String,
    /// From 1900 up to this year.
    #[schema(minimum = 1900, maximum = 2100)]
    birth_year: i64,
    /// spouse, child, parent, grandparent, grandchild, sibling or other.
    #[schema(value_type = phongdich_domain::accounts::Relation)]
    relation: String,
}

async fn citizen_me(state: &AppState, citizen_id: i64) -> ApiResult<Me> {
    let citizen = state
        .store()
        .citizen(citizen_id)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    let family = state.store().family(citizen_id).await?;
    Ok(Me::Citizen {
        id: citizen.id,
        phone: citizen.phone,
        full_name: citizen.full_name,
        unit: UnitViews::default()
            .by_code(state, citizen.unit_code.as_deref())
            .await?,
        family: family.into_iter().map(FamilyMemberView::from).collect(),
        org_unit: state.store().citizen_org_unit(citizen_id).await?,
    })
}

/// Who am I: the account behind the bearer token.
#[utoipa::path(get, path = "/me", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = Me), Unauthenticated))]
pub(crate) async fn get_me(
    State(state): State<AppState>,
    session: AnySession,
) -> ApiResult<Json<Me>> {
    Ok(Json(match session.caller.subject {
        Subject::Citizen { citizen_id } => citizen_me(&state, citizen_id).await?,
        Subject::Staff(actor) => Me::Staff {
            id: actor.staff_id,
            username: actor.username,
            full_name: actor.full_name,
            role: actor.role.as_str().to_owned(),
            unit: unit_view(&state, actor.unit).await?,
            must_change_password: session.must_change_password,
        },
    }))
}

/// A member of staff replaces their password (the temporary one after a reset or an admin's
/// creation, or their own). The old password is required; every other session ends.
#[utoipa::path(post, path = "/me/password", tag = "account", security(("bearer" = [])), request_body = PasswordChange,
    responses((status = 204), Unauthenticated, Forbidden, JsonBody, TooMany))]
pub(crate) async fn change_password(
    State(state): State<AppState>,
    client: ClientAddr,
    session: AnySession,
    ApiJson(req): ApiJson<PasswordChange>,
) -> ApiResult<StatusCode> {
    let Subject::Staff(actor) = session.caller.subject else {
        return Err(ApiError::Forbidden {
            code: "staff_only",
            message: phongdich_domain::Message::new(
                "Chức năng này dành cho cán bộ",
                "This is for staff accounts",
            ),
        });
    };
    // A stolen restricted token must not become an oracle for the old password.
    state.inner.limits.login_attempt(&client)?;
    let attempt = state
        .begin_password_attempt(&actor.username, &client, Some(actor.staff_id))
        .await?;
    let mut c = Checker::new();
    c.check(phongdich_domain::passwords::check(
        "new_password",
        &req.new_password,
        &actor.username,
    ));
    if req.new_password == req.old_password {
        c.push(phongdich_domain::FieldError::new(
            "new_password",
            "password_unchanged",
            "Mật khẩu mới phải khác mật khẩu cũ",
            "The new password must differ from the old one",
        ));
    }
    c.finish(|| ())?;
    let stored = state
        .store()
        .staff_password_hash(actor.staff_id)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    let old = req.old_password;
    let ok = tokio::task::spawn_blocking(move || passwords::verify(&old, &stored))
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    if !ok {
        return Err(ApiError::field(phongdich_domain::FieldError::new(
            "old_password",
            "password_wrong",
            "Mật khẩu hiện tại không đúng",
            "The current password is wrong",
        )));
    }
    state.password_succeeded(attempt, actor.staff_id).await?;
    let hash = passwords::hash_blocking(req.new_password).await?;
    state
        .store()
        .change_own_password(&actor, &hash, &session.caller.token_hash, state.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets the citizen's name and home unit.
#[utoipa::path(patch, path = "/me", tag = "account", security(("bearer" = [])), request_body = ProfileUpdate,
    responses((status = 200, body = Me), Session, JsonBody))]
pub(crate) async fn update_me(
    State(state): State<AppState>,
    user: CitizenUser,
    ApiJson(req): ApiJson<ProfileUpdate>,
) -> ApiResult<Json<Me>> {
    let mut c = Checker::new();
    let full_name = req
        .full_name
        .as_deref()
        .and_then(|n| c.check(required_text("full_name", n, MAX_NAME_CHARS)));
    let unit_code = req
        .unit_code
        .as_deref()
        .and_then(|u| c.check(parse_code("unit_code", u)));
    c.finish(|| ())?;
    state
        .store()
        .update_citizen_profile(user.citizen_id, full_name.as_deref(), unit_code.as_deref())
        .await?;
    Ok(Json(citizen_me(&state, user.citizen_id).await?))
}

/// Adds a family member (dependent) to the citizen's account.
#[utoipa::path(post, path = "/me/family", tag = "account", security(("bearer" = [])), request_body = NewFamilyMember,
    responses((status = 201, body = FamilyMemberView), Session, JsonBody, Conflict))]
pub(crate) async fn add_family_member(
    State(state): State<AppState>,
    user: CitizenUser,
    ApiJson(req): ApiJson<NewFamilyMember>,
) -> ApiResult<(StatusCode, Json<FamilyMemberView>)> {
    let now = state.now();
    let year = now.to_zoned(jiff::tz::TimeZone::UTC).year();
    let member = FamilyMemberInput::parse(&req.full_name, req.birth_year, &req.relation, year)?;
    let stored = state
        .store()
        .add_family_member(user.citizen_id, &member, now)
        .await?;
    Ok((StatusCode::CREATED, Json(stored.into())))
}

/// Removes one of the citizen's family members.
#[utoipa::path(delete, path = "/me/family/{id}", tag = "account", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 204), Session, Malformed, NotFound))]
pub(crate) async fn remove_family_member(
    State(state): State<AppState>,
    user: CitizenUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state
        .store()
        .remove_family_member(user.citizen_id, id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
