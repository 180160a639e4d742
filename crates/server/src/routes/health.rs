//! `GET /healthz`: the process is up and its database answers (SPEC §10). `GET /readyz`: the
//! same question for a load balancer, answered within two seconds and as a 503 problem when the
//! database does not answer, so the front sends this instance no traffic until it recovers.

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult};
use crate::openapi::answers::Unavailable;
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

/// Readiness for a load balancer: 200 `{"status":"ok"}` while the database answers within two
/// seconds, else 503 `unavailable`.
#[utoipa::path(get, path = "/readyz", tag = "system",
    responses((status = 200, body = Health), Unavailable))]
pub(crate) async fn readyz(State(state): State<AppState>) -> ApiResult<Json<Health>> {
    match tokio::time::timeout(std::time::Duration::from_secs(2), state.store().ping()).await {
        Ok(Ok(())) => Ok(Json(Health { status: "ok" })),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "not ready: the database does not answer");
            Err(ApiError::unavailable())
        }
        Err(_) => {
            tracing::warn!("not ready: the database did not answer within two seconds");
            Err(ApiError::unavailable())
        }
    }
}
