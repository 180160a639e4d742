//! Sign-in: citizens by phone and a one-time code sent by SMS, staff by username and password;
//! logout revokes the session.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use jiff::SignedDuration;
use phongdich_domain::otp::NoCodeReason;
use phongdich_domain::phone::PhoneNumber;
use phongdich_domain::validation::Checker;
use phongdich_domain::FieldError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{codes, passwords, tokens, AnySession};
use crate::client_addr::ClientAddr;
use crate::error::{ApiError, ApiResult};
use crate::input::ApiJson;
use crate::openapi::answers::{JsonBody, TooMany, Unauthenticated};
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// This module's routes and their part of the OpenAPI document (paths under `/api/v1`).
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(request_otp))
        .routes(routes!(verify_otp))
        .routes(routes!(login))
        .routes(routes!(logout))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct OtpRequest {
    /// Vietnamese mobile number in any usual form: `0912 345 678`, `+84912345678`.
    #[schema(value_type = phongdich_domain::phone::PhoneText)]
    phone: String,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct OtpSent {
    /// Seconds the code stays valid.
    expires_in: i64,
    /// Seconds before another code can be requested.
    resend_after: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct OtpVerify {
    #[schema(value_type = phongdich_domain::phone::PhoneText)]
    phone: String,
    /// The six digits from the SMS.
    #[schema(pattern = "^\\s*[0-9]{6}\\s*$")]
    code: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct LoginRequest {
    #[schema(value_type = phongdich_domain::schema::RequiredText)]
    username: String,
    #[schema(pattern = "\\S")]
    password: String,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct SessionToken {
    /// Opaque bearer token for `Authorization: Bearer …`.
    token: String,
    expires_at: String,
    /// `citizen` or `staff`.
    kind: &'static str,
    /// True when an admin set this staff password: the session only allows
    /// `POST /api/v1/me/password` (and `GET /api/v1/me`, logout) until it is changed.
    must_change_password: bool,
}

/// Sends a six-digit sign-in code by SMS to a citizen's phone.
#[utoipa::path(post, path = "/auth/otp", tag = "auth", request_body = OtpRequest, responses((status = 202, body = OtpSent), JsonBody, TooMany))]
pub(crate) async fn request_otp(
    State(state): State<AppState>,
    client: ClientAddr,
    ApiJson(req): ApiJson<OtpRequest>,
) -> ApiResult<(StatusCode, Json<OtpSent>)> {
    let phone = PhoneNumber::parse("phone", &req.phone).map_err(ApiError::field)?;
    codes::send(&state, &phone, &client).await?;
    let policy = state.inner.otp;
    Ok((
        StatusCode::ACCEPTED,
        Json(OtpSent {
            expires_in: policy.validity.as_secs(),
            resend_after: policy.resend_after.as_secs(),
        }),
    ))
}

/// Trades a phone number and the code sent to it for a citizen session (the account is created
/// on first sign-in).
#[utoipa::path(post, path = "/auth/otp/verify", tag = "auth", request_body = OtpVerify, responses((status = 200, body = SessionToken), JsonBody, TooMany))]
pub(crate) async fn verify_otp(
    State(state): State<AppState>,
    client: ClientAddr,
    ApiJson(req): ApiJson<OtpVerify>,
) -> ApiResult<Json<SessionToken>> {
    let mut check = Checker::new();
    let phone = check.check(PhoneNumber::parse("phone", &req.phone));
    check.check(codes::well_formed("code", &req.code));
    let phone = check
        .finish(|| phone)?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("checked phone lost")))?;
    let presented = codes::accept(&state, &phone, &req.code, "code", &client).await?;
    let now = state.now();
    let token = tokens::new_token();
    let expires_at = now + SignedDuration::from_hours(24 * state.inner.config.citizen_session_days);
    let signed_in = state
        .store()
        .sign_in_citizen(
            &phone,
            &presented,
            &tokens::token_hash(&token),
            now,
            expires_at,
        )
        .await?;
    if signed_in.is_none() {
        // Another request consumed the same code a moment ago.
        return Err(codes::no_valid_code("code", NoCodeReason::NeverSent));
    }
    tracing::info!(phone = %phone, "citizen signed in");
    Ok(Json(SessionToken {
        token,
        expires_at: expires_at.to_string(),
        kind: "citizen",
        must_change_password: false,
    }))
}

/// Signs a member of staff in with username and password.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest, responses((status = 200, body = SessionToken), Unauthenticated, JsonBody, TooMany))]
pub(crate) async fn login(
    State(state): State<AppState>,
    client: ClientAddr,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Json<SessionToken>> {
    let username = req.username.trim().to_lowercase();
    let mut check = Checker::new();
    if username.is_empty() {
        check.push(FieldError::new(
            "username",
            "required",
            "Hãy nhập tên đăng nhập",
            "Enter your username",
        ));
    }
    if req.password.is_empty() {
        check.push(FieldError::new(
            "password",
            "required",
            "Hãy nhập mật khẩu",
            "Enter your password",
        ));
    }
    check.finish(|| ())?;
    state.inner.limits.login_attempt(&client)?;

    let credentials = state.store().staff_credentials(&username).await?;
    // Counted before the password is checked (see `rate_limit`): parallel guesses cannot
    // overrun the failure limits.
    let attempt = state
        .begin_password_attempt(&username, &client, credentials.as_ref().map(|c| c.staff_id))
        .await?;
    let stored = credentials.as_ref().map(|c| c.password_hash.clone());
    let known = credentials.as_ref().map(|c| c.staff_id);
    let password = req.password;
    let ok = tokio::task::spawn_blocking(move || {
        passwords::verify(
            &password,
            stored.as_deref().unwrap_or(passwords::decoy_hash()),
        )
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))?;
    let Some(credentials) = credentials.filter(|_| ok) else {
        // What was typed as the username may be a password typed in the wrong box: the log
        // gets the account's id when it exists, else a keyed tag of the text, never the text.
        match &known {
            Some(staff_id) => tracing::info!(staff_id, "staff sign-in refused: wrong password"),
            None => tracing::info!(
                typed = state.inner.secrets.log_tag(&username),
                "staff sign-in refused: unknown username"
            ),
        }
        return Err(ApiError::BadCredentials);
    };
    state
        .password_succeeded(attempt, credentials.staff_id)
        .await?;
    let now = state.now();
    let token = tokens::new_token();
    let expires_at = now + SignedDuration::from_hours(state.inner.config.staff_session_hours);
    state
        .store()
        .create_staff_session(
            credentials.staff_id,
            &tokens::token_hash(&token),
            now,
            expires_at,
        )
        .await?;
    tracing::info!(staff_id = credentials.staff_id, "staff signed in");
    Ok(Json(SessionToken {
        token,
        expires_at: expires_at.to_string(),
        kind: "staff",
        must_change_password: credentials.must_change_password,
    }))
}

/// Ends the current session; the token stops working at once.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204), Unauthenticated))]
pub(crate) async fn logout(
    State(state): State<AppState>,
    session: AnySession,
) -> ApiResult<StatusCode> {
    state
        .store()
        .revoke_session(&session.caller.token_hash, state.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
