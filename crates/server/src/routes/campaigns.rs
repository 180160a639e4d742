//! Adoption campaigns: officials run campaigns over units; unit reporters submit counts for
//! reporting dates; the dashboard, the XLSX and the PDF show the status on a date; reminders go
//! out two days before a date. The units themselves are in `org_units`.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use jiff::civil::Date;
use phongdich_domain::campaigns::{CampaignForm, Population, ReportForm, TargetProgress};
use phongdich_domain::time::vietnam_date;
use phongdich_domain::{FieldError, Invalid, Message};
use phongdich_store::StoredCampaign;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::StaffUser;
use crate::auth::{can, May};
use crate::campaigns::documents;
use crate::campaigns::status::{status, CampaignStatus, TimelinePoint};
use crate::error::{ApiError, ApiResult};
use crate::exports::download;
use crate::heavy::Work;
use crate::input::{ApiJson, ApiPath, ApiQuery};
use crate::openapi::answers::{Busy, JsonBody, Malformed, NotFound, Session, Unprocessable};
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// This module's routes and their part of the OpenAPI document (paths under `/api/v1`).
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(send_reminders))
        .routes(routes!(open))
        .routes(routes!(report))
        .routes(routes!(report_xlsx))
        .routes(routes!(report_pdf))
}

/// A campaign in a list.
#[derive(Serialize, ToSchema)]
pub(crate) struct CampaignView {
    id: i64,
    name: String,
    goal: &'static str,
    goal_vi: String,
    goal_en: String,
    start: String,
    deadline: String,
    reporting_dates: Vec<String>,
    targets: Vec<TargetView>,
    units: Vec<String>,
    unit_code: String,
}

/// A campaign's target for one population.
#[derive(Serialize, ToSchema)]
pub(crate) struct TargetView {
    population: Population,
    percent: u8,
    population_vi: String,
    population_en: String,
}

fn campaign_view(c: &StoredCampaign) -> CampaignView {
    let k = &c.campaign;
    let goal = k.goal.label();
    CampaignView {
        id: c.id,
        name: k.name.clone(),
        goal: k.goal.as_str(),
        goal_vi: goal.vi,
        goal_en: goal.en,
        start: k.start.to_string(),
        deadline: k.deadline.to_string(),
        reporting_dates: k.reporting_dates.iter().map(|d| d.to_string()).collect(),
        targets: k
            .targets
            .iter()
            .map(|t| {
                let label = t.population.label();
                TargetView {
                    population: t.population,
                    percent: t.percent,
                    population_vi: label.vi,
                    population_en: label.en,
                }
            })
            .collect(),
        units: k.units.clone(),
        unit_code: c.unit_code.clone(),
    }
}

/// An official starts a campaign over units of their jurisdiction.
#[utoipa::path(post, path = "/campaigns", operation_id = "campaigns_create", tag = "campaigns", security(("bearer" = [])),
    request_body = CampaignForm,
    responses((status = 201, body = CampaignView), Session, JsonBody))]
pub(crate) async fn create(
    State(state): State<AppState>,
    staff: May<can::OrganiseCampaigns>,
    ApiJson(form): ApiJson<CampaignForm>,
) -> ApiResult<(StatusCode, Json<CampaignView>)> {
    let actor = staff.actor();
    let campaign = form.parse()?;
    let mut ids = Vec::new();
    let mut errors = Vec::new();
    for code in &campaign.units {
        match state.store().org_unit(code).await? {
            Some(o) if actor.covers(&o.unit_path) => ids.push(o.id),
            _ => errors.push(FieldError::new(
                "units",
                "org_unit_unknown",
                format!("Không có đơn vị mã {code} trong địa bàn của bạn"),
                format!("No unit with code {code} in your jurisdiction"),
            )),
        }
    }
    if !errors.is_empty() {
        return Err(Invalid(errors).into());
    }
    let id = state
        .store()
        .create_campaign(
            &campaign,
            &ids,
            &actor.unit.code,
            actor.staff_id,
            state.now(),
        )
        .await?;
    let stored = state
        .store()
        .campaign(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    tracing::info!(campaign = id, units = ids.len(), "campaign started");
    Ok((StatusCode::CREATED, Json(campaign_view(&stored))))
}

/// Campaigns made in, or covering units of, the staff member's jurisdiction.
#[utoipa::path(get, path = "/campaigns", operation_id = "campaigns_list", tag = "campaigns", security(("bearer" = [])),
    responses((status = 200, body = [CampaignView]), Session))]
pub(crate) async fn list(
    State(state): State<AppState>,
    staff: May<can::ReportCampaigns>,
) -> ApiResult<Json<Vec<CampaignView>>> {
    let actor = staff.actor();
    let list = state.store().campaigns_visible(&actor.unit.path).await?;
    Ok(Json(list.iter().map(campaign_view).collect()))
}

/// A campaign the staff member may see: made in their jurisdiction, or covering a unit there.
async fn visible_campaign(
    state: &AppState,
    staff: &StaffUser,
    id: i64,
) -> ApiResult<StoredCampaign> {
    let actor = staff.actor();
    let c = state
        .store()
        .campaign(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if actor.covers(&c.unit_path) {
        return Ok(c);
    }
    for code in &c.campaign.units {
        if let Some(o) = state.store().org_unit(code).await? {
            if actor.covers(&o.unit_path) {
                return Ok(c);
            }
        }
    }
    Err(ApiError::out_of_jurisdiction())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct DateQuery {
    /// `YYYY-MM-DD` (default: today in Vietnam).
    #[param(format = Date)]
    date: Option<String>,
}

fn date_or_today(state: &AppState, q: &DateQuery) -> ApiResult<Date> {
    match q.date.as_deref() {
        Some(s) => phongdich_domain::time::parse_date("date", s).map_err(ApiError::field),
        None => Ok(vietnam_date(state.now())),
    }
}

/// One unit on the dashboard.
#[derive(Serialize, ToSchema)]
pub(crate) struct UnitRow {
    code: String,
    name: String,
    kind: &'static str,
    targets: Vec<TargetProgress>,
    last_report: Option<String>,
    due: Option<String>,
    late: bool,
    behind: bool,
    note: Option<String>,
}

/// The dashboard of a campaign on a date.
#[derive(Serialize, ToSchema)]
pub(crate) struct Dashboard {
    campaign: CampaignView,
    date: String,
    /// Late first, then behind schedule, then the lowest progress.
    units: Vec<UnitRow>,
    totals: Vec<TargetProgress>,
    /// The totals at the start, each reporting date so far and the date asked.
    timeline: Vec<TimelinePoint>,
    late: usize,
    behind: usize,
    /// Each population's name, by its wire name.
    labels: BTreeMap<Population, Message>,
}

fn dashboard(s: CampaignStatus) -> Dashboard {
    let labels = Population::ALL.iter().map(|p| (*p, p.label())).collect();
    Dashboard {
        campaign: campaign_view(&s.campaign),
        date: s.date.to_string(),
        late: s.units.iter().filter(|u| u.progress.late).count(),
        behind: s.units.iter().filter(|u| u.progress.behind).count(),
        units: s
            .units
            .into_iter()
            .map(|u| UnitRow {
                kind: u.org.unit.kind.as_str(),
                code: u.org.unit.code,
                name: u.org.unit.name,
                last_report: u.progress.last_report.map(|d| d.to_string()),
                due: u.progress.due.map(|d| d.to_string()),
                late: u.progress.late,
                behind: u.progress.behind,
                targets: u.progress.targets,
                note: u.note,
            })
            .collect(),
        totals: s.totals,
        timeline: s.timeline,
        labels,
    }
}

/// A campaign's status on a date: units with reported and measured progress, totals, timeline.
#[utoipa::path(get, path = "/campaigns/{id}", operation_id = "campaigns_open", tag = "campaigns", security(("bearer" = [])),
    params(("id" = i64, Path), DateQuery),
    responses((status = 200, body = Dashboard), Session, Malformed, NotFound, Unprocessable))]
pub(crate) async fn open(
    State(state): State<AppState>,
    staff: May<can::ReportCampaigns>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<DateQuery>,
) -> ApiResult<Json<Dashboard>> {
    let c = visible_campaign(&state, &staff, id).await?;
    let date = date_or_today(&state, &q)?;
    Ok(Json(dashboard(status(&state, c, date).await?)))
}

/// A unit's reporter (or an official) submits counts for a reporting date; a second report for
/// the same date corrects the first.
#[utoipa::path(post, path = "/campaigns/{id}/reports", operation_id = "campaigns_report", tag = "campaigns",
    security(("bearer" = [])), params(("id" = i64, Path)), request_body = ReportForm,
    responses((status = 201, body = ReportSaved), Session, JsonBody, NotFound))]
pub(crate) async fn report(
    State(state): State<AppState>,
    staff: May<can::ReportCampaigns>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(form): ApiJson<ReportForm>,
) -> ApiResult<(StatusCode, Json<ReportSaved>)> {
    let actor = staff.actor();
    let c = state
        .store()
        .campaign(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let code = form.unit.trim().to_uppercase();
    let org = match state.store().org_unit(&code).await? {
        Some(o) if c.campaign.units.contains(&o.unit.code) => o,
        _ => {
            return Err(ApiError::field(FieldError::new(
                "unit",
                "org_unit_not_in_campaign",
                "Đơn vị không thuộc chiến dịch này",
                "The unit is not part of this campaign",
            )))
        }
    };
    if !actor.covers(&org.unit_path) {
        let unit = state.store().existing_unit(&org.unit.unit_code).await?;
        staff.scope(&state, &unit, "campaign.report").await?;
    }
    let now = state.now();
    let report = form.parse(&c.campaign, &org.unit.heads, vietnam_date(now))?;
    state
        .store()
        .save_campaign_report(c.id, org.id, &report, actor.staff_id, now)
        .await?;
    tracing::info!(campaign = c.id, unit = %org.unit.code, "campaign report");
    Ok((
        StatusCode::CREATED,
        Json(ReportSaved {
            campaign: c.id,
            unit: org.unit.code,
            date: report.date.to_string(),
        }),
    ))
}

/// Which report was saved.
#[derive(Serialize, ToSchema)]
pub(crate) struct ReportSaved {
    campaign: i64,
    /// The organisation unit's code.
    unit: String,
    /// The reporting date, `YYYY-MM-DD`.
    date: String,
}

/// How many reminders went out.
#[derive(Serialize, ToSchema)]
pub(crate) struct RemindersSent {
    sent: usize,
}

async fn table(
    state: &AppState,
    staff: &StaffUser,
    id: i64,
    q: &DateQuery,
) -> ApiResult<(documents::Table, String)> {
    let c = visible_campaign(state, staff, id).await?;
    let date = date_or_today(state, q)?;
    let issuer = state
        .store()
        .unit(&c.unit_code)
        .await?
        .map_or_else(|| c.unit_code.clone(), |u| format!("{} {}", u.kind, u.name));
    let name = format!("bao-cao-chien-dich-{id}-{date}");
    Ok((
        documents::table(&status(state, c, date).await?, &issuer),
        name,
    ))
}

/// The status on a date as an XLSX workbook (same figures as the dashboard).
#[utoipa::path(get, path = "/campaigns/{id}/report.xlsx", tag = "campaigns",
    security(("bearer" = [])), params(("id" = i64, Path), DateQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), Session, Malformed, NotFound, Unprocessable, Busy))]
pub(crate) async fn report_xlsx(
    State(state): State<AppState>,
    staff: May<can::ReportCampaigns>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<DateQuery>,
) -> ApiResult<Response> {
    let (t, name) = table(&state, &staff, id, &q).await?;
    let xlsx = state
        .heavy_work()
        .run(Work::Document, move || documents::xlsx(&t))
        .await??;
    Ok(download(
        xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("{name}.xlsx"),
    ))
}

/// The status on a date as a PDF for printing (A4 landscape).
#[utoipa::path(get, path = "/campaigns/{id}/report.pdf", tag = "campaigns",
    security(("bearer" = [])), params(("id" = i64, Path), DateQuery),
    responses((status = 200, content_type = "application/pdf"), Session, Malformed, NotFound, Unprocessable, Busy))]
pub(crate) async fn report_pdf(
    State(state): State<AppState>,
    staff: May<can::ReportCampaigns>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<DateQuery>,
) -> ApiResult<Response> {
    let (t, name) = table(&state, &staff, id, &q).await?;
    let pdf = state
        .heavy_work()
        .run(Work::Document, move || documents::pdf(&t))
        .await??;
    Ok(download(pdf, "application/pdf", &format!("{name}.pdf")))
}

/// An official sends today's reminders now (the server also sends them every hour).
#[utoipa::path(post, path = "/campaigns/reminders", tag = "campaigns",
    security(("bearer" = [])),
    responses((status = 200, body = RemindersSent), Session))]
pub(crate) async fn send_reminders(
    State(state): State<AppState>,
    _staff: May<can::OrganiseCampaigns>,
) -> ApiResult<Json<RemindersSent>> {
    let sent = state.send_campaign_reminders().await?;
    Ok(Json(RemindersSent { sent }))
}
