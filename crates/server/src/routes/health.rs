//! `GET /healthz`: the process is up and its database answers.

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiResult;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub(crate) struct Health {
    /// Always `ok` when the answer is 200.
    status: &'static str,
}

/// Liveness and readiness: 200 `{"status":"ok"}` when the store answers.
#[utoipa::path(get, path = "/healthz", tag = "system", responses((status = 200, body = Health)))]
pub(crate) async fn healthz(State(state): State<AppState>) -> ApiResult<Json<Health>> {
    state.store().ping().await?;
    Ok(Json(Health { status: "ok" }))
}
