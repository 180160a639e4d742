//! Extractors for request input (JSON bodies, path and query parameters) whose rejections are
//! problem+json like every other error.

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{FromRequest, Request};
use std::ops::RangeInclusive;

use phongdich_domain::FieldError;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, ApiResult};

/// `axum::Json`, but malformed input, unknown fields, a wrong content type or an oversized body
/// answer with the API's own error format.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ApiJson<T>(pub(crate) T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(match rejection {
                JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType,
                JsonRejection::BytesRejection(b)
                    if b.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE =>
                {
                    ApiError::PayloadTooLarge
                }
                JsonRejection::JsonDataError(e) => ApiError::BadRequest(e.body_text()),
                JsonRejection::JsonSyntaxError(e) => ApiError::BadRequest(e.body_text()),
                other => ApiError::BadRequest(other.body_text()),
            }),
        }
    }
}

/// `axum::extract::Path` with problem+json rejections.
#[derive(Debug, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub(crate) struct ApiPath<T>(pub(crate) T);

/// Query parameters with problem+json rejections. A parameter sent empty (`?from=&unit=`, what an
/// HTML form sends for a field left blank) counts as absent, so an empty filter never fails as
/// "not a date" or "no such unit" and the document's formats hold for every value that is sent.
#[derive(Debug)]
pub(crate) struct ApiQuery<T>(pub(crate) T);

impl<T: DeserializeOwned, S: Send + Sync> axum::extract::FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        let sent = parts.uri.query().unwrap_or_default();
        let kept: Vec<&str> = sent
            .split('&')
            .filter(|pair| pair.split_once('=').is_none_or(|(_, v)| !v.is_empty()) && !pair.is_empty())
            .collect();
        serde_urlencoded::from_str(&kept.join("&"))
            .map(ApiQuery)
            .map_err(|e| ApiError::BadRequest(format!("Failed to deserialize query string: {e}")))
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::BadRequest(r.body_text())
    }
}


/// A count from the query (`limit`, `level`): `default` when absent, and a 422 naming `field` when
/// outside `range`, the bounds the OpenAPI document declares for it.
pub(crate) fn bounded(
    field: &'static str,
    value: Option<u32>,
    default: u32,
    range: RangeInclusive<u32>,
) -> ApiResult<u32> {
    let value = value.unwrap_or(default);
    if range.contains(&value) {
        return Ok(value);
    }
    let (min, max) = (range.start(), range.end());
    Err(ApiError::field(FieldError::new(
        field,
        "out_of_range",
        format!("Giá trị phải từ {min} đến {max}"),
        format!("Must be from {min} to {max}"),
    )))
}
