//! The audit log, readable by admins for the staff of their jurisdiction.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{can, May};
use crate::error::{ApiResult, Problem};
use crate::input::ApiQuery;
use crate::state::AppState;

#[derive(Deserialize, IntoParams, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuditQuery {
    /// Newest this many rows (1–1000, default 100).
    limit: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct AuditView {
    id: i64,
    at: String,
    /// Username of the member of staff.
    actor: String,
    role: String,
    /// Unit the member of staff is scoped to.
    scope_unit: String,
    action: String,
    subject: String,
    unit_code: Option<String>,
    /// allowed or denied.
    outcome: String,
}

/// The newest audit rows of staff inside the admin's jurisdiction.
#[utoipa::path(get, path = "/api/v1/audit", tag = "staff", security(("bearer" = [])), params(AuditQuery),
    responses((status = 200, body = [AuditView]), (status = 403, body = Problem)))]
pub(crate) async fn list_audit(
    State(state): State<AppState>,
    staff: May<can::ReadAudit>,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Json<Vec<AuditView>>> {
    let actor = staff.actor();
    let rows = state
        .store()
        .audit_log(actor, q.limit.unwrap_or(100))
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| AuditView {
                id: r.id,
                at: r.at.0.to_string(),
                actor: r.username,
                role: r.role,
                scope_unit: r.scope_unit,
                action: r.action,
                subject: r.subject,
                unit_code: r.unit_code,
                outcome: r.outcome,
            })
            .collect(),
    ))
}
