//! Conditional GET for the files phones and the map poll (key exports, the risky-venue feed, map
//! layers): a strong ETag from the body's SHA-256, and 304 when the client already has it, so a
//! CDN or a polling page costs a header, not the body.

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// The ETag of a body: the first 12 bytes of its SHA-256, quoted.
pub(crate) fn of(body: &[u8]) -> String {
    format!("\"{}\"", hex::encode(&Sha256::digest(body)[..12]))
}

/// True when `If-None-Match` lists `etag` (or `*`).
fn unchanged(request: &HeaderMap, etag: &str) -> bool {
    request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| matches!(t.trim(), "*") || t.trim() == etag)
        })
}

/// `body` with its type, cache policy and ETag, or 304 with the same headers.
pub(crate) fn respond(
    request: &HeaderMap,
    etag: &str,
    content_type: &str,
    cache_control: &str,
    body: impl IntoResponse,
) -> Response {
    let headers = [
        (header::CONTENT_TYPE, content_type.to_owned()),
        (header::CACHE_CONTROL, cache_control.to_owned()),
        (header::ETAG, etag.to_owned()),
    ];
    if unchanged(request, etag) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    (headers, body).into_response()
}
