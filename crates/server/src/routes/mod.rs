//! The router: one module per resource, mounted under `/api/v1`, plus `/healthz` and the web app.

mod audit;
mod auth;
mod campaigns;
pub(crate) mod cases;
mod checkins;
mod checkpoint;
mod citizens;
mod declarations;
mod exposures;
mod f1_reports;
mod facilities;
mod feedback;
mod health;
pub(crate) mod health_pass;
mod keyserver;
mod map;
mod me;
mod me_data;
mod org_units;
mod posters;
mod quarantine;
mod reference;
mod risk_reports;
mod staff;
mod tracing_lists;
mod units;
pub(crate) mod venues;
pub(crate) mod views;
mod zones;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::Router;
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// Every route of the API under `/api/v1`, each module's own, with the document they make.
fn api() -> OpenApiRouter<AppState> {
    [
        audit::routes(),
        auth::routes(),
        campaigns::routes(),
        cases::routes(),
        checkins::routes(),
        checkpoint::routes(),
        citizens::routes(),
        declarations::routes(),
        exposures::routes(),
        f1_reports::routes(),
        facilities::routes(),
        feedback::routes(),
        health_pass::routes(),
        keyserver::routes(),
        map::routes(),
        me::routes(),
        me_data::routes(),
        org_units::routes(),
        posters::routes(),
        quarantine::routes(),
        reference::routes(),
        risk_reports::routes(),
        staff::routes(),
        tracing_lists::routes(),
        units::routes(),
        venues::routes(),
        zones::routes(),
    ]
    .into_iter()
    .fold(
        OpenApiRouter::new().routes(routes!(crate::openapi::serve)),
        OpenApiRouter::merge,
    )
    .fallback(|| async { crate::error::ApiError::NotFound })
}

/// The served routes and the OpenAPI document that describes them, made from the same table.
pub(crate) fn documented() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(crate::openapi::base())
        .routes(routes!(health::healthz))
        .routes(routes!(health::readyz))
        // Static files for phones and caching fronts, outside the versioned API.
        .routes(routes!(exposures::feed))
        .routes(routes!(keyserver::export_file))
        .nest("/api/v1", api())
        .split_for_parts()
}

pub(crate) fn router(state: AppState) -> Router {
    let max_body = state.inner.config.max_body_bytes;
    let security = std::sync::Arc::new(crate::security_headers::SecurityHeaders::new(
        &state.inner.config,
    ));
    let (routes, _) = documented();
    routes
        .fallback(crate::web::serve)
        .layer(DefaultBodyLimit::max(max_body))
        // Inside the headers: every error answer, the framework's too, is problem+json.
        .layer(axum::middleware::from_fn(
            crate::framework_errors::as_problem,
        ))
        .layer(axum::middleware::from_fn_with_state(
            security,
            crate::security_headers::add,
        ))
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Files that may build a plain axum route: the middleware tests make tiny routers of their own.
    const ALLOWED: &[&str] = &["framework_errors.rs"];

    fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// A route registered with axum's `.route(…)` would be served but missing from the OpenAPI
    /// document: every route goes through `routes!` so that it is documented where it is written.
    #[test]
    fn every_route_is_registered_through_the_documented_table() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        let mut plain = Vec::new();
        for file in files {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            if ALLOWED.contains(&name.as_str()) {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap();
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                // Spelled in pieces so that this test does not find itself.
                if ["route(", "route_service(", "nest_service("]
                    .iter()
                    .any(|p| code.contains(&format!(".{p}")))
                    || code.contains(&format!("axum::{}::", "routing"))
                {
                    plain.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
        assert!(
            plain.is_empty(),
            "routes outside `routes!`:\n{}",
            plain.join("\n")
        );
    }
}
