//! "I may be F1": a citizen whose phone matched a published key reports it, naming the matched
//! key so the server can link the contact to the case's upload without telling the citizen
//! whose it was. Officials of the citizen's unit see the reports (audited). With consent the
//! citizen also gets an upload token: their keys are published as `recursive`, so the phones
//! that met them get second-level (F2) guidance.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use jiff::SignedDuration;
use phongdich_domain::proximity::ContactLevel;
use phongdich_domain::proximity::F1ReportForm;
use phongdich_domain::FieldError;
use phongdich_store::{F1Report, NewEnCode, NewF1Report};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{can, May};
use crate::auth::{tokens, CitizenUser};
use crate::error::{ApiError, ApiResult};
use crate::input::ApiJson;
use crate::openapi::answers::{Conflict, JsonBody, Session, TooMany};
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// This module's routes and their part of the OpenAPI document (paths under `/api/v1`).
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(report, list))
        .routes(routes!(mine))
}

/// A stored report.
#[derive(Serialize, ToSchema)]
pub(crate) struct F1ReportCreated {
    id: i64,
    /// `F1` for a case's key, `F2` for a key an F1 shared.
    level: String,
    /// With `share_keys`: a single-use token for `POST /api/v1/exposure/keys`.
    upload_token: Option<String>,
}

/// Reports "I may be F1" to the officials of the citizen's unit.
#[utoipa::path(post, path = "/exposure/f1-reports", operation_id = "f1_reports_report", tag = "exposure", security(("bearer" = [])),
    request_body = F1ReportForm,
    responses((status = 201, body = F1ReportCreated), Session, JsonBody, Conflict, TooMany))]
pub(crate) async fn report(
    State(state): State<AppState>,
    citizen: CitizenUser,
    ApiJson(form): ApiJson<F1ReportForm>,
) -> ApiResult<(StatusCode, Json<F1ReportCreated>)> {
    let now = state.now();
    let rules = &state.profile().exposure;
    let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
    let claim = form.parse(today, rules)?;
    let day = claim.exposure_date;
    let me = state
        .store()
        .citizen(citizen.citizen_id)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    let unit_code = me.unit_code.ok_or_else(|| {
        ApiError::field(FieldError::new(
            "unit_code",
            "unit_required",
            "Hãy chọn xã/phường nơi bạn ở trong hồ sơ để báo cho cán bộ y tế địa phương",
            "Choose your commune in your profile so the local health officials can be told",
        ))
    })?;
    // Counted first, atomically in the store: parallel reports cannot get past the daily
    // limit to the key lookup below.
    state.count_f1_report(citizen.citizen_id).await?;
    // One report per exposure day, checked before any key is looked up: otherwise repeated
    // reports could probe which keys of an export are real and which are padding.
    if state
        .store()
        .f1_report_exists(citizen.citizen_id, &day.to_string())
        .await?
    {
        return Err(already_reported());
    }
    let origin = state
        .store()
        .key_origin(&claim.matched_keys)
        .await?
        .ok_or_else(|| {
            ApiError::field(FieldError::new(
                "matched_keys",
                "matched_keys_unknown",
                "Không tìm thấy khóa đã khớp (có thể đã quá hạn lưu trữ)",
                "The matched keys are not known (they may be past the retention period)",
            ))
        })?;
    let level = if origin.report_type == "recursive" {
        ContactLevel::F2
    } else {
        ContactLevel::F1
    };
    // Keys are shared one ring down only: an F2's contacts are not warned through this path.
    if claim.share_keys && level == ContactLevel::F2 {
        return Err(ApiError::field(FieldError::new(
            "share_keys",
            "share_keys_f2",
            "Người tiếp xúc cấp F2 không chia sẻ khóa; hãy chờ hướng dẫn của cán bộ y tế",
            "Second-level contacts do not share keys; wait for the health officials' guidance",
        )));
    }
    let id = state
        .store()
        .create_f1_report(
            &NewF1Report {
                citizen_id: citizen.citizen_id,
                unit_code: unit_code.clone(),
                level: level.as_str().into(),
                exposure_day: day.to_string(),
                score: claim.score,
                minutes: claim.minutes,
                upload_id: origin.upload_id,
            },
            now,
        )
        .await
        .map_err(|e| match e {
            phongdich_store::StoreError::Conflict("f1_report_exists") => already_reported(),
            e => e.into(),
        })?;
    let upload_token = if claim.share_keys {
        let token = tokens::new_token();
        state
            .store()
            .create_en_code(&NewEnCode {
                code_hash: None,
                report_type: "recursive".into(),
                onset_day: None,
                unit_code,
                citizen_id: Some(citizen.citizen_id),
                issued_by: None,
                f1_report_id: Some(id),
                created_at: now,
                expires_at: now,
                token_hash: Some(tokens::token_hash(&token)),
                token_expires_at: Some(now + SignedDuration::from_hours(rules.token_hours)),
            })
            .await?;
        Some(token)
    } else {
        None
    };
    tracing::info!(
        report = id,
        level = level.as_str(),
        "exposure reported by a citizen"
    );
    Ok((
        StatusCode::CREATED,
        Json(F1ReportCreated {
            id,
            level: level.as_str().into(),
            upload_token,
        }),
    ))
}

fn already_reported() -> ApiError {
    ApiError::Conflict {
        code: "f1_report_exists",
        message: phongdich_domain::Message::new(
            "Bạn đã báo tiếp xúc của ngày này",
            "You already reported the exposure of that day",
        ),
    }
}

/// A report as listed.
#[derive(Serialize, ToSchema)]
pub(crate) struct F1ReportView {
    id: i64,
    citizen_id: i64,
    phone: String,
    full_name: Option<String>,
    unit_code: String,
    level: String,
    exposure_date: String,
    score: f64,
    minutes: f64,
    /// The upload the matched key came from (officials only).
    upload_id: Option<i64>,
    /// The case's unit (officials only; never the case's identity).
    case_unit: Option<String>,
    created_at: String,
}

impl From<F1Report> for F1ReportView {
    fn from(r: F1Report) -> Self {
        Self {
            id: r.id,
            citizen_id: r.citizen_id,
            phone: r.phone,
            full_name: r.full_name,
            unit_code: r.unit_code,
            level: r.level,
            exposure_date: r.exposure_day,
            score: r.score,
            minutes: r.minutes,
            upload_id: r.upload_id,
            case_unit: r.case_unit,
            created_at: crate::routes::cases::time(r.created_at),
        }
    }
}

/// Reports of citizens in the official's jurisdiction, newest first (audited).
#[utoipa::path(get, path = "/exposure/f1-reports", operation_id = "f1_reports_list", tag = "exposure", security(("bearer" = [])),
    responses((status = 200, body = [F1ReportView]), Session))]
pub(crate) async fn list(
    State(state): State<AppState>,
    staff: May<can::ReadF1Reports>,
) -> ApiResult<Json<Vec<F1ReportView>>> {
    let actor = staff.actor();
    let rows = state
        .store()
        .staff_list_f1_reports(actor, 500, state.now())
        .await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// The citizen's own reports.
#[utoipa::path(get, path = "/me/exposure-reports", operation_id = "f1_reports_mine", tag = "exposure", security(("bearer" = [])),
    responses((status = 200, body = [F1ReportView]), Session))]
pub(crate) async fn mine(
    State(state): State<AppState>,
    citizen: CitizenUser,
) -> ApiResult<Json<Vec<F1ReportView>>> {
    let rows = state.store().my_f1_reports(citizen.citizen_id).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}
