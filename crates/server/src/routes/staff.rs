//! Staff accounts, managed by admins inside their own jurisdiction: creation, deactivation and
//! reactivation, password resets and revoking every session. Each action is audited (refusals
//! outside the admin's jurisdiction too).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use phongdich_domain::units::parse_code;
use phongdich_store::{StaffChange, StaffMember};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::staff_accounts::{create_staff_forced_change, StaffForm};
use crate::auth::{can, passwords, random_password, May, StaffUser};
use crate::error::{ApiError, ApiResult};
use crate::input::{ApiJson, ApiPath};
use crate::openapi::answers::{Conflict, JsonBody, Malformed, NotFound, Session};
use crate::routes::views::{UnitView, UnitViews};
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// This module's routes and their part of the OpenAPI document (paths under `/api/v1`).
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_staff, create_staff))
        .routes(routes!(deactivate_staff))
        .routes(routes!(reactivate_staff))
        .routes(routes!(revoke_staff_sessions))
        .routes(routes!(reset_staff_password))
}

#[derive(Serialize, ToSchema)]
pub(crate) struct StaffView {
    id: i64,
    username: String,
    full_name: String,
    role: String,
    unit: UnitView,
    active: bool,
    /// The holder has not yet replaced the password an admin set.
    must_change_password: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewStaffRequest {
    #[schema(value_type = phongdich_domain::accounts::UsernameText)]
    username: String,
    /// A temporary password (at least 12 characters, not common, not the username); left out,
    /// one is generated and shown once in the answer. Either way the holder must change it at
    /// first sign-in.
    #[serde(default)]
    password: Option<String>,
    #[schema(value_type = phongdich_domain::schema::RequiredText)]
    full_name: String,
    /// health_official, venue_staff, facility_staff, unit_reporter, checkpoint_staff or admin.
    #[schema(value_type = phongdich_domain::accounts::Role)]
    role: String,
    /// The unit the account is scoped to (inside the admin's own).
    #[schema(value_type = phongdich_domain::units::UnitCodeText)]
    unit_code: String,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct Created {
    id: i64,
    /// The generated temporary password, shown this once (absent when the admin typed one).
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<String>,
    must_change_password: bool,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResetRequest {
    /// A temporary password; left out, one is generated and shown once.
    #[serde(default)]
    password: Option<String>,
}

/// What a lifecycle action did.
#[derive(Serialize, ToSchema)]
pub(crate) struct StaffChanged {
    id: i64,
    active: bool,
    must_change_password: bool,
    /// Sessions of the account that stopped working.
    sessions_revoked: u64,
    /// A generated temporary password (password resets only), shown this once.
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<String>,
}

/// Staff accounts scoped inside the admin's jurisdiction.
#[utoipa::path(get, path = "/staff", tag = "staff", security(("bearer" = [])),
    responses((status = 200, body = [StaffView]), Session))]
pub(crate) async fn list_staff(
    State(state): State<AppState>,
    staff: May<can::ManageStaff>,
) -> ApiResult<Json<Vec<StaffView>>> {
    let actor = staff.actor();
    let members = state.store().staff_in_scope(actor).await?;
    let mut units = UnitViews::default();
    let mut out = Vec::with_capacity(members.len());
    for m in members {
        out.push(StaffView {
            unit: units.of(&state, m.unit).await?,
            id: m.id,
            username: m.username,
            full_name: m.full_name,
            role: m.role.as_str().to_owned(),
            active: m.active,
            must_change_password: m.must_change_password,
        });
    }
    Ok(Json(out))
}

/// Creates a staff account in the admin's jurisdiction.
#[utoipa::path(post, path = "/staff", tag = "staff", security(("bearer" = [])), request_body = NewStaffRequest,
    responses((status = 201, body = Created), Session, JsonBody))]
pub(crate) async fn create_staff(
    State(state): State<AppState>,
    staff: May<can::ManageStaff>,
    ApiJson(req): ApiJson<NewStaffRequest>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    // The unit must exist and lie inside the admin's own jurisdiction before anything is hashed.
    let code = parse_code("unit_code", &req.unit_code).map_err(ApiError::field)?;
    let unit = state.store().existing_unit(&code).await?;
    staff.scope(&state, &unit, "staff.create").await?;
    let generated = req.password.is_none().then(random_password);
    let form = StaffForm {
        username: req.username,
        password: req
            .password
            .or_else(|| generated.clone())
            .unwrap_or_default(),
        full_name: req.full_name,
        role: req.role,
        unit_code: code,
    };
    let id = create_staff_forced_change(state.store(), form, state.now()).await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id,
            password: generated,
            must_change_password: true,
        }),
    ))
}

/// The account `id` if it lies inside the admin's jurisdiction; a refusal is audited as `action`.
async fn target_in_scope(
    state: &AppState,
    staff: &StaffUser,
    id: i64,
    action: &'static str,
) -> ApiResult<StaffMember> {
    let target = state
        .store()
        .staff_member(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    staff.scope(state, &target.unit, action).await?;
    Ok(target)
}

/// Applies a lifecycle change and answers with the account's new state.
async fn apply(
    state: &AppState,
    staff: &StaffUser,
    target: StaffMember,
    change: StaffChange,
    password: Option<String>,
) -> ApiResult<Json<StaffChanged>> {
    let sessions_revoked = state
        .store()
        .change_staff(Some(&staff.actor), &target, &change, state.now())
        .await?;
    Ok(Json(StaffChanged {
        id: target.id,
        active: match change {
            StaffChange::Deactivate => false,
            StaffChange::Reactivate => true,
            _ => target.active,
        },
        must_change_password: target.must_change_password
            || matches!(change, StaffChange::ResetPassword { .. }),
        sessions_revoked,
        password,
    }))
}

/// An admin never deactivates their own account: the last admin of a unit would lock it out.
fn not_self(staff: &StaffUser, target: &StaffMember) -> ApiResult<()> {
    if staff.actor.staff_id == target.id {
        return Err(ApiError::Conflict {
            code: "own_account",
            message: phongdich_domain::Message::new(
                "Không thể tự khoá tài khoản của mình; hãy nhờ một quản trị viên khác",
                "You cannot deactivate your own account; ask another admin",
            ),
        });
    }
    Ok(())
}

/// Deactivates a staff account: its sessions stop at once and it cannot sign in.
#[utoipa::path(post, path = "/staff/{id}/deactivate", tag = "staff", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = StaffChanged), Session, Malformed, NotFound, Conflict))]
pub(crate) async fn deactivate_staff(
    State(state): State<AppState>,
    staff: May<can::ManageStaff>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<StaffChanged>> {
    let target = target_in_scope(&state, &staff, id, "staff.deactivate").await?;
    not_self(&staff, &target)?;
    apply(&state, &staff, target, StaffChange::Deactivate, None).await
}

/// Lets a deactivated staff account sign in again.
#[utoipa::path(post, path = "/staff/{id}/reactivate", tag = "staff", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = StaffChanged), Session, Malformed, NotFound))]
pub(crate) async fn reactivate_staff(
    State(state): State<AppState>,
    staff: May<can::ManageStaff>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<StaffChanged>> {
    let target = target_in_scope(&state, &staff, id, "staff.reactivate").await?;
    apply(&state, &staff, target, StaffChange::Reactivate, None).await
}

/// Ends every session of a staff account (a lost phone, a shared computer).
#[utoipa::path(delete, path = "/staff/{id}/sessions", tag = "staff", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = StaffChanged), Session, Malformed, NotFound))]
pub(crate) async fn revoke_staff_sessions(
    State(state): State<AppState>,
    staff: May<can::ManageStaff>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<StaffChanged>> {
    let target = target_in_scope(&state, &staff, id, "staff.revoke_sessions").await?;
    apply(&state, &staff, target, StaffChange::RevokeSessions, None).await
}

/// Sets a temporary password (typed, or generated and shown once); every session of the account
/// ends and the holder must choose a new password at next sign-in.
#[utoipa::path(post, path = "/staff/{id}/password", tag = "staff", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ResetRequest,
    responses((status = 200, body = StaffChanged), Session, JsonBody, NotFound))]
pub(crate) async fn reset_staff_password(
    State(state): State<AppState>,
    staff: May<can::ManageStaff>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<ResetRequest>,
) -> ApiResult<Json<StaffChanged>> {
    let target = target_in_scope(&state, &staff, id, "staff.reset_password").await?;
    let generated = req.password.is_none().then(random_password);
    let password = req
        .password
        .or_else(|| generated.clone())
        .unwrap_or_default();
    phongdich_domain::passwords::check("password", &password, &target.username)
        .map_err(ApiError::field)?;
    let password_hash = passwords::hash_blocking(password).await?;
    let change = StaffChange::ResetPassword { password_hash };
    apply(&state, &staff, target, change, generated).await
}
