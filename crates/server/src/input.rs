//! Extractors for request input (JSON bodies, path and query parameters) whose rejections are
//! problem+json like every other error.

use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, Request};
use std::ops::RangeInclusive;

use phongdich_domain::FieldError;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, ApiResult};

/// `axum::Json`, but malformed input, unknown fields, a wrong content type or an oversized body
/// answer with the API's own error format. Every body the API takes is a JSON object: serde
/// would also read a struct from an array of its fields (`[null, null]`), which no document
/// allows, so anything else is refused before parsing.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ApiJson<T>(pub(crate) T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !json_content_type(req.headers()) {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                ApiError::BadRequest(rejection.body_text())
            }
        })?;
        json_object(&bytes).map(ApiJson)
    }
}

/// `application/json` or any `application/…+json`, as `axum::Json` accepts.
fn json_content_type(headers: &axum::http::HeaderMap) -> bool {
    let Some(value) = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || essence
            .strip_prefix("application/")
            .is_some_and(|subtype| subtype.ends_with("+json"))
}

/// Reads a JSON object body into `T`. JSON has one kind of number and JSON Schema's `integer`
/// includes `6.0`, but serde's integers refuse it; so when a body does not fit `T`, it is read
/// again with every whole number written as an integer (only then, so the usual body is parsed
/// once).
fn json_object<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ApiError::BadRequest(
            "The request body must be a JSON object".into(),
        ));
    }
    let first = match axum::Json::<T>::from_bytes(bytes) {
        Ok(axum::Json(value)) => return Ok(value),
        Err(rejection) => rejection,
    };
    if let JsonRejection::JsonDataError(_) = first {
        if let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(bytes) {
            if whole_numbers_as_integers(&mut value) {
                let again = serde_json::to_vec(&value).map_err(|e| ApiError::Internal(e.into()))?;
                if let Ok(axum::Json(value)) = axum::Json::<T>::from_bytes(&again) {
                    return Ok(value);
                }
            }
        }
    }
    Err(ApiError::BadRequest(first.body_text()))
}

/// Rewrites `6.0` as `6` everywhere in `value` (within the range a double holds exactly);
/// whether anything changed.
fn whole_numbers_as_integers(value: &mut serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::Number(n) if !n.is_i64() && !n.is_u64() => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0 => {
                *value = Value::from(f as i64);
                true
            }
            _ => false,
        },
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |changed, v| whole_numbers_as_integers(v) | changed),
        Value::Object(members) => members
            .values_mut()
            .fold(false, |changed, v| whole_numbers_as_integers(v) | changed),
        _ => false,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Form {
        count: i64,
        #[serde(default)]
        share: f64,
    }

    #[test]
    fn whole_numbers_written_as_decimals_are_integers() {
        let form: Form = json_object(br#"{"count": 6.0, "share": 2.5}"#).unwrap();
        assert_eq!(
            form,
            Form {
                count: 6,
                share: 2.5
            }
        );
        let form: Form = json_object(br#" {"count": -3, "share": 4.0}"#).unwrap();
        assert_eq!(
            form,
            Form {
                count: -3,
                share: 4.0
            }
        );
    }

    #[test]
    fn fractions_and_non_objects_are_refused() {
        for body in [&br#"{"count": 6.5}"#[..], b"[6, 1.0]", b"6", b"null", b""] {
            let refused = json_object::<Form>(body);
            assert!(matches!(refused, Err(ApiError::BadRequest(_))), "{body:?}");
        }
    }
}
