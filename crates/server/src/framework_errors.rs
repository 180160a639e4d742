//! Every error answer is problem+json, including the ones the framework makes by itself: 405
//! from a route without that method, 413 from the body limit, 400/415 from extractors a handler
//! uses directly, 408/504 from timeouts, and a panicking handler (500). This middleware sits
//! around the whole router: an error response that is not already
//! `application/problem+json` is replaced by the [`ApiError`] of its status, keeping the headers
//! that matter (`Allow` on 405, `Retry-After`); a panic is caught, logged, and answered 500.
//! The web app's own HTML pages are left alone.

use std::panic::AssertUnwindSafe;

use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::FutureExt;
use phongdich_domain::Message;

use crate::error::ApiError;

/// The API's error for a status the framework answered with.
pub(crate) fn for_status(status: StatusCode) -> ApiError {
    let (code, vi, en) = match status {
        StatusCode::BAD_REQUEST => (
            "malformed_request",
            "Yêu cầu không đúng định dạng",
            "Malformed request",
        ),
        StatusCode::NOT_FOUND => return ApiError::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "Địa chỉ này không hỗ trợ phương thức đã dùng",
            "This address does not support the method used",
        ),
        StatusCode::REQUEST_TIMEOUT => (
            "request_timeout",
            "Yêu cầu gửi đến quá chậm",
            "The request took too long to arrive",
        ),
        StatusCode::LENGTH_REQUIRED => (
            "length_required",
            "Cần cho biết độ dài dữ liệu gửi lên",
            "The request must state its length",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => return ApiError::PayloadTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "Kiểu dữ liệu gửi lên không được hỗ trợ",
            "The request's media type is not supported",
        ),
        StatusCode::UNPROCESSABLE_ENTITY => (
            "unprocessable",
            "Không đọc được dữ liệu gửi lên",
            "The request's content could not be read",
        ),
        StatusCode::TOO_MANY_REQUESTS => (
            "rate_limited",
            "Quá nhiều yêu cầu; hãy thử lại sau",
            "Too many requests; try again later",
        ),
        StatusCode::SERVICE_UNAVAILABLE => (
            "unavailable",
            "Dịch vụ tạm thời không sẵn sàng",
            "The service is temporarily unavailable",
        ),
        StatusCode::GATEWAY_TIMEOUT => (
            "timeout",
            "Máy chủ xử lý quá lâu; hãy thử lại",
            "The server took too long; try again",
        ),
        s if s.is_server_error() => (
            "internal",
            "Lỗi hệ thống, xin thử lại sau",
            "Something went wrong on our side; try again later",
        ),
        _ => (
            "request_refused",
            "Yêu cầu bị từ chối",
            "The request was refused",
        ),
    };
    ApiError::Refused {
        status,
        code,
        message: Message::new(vi, en),
        retry_after_secs: None,
    }
}

/// Already in shape: problem+json, or a page of the web app (the framework never makes HTML).
fn is_deliberate(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/problem+json") || v.starts_with("text/html"))
}

/// The middleware.
pub(crate) async fn as_problem(request: Request, next: Next) -> Response {
    let response = match AssertUnwindSafe(next.run(request)).catch_unwind().await {
        Ok(response) => response,
        Err(_) => {
            // The panic message went to the panic hook (stderr); the answer says nothing.
            tracing::error!("a request handler panicked");
            return ApiError::Internal(anyhow::anyhow!("handler panicked")).into_response();
        }
    };
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || is_deliberate(&response) {
        return response;
    }
    let mut problem = for_status(status).into_response();
    for name in [header::ALLOW, header::RETRY_AFTER, header::WWW_AUTHENTICATE] {
        if let Some(value) = response.headers().get(&name) {
            problem.headers_mut().insert(name, value.clone());
        }
    }
    problem
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::routing::get;
    use axum::Router;
    use tower::ServiceExt;

    use super::*;

    async fn answer(router: Router, method: &str) -> (StatusCode, String, serde_json::Value) {
        let response = router
            .layer(axum::middleware::from_fn(as_problem))
            .oneshot(
                Request::builder()
                    .method(method)
                    .uri("/")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        let status = response.status();
        let kind = response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .to_owned();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        (status, kind, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn a_panicking_handler_answers_500_problem_json() {
        async fn boom() -> &'static str {
            panic!("a bug")
        }
        let (status, kind, body) = answer(Router::new().route("/", get(boom)), "GET").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(kind, "application/problem+json");
        assert_eq!(body["code"], "internal");
        assert!(
            !body.to_string().contains("a bug"),
            "nothing internal leaks"
        );
    }

    #[tokio::test]
    async fn plain_framework_errors_become_problems() {
        let timeout = Router::new().route("/", get(|| async { StatusCode::GATEWAY_TIMEOUT }));
        let (status, kind, body) = answer(timeout, "GET").await;
        assert_eq!(
            (status, kind.as_str()),
            (StatusCode::GATEWAY_TIMEOUT, "application/problem+json")
        );
        assert_eq!(body["code"], "timeout");
        assert!(body["message"]["vi"].is_string());
        let (status, _, body) =
            answer(Router::new().route("/", get(|| async { "" })), "POST").await;
        assert_eq!(
            (status, body["code"].as_str()),
            (StatusCode::METHOD_NOT_ALLOWED, Some("method_not_allowed"))
        );
    }
}
