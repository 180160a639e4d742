//! Every error the API returns, and the one place that turns it into an HTTP response:
//! `application/problem+json` (RFC 9457) with a stable code and messages in Vietnamese and English.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use phongdich_domain::{FieldError, Invalid, Message};
use phongdich_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// An error answer of the API.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("invalid input")]
    Invalid(Invalid),
    #[error("malformed request: {0}")]
    BadRequest(String),
    #[error("not signed in")]
    Unauthenticated,
    #[error("wrong username or password")]
    BadCredentials,
    #[error("forbidden: {code}")]
    Forbidden {
        code: &'static str,
        message: Message,
    },
    #[error("not found")]
    NotFound,
    #[error("conflict: {code}")]
    Conflict {
        code: &'static str,
        message: Message,
    },
    #[error("too many requests")]
    TooManyRequests {
        retry_after_secs: u64,
        message: Message,
    },
    #[error("body too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// Any other refusal with its own status and code: the server is busy (503), a stream
    /// cap is reached (429/503), or the framework refused the request (405, 408, …).
    #[error("refused: {code}")]
    Refused {
        status: StatusCode,
        code: &'static str,
        message: Message,
        retry_after_secs: Option<u64>,
    },
    #[error("internal error: {0:#}")]
    Internal(#[from] anyhow::Error),
}

/// The problem+json body.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Problem {
    /// `urn:phongdich:problem:<code>`.
    #[serde(rename = "type")]
    kind: String,
    /// Short English title.
    title: String,
    status: u16,
    /// Stable machine-readable code.
    code: &'static str,
    /// What went wrong, in Vietnamese and English.
    message: Message,
    /// Per-field problems (validation errors only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<FieldError>,
}

impl ApiError {
    pub(crate) fn forbidden_role() -> Self {
        ApiError::Forbidden {
            code: "role_forbidden",
            message: Message::new(
                "Vai trò của bạn không được phép làm việc này",
                "Your role does not allow this",
            ),
        }
    }

    pub(crate) fn out_of_jurisdiction() -> Self {
        ApiError::Forbidden {
            code: "out_of_jurisdiction",
            message: Message::new(
                "Dữ liệu này nằm ngoài địa bàn bạn phụ trách; lần truy cập đã được ghi lại",
                "This data is outside your jurisdiction; the attempt has been recorded",
            ),
        }
    }

    /// 503 `server_busy`: every slot for expensive work is taken; try again shortly.
    pub(crate) fn busy(retry_after_secs: u64) -> Self {
        ApiError::Refused {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: "server_busy",
            message: Message::new(
                "Máy chủ đang bận, xin thử lại sau ít giây",
                "The server is busy; try again in a few seconds",
            ),
            retry_after_secs: Some(retry_after_secs),
        }
    }

    /// 503 `unavailable`: the database does not answer (an instance out of rotation).
    pub(crate) fn unavailable() -> Self {
        ApiError::Refused {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: "unavailable",
            message: Message::new(
                "Máy chủ tạm thời không kết nối được cơ sở dữ liệu, xin thử lại sau",
                "The server cannot reach its database just now; try again shortly",
            ),
            retry_after_secs: Some(5),
        }
    }

    pub(crate) fn field(error: FieldError) -> Self {
        ApiError::Invalid(Invalid::one(error))
    }

    fn parts(&self) -> (StatusCode, &'static str, Message) {
        match self {
            ApiError::Invalid(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                Message::new("Dữ liệu không hợp lệ", "Invalid input"),
            ),
            ApiError::BadRequest(detail) => (
                StatusCode::BAD_REQUEST,
                "malformed_request",
                Message::new(
                    format!("Yêu cầu không đúng định dạng: {detail}"),
                    format!("Malformed request: {detail}"),
                ),
            ),
            ApiError::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                Message::new("Bạn cần đăng nhập", "You need to sign in"),
            ),
            ApiError::BadCredentials => (
                StatusCode::UNAUTHORIZED,
                "bad_credentials",
                Message::new(
                    "Sai tên đăng nhập hoặc mật khẩu",
                    "Wrong username or password",
                ),
            ),
            ApiError::Forbidden { code, message } => (StatusCode::FORBIDDEN, code, message.clone()),
            ApiError::NotFound => (
                StatusCode::NOT_FOUND,
                "not_found",
                Message::new("Không tìm thấy", "Not found"),
            ),
            ApiError::Conflict { code, message } => (StatusCode::CONFLICT, code, message.clone()),
            ApiError::TooManyRequests { message, .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                message.clone(),
            ),
            ApiError::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                Message::new("Dữ liệu gửi lên quá lớn", "The request body is too large"),
            ),
            ApiError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "json_expected",
                Message::new(
                    "Cần gửi JSON (Content-Type: application/json)",
                    "Send JSON (Content-Type: application/json)",
                ),
            ),
            ApiError::Refused {
                status,
                code,
                message,
                ..
            } => (*status, code, message.clone()),
            ApiError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                Message::new(
                    "Lỗi hệ thống, xin thử lại sau",
                    "Something went wrong on our side; try again later",
                ),
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = self.parts();
        if let ApiError::Internal(e) = &self {
            // The body says nothing internal; the log has the whole chain.
            tracing::error!(error = format!("{e:#}"), "request failed");
        }
        let errors = match &self {
            ApiError::Invalid(invalid) => invalid.0.clone(),
            _ => Vec::new(),
        };
        let body = Problem {
            kind: format!("urn:phongdich:problem:{code}"),
            title: message.en.clone(),
            status: status.as_u16(),
            code,
            message,
            errors,
        };
        let mut response = (status, axum::Json(body)).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        let retry_after = match self {
            ApiError::TooManyRequests {
                retry_after_secs, ..
            } => Some(retry_after_secs),
            ApiError::Refused {
                retry_after_secs, ..
            } => retry_after_secs,
            _ => None,
        };
        if let Some(secs) = retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
        }
        response
    }
}

impl From<Invalid> for ApiError {
    fn from(invalid: Invalid) -> Self {
        ApiError::Invalid(invalid)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::OutOfJurisdiction => ApiError::out_of_jurisdiction(),
            StoreError::UnknownUnit(code) => {
                ApiError::field(phongdich_domain::units::unknown_unit("unit_code", &code))
            }
            StoreError::Conflict("username_taken") => ApiError::field(FieldError::new(
                "username",
                "username_taken",
                "Tên đăng nhập đã có người dùng",
                "This username is taken",
            )),
            StoreError::Conflict("family_full") => ApiError::Conflict {
                code: "family_full",
                message: Message::new(
                    format!(
                        "Mỗi tài khoản có tối đa {} người thân",
                        phongdich_store::MAX_FAMILY_MEMBERS
                    ),
                    format!(
                        "An account holds at most {} family members",
                        phongdich_store::MAX_FAMILY_MEMBERS
                    ),
                ),
            },
            StoreError::Conflict(code) => ApiError::Conflict {
                code,
                message: Message::new("Xung đột với dữ liệu đã có", "Conflicts with existing data"),
            },
            other => ApiError::Internal(other.into()),
        }
    }
}

/// The result type of handlers.
pub(crate) type ApiResult<T> = Result<T, ApiError>;
