//! The personal health pass: the citizen's current pass (text and QR image), the published
//! verification keys, online verification, and key rotation.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use phongdich_domain::declarations::Colour;
use phongdich_domain::Message;
use phongdich_health_pass::{verify, PassError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::CitizenUser;
use crate::auth::{can, May};
use crate::declaring::IssuedPass;
use crate::error::{ApiError, ApiResult};
use crate::input::{ApiJson, ApiQuery};
use crate::openapi::answers::{Conflict, JsonBody, Malformed, NotFound, Session, Unprocessable};
use crate::secrets::Person;
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// This module's routes and their part of the OpenAPI document (paths under `/api/v1`).
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(mine))
        .routes(routes!(mine_svg))
        .routes(routes!(keys))
        .routes(routes!(verify_pass))
        .routes(routes!(rotate))
}

/// A pass as handed to its holder.
#[derive(Serialize, ToSchema)]
pub(crate) struct PassView {
    /// The pass text (`PD1:…`), the content of the QR code.
    pass: String,
    colour: &'static str,
    issued_at: String,
    expires_at: String,
}

impl From<IssuedPass> for PassView {
    fn from(p: IssuedPass) -> Self {
        PassView {
            pass: p.text,
            colour: p.colour.as_str(),
            issued_at: p.issued_at.to_string(),
            expires_at: p.expires_at.to_string(),
        }
    }
}

#[derive(Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct WhoQuery {
    /// A family member's pass instead of the account holder's.
    member_id: Option<i64>,
}

async fn current_pass(
    state: &AppState,
    user: CitizenUser,
    member_id: Option<i64>,
) -> ApiResult<IssuedPass> {
    let person = match member_id {
        Some(id) => {
            if !state
                .store()
                .family(user.citizen_id)
                .await?
                .iter()
                .any(|m| m.id == id)
            {
                return Err(ApiError::NotFound);
            }
            Person::FamilyMember(id)
        }
        None => Person::Citizen(user.citizen_id),
    };
    let subject = hex::encode(state.inner.secrets.subject(person));
    let none = || ApiError::Conflict {
        code: "no_current_declaration",
        message: Message::new(
            "Chưa có tờ khai y tế còn hiệu lực; hãy khai báo để nhận mã QR",
            "No current health declaration; declare to get a QR pass",
        ),
    };
    let latest = state
        .store()
        .latest_declaration(&subject)
        .await?
        .ok_or_else(none)?;
    let colour = Colour::parse(&latest.colour).unwrap_or(Colour::Red);
    state
        .issue_pass(&subject, colour, latest.declared_at)
        .ok_or_else(none)
}

/// The signed-in citizen's (or family member's) current health pass.
#[utoipa::path(get, path = "/me/health-pass", operation_id = "health_pass_mine", tag = "health-pass", security(("bearer" = [])), params(WhoQuery),
    responses((status = 200, body = PassView), Session, Malformed, NotFound, Conflict, Unprocessable))]
pub(crate) async fn mine(
    State(state): State<AppState>,
    user: CitizenUser,
    ApiQuery(q): ApiQuery<WhoQuery>,
) -> ApiResult<Json<PassView>> {
    Ok(Json(current_pass(&state, user, q.member_id).await?.into()))
}

/// The current pass as a QR code (SVG).
#[utoipa::path(get, path = "/me/health-pass.svg", tag = "health-pass", security(("bearer" = [])), params(WhoQuery),
    responses((status = 200, content_type = "image/svg+xml"), Session, Malformed, NotFound, Conflict, Unprocessable))]
pub(crate) async fn mine_svg(
    State(state): State<AppState>,
    user: CitizenUser,
    ApiQuery(q): ApiQuery<WhoQuery>,
) -> ApiResult<impl IntoResponse> {
    let pass = current_pass(&state, user, q.member_id).await?;
    let svg = qr_svg(&pass.text)?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        svg,
    ))
}

/// Renders text as a QR code in SVG, with error correction M and a quiet zone.
pub(crate) fn qr_svg(text: &str) -> ApiResult<String> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("QR encoding: {e}")))?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build())
}

/// The public keys that verify health passes, as a JWK set (OKP / Ed25519, with `kid`).
#[utoipa::path(get, path = "/health-pass/keys", operation_id = "health_pass_keys", tag = "health-pass",
    responses((status = 200, description = "JWK set", body = JwkSet)))]
pub(crate) async fn keys(State(state): State<AppState>) -> impl IntoResponse {
    jwks_response(state.pass_keys().ring())
}

/// A key ring as a cacheable JWK set response (health-pass keys, venue keys).
pub(crate) fn jwks_response(ring: &phongdich_health_pass::KeyRing) -> impl IntoResponse {
    let keys = ring
        .to_jwks()
        .keys
        .into_iter()
        .map(|k| Jwk {
            kty: k.kty,
            crv: k.crv,
            alg: k.alg,
            key_use: k.key_use,
            kid: k.kid,
            x: k.x,
        })
        .collect();
    (
        [(header::CACHE_CONTROL, "public, max-age=300")],
        Json(JwkSet { keys }),
    )
}

/// A JWK set (RFC 7517) of Ed25519 public keys.
#[derive(Serialize, ToSchema)]
pub(crate) struct JwkSet {
    keys: Vec<Jwk>,
}

/// One public key (RFC 8037: `kty` OKP, `crv` Ed25519, `x` the key in base64url).
#[derive(Serialize, ToSchema)]
pub(crate) struct Jwk {
    kty: &'static str,
    crv: &'static str,
    alg: &'static str,
    #[serde(rename = "use")]
    key_use: &'static str,
    /// The key id a pass or a link names.
    kid: String,
    x: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PassVerifyRequest {
    /// The scanned text (`PD1:…`).
    pass: String,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct VerifyResult {
    valid: bool,
    colour: Option<&'static str>,
    issued_at: Option<String>,
    expires_at: Option<String>,
    /// Why the pass was refused.
    reason: Option<String>,
    message: Option<Message>,
}

pub(crate) fn refusal(e: &PassError) -> (&'static str, Message) {
    match e {
        PassError::Prefix => (
            "not_a_pass",
            Message::new(
                "Không phải mã QR sức khỏe Phòng Dịch",
                "Not a Phòng Dịch health pass",
            ),
        ),
        PassError::Base45
        | PassError::Compression
        | PassError::Structure
        | PassError::Claims(_) => (
            "damaged",
            Message::new(
                "Mã bị hỏng hoặc không đầy đủ",
                "The pass is damaged or incomplete",
            ),
        ),
        PassError::Algorithm | PassError::UnknownKey => (
            "unknown_key",
            Message::new(
                "Mã không do hệ thống này cấp",
                "The pass was not issued by this system",
            ),
        ),
        PassError::Signature => (
            "forged",
            Message::new(
                "Chữ ký không khớp: mã đã bị sửa hoặc giả mạo",
                "The signature does not match: altered or forged",
            ),
        ),
        PassError::Expired => (
            "expired",
            Message::new(
                "Mã đã hết hạn; cần khai báo lại",
                "The pass has expired; declare again",
            ),
        ),
        PassError::NotYetValid => (
            "not_yet_valid",
            Message::new("Mã chưa có hiệu lực", "The pass is not valid yet"),
        ),
        PassError::KeyRetired => (
            "key_retired",
            Message::new("Khóa ký đã bị thu hồi", "The signing key was withdrawn"),
        ),
    }
}

/// Verifies a pass with the server's keys.
#[utoipa::path(post, path = "/health-pass/verify", tag = "health-pass", request_body = PassVerifyRequest,
    responses((status = 200, body = VerifyResult), JsonBody))]
pub(crate) async fn verify_pass(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<PassVerifyRequest>,
) -> Json<VerifyResult> {
    let result = verify(&req.pass, state.pass_keys().ring(), state.now().as_second());
    Json(match result {
        Ok(claims) => VerifyResult {
            valid: true,
            colour: Some(claims.colour.as_str()),
            issued_at: jiff::Timestamp::from_second(claims.issued_at)
                .ok()
                .map(|t| t.to_string()),
            expires_at: jiff::Timestamp::from_second(claims.expires_at)
                .ok()
                .map(|t| t.to_string()),
            reason: None,
            message: None,
        },
        Err(e) => {
            let (reason, message) = refusal(&e);
            VerifyResult {
                valid: false,
                colour: None,
                issued_at: None,
                expires_at: None,
                reason: Some(reason.to_owned()),
                message: Some(message),
            }
        }
    })
}

#[derive(Serialize, ToSchema)]
pub(crate) struct Rotated {
    /// Id of the new signing key.
    kid: String,
}

/// Retires the signing key and starts a new one (national admins only); passes signed with the
/// old key keep verifying until they expire.
#[utoipa::path(post, path = "/health-pass/rotate-keys", tag = "health-pass", security(("bearer" = [])),
    responses((status = 200, body = Rotated), Session))]
pub(crate) async fn rotate(
    State(state): State<AppState>,
    staff: May<can::RotateSigningKeys>,
) -> ApiResult<Json<Rotated>> {
    let actor = staff.actor();
    if actor.unit.code != phongdich_domain::units::ROOT_CODE {
        return Err(ApiError::out_of_jurisdiction());
    }
    let keys = state.rotate_pass_keys().await?;
    let kid = keys.signer().kid().to_base64url();
    tracing::info!(kid, "health-pass signing key rotated");
    Ok(Json(Rotated { kid }))
}
