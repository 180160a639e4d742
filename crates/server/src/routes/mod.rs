//! The router: one module per resource, mounted under `/api/v1`, plus `/healthz` and the web app.

mod audit;
mod auth;
mod checkpoint;
mod citizens;
mod declarations;
mod health;
pub(crate) mod health_pass;
mod me;
mod reference;
mod staff;
mod units;
pub(crate) mod views;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::routing::{delete, get, post};
use axum::Router;
use tower_http::trace::TraceLayer;

use crate::state::AppState;

pub(crate) use audit::__path_list_audit;
pub(crate) use auth::{__path_login, __path_logout, __path_request_otp, __path_verify_otp};
pub(crate) use checkpoint::__path_declare;
pub(crate) use citizens::{__path_get_citizen, __path_list_citizens};
pub(crate) use declarations::{
    __path_export_csv, __path_export_xlsx, __path_list, __path_mine, __path_missed_updates,
    __path_open, __path_submit,
};
pub(crate) use health::__path_healthz;
pub(crate) use health_pass::{
    __path_keys, __path_mine as __path_my_pass, __path_mine_svg, __path_rotate, __path_verify_pass,
};
pub(crate) use me::{
    __path_add_family_member, __path_get_me, __path_remove_family_member, __path_update_me,
};
pub(crate) use reference::{
    __path_declaration_choices, __path_list_border_gates, __path_list_countries,
};
pub(crate) use staff::{__path_create_staff, __path_list_staff};
pub(crate) use units::{__path_get_unit, __path_list_units, __path_search_units};

pub(crate) fn router(state: AppState) -> Router {
    let max_body = state.inner.config.max_body_bytes;
    let api = Router::new()
        .route("/openapi.json", get(crate::openapi::serve))
        .route("/auth/otp", post(auth::request_otp))
        .route("/auth/otp/verify", post(auth::verify_otp))
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/me", get(me::get_me).patch(me::update_me))
        .route("/me/family", post(me::add_family_member))
        .route("/me/family/{id}", delete(me::remove_family_member))
        .route("/units", get(units::list_units))
        .route("/units/search", get(units::search_units))
        .route("/units/{code}", get(units::get_unit))
        .route("/citizens", get(citizens::list_citizens))
        .route("/citizens/{id}", get(citizens::get_citizen))
        .route("/staff", get(staff::list_staff).post(staff::create_staff))
        .route("/audit", get(audit::list_audit))
        .route(
            "/declarations",
            post(declarations::submit).get(declarations::list),
        )
        .route("/declarations/export.csv", get(declarations::export_csv))
        .route("/declarations/export.xlsx", get(declarations::export_xlsx))
        .route(
            "/declarations/missed-updates",
            get(declarations::missed_updates),
        )
        .route("/declarations/{id}", get(declarations::open))
        .route("/me/declarations", get(declarations::mine))
        .route("/me/health-pass", get(health_pass::mine))
        .route("/me/health-pass.svg", get(health_pass::mine_svg))
        .route("/health-pass/keys", get(health_pass::keys))
        .route("/health-pass/verify", post(health_pass::verify_pass))
        .route("/health-pass/rotate-keys", post(health_pass::rotate))
        .route("/checkpoint/declarations", post(checkpoint::declare))
        .route("/reference/countries", get(reference::list_countries))
        .route("/reference/border-gates", get(reference::list_border_gates))
        .route(
            "/reference/declaration-choices",
            get(reference::declaration_choices),
        )
        .fallback(|| async { crate::error::ApiError::NotFound });
    Router::new()
        .route("/healthz", get(health::healthz))
        .nest("/api/v1", api)
        .fallback(crate::web::serve)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            // The span names the route, not the raw path: ids and queries stay out of the log.
            let route = req
                .extensions()
                .get::<MatchedPath>()
                .map_or("-", |m| m.as_str());
            tracing::info_span!("request", method = %req.method(), route)
        }))
        .with_state(state)
}
