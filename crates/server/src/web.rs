//! The web app built from `web/` and embedded in the binary at compile time.
//!
//! Files are served with their MIME type; hashed assets are cached for a year, everything else
//! revalidated. Paths that are not files get `index.html`, so the app's own routes work on reload.
//! `/api/docs` is the API reference (Swagger UI, bundled by the same build, over
//! `/api/v1/openapi.json`): a page, although it lives beside the API.

use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "$CARGO_MANIFEST_DIR/../../web/dist"]
struct Assets;

/// The built reference page, an entry of its own in `web/vite.config.ts`.
const API_DOCS_PAGE: &str = "api-docs/index.html";

pub(crate) async fn serve(uri: Uri) -> Response {
    if matches!(uri.path(), "/api/docs" | "/api/docs/") {
        return page(API_DOCS_PAGE);
    }
    // An unknown API address is the API's 404, never the web app's page.
    if uri.path() == "/api" || uri.path().starts_with("/api/") {
        return crate::error::ApiError::NotFound.into_response();
    }
    let path = uri.path().trim_start_matches('/');
    if let Some(file) = Assets::get(path).filter(|_| !path.is_empty()) {
        let mime = mime_guess::from_path(path).first_or_octet_stream();
        let cache = if path.starts_with("assets/") {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        return (
            [
                (header::CONTENT_TYPE, mime.as_ref()),
                (header::CACHE_CONTROL, cache),
            ],
            file.data,
        )
            .into_response();
    }
    page("index.html")
}

/// An HTML page of the build, never cached without asking again.
fn page(path: &str) -> Response {
    match Assets::get(path) {
        Some(index) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            index.data,
        )
            .into_response(),
        // A page still, so a browser shows it (and gets the document's headers).
        None => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            "<!doctype html><title>Phòng Dịch</title>\
             <p>Web app not built: run <code>npm run build</code> in web/.</p>",
        )
            .into_response(),
    }
}
