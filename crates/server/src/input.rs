//! Extractors for request input (JSON bodies, path and query parameters) whose rejections are
//! problem+json like every other error.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
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

/// `axum::extract::Query` with problem+json rejections. An empty value (`?from=`) is sent, not
/// absent: it must match the parameter's declared format like any other value.
#[derive(Debug, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub(crate) struct ApiQuery<T>(pub(crate) T);

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::BadRequest(r.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
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
