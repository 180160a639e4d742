//! Browser hardening headers on every response (HTML, API JSON, errors, files).
//!
//! - **Content-Security-Policy**: scripts only from the server's own files (the Vite build has
//!   no inline script), no plugins, no `<base>`, never framed, forms post only here. Images
//!   also from `data:`/`blob:` (QR codes, photo previews) and the configured tile server; style
//!   sheets and `<style>` elements from our own files only, but `style="…"` attributes are
//!   allowed (`style-src-attr 'unsafe-inline'`): Leaflet's markers and the SVG charts carry them,
//!   and an injected attribute can restyle a page but never run code.
//! - **Permissions-Policy**: the web app is one page, so the HTML document allows the camera
//!   (QR scanning at venues and checkpoints) and geolocation ("my area" on the map, a venue's
//!   position) for itself only; every other response, and every other powerful feature, denies.
//! - **Referrer-Policy** `no-referrer`: venue links carry codes in their path, and no page has
//!   a reason to tell another site where it came from. With a tile server configured it is
//!   `strict-origin-when-cross-origin` instead: tile providers (OpenStreetMap's policy) ask for
//!   a Referer, and only the origin ever leaves the site.
//! - **Strict-Transport-Security** only when the public URL is `https://` (a plain-HTTP field
//!   laptop must stay reachable); without `includeSubDomains`, since a provincial domain's
//!   other hosts are not ours to decide.
//! - `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY` (for browsers that predate
//!   `frame-ancestors`) and `Cross-Origin-Opener-Policy: same-origin`.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use crate::config::ServerConfig;

/// The header values, computed once from the configuration.
#[derive(Debug, Clone)]
pub(crate) struct SecurityHeaders {
    csp: HeaderValue,
    referrer: HeaderValue,
    hsts: Option<HeaderValue>,
}

// Only features every current browser knows: an unknown name makes Chromium log an error.
const PERMISSIONS_DOCUMENT: &str = "camera=(self), geolocation=(self), microphone=(), \
    payment=(), usb=(), midi=(), magnetometer=(), gyroscope=(), accelerometer=(), \
    display-capture=()";
const PERMISSIONS_OTHER: &str = "camera=(), geolocation=(), microphone=(), payment=(), usb=(), \
    midi=(), magnetometer=(), gyroscope=(), accelerometer=(), display-capture=()";

/// The origin of a tile URL template for `img-src`: `https://{s}.tile.example.org/{z}/…`
/// becomes `https://*.tile.example.org`; a template whose host is otherwise templated allows
/// its scheme only.
pub(crate) fn tile_source(template: &str) -> Option<String> {
    let (scheme, rest) = template.split_once("://")?;
    if !matches!(scheme, "https" | "http") {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() {
        return None;
    }
    if !host.contains('{') {
        return Some(format!("{scheme}://{host}"));
    }
    match host.split_once('.') {
        Some((first, tail)) if first.starts_with('{') && !tail.contains('{') => {
            Some(format!("{scheme}://*.{tail}"))
        }
        _ => Some(format!("{scheme}:")),
    }
}

impl SecurityHeaders {
    pub(crate) fn new(config: &ServerConfig) -> Self {
        let tiles = config.map_tile_url.as_deref().and_then(tile_source);
        let img = match &tiles {
            Some(t) => format!("img-src 'self' data: blob: {t}"),
            None => "img-src 'self' data: blob:".to_owned(),
        };
        let csp = format!(
            "default-src 'self'; script-src 'self'; style-src 'self'; \
             style-src-attr 'unsafe-inline'; {img}; \
             font-src 'self' data:; connect-src 'self'; media-src 'self' blob:; \
             worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; \
             frame-ancestors 'none'; form-action 'self'"
        );
        let referrer = if tiles.is_some() {
            "strict-origin-when-cross-origin"
        } else {
            "no-referrer"
        };
        let https = config
            .public_url
            .as_deref()
            .is_some_and(|u| u.trim().to_ascii_lowercase().starts_with("https://"));
        Self {
            csp: HeaderValue::from_str(&csp)
                .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'")),
            referrer: HeaderValue::from_static(referrer),
            hsts: https.then(|| HeaderValue::from_static("max-age=31536000")),
        }
    }
}

/// The middleware: adds the headers to whatever the inner service answered.
pub(crate) async fn add(
    State(headers): State<Arc<SecurityHeaders>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let is_document = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let h = response.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, headers.csp.clone());
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, headers.referrer.clone());
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static(if is_document {
            PERMISSIONS_DOCUMENT
        } else {
            PERMISSIONS_OTHER
        }),
    );
    if let Some(hsts) = &headers.hsts {
        h.insert(header::STRICT_TRANSPORT_SECURITY, hsts.clone());
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_templates_give_their_origin() {
        assert_eq!(
            tile_source("https://tile.openstreetmap.org/{z}/{x}/{y}.png").as_deref(),
            Some("https://tile.openstreetmap.org")
        );
        assert_eq!(
            tile_source("https://{s}.tile.example.org/{z}/{x}/{y}.png").as_deref(),
            Some("https://*.tile.example.org")
        );
        assert_eq!(
            tile_source("https://{s}.{region}.example/{z}").as_deref(),
            Some("https:")
        );
        assert_eq!(tile_source("javascript:alert(1)"), None);
    }
}
