//! Reference lists the forms need: countries, border gates and the answer choices with labels.

use crate::state::AppState;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use phongdich_domain::declarations::{
    Condition, Conveyance, Exposure, Gender, Kind, Symptom, TestResult, Vaccination,
};
use phongdich_domain::reference::{border_gates, countries, BorderGate, Country};
use serde::Serialize;
use utoipa::ToSchema;
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
    responses((status = 200, body = [Country])))]
pub(crate) async fn list_countries() -> impl IntoResponse {
    ([CACHE], Json(countries()))
}

/// Vietnam's international border gates.
#[utoipa::path(get, path = "/reference/border-gates", tag = "reference",
    responses((status = 200, body = [BorderGate])))]
pub(crate) async fn list_border_gates() -> impl IntoResponse {
    ([CACHE], Json(border_gates()))
}

/// One answer choice with its labels.
#[derive(Serialize, ToSchema)]
pub(crate) struct Choice {
    /// The wire name a form sends.
    value: &'static str,
    vi: &'static str,
    en: &'static str,
}

/// The answer choices of each question of the declaration forms.
#[derive(Serialize, ToSchema)]
pub(crate) struct DeclarationChoices {
    kinds: Vec<Choice>,
    genders: Vec<Choice>,
    symptoms: Vec<Choice>,
    exposures: Vec<Choice>,
    conditions: Vec<Choice>,
    conveyances: Vec<Choice>,
    vaccination: Vec<Choice>,
    test_results: Vec<Choice>,
}

macro_rules! choices {
    ($t:ty) => {
        <$t>::ALL
            .iter()
            .map(|v| {
                let (vi, en) = v.label();
                Choice {
                    value: v.as_str(),
                    vi,
                    en,
                }
            })
            .collect::<Vec<Choice>>()
    };
}

/// The answer choices of the declaration forms with their labels.
#[utoipa::path(get, path = "/reference/declaration-choices", tag = "reference",
    responses((status = 200, body = DeclarationChoices)))]
pub(crate) async fn declaration_choices() -> impl IntoResponse {
    (
        [CACHE],
        Json(DeclarationChoices {
            kinds: choices!(Kind),
            genders: choices!(Gender),
            symptoms: choices!(Symptom),
            exposures: choices!(Exposure),
            conditions: choices!(Condition),
            conveyances: choices!(Conveyance),
            vaccination: choices!(Vaccination),
            test_results: choices!(TestResult),
        }),
    )
}
