//! Exposure windows at venues (officials), the alerts they raise (citizens' inbox), and the
//! public signed risky-venue feed with its keys.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use jiff::SignedDuration;
use phongdich_domain::phone::PhoneNumber;
use phongdich_domain::venues::{ExposureForm, RiskLevel};
use phongdich_domain::Message;
use phongdich_store::{Exposure, Visitor};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::CitizenUser;
use crate::auth::{can, May};
use crate::config::CheckinMode;
use crate::error::{ApiError, ApiResult};
use crate::input::{ApiJson, ApiPath};
use crate::openapi::answers::{JsonBody, Malformed, NotFound, Session};
use crate::routes::venues::find_venue;
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// This module's routes and their part of the OpenAPI document (paths under `/api/v1`).
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(keys))
        .routes(routes!(venue_log))
        .routes(routes!(create))
        .routes(routes!(my_alerts))
        .routes(routes!(read_alert))
        .routes(routes!(list))
        .routes(routes!(visitors))
}

/// An exposure window as officials list it.
#[derive(Serialize, ToSchema)]
pub(crate) struct ExposureView {
    id: i64,
    venue_id: String,
    venue_name: String,
    unit_code: String,
    starts_at: String,
    ends_at: String,
    level: String,
    case_ref: Option<String>,
    created_at: String,
    /// Visitors alerted (0 in on-device mode, where phones match the feed themselves).
    alerted: i64,
}

impl From<Exposure> for ExposureView {
    fn from(e: Exposure) -> Self {
        ExposureView {
            id: e.id,
            venue_id: e.venue_code,
            venue_name: e.venue_name,
            unit_code: e.unit_code,
            starts_at: e.starts_at.0.to_string(),
            ends_at: e.ends_at.0.to_string(),
            level: e.level,
            case_ref: e.case_ref,
            created_at: e.created_at.0.to_string(),
            alerted: e.alerted,
        }
    }
}

fn margin(state: &AppState) -> SignedDuration {
    SignedDuration::from_mins(state.profile().checkin.overlap_margin_minutes)
}

/// Marks a window when a case was at the venue: alerts every visitor whose stay overlapped
/// (central mode) and republishes the risky-venue feed.
#[utoipa::path(post, path = "/venues/{id}/exposures", operation_id = "exposures_create", tag = "exposures", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ExposureForm,
    responses((status = 201, body = ExposureView), Session, JsonBody, NotFound))]
pub(crate) async fn create(
    State(state): State<AppState>,
    staff: May<can::ManageVenues>,
    ApiPath(code): ApiPath<String>,
    ApiJson(form): ApiJson<ExposureForm>,
) -> ApiResult<(StatusCode, Json<ExposureView>)> {
    let actor = staff.actor();
    let venue = find_venue(&state, &code).await?;
    let unit = state.store().existing_unit(&venue.unit_code).await?;
    staff.scope(&state, &unit, "venue.exposure").await?;
    let now = state.now();
    let window = form.parse(now, &state.profile().checkin)?;
    let fan_out = state.inner.config.checkin_mode == CheckinMode::Central;
    let (id, alerted) = state
        .store()
        .create_exposure(actor, &venue, &window, margin(&state), fan_out, now)
        .await?;
    tracing::info!(exposure = id, alerted, "venue exposure window marked");
    text_phone_only_visitors(&state, id, &venue.name, window.starts_at).await;
    state.map_changed(&[crate::map::Layer::RiskyVenues]);
    state.publish_feed().await?;
    let exposure = state
        .store()
        .exposure(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, Json(exposure.into())))
}

/// Visitors checked in by a typed phone number have no app to show the alert: it goes to them
/// by SMS, naming the venue and day but never the case. A failed send is logged, not fatal:
/// the window and every in-app alert already stand.
async fn text_phone_only_visitors(
    state: &AppState,
    exposure: i64,
    venue: &str,
    at: jiff::Timestamp,
) {
    let phones = match state.store().phone_only_alerted(exposure).await {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(exposure, error = %e, "phone-only visitors not read");
            return;
        }
    };
    let day = phongdich_domain::time::vietnam_date(at);
    // Without diacritics: an SMS in GSM-7 fits twice as many letters as one in UCS-2.
    let venue = phongdich_domain::text::fold(venue);
    let text = format!(
        "Phong Dich: ban da den {venue} ngay {day}, cung luc voi mot nguoi mac COVID-19. Hay tu theo doi suc khoe 14 ngay, deo khau trang va bao tram y te khi co trieu chung. \
         / You were at {venue} on {day} at the same time as a COVID-19 case. Watch your health for 14 days, wear a mask and tell your health station if you have symptoms."
    );
    let now = state.now();
    let mut sent = 0;
    for phone in phones {
        let Ok(to) = PhoneNumber::parse("phone", &phone) else {
            continue;
        };
        match state.inner.sms.send(&to, &text, now).await {
            Ok(()) => sent += 1,
            Err(e) => tracing::warn!(exposure, error = %e, "exposure SMS not sent"),
        }
    }
    if sent > 0 {
        tracing::info!(exposure, sent, "phone-only visitors told by SMS");
    }
}

/// The exposure windows of the official's jurisdiction still inside the retention period.
#[utoipa::path(get, path = "/exposures", operation_id = "exposures_list", tag = "exposures", security(("bearer" = [])),
    responses((status = 200, body = [ExposureView]), Session))]
pub(crate) async fn list(
    State(state): State<AppState>,
    staff: May<can::ManageVenues>,
) -> ApiResult<Json<Vec<ExposureView>>> {
    let actor = staff.actor();
    let since =
        state.now() - SignedDuration::from_hours(24 * state.profile().checkin.retention_days);
    let mut paths: HashMap<String, bool> = HashMap::new();
    let mut out = Vec::new();
    for e in state.store().exposures_since(since).await? {
        let inside = match paths.get(&e.unit_code) {
            Some(v) => *v,
            None => {
                let unit = state.store().existing_unit(&e.unit_code).await?;
                let v = actor.covers(&unit.path);
                paths.insert(e.unit_code.clone(), v);
                v
            }
        };
        if inside {
            out.push(e.into());
        }
    }
    Ok(Json(out))
}

/// A visitor an exposure window alerted.
#[derive(Serialize, ToSchema)]
pub(crate) struct VisitorView {
    citizen_id: i64,
    phone: String,
    full_name: Option<String>,
    member_id: Option<i64>,
    member_name: Option<String>,
    in_at: String,
    out_at: String,
    out_auto: bool,
    method: phongdich_domain::venues::CheckinMethod,
}

impl From<Visitor> for VisitorView {
    fn from(v: Visitor) -> Self {
        VisitorView {
            citizen_id: v.citizen_id,
            phone: v.phone,
            full_name: v.full_name,
            member_id: v.member_id,
            member_name: v.member_name,
            in_at: v.in_at.0.to_string(),
            out_at: v.out_at.0.to_string(),
            out_auto: v.out_auto.0,
            method: v.method,
        }
    }
}

/// The visitors an exposure window alerted (audited).
#[utoipa::path(get, path = "/exposures/{id}/visitors", tag = "exposures", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = [VisitorView]), Session, Malformed, NotFound))]
pub(crate) async fn visitors(
    State(state): State<AppState>,
    staff: May<can::ManageVenues>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<VisitorView>>> {
    let actor = staff.actor();
    let exposure = state
        .store()
        .exposure(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let unit = state.store().existing_unit(&exposure.unit_code).await?;
    let found = state
        .store()
        .staff_exposure_visitors(actor, &exposure, &unit.path, margin(&state), state.now())
        .await?;
    Ok(Json(found.into_iter().map(VisitorView::from).collect()))
}

/// The visitor log of a venue for its owner, the last `retention` days (audited).
#[utoipa::path(get, path = "/venues/{id}/visitors", tag = "venues", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = [VisitorView]), Session, Malformed, NotFound))]
pub(crate) async fn venue_log(
    State(state): State<AppState>,
    user: CitizenUser,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<Vec<VisitorView>>> {
    let venue = find_venue(&state, &code).await?;
    if venue.owner_citizen_id == Some(user.citizen_id) && !venue.approved {
        return Err(crate::routes::venues::not_approved());
    }
    let citizen = state
        .store()
        .citizen(user.citizen_id)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    let label = PhoneNumber::parse("phone", &citizen.phone)
        .map(|p| p.to_string())
        .unwrap_or_else(|_| format!("citizen:{}", citizen.id));
    let now = state.now();
    let since = now - SignedDuration::from_hours(24 * state.profile().checkin.retention_days);
    let found = state
        .store()
        .owner_venue_log(user.citizen_id, &label, &venue, since, now)
        .await
        .map_err(|e| match e {
            phongdich_store::StoreError::OutOfJurisdiction => crate::routes::venues::not_owner(),
            other => other.into(),
        })?;
    // The owner needs to know how many came and when, not who they are: phones masked, names
    // left out (officials' visitor lists of an exposure window keep them, audited).
    Ok(Json(
        found
            .into_iter()
            .map(|v| {
                let mut view = VisitorView::from(v);
                view.phone = PhoneNumber::parse("phone", &view.phone)
                    .map(|p| p.to_string())
                    .unwrap_or_default();
                view.full_name = None;
                view.member_name = None;
                view
            })
            .collect(),
    ))
}

/// One alert in the inbox.
#[derive(Serialize, ToSchema)]
pub(crate) struct AlertView {
    id: i64,
    /// `venue` (more kinds come with proximity and tracing).
    kind: String,
    member_id: Option<i64>,
    venue_id: Option<String>,
    venue_name: Option<String>,
    starts_at: Option<String>,
    ends_at: Option<String>,
    level: Option<String>,
    visit_in: Option<String>,
    visit_out: Option<String>,
    /// What to do, in Vietnamese and English.
    message: Message,
    created_at: String,
    read: bool,
}

fn time(ms: Option<i64>) -> Option<String> {
    ms.and_then(|m| jiff::Timestamp::from_millisecond(m).ok())
        .map(|t| t.to_string())
}

/// The signed-in citizen's alerts, newest first.
#[utoipa::path(get, path = "/me/alerts", tag = "exposures", security(("bearer" = [])),
    responses((status = 200, body = [AlertView]), Session))]
pub(crate) async fn my_alerts(
    State(state): State<AppState>,
    user: CitizenUser,
) -> ApiResult<Json<Vec<AlertView>>> {
    let rules = &state.profile().checkin;
    let alerts = state.store().citizen_alerts(user.citizen_id, 200).await?;
    Ok(Json(
        alerts
            .into_iter()
            .map(|a| AlertView {
                message: a
                    .level
                    .as_deref()
                    .and_then(RiskLevel::parse)
                    .unwrap_or(RiskLevel::Low)
                    .guidance(rules),
                id: a.id,
                kind: a.kind,
                member_id: a.member_id,
                venue_id: a.venue_code,
                venue_name: a.venue_name,
                starts_at: time(a.starts_at),
                ends_at: time(a.ends_at),
                level: a.level,
                visit_in: time(a.visit_in),
                visit_out: time(a.visit_out),
                created_at: a.created_at.0.to_string(),
                read: a.read_at.is_some(),
            })
            .collect(),
    ))
}

/// Marks an alert as read.
#[utoipa::path(post, path = "/me/alerts/{id}/read", tag = "exposures", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 204), Session, Malformed, NotFound))]
pub(crate) async fn read_alert(
    State(state): State<AppState>,
    user: CitizenUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state
        .store()
        .mark_alert_read(user.citizen_id, id, state.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed risky-venue feed (a JWS, `typ` `phongdich-risky-venues+jws`); send the ETag back
/// in `If-None-Match` to get 304 when nothing changed.
#[utoipa::path(get, path = "/feeds/risky-venues.jws", tag = "exposures",
    responses((status = 200, content_type = "application/jose"), (status = 304)))]
pub(crate) async fn feed(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    let file = state.risky_feed().await?;
    Ok(crate::etag::respond(
        &headers,
        &file.etag,
        "application/jose",
        "public, max-age=60",
        file.body.clone(),
    ))
}

/// The public keys of venue links and the feed (JWK set, OKP/Ed25519).
#[utoipa::path(get, path = "/venues/keys", operation_id = "exposures_keys", tag = "venues",
    responses((status = 200, body = crate::routes::health_pass::JwkSet)))]
pub(crate) async fn keys(State(state): State<AppState>) -> impl IntoResponse {
    crate::routes::health_pass::jwks_response(state.venue_keys().ring())
}
