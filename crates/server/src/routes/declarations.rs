//! Health declarations: citizens declare (for themselves or family) and see their history;
//! officials list, open and export those in their jurisdiction (audited), and see who under
//! monitoring missed a daily update.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use phongdich_domain::declarations::{DeclarationForm, Kind};
use phongdich_domain::time::vietnam_date;
use phongdich_domain::units::parse_code;
use phongdich_domain::validation::Checker;
use phongdich_domain::FieldError;
use phongdich_store::{DeclarationFilter, StoredDeclaration};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{can, May};
use crate::auth::{CitizenUser, StaffUser};
use crate::declaring::{flag_views, Declarant, FlagView, Recorded};
use crate::error::{ApiError, ApiResult};
use crate::heavy::Work;
use crate::input::{ApiJson, ApiPath, ApiQuery};
use crate::openapi::answers::{Busy, JsonBody, Malformed, NotFound, Session, Unprocessable};
use crate::routes::health_pass::PassView;
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// This module's routes and their part of the OpenAPI document (paths under `/api/v1`).
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(submit, list))
        .routes(routes!(export_csv))
        .routes(routes!(export_xlsx))
        .routes(routes!(missed_updates))
        .routes(routes!(open))
        .routes(routes!(mine))
}

/// The answer to a submitted declaration: its colour, the reasons, and the health pass.
#[derive(Serialize, ToSchema)]
pub(crate) struct RecordedView {
    id: i64,
    kind: &'static str,
    /// green, yellow or red.
    colour: &'static str,
    /// Reasons, each with a code, a severity and a message in both languages.
    flags: Vec<FlagView>,
    pass: Option<PassView>,
}

impl From<Recorded> for RecordedView {
    fn from(r: Recorded) -> Self {
        RecordedView {
            id: r.id,
            kind: r.kind.as_str(),
            colour: r.colour.as_str(),
            flags: flag_views(&r.flags),
            pass: r.pass.map(PassView::from),
        }
    }
}

/// A stored declaration as listed.
#[derive(Serialize, ToSchema)]
pub(crate) struct DeclarationView {
    id: i64,
    kind: String,
    full_name: String,
    unit_code: String,
    day: String,
    colour: String,
    flags: Vec<String>,
    declared_at: String,
    member_id: Option<i64>,
    /// Made by checkpoint staff on the person's behalf.
    by_staff: bool,
    /// The submitted form and the assessed flags (only when one declaration is opened).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::declaring::DeclarationAnswers>)]
    answers: Option<serde_json::Value>,
}

impl DeclarationView {
    fn of(d: StoredDeclaration, with_answers: bool) -> Self {
        DeclarationView {
            answers: with_answers
                .then(|| serde_json::from_str(&d.answers).unwrap_or(serde_json::Value::Null)),
            id: d.id,
            kind: d.kind,
            full_name: d.full_name,
            unit_code: d.unit_code,
            day: d.day,
            colour: d.colour,
            flags: d.flags,
            declared_at: d.declared_at.to_string(),
            member_id: d.member_id,
            by_staff: d.declared_by_staff.is_some(),
        }
    }
}

/// Submits a declaration for the signed-in citizen or one of their family members.
#[utoipa::path(post, path = "/declarations", tag = "declarations", security(("bearer" = [])),
    request_body = phongdich_domain::declarations::DeclarationSubmission,
    responses((status = 201, body = RecordedView), Session, JsonBody))]
pub(crate) async fn submit(
    State(state): State<AppState>,
    user: CitizenUser,
    ApiJson(form): ApiJson<DeclarationForm>,
) -> ApiResult<(StatusCode, Json<RecordedView>)> {
    let recorded = state
        .submit_declaration(&form, Declarant::Citizen(user.citizen_id))
        .await?;
    Ok((StatusCode::CREATED, Json(recorded.into())))
}

/// The declarations made under the signed-in citizen's account, newest first.
#[utoipa::path(get, path = "/me/declarations", operation_id = "declarations_mine", tag = "declarations", security(("bearer" = [])),
    responses((status = 200, body = [DeclarationView]), Session))]
pub(crate) async fn mine(
    State(state): State<AppState>,
    user: CitizenUser,
) -> ApiResult<Json<Vec<DeclarationView>>> {
    let found = state
        .store()
        .citizen_declarations(user.citizen_id, 100)
        .await?;
    Ok(Json(
        found
            .into_iter()
            .map(|d| DeclarationView::of(d, true))
            .collect(),
    ))
}

#[derive(Debug, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListQuery {
    /// Only this unit and below.
    unit: Option<String>,
    /// First local date, YYYY-MM-DD.
    #[param(format = Date)]
    from: Option<String>,
    /// Last local date, YYYY-MM-DD.
    #[param(format = Date)]
    to: Option<String>,
    /// domestic, domestic_travel, entry or daily_update.
    #[param(inline, value_type = Option<phongdich_domain::declarations::Kind>)]
    kind: Option<String>,
    /// Only declarations with at least one flag.
    flagged: Option<bool>,
    /// Only declarations with this flag code (`contact_with_case`, `fever`…).
    #[param(pattern = "^[a-z_]*$")]
    flag: Option<String>,
    /// At most this many (default 200 for the list, 100,000 for the exports).
    #[param(minimum = 1, maximum = 100000)]
    limit: Option<u32>,
}

impl ListQuery {
    fn filter(&self, default_limit: u32) -> Result<DeclarationFilter, ApiError> {
        let mut c = Checker::new();
        let unit_code = self
            .unit
            .as_deref()
            .and_then(|u| c.check(parse_code("unit", u)));
        let mut day = |field: &str, v: &Option<String>| {
            v.as_deref().and_then(|d| {
                c.check(phongdich_domain::time::parse_date(field, d).map(|d| d.to_string()))
            })
        };
        let from_day = day("from", &self.from);
        let to_day = day("to", &self.to);
        let kind = self
            .kind
            .as_deref()
            .and_then(|k| c.check(Kind::parse("kind", k)))
            .map(|k| k.as_str().to_owned());
        let flag = self.flag.clone().filter(|f| !f.is_empty());
        if flag
            .as_ref()
            .is_some_and(|f| !f.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        {
            c.push(FieldError::new(
                "flag",
                "flag_unknown",
                "Mã cảnh báo không hợp lệ",
                "Unknown flag code",
            ));
        }
        let filter = DeclarationFilter {
            unit_code,
            from_day,
            to_day,
            kind,
            flagged_only: self.flagged.unwrap_or(false),
            flag,
            limit: crate::input::bounded("limit", self.limit, default_limit, 1..=100_000)?,
        };
        Ok(c.finish(|| filter)?)
    }
}

/// Declarations in the official's jurisdiction, risky first (audited).
#[utoipa::path(get, path = "/declarations", operation_id = "declarations_list", tag = "declarations", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = [DeclarationView]), Session, Malformed, Unprocessable))]
pub(crate) async fn list(
    State(state): State<AppState>,
    staff: May<can::ReadDeclarations>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<DeclarationView>>> {
    let actor = staff.actor();
    let filter = q.filter(200)?;
    let found = state
        .store()
        .staff_list_declarations(actor, &filter, "declaration.list", state.now())
        .await?;
    Ok(Json(
        found
            .into_iter()
            .map(|d| DeclarationView::of(d, false))
            .collect(),
    ))
}

/// One declaration with all its answers (audited; 403 outside the jurisdiction).
#[utoipa::path(get, path = "/declarations/{id}", operation_id = "declarations_open", tag = "declarations", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = DeclarationView), Session, Malformed, NotFound))]
pub(crate) async fn open(
    State(state): State<AppState>,
    staff: May<can::ReadDeclarations>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<DeclarationView>> {
    let actor = staff.actor();
    let found = state
        .store()
        .staff_read_declaration(actor, id, state.now())
        .await?;
    Ok(Json(DeclarationView::of(found, true)))
}

async fn export_rows(
    state: &AppState,
    staff: &StaffUser,
    q: &ListQuery,
) -> ApiResult<Vec<crate::exports::DeclarationRow>> {
    let actor = staff.actor();
    let filter = q.filter(100_000)?;
    let found = state
        .store()
        .staff_list_declarations(actor, &filter, "declaration.export", state.now())
        .await?;
    crate::exports::rows(state, found).await
}

/// The same list as CSV (UTF-8 with BOM so spreadsheet programs read Vietnamese right; audited).
#[utoipa::path(get, path = "/declarations/export.csv", tag = "declarations", security(("bearer" = [])),
    params(ListQuery), responses((status = 200, content_type = "text/csv"), Session, Malformed, Unprocessable, Busy))]
pub(crate) async fn export_csv(
    State(state): State<AppState>,
    staff: May<can::ReadDeclarations>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Response> {
    let rows = export_rows(&state, &staff, &q).await?;
    let body = state
        .heavy_work()
        .run(Work::Document, move || crate::exports::csv(&rows))
        .await??;
    Ok(crate::exports::download(
        body,
        "text/csv; charset=utf-8",
        "to-khai-y-te.csv",
    ))
}

/// The same list as an Excel workbook (audited).
#[utoipa::path(get, path = "/declarations/export.xlsx", tag = "declarations", security(("bearer" = [])),
    params(ListQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), Session, Malformed, Unprocessable, Busy))]
pub(crate) async fn export_xlsx(
    State(state): State<AppState>,
    staff: May<can::ReadDeclarations>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Response> {
    let rows = export_rows(&state, &staff, &q).await?;
    let title = format!("Danh sách tờ khai y tế — {}", staff.actor.unit.name);
    let body = state
        .heavy_work()
        .run(Work::Document, move || crate::exports::xlsx(&title, &rows))
        .await??;
    Ok(crate::exports::download(
        body,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "to-khai-y-te.xlsx",
    ))
}

#[derive(Debug, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct MissedQuery {
    /// The day to check (YYYY-MM-DD); yesterday in Vietnam by default.
    #[param(format = Date)]
    day: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct MissedView {
    full_name: String,
    unit_code: String,
    citizen_id: Option<i64>,
    member_id: Option<i64>,
    /// Monitoring ends before this date.
    monitor_until: String,
}

/// People under monitoring in the jurisdiction who sent no daily update on the day (audited).
#[utoipa::path(get, path = "/declarations/missed-updates", tag = "declarations", security(("bearer" = [])),
    params(MissedQuery), responses((status = 200, body = [MissedView]), Session, Malformed, Unprocessable))]
pub(crate) async fn missed_updates(
    State(state): State<AppState>,
    staff: May<can::ReadDeclarations>,
    ApiQuery(q): ApiQuery<MissedQuery>,
) -> ApiResult<Json<Vec<MissedView>>> {
    let actor = staff.actor();
    let day = match q.day {
        Some(d) => phongdich_domain::time::parse_date("day", &d).map_err(ApiError::field)?,
        None => vietnam_date(state.now())
            .yesterday()
            .map_err(|e| ApiError::Internal(e.into()))?,
    };
    let missed = state
        .store()
        .staff_missed_updates(actor, &day.to_string(), state.now())
        .await?;
    Ok(Json(
        missed
            .into_iter()
            .map(|m| MissedView {
                full_name: m.full_name,
                unit_code: m.unit_code,
                citizen_id: m.citizen_id,
                member_id: m.member_id,
                monitor_until: m.monitor_until,
            })
            .collect(),
    ))
}
