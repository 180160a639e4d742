//! Administrative units: children of a unit, lookup by code, search by name with or without
//! Vietnamese diacritics. Public: units are not personal data.

use axum::extract::State;
use axum::Json;
use phongdich_domain::units::{parse_code, Unit, ROOT_CODE};
use phongdich_store::StoreError;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ApiResult};
use crate::input::{bounded, ApiPath, ApiQuery};
use crate::openapi::answers::{Malformed, NotFound, Unprocessable};
use crate::routes::views::{unit_view, UnitView, UnitViews};
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// This module's routes and their part of the OpenAPI document (paths under `/api/v1`).
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_units))
        .routes(routes!(search_units))
        .routes(routes!(get_unit))
}

#[derive(Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChildrenQuery {
    /// Parent unit code; the provinces when absent.
    parent: Option<String>,
}

#[derive(Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct SearchQuery {
    /// Part of a name, accents optional: `bac ha` finds `Bắc Hà`.
    #[param(min_length = 2, max_length = 100)]
    q: String,
    /// At most this many results (default 20).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
}

async fn views(
    state: &AppState,
    units: Vec<phongdich_domain::units::Unit>,
) -> ApiResult<Vec<UnitView>> {
    let mut views = UnitViews::default();
    let mut out = Vec::with_capacity(units.len());
    for unit in units {
        out.push(views.of(state, unit).await?);
    }
    Ok(out)
}

/// The units directly under `parent` (the provinces when no parent is given).
#[utoipa::path(get, path = "/units", operation_id = "units_list_units", tag = "units", params(ChildrenQuery),
    responses((status = 200, body = [UnitView]), Malformed, Unprocessable))]
pub(crate) async fn list_units(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ChildrenQuery>,
) -> ApiResult<Json<Vec<UnitView>>> {
    let parent = match q.parent {
        Some(p) => parse_code("parent", &p).map_err(ApiError::field)?,
        None => ROOT_CODE.to_owned(),
    };
    if state.store().unit(&parent).await?.is_none() {
        return Err(ApiError::field(phongdich_domain::units::unknown_unit(
            "parent", &parent,
        )));
    }
    let children = state.store().unit_children(&parent).await?;
    Ok(Json(views(&state, children).await?))
}

/// One unit by its official code.
#[utoipa::path(get, path = "/units/{code}", tag = "units", params(("code" = String, Path)),
    responses((status = 200, body = UnitView), Malformed, NotFound))]
pub(crate) async fn get_unit(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<UnitView>> {
    let unit = state
        .store()
        .unit(code.trim())
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(unit_view(&state, unit).await?))
}

/// Units whose name contains the query, accents and case ignored; best matches first.
#[utoipa::path(get, path = "/units/search", tag = "units", params(SearchQuery),
    responses((status = 200, body = [UnitView]), Malformed, Unprocessable))]
pub(crate) async fn search_units(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> ApiResult<Json<Vec<UnitView>>> {
    let query = q.q.trim();
    if query.chars().count() < 2 || query.chars().count() > 100 {
        return Err(ApiError::field(phongdich_domain::FieldError::new(
            "q",
            "query_length",
            "Nhập từ 2 đến 100 ký tự",
            "Type 2 to 100 characters",
        )));
    }
    let found = state
        .store()
        .search_units(query, bounded("limit", q.limit, 20, 1..=100)?)
        .await?;
    Ok(Json(views(&state, found).await?))
}

/// A store error as the answer to a request that named a unit in `field`: an unknown unit is
/// that field's error, anything else stays what it was.
pub(crate) fn unit_field_error(field: &'static str) -> impl Fn(StoreError) -> ApiError {
    move |e| match e {
        StoreError::UnknownUnit(code) => {
            ApiError::field(phongdich_domain::units::unknown_unit(field, &code))
        }
        other => other.into(),
    }
}

/// The unit with this code, or the field error of an unknown one.
pub(crate) async fn unit_named(
    state: &AppState,
    field: &'static str,
    code: &str,
) -> ApiResult<Unit> {
    state
        .store()
        .existing_unit(code)
        .await
        .map_err(unit_field_error(field))
}
