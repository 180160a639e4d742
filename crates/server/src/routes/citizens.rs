//! Citizens' records for officials: only inside their jurisdiction, every read audited
//! (the store's `staff_*` methods write the audit row with the read).

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{can, May};
use crate::error::ApiResult;
use crate::input::{bounded, ApiPath, ApiQuery};
use crate::openapi::answers::{Malformed, NotFound, Session, Unprocessable};
use crate::routes::views::{unit_view, FamilyMemberView, UnitView, UnitViews};
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// This module's routes and their part of the OpenAPI document (paths under `/api/v1`).
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_citizens))
        .routes(routes!(get_citizen))
}

#[derive(Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct CitizenQuery {
    /// Part of a name or phone number.
    q: Option<String>,
    /// At most this many (default 50).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct CitizenRow {
    id: i64,
    phone: String,
    full_name: Option<String>,
    unit: Option<UnitView>,
    family_count: i64,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct CitizenDetail {
    id: i64,
    phone: String,
    full_name: Option<String>,
    unit: Option<UnitView>,
    family: Vec<FamilyMemberView>,
    created_at: String,
}

/// Citizens whose home unit is in the caller's jurisdiction (audited).
#[utoipa::path(get, path = "/citizens", tag = "citizens", security(("bearer" = [])), params(CitizenQuery),
    responses((status = 200, body = [CitizenRow]), Session, Malformed, Unprocessable))]
pub(crate) async fn list_citizens(
    State(state): State<AppState>,
    staff: May<can::ReadCitizens>,
    ApiQuery(q): ApiQuery<CitizenQuery>,
) -> ApiResult<Json<Vec<CitizenRow>>> {
    let actor = staff.actor();
    let found = state
        .store()
        .staff_list_citizens(
            actor,
            q.q.as_deref(),
            bounded("limit", q.limit, 50, 1..=500)?,
            state.now(),
        )
        .await?;
    let mut units = UnitViews::default();
    let mut rows = Vec::with_capacity(found.len());
    for s in found {
        rows.push(CitizenRow {
            unit: match s.unit {
                Some(unit) => Some(units.of(&state, unit).await?),
                None => None,
            },
            id: s.citizen.id,
            phone: s.citizen.phone,
            full_name: s.citizen.full_name,
            family_count: s.family_count,
        });
    }
    Ok(Json(rows))
}

/// One citizen's record; 403 (and an audit row) outside the caller's jurisdiction.
#[utoipa::path(get, path = "/citizens/{id}", tag = "citizens", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = CitizenDetail), Session, Malformed, NotFound))]
pub(crate) async fn get_citizen(
    State(state): State<AppState>,
    staff: May<can::ReadCitizens>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<CitizenDetail>> {
    let actor = staff.actor();
    let record = state
        .store()
        .staff_read_citizen(actor, id, state.now())
        .await?;
    Ok(Json(CitizenDetail {
        unit: match record.unit {
            Some(unit) => Some(unit_view(&state, unit).await?),
            None => None,
        },
        id: record.citizen.id,
        phone: record.citizen.phone,
        full_name: record.citizen.full_name,
        family: record
            .family
            .into_iter()
            .map(FamilyMemberView::from)
            .collect(),
        created_at: record.citizen.created_at.to_string(),
    }))
}
