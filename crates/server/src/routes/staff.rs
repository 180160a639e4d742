//! Staff accounts, managed by admins inside their own jurisdiction.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use phongdich_domain::units::parse_code;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{can, May};
use crate::auth::staff_accounts::{create_staff as create_account, StaffForm};
use crate::error::{ApiError, ApiResult, Problem};
use crate::input::ApiJson;
use crate::routes::views::{UnitView, UnitViews};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub(crate) struct StaffView {
    id: i64,
    username: String,
    full_name: String,
    role: String,
    unit: UnitView,
    active: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewStaffRequest {
    username: String,
    /// At least 10 characters.
    password: String,
    full_name: String,
    /// health_official, venue_staff, facility_staff, unit_reporter or admin.
    role: String,
    /// The unit the account is scoped to (inside the admin's own).
    unit_code: String,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct Created {
    id: i64,
}

/// Staff accounts scoped inside the admin's jurisdiction.
#[utoipa::path(get, path = "/api/v1/staff", tag = "staff", security(("bearer" = [])),
    responses((status = 200, body = [StaffView]), (status = 403, body = Problem)))]
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
        });
    }
    Ok(Json(out))
}

/// Creates a staff account in the admin's jurisdiction.
#[utoipa::path(post, path = "/api/v1/staff", tag = "staff", security(("bearer" = [])), request_body = NewStaffRequest,
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn create_staff(
    State(state): State<AppState>,
    staff: May<can::ManageStaff>,
    ApiJson(req): ApiJson<NewStaffRequest>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    // The unit must exist and lie inside the admin's own jurisdiction before anything is hashed.
    let code = parse_code("unit_code", &req.unit_code).map_err(ApiError::field)?;
    let unit = state.store().existing_unit(&code).await?;
    staff.scope(&state, &unit, "staff.create").await?;
    let form = StaffForm {
        username: req.username,
        password: req.password,
        full_name: req.full_name,
        role: req.role,
        unit_code: code,
    };
    let id = create_account(state.store(), form, state.now()).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}
