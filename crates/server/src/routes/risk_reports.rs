//! Citizens' risk reports ("Phản ánh"): anyone signed in reports a risk in a commune, its
//! officials triage and close it with a note, and the reporter follows the status. The
//! reporter's name and phone are shown to those officials only (and the listing is audited);
//! reports are limited per citizen per day.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use jiff::SignedDuration;
use phongdich_domain::jurisdiction::Actor;
use phongdich_domain::safety::{report_text, RiskAction, RiskCategory, RiskReportForm, RiskStatus};
use phongdich_domain::validation::Checker;
use phongdich_domain::{Invalid, Message};
use phongdich_store::{NewRiskReport, RiskReport, StoreError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{can, May};
use crate::auth::{Caller, CitizenUser, StaffUser};
use crate::error::{ApiError, ApiResult};
use crate::input::{ApiJson, ApiPath, ApiQuery};
use crate::openapi::answers::{
    Busy, Conflict, JsonBody, Malformed, NotFound, Session, TooMany, Unprocessable,
};
use crate::routes::feedback::jpeg;
use crate::routes::units::unit_field_error;
use crate::routes::views::{UnitView, UnitViews};
use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

/// This module's routes and their part of the OpenAPI document (paths under `/api/v1`).
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(
            routes!(create, list).layer(DefaultBodyLimit::max(crate::photos::MAX_PHOTO_BODY_BYTES)),
        )
        .routes(routes!(categories))
        .routes(routes!(triage))
        .routes(routes!(close))
        .routes(routes!(photo))
        .routes(routes!(mine))
}

/// A category with its labels.
#[derive(Serialize, ToSchema)]
pub(crate) struct RiskCategoryView {
    id: &'static str,
    vi: String,
    en: String,
}

/// The categories a report can have.
#[utoipa::path(get, path = "/risk-reports/categories", operation_id = "risk_reports_categories", tag = "risk-reports",
    responses((status = 200, body = [RiskCategoryView])))]
pub(crate) async fn categories() -> Json<Vec<RiskCategoryView>> {
    Json(
        RiskCategory::ALL
            .iter()
            .map(|c| {
                let m = c.label();
                RiskCategoryView {
                    id: c.as_str(),
                    vi: m.vi,
                    en: m.en,
                }
            })
            .collect(),
    )
}

/// The reporter, for officials only.
#[derive(Serialize, ToSchema)]
pub(crate) struct Reporter {
    name: Option<String>,
    phone: Option<String>,
}

/// A risk report. `reporter` is present only in officials' views.
#[derive(Serialize, ToSchema)]
pub(crate) struct RiskReportView {
    id: i64,
    category: String,
    category_vi: String,
    category_en: String,
    unit_code: String,
    unit: Option<UnitView>,
    lat: Option<f64>,
    lon: Option<f64>,
    address: Option<String>,
    text: String,
    photo_url: Option<String>,
    /// `open`, `in_progress` or `closed`.
    status: String,
    status_vi: String,
    status_en: String,
    /// The official's note to the reporter.
    note: Option<String>,
    created_at: String,
    updated_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    reporter: Option<Reporter>,
}

async fn view(
    state: &AppState,
    r: RiskReport,
    with_reporter: bool,
    units: &mut UnitViews,
) -> ApiResult<RiskReportView> {
    let category = RiskCategory::parse("category", &r.category)
        .map(RiskCategory::label)
        .unwrap_or_else(|_| Message::new(r.category.clone(), r.category.clone()));
    let status = RiskStatus::parse("status", &r.status)
        .map(RiskStatus::label)
        .unwrap_or_else(|_| Message::new(r.status.clone(), r.status.clone()));
    Ok(RiskReportView {
        unit: units.by_code(state, Some(&r.unit_code)).await?,
        photo_url: (r.has_photo != 0).then(|| format!("/api/v1/risk-reports/{}/photo", r.id)),
        category_vi: category.vi,
        category_en: category.en,
        status_vi: status.vi,
        status_en: status.en,
        created_at: crate::routes::cases::time(r.created_at),
        updated_at: crate::routes::cases::time(r.updated_at),
        reporter: with_reporter.then_some(Reporter {
            name: r.reporter_name,
            phone: r.reporter_phone,
        }),
        id: r.id,
        category: r.category,
        unit_code: r.unit_code,
        lat: r.lat,
        lon: r.lon,
        address: r.address,
        text: r.text,
        status: r.status,
        note: r.note,
    })
}

/// A citizen reports a risk; the commune's officials receive it.
#[utoipa::path(post, path = "/risk-reports", operation_id = "risk_reports_create", tag = "risk-reports",
    security(("bearer" = [])), request_body = RiskReportForm,
    responses((status = 201, body = RiskReportView), Session, JsonBody, TooMany, Busy))]
pub(crate) async fn create(
    State(state): State<AppState>,
    user: CitizenUser,
    ApiJson(form): ApiJson<RiskReportForm>,
) -> ApiResult<(StatusCode, Json<RiskReportView>)> {
    let now = state.now();
    let limit = state.config().risk_reports_per_citizen_per_day;
    let window_start = now - SignedDuration::from_hours(24);
    let over_limit = || ApiError::TooManyRequests {
        retry_after_secs: 3600,
        message: Message::new(
            format!("Bạn đã gửi {limit} phản ánh trong 24 giờ qua; hãy thử lại sau"),
            format!("You have sent {limit} reports in the last 24 hours; try again later"),
        ),
    };
    // A cheap look before the photo is decoded, so a citizen over the limit never costs a
    // decode; the store's insert stays the atomic check.
    let sent = state
        .store()
        .my_risk_reports(user.citizen_id)
        .await?
        .iter()
        .filter(|r| r.created_at >= window_start.as_millisecond())
        .count();
    if sent >= limit as usize {
        return Err(over_limit());
    }
    let mut c = Checker::new();
    let input = match form.parse() {
        Ok(input) => Some(input),
        Err(Invalid(errors)) => {
            errors.into_iter().for_each(|e| c.push(e));
            None
        }
    };
    let photo = c
        .check(crate::photos::clean(&state, "photo", form.photo.clone()).await?)
        .flatten();
    let (input, photo) = c.finish(|| (input, photo))?;
    let Some(input) = input else {
        return Err(ApiError::BadRequest("form without input".into()));
    };
    let report = NewRiskReport {
        citizen_id: user.citizen_id,
        category: input.category.as_str().to_owned(),
        unit_code: input.unit_code,
        position: input.position,
        address: input.address,
        text: input.text,
        photo,
    };
    let stored = state
        .store()
        .create_risk_report(&report, window_start, limit, now)
        .await
        .map_err(|e| match e {
            StoreError::Conflict("risk_report_rate_limited") => over_limit(),
            other => unit_field_error("unit_code")(other),
        })?;
    tracing::info!(report = stored.id, category = %stored.category, "risk report");
    let view = view(&state, stored, false, &mut UnitViews::default()).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// The signed-in citizen's reports with their status and the officials' notes.
#[utoipa::path(get, path = "/me/risk-reports", operation_id = "risk_reports_mine", tag = "risk-reports",
    security(("bearer" = [])), responses((status = 200, body = [RiskReportView]), Session))]
pub(crate) async fn mine(
    State(state): State<AppState>,
    user: CitizenUser,
) -> ApiResult<Json<Vec<RiskReportView>>> {
    let mut units = UnitViews::default();
    let mut out = Vec::new();
    for r in state.store().my_risk_reports(user.citizen_id).await? {
        out.push(view(&state, r, false, &mut units).await?);
    }
    Ok(Json(out))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListQuery {
    /// `open`, `in_progress` or `closed` (default: all).
    #[param(inline, value_type = Option<RiskStatus>)]
    status: Option<String>,
}

/// Reports about the official's jurisdiction, oldest first, with their reporters (audited).
#[utoipa::path(get, path = "/risk-reports", operation_id = "risk_reports_list", tag = "risk-reports",
    security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = [RiskReportView]), Session, Malformed, Unprocessable))]
pub(crate) async fn list(
    State(state): State<AppState>,
    staff: May<can::HandleRiskReports>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<RiskReportView>>> {
    let actor = staff.actor();
    let status = q
        .status
        .as_deref()
        .map(|s| RiskStatus::parse("status", s))
        .transpose()
        .map_err(ApiError::field)?;
    let rows = state
        .store()
        .staff_list_risk_reports(actor, status.map(RiskStatus::as_str), state.now())
        .await?;
    let mut units = UnitViews::default();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(view(&state, r, true, &mut units).await?);
    }
    Ok(Json(out))
}

/// A report the actor may handle (inside their jurisdiction; a refusal is audited).
async fn handled_report(state: &AppState, staff: &StaffUser, id: i64) -> ApiResult<RiskReport> {
    let r = state
        .store()
        .risk_report(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let unit = state.store().existing_unit(&r.unit_code).await?;
    staff.scope(state, &unit, "risk_report.update").await?;
    Ok(r)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoteForm {
    /// An optional note to the reporter.
    #[serde(default)]
    #[schema(value_type = Option<phongdich_domain::schema::OptionalText>)]
    note: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CloseForm {
    /// What was done, for the reporter to read. Required: absent or blank, it is named in a
    /// 422 like any other field.
    #[serde(default)]
    #[schema(required = true, value_type = phongdich_domain::schema::RequiredText)]
    note: Option<String>,
}

async fn act(
    state: &AppState,
    staff: &StaffUser,
    id: i64,
    action: RiskAction,
    note: Option<String>,
) -> ApiResult<Json<RiskReportView>> {
    let r = handled_report(state, staff, id).await?;
    let actor: &Actor = &staff.actor;
    let current = RiskStatus::parse("status", &r.status).map_err(|_| {
        ApiError::Internal(anyhow::anyhow!("report {id} has status {:?}", r.status))
    })?;
    let mut c = Checker::new();
    let next = c.check(current.after(action));
    let note = match (
        action,
        note.as_deref().map(str::trim).filter(|n| !n.is_empty()),
    ) {
        (_, Some(n)) => c.check(report_text("note", n)),
        (RiskAction::Close, None) => {
            c.check(report_text("note", ""));
            None
        }
        (RiskAction::Triage, None) => None,
    };
    let (next, note) = c.finish(|| (next, note))?;
    let Some(next) = next else {
        return Err(ApiError::BadRequest("no next status".into()));
    };
    let updated = state
        .store()
        .update_risk_report(
            actor,
            id,
            current.as_str(),
            next.as_str(),
            note.as_deref(),
            state.now(),
        )
        .await
        .map_err(|e| match e {
            StoreError::Conflict(code) => ApiError::Conflict {
                code,
                message: Message::new(
                    "Phản ánh vừa được cán bộ khác cập nhật; hãy tải lại",
                    "Another official has just updated this report; reload it",
                ),
            },
            other => other.into(),
        })?;
    tracing::info!(report = id, status = next.as_str(), "risk report handled");
    Ok(Json(
        view(state, updated, true, &mut UnitViews::default()).await?,
    ))
}

/// An official starts handling a report (`in_progress`), optionally with a note.
#[utoipa::path(post, path = "/risk-reports/{id}/triage", tag = "risk-reports",
    security(("bearer" = [])), params(("id" = i64, Path)), request_body = NoteForm,
    responses((status = 200, body = RiskReportView), Session, JsonBody, NotFound, Conflict))]
pub(crate) async fn triage(
    State(state): State<AppState>,
    staff: May<can::HandleRiskReports>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(form): ApiJson<NoteForm>,
) -> ApiResult<Json<RiskReportView>> {
    act(&state, &staff, id, RiskAction::Triage, form.note).await
}

/// An official closes a report with a note the reporter will read.
#[utoipa::path(post, path = "/risk-reports/{id}/close", tag = "risk-reports",
    security(("bearer" = [])), params(("id" = i64, Path)), request_body = CloseForm,
    responses((status = 200, body = RiskReportView), Session, JsonBody, NotFound, Conflict))]
pub(crate) async fn close(
    State(state): State<AppState>,
    staff: May<can::HandleRiskReports>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(form): ApiJson<CloseForm>,
) -> ApiResult<Json<RiskReportView>> {
    act(&state, &staff, id, RiskAction::Close, form.note).await
}

/// A report's photo: for its reporter and the officials of its commune.
#[utoipa::path(get, path = "/risk-reports/{id}/photo", operation_id = "risk_reports_photo", tag = "risk-reports",
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, content_type = "image/jpeg"), Session, Malformed, NotFound))]
pub(crate) async fn photo(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Response> {
    let r = state
        .store()
        .risk_report(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    match &caller.subject {
        phongdich_store::Subject::Citizen { citizen_id } => {
            if r.citizen_id != Some(*citizen_id) {
                return Err(ApiError::NotFound);
            }
        }
        phongdich_store::Subject::Staff(actor) => {
            let staff = StaffUser {
                actor: actor.clone(),
            };
            handled_report(&state, &staff, id).await?;
        }
    }
    let bytes = state
        .store()
        .risk_report_photo(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    // A photo may show the reporter or their neighbours: a staff view is audited.
    if let phongdich_store::Subject::Staff(actor) = &caller.subject {
        let event = phongdich_domain::audit::AuditEvent::allowed(
            "risk_report.photo",
            format!("risk_report:{id}"),
            r.unit_code.clone(),
        );
        state
            .store()
            .record_audit(actor, &event, state.now())
            .await?;
    }
    Ok(jpeg(bytes))
}
