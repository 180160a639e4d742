//! Reference lists the forms need: countries, border gates and the answer choices with labels.

use crate::state::AppState;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use phongdich_domain::declarations::{
    Condition, Conveyance, Exposure, Gender, Kind, Symptom, TestResult, Vaccination,
};
use phongdich_domain::reference::{border_gates, countries};
use serde_json::{json, Value};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// This module's routes and their part of the OpenAPI document (paths under `/api/v1`).
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_countries))
        .routes(routes!(list_border_gates))
        .routes(routes!(declaration_choices))
}

const CACHE: (header::HeaderName, &str) = (header::CACHE_CONTROL, "public, max-age=3600");

/// Countries (ISO 3166-1 alpha-2) with Vietnamese and English names.
#[utoipa::path(get, path = "/reference/countries", tag = "reference",
    responses((status = 200, description = "[{code, name_vi, name_en}]", body = [Object])))]
pub(crate) async fn list_countries() -> impl IntoResponse {
    ([CACHE], Json(countries()))
}

/// Vietnam's international border gates.
#[utoipa::path(get, path = "/reference/border-gates", tag = "reference",
    responses((status = 200, description = "[{code, kind, province_code, name_vi, name_en}]", body = [Object])))]
pub(crate) async fn list_border_gates() -> impl IntoResponse {
    ([CACHE], Json(border_gates()))
}

macro_rules! choices {
    ($t:ty) => {
        <$t>::ALL
            .iter()
            .map(|v| {
                let (vi, en) = v.label();
                json!({"value": v.as_str(), "vi": vi, "en": en})
            })
            .collect::<Vec<Value>>()
    };
}

/// The answer choices of the declaration forms with their labels.
#[utoipa::path(get, path = "/reference/declaration-choices", tag = "reference",
    responses((status = 200, description = "{kinds, genders, symptoms, exposures, conditions, conveyances, vaccination, test_results}", body = Object)))]
pub(crate) async fn declaration_choices() -> impl IntoResponse {
    (
        [CACHE],
        Json(json!({
            "kinds": choices!(Kind),
            "genders": choices!(Gender),
            "symptoms": choices!(Symptom),
            "exposures": choices!(Exposure),
            "conditions": choices!(Condition),
            "conveyances": choices!(Conveyance),
            "vaccination": choices!(Vaccination),
            "test_results": choices!(TestResult),
        })),
    )
}
