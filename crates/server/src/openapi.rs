//! The OpenAPI 3.1 document: the info, tags and security scheme here; every path comes from the
//! router itself (each route module's `routes()`), so a served route cannot go undocumented.

use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

pub(crate) mod answers;
pub(crate) mod choices;

use std::sync::LazyLock;

#[derive(OpenApi)]
#[openapi(
    info(title = "Phòng Dịch API", description = "Epidemic-prevention platform: accounts, units and (as they land) declarations, check-ins, exposure notification, tracing, map and campaigns. Errors are application/problem+json with messages in Vietnamese and English."),
    components(schemas(crate::error::Problem)),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Sign-in and sessions"),
        (name = "account", description = "The caller's own account"),
        (name = "units", description = "Administrative units"),
        (name = "citizens", description = "Citizens' records for officials (audited)"),
        (name = "staff", description = "Staff accounts and the audit log"),
        (name = "declarations", description = "Health declarations (domestic, travel, entry, daily updates)"),
        (name = "health-pass", description = "The signed personal health QR"),
        (name = "venues", description = "Venues, their signed QR links and posters"),
        (name = "check-in", description = "Check-in and check-out at venues"),
        (name = "exposures", description = "Exposure windows at venues, alerts and the risky-venue feed"),
        (name = "exposure", description = "Bluetooth exposure notification: upload codes, key upload, signed exports, F1 reports"),
        (name = "zones", description = "Lockdown zones, quarantine areas and checkpoints; is a point in an active zone"),
        (name = "facilities", description = "An toàn COVID: facilities, daily self-assessments, criteria sets, citizens' feedback"),
        (name = "risk-reports", description = "Citizens' risk reports (Phản ánh), triaged and closed by officials"),
        (name = "campaigns", description = "Adoption campaigns: units and head counts, targets, reports, dashboard, XLSX/PDF, reminders"),
        (name = "map", description = "The public epidemic map: GeoJSON layers, live change events, area levels"),
        (name = "tracing", description = "Cases (F0), contacts, F-levels and quarantine for health officials"),
        (name = "reference", description = "Countries, border gates, answer choices"),
        (name = "system", description = "Health")
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        // The shared error answers that operations refer to (see `answers`).
        components.responses.extend(answers::components());
    }
}

/// The document's frame, before the routes add their paths.
pub(crate) fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The whole document, made once from the router's table.
pub(crate) fn document_json() -> String {
    static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
        crate::routes::documented()
            .1
            .to_pretty_json()
            .unwrap_or_else(|_| "{}".to_owned())
    });
    DOCUMENT.clone()
}

/// This document.
#[utoipa::path(get, path = "/openapi.json", tag = "system",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json", body = Object)))]
pub(crate) async fn serve() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        document_json(),
    )
}

#[cfg(test)]
mod tests {
    /// The document parses, and with `PHONGDICH_OPENAPI_OUT` set it is written there for outside
    /// validators (openapi-spec-validator, schemathesis).
    #[test]
    fn the_document_is_json_and_can_be_written_out() {
        let text = super::document_json();
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(doc["paths"]["/api/v1/openapi.json"].is_object());
        if let Some(path) = std::env::var_os("PHONGDICH_OPENAPI_OUT") {
            std::fs::write(path, text).unwrap();
        }
    }
}
