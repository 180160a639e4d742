//! The exposure-notification key server: an official issues a one-time code for a confirmed
//! case, the case's phone trades it for an upload token and uploads its keys; export files are
//! published as static files signed with the export key, and phones fetch their scoring
//! configuration here.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use jiff::SignedDuration;
use phongdich_domain::proximity::{code_well_formed, report_type_name, CodeRequest, UploadForm};
use phongdich_domain::{FieldError, Message};
use phongdich_exposure::scoring::ScoringConfig;
use phongdich_store::{NewEnCode, Redeemed, StoreError};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::tokens;
use crate::auth::{can, May};
use crate::client_addr::ClientAddr;
use crate::error::{ApiError, ApiResult};
use crate::input::{ApiJson, ApiPath};
use crate::key_exports::{servable_name, ExportRun};
use crate::key_uploads::token_used;
use crate::openapi::answers::{Conflict, JsonBody, Malformed, NotFound, Session, TooMany};
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// This module's routes and their part of the OpenAPI document (paths under `/api/v1`).
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(issue_code))
        .routes(routes!(verify_code))
        .routes(routes!(upload_keys))
        .routes(routes!(export_key))
        .routes(routes!(phone_config))
        .routes(routes!(publish_now))
}

/// A new upload code.
#[derive(Serialize, ToSchema)]
pub(crate) struct IssuedCode {
    /// Eight digits, valid once.
    code: String,
    expires_at: String,
    /// Whether it was sent by SMS to the given phone.
    sms_sent: bool,
}

/// Issues a one-time upload code for a confirmed case.
#[utoipa::path(post, path = "/exposure/codes", tag = "exposure", security(("bearer" = [])),
    request_body = CodeRequest,
    responses((status = 201, body = IssuedCode), Session, JsonBody))]
pub(crate) async fn issue_code(
    State(state): State<AppState>,
    staff: May<can::IssueCaseCodes>,
    ApiJson(req): ApiJson<CodeRequest>,
) -> ApiResult<(StatusCode, Json<IssuedCode>)> {
    let actor = staff.actor().clone();
    let now = state.now();
    let req = req.parse(phongdich_domain::time::vietnam_date(now))?;
    let unit = state.store().existing_unit(&req.unit_code).await?;
    staff.scope(&state, &unit, "exposure.code").await?;
    let citizen_id = match &req.phone {
        Some(p) => state.store().citizen_by_phone(p).await?.map(|c| c.id),
        None => None,
    };
    let rules = &state.profile().exposure;
    let expires_at = now + SignedDuration::from_mins(rules.code_minutes);
    // A collision with a stored code is possible (10^8 codes); draw again.
    let mut attempt = 0;
    let code = loop {
        let code = format!("{:08}", rand::rngs::OsRng.next_u64() % 100_000_000);
        let new = NewEnCode {
            code_hash: Some(code_hash(&state, &code)),
            report_type: report_type_name(req.report_type).into(),
            onset_day: req.onset.map(|d| d.to_string()),
            unit_code: unit.code.clone(),
            citizen_id,
            issued_by: Some(actor.staff_id),
            f1_report_id: None,
            created_at: now,
            expires_at,
            token_hash: None,
            token_expires_at: None,
        };
        match state.store().create_en_code(&new).await {
            Ok(_) => break code,
            Err(StoreError::Conflict(_)) if attempt < 5 => attempt += 1,
            Err(e) => return Err(e.into()),
        }
    };
    let sms_sent = match &req.phone {
        Some(p) => {
            let text = format!(
                "Ma xac nhan ca benh Phong Dich: {code} (hieu luc {m} phut). Nhap ma trong ung dung de canh bao nguoi tiep xuc. \
                 / Your Phong Dich case code: {code} (valid {m} minutes). Enter it in the app to warn your contacts.",
                m = rules.code_minutes
            );
            state.inner.sms.send(p, &text, now).await?;
            true
        }
        None => false,
    };
    tracing::info!(unit = %unit.code, sms_sent, "exposure upload code issued");
    Ok((
        StatusCode::CREATED,
        Json(IssuedCode {
            code,
            expires_at: expires_at.to_string(),
            sms_sent,
        }),
    ))
}

fn code_hash(state: &AppState, code: &str) -> String {
    state.inner.secrets.otp_hash("exposure", code)
}

/// A phone's code.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CodeVerifyRequest {
    /// The case's eight-digit verification code.
    #[schema(pattern = "^\\s*[0-9]{8}\\s*$")]
    code: String,
    /// Ignored filler.
    #[serde(default)]
    padding: Option<String>,
}

/// The upload token a code was traded for.
#[derive(Serialize, ToSchema)]
pub(crate) struct UploadToken {
    token: String,
    expires_at: String,
    report_type: String,
    symptom_onset_date: Option<String>,
}

/// Trades an upload code for a single-use upload token (the code works once).
#[utoipa::path(post, path = "/exposure/verify", tag = "exposure", request_body = CodeVerifyRequest,
    responses((status = 200, body = UploadToken), JsonBody, Conflict, TooMany))]
pub(crate) async fn verify_code(
    State(state): State<AppState>,
    client: ClientAddr,
    ApiJson(req): ApiJson<CodeVerifyRequest>,
) -> ApiResult<Json<UploadToken>> {
    let _ = req.padding;
    // Eight digits are guessable only by brute force: the wrong-code limit per address stops it.
    let attempt = state.begin_code_attempt(&client).await?;
    let code = code_well_formed("code", &req.code).map_err(ApiError::field)?;
    let now = state.now();
    let token = tokens::new_token();
    let expires_at = now + SignedDuration::from_hours(state.profile().exposure.token_hours);
    let redeemed = state
        .store()
        .redeem_en_code(
            &code_hash(&state, &code),
            &tokens::token_hash(&token),
            expires_at,
            now,
        )
        .await?;
    let code = match redeemed {
        Redeemed::Token(code) => {
            state.code_succeeded(attempt).await?;
            code
        }
        Redeemed::Unknown => {
            return Err(code_problem(
                "code_unknown",
                "Mã không đúng",
                "The code is not valid",
            ))
        }
        Redeemed::AlreadyUsed => {
            return Err(conflict(
                "code_used",
                "Mã này đã được dùng. Mỗi mã chỉ dùng một lần.",
                "This code was already used. Each code works once.",
            ))
        }
        Redeemed::Expired => {
            return Err(code_problem(
                "code_expired",
                "Mã đã hết hạn: đề nghị cán bộ y tế cấp mã mới",
                "The code has expired: ask the health official for a new one",
            ))
        }
    };
    Ok(Json(UploadToken {
        token,
        expires_at: expires_at.to_string(),
        report_type: code.report_type,
        symptom_onset_date: code.onset_day,
    }))
}

fn code_problem(code: &'static str, vi: &str, en: &str) -> ApiError {
    ApiError::field(FieldError::new("code", code, vi, en))
}

fn conflict(code: &'static str, vi: &str, en: &str) -> ApiError {
    ApiError::Conflict {
        code,
        message: Message::new(vi, en),
    }
}

/// How many keys an upload stored.
#[derive(Serialize, ToSchema)]
pub(crate) struct UploadResult {
    /// Keys stored now (a key someone already published is not stored twice).
    inserted_exposures: u64,
    /// Keys left out because they lie too far from symptom onset.
    dropped: usize,
}

/// Uploads a diagnosed person's keys with a token from `/exposure/verify`. The whole upload is
/// validated first: any bad key refuses it all, and the token stays usable.
#[utoipa::path(post, path = "/exposure/keys", tag = "exposure", request_body = UploadForm,
    responses((status = 201, body = UploadResult), JsonBody, Conflict))]
pub(crate) async fn upload_keys(
    State(state): State<AppState>,
    ApiJson(form): ApiJson<UploadForm>,
) -> ApiResult<(StatusCode, Json<UploadResult>)> {
    let now = state.now();
    let token_error =
        |code, vi: &str, en: &str| ApiError::field(FieldError::new("token", code, vi, en));
    let code = state
        .store()
        .en_code_by_token(&tokens::token_hash(form.token.trim()))
        .await?
        .ok_or_else(|| {
            token_error(
                "token_unknown",
                "Mã tải lên không đúng",
                "The upload token is not valid",
            )
        })?;
    if code.uploaded_at.is_some() {
        return Err(token_used());
    }
    if code
        .token_expires_at
        .is_none_or(|t| t <= now.as_millisecond())
    {
        return Err(token_error(
            "token_expired",
            "Mã tải lên đã hết hạn",
            "The upload token has expired",
        ));
    }
    let outcome = state.accept_upload(&code, &form).await?;
    Ok((
        StatusCode::CREATED,
        Json(UploadResult {
            inserted_exposures: outcome.inserted,
            dropped: outcome.dropped,
        }),
    ))
}

/// The PEM of the P-256 public key that signs key exports (SPEC §10).
#[utoipa::path(get, path = "/exposure/export-key", tag = "exposure",
    responses((status = 200, content_type = "application/x-pem-file", body = String)))]
pub(crate) async fn export_key(State(state): State<AppState>) -> ApiResult<Response> {
    let signer = state.export_signer()?;
    Ok((
        [(header::CONTENT_TYPE, "application/x-pem-file")],
        signer.public_pem().to_owned(),
    )
        .into_response())
}

/// What a phone needs to score contacts and word its alert.
#[derive(Serialize, ToSchema)]
pub(crate) struct PhoneConfig {
    /// EN v2 scoring parameters.
    #[schema(value_type = Object)]
    scoring: ScoringConfig,
    /// Guidance by contact level, `{"vi", "en"}`.
    guidance_f1: Message,
    guidance_f2: Message,
    /// Where the list of export files is.
    export_index: &'static str,
    /// Where the export signing key is.
    export_key: &'static str,
}

/// The scoring parameters and guidance phones use (from the disease profile).
#[utoipa::path(get, path = "/exposure/config", tag = "exposure",
    responses((status = 200, body = PhoneConfig)))]
pub(crate) async fn phone_config(State(state): State<AppState>) -> Json<PhoneConfig> {
    use phongdich_domain::proximity::ContactLevel;
    let rules = &state.profile().exposure;
    Json(PhoneConfig {
        scoring: rules.scoring.clone(),
        guidance_f1: rules.guidance.for_level(ContactLevel::F1),
        guidance_f2: rules.guidance.for_level(ContactLevel::F2),
        export_index: "/en/exports/index.txt",
        export_key: "/api/v1/exposure/export-key",
    })
}

/// What an export run did.
#[derive(Serialize, ToSchema)]
pub(crate) struct ExportRunView {
    files: usize,
    keys: u64,
}

impl From<ExportRun> for ExportRunView {
    fn from(r: ExportRun) -> Self {
        Self {
            files: r.files,
            keys: r.keys,
        }
    }
}

/// Publishes the keys that may be published now without waiting for the hourly batch.
#[utoipa::path(post, path = "/exposure/exports", tag = "exposure", security(("bearer" = [])),
    responses((status = 200, body = ExportRunView), Session))]
pub(crate) async fn publish_now(
    State(state): State<AppState>,
    _staff: May<can::PublishKeyExports>,
) -> ApiResult<Json<ExportRunView>> {
    Ok(Json(state.publish_key_exports().await?.into()))
}

/// An export file or `index.txt`, as a static file server would send it; send the ETag back in
/// `If-None-Match` to get 304 when nothing changed.
#[utoipa::path(get, path = "/en/exports/{file}", tag = "exposure",
    params(("file" = String, Path, description = "`index.txt` or a name it lists")),
    responses((status = 200, description = "The index (one export path per line) or an export zip",
            content((String = "text/plain"), (Vec<u8> = "application/zip"))), (status = 304, description = "Not modified since the ETag sent"), Malformed, NotFound))]
pub(crate) async fn export_file(
    State(state): State<AppState>,
    ApiPath(name): ApiPath<String>,
    headers: axum::http::HeaderMap,
) -> ApiResult<Response> {
    if !servable_name(&name) {
        return Err(ApiError::NotFound);
    }
    let path = state.exports_dir()?.join(&name);
    let bytes = match tokio::fs::read(&path).await {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if name == crate::key_exports::INDEX_FILE {
                Vec::new()
            } else {
                return Err(ApiError::NotFound);
            }
        }
        Err(e) => return Err(ApiError::Internal(e.into())),
    };
    let (content_type, cache) = if name.ends_with(".zip") {
        // An export never changes once published.
        ("application/zip", "public, max-age=31536000, immutable")
    } else {
        // Phones poll the index: a CDN may serve it for a minute, then revalidates.
        (
            "text/plain; charset=utf-8",
            "public, max-age=60, must-revalidate",
        )
    };
    let etag = crate::etag::of(&bytes);
    Ok(crate::etag::respond(
        &headers,
        &etag,
        content_type,
        cache,
        bytes,
    ))
}
