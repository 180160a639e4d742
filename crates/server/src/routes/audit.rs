//! The audit log for admins (acting as the unit's auditor): rows of their staff and rows about
//! their unit's data, filtered, with the view "who from outside read my residents", and a CSV or
//! XLSX export of any filter (the export is audited itself).

use axum::extract::State;
use axum::response::Response;
use axum::Json;
use jiff::Timestamp;
use phongdich_domain::audit::AuditEvent;
use phongdich_domain::jurisdiction::Actor;
use phongdich_domain::units::{parse_code, unknown_unit};
use phongdich_domain::validation::{Checker, FieldError};
use phongdich_store::{AuditFilter, AuditRecord, MAX_AUDIT_ROWS};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{can, May};
use crate::error::ApiResult;
use crate::exports::{download, table_csv, table_xlsx};
use crate::input::{bounded, ApiQuery};
use crate::openapi::answers::{Malformed, Session, Unprocessable};
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// This module's routes and their part of the OpenAPI document (paths under `/api/v1`).
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_audit))
        .routes(routes!(export_audit_csv))
        .routes(routes!(export_audit_xlsx))
}

#[derive(Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuditQuery {
    /// Newest this many rows: the list shows at most 1,000 (default 100), exports up to 10,000
    /// (the default).
    #[param(minimum = 1, maximum = 10000)]
    limit: Option<u32>,
    /// The reader's username.
    actor: Option<String>,
    /// An action (`case.open`), or a family of them ending in a dot (`case.`).
    action: Option<String>,
    /// allowed or denied.
    #[param(inline, value_type = Option<AuditOutcome>)]
    outcome: Option<String>,
    /// From this day (YYYY-MM-DD, Vietnam time), inclusive.
    #[param(format = Date)]
    from: Option<String>,
    /// Up to this day (YYYY-MM-DD, Vietnam time), inclusive.
    #[param(format = Date)]
    to: Option<String>,
    /// Readers of this unit and below.
    reader_unit: Option<String>,
    /// Data of this unit and below.
    data_unit: Option<String>,
    /// `outside`: only reads of data inside the admin's unit by staff from outside it; `all`
    /// (the default): every row.
    #[param(inline, value_type = Option<AuditViewChoice>)]
    view: Option<String>,
}

crate::openapi::choices::choices!(
    /// The outcomes an audit row can have.
    AuditOutcome = ["allowed", "denied"]
);

crate::openapi::choices::choices!(
    /// The views of the audit log.
    AuditViewChoice = ["all", "outside"]
);

#[derive(Serialize, ToSchema)]
pub(crate) struct AuditView {
    id: i64,
    at: String,
    /// Username of the member of staff (or the venue owner's label).
    actor: String,
    role: String,
    /// Unit the member of staff is scoped to.
    scope_unit: String,
    /// Path of the reader's unit.
    reader_unit_path: Option<String>,
    action: String,
    subject: String,
    /// Unit the data belongs to.
    unit_code: Option<String>,
    /// Path of the data's unit.
    data_unit_path: Option<String>,
    /// allowed or denied.
    outcome: String,
}

impl From<AuditRecord> for AuditView {
    fn from(r: AuditRecord) -> Self {
        AuditView {
            id: r.id,
            at: r.at.0.to_string(),
            actor: r.username,
            role: r.role,
            scope_unit: r.scope_unit,
            reader_unit_path: r.actor_unit_path,
            action: r.action,
            subject: r.subject,
            unit_code: r.unit_code,
            data_unit_path: r.data_unit_path,
            outcome: r.outcome,
        }
    }
}

fn day_start(field: &str, day: &str, next: bool) -> Result<Timestamp, FieldError> {
    let bad = || phongdich_domain::time::date_invalid(field);
    let mut d = phongdich_domain::time::parse_date(field, day)?;
    if next {
        d = d.tomorrow().map_err(|_| bad())?;
    }
    d.to_zoned(phongdich_domain::time::vietnam())
        .map(|z| z.timestamp())
        .map_err(|_| bad())
}

impl AuditQuery {
    /// Checks every field at once; unit codes become paths.
    async fn filter(&self, state: &AppState) -> ApiResult<AuditFilter> {
        let mut c = Checker::new();
        let unit_path = |field: &str, code: &Option<String>, c: &mut Checker| {
            code.as_deref()
                .and_then(|u| c.check(parse_code(field, u)))
                .map(|code| (field.to_owned(), code))
        };
        let reader = unit_path("reader_unit", &self.reader_unit, &mut c);
        let data = unit_path("data_unit", &self.data_unit, &mut c);
        let mut paths = Vec::new();
        for asked in [reader, data] {
            let Some((field, code)) = asked else {
                paths.push(None);
                continue;
            };
            match state.store().unit(&code).await? {
                Some(u) => paths.push(Some(u.path)),
                None => {
                    c.push(unknown_unit(&field, &code));
                    paths.push(None);
                }
            }
        }
        let outcome = self.outcome.clone();
        if outcome
            .as_deref()
            .is_some_and(|o| o != "allowed" && o != "denied")
        {
            c.push(FieldError::new(
                "outcome",
                "outcome_unknown",
                "Kết quả là allowed hoặc denied",
                "The outcome is allowed or denied",
            ));
        }
        let outside = match self.view.as_deref() {
            None | Some("all") => false,
            Some("outside") => true,
            Some(_) => {
                c.push(FieldError::new(
                    "view",
                    "view_unknown",
                    "Chế độ xem là all hoặc outside",
                    "The view is all or outside",
                ));
                false
            }
        };
        let from = self
            .from
            .as_deref()
            .and_then(|d| c.check(day_start("from", d, false)));
        let to = self
            .to
            .as_deref()
            .and_then(|d| c.check(day_start("to", d, true)));
        let data_unit_path = paths.pop().flatten();
        let reader_unit_path = paths.pop().flatten();
        let filter = AuditFilter {
            username: self.actor.clone().filter(|a| !a.is_empty()),
            action: self.action.clone().filter(|a| !a.is_empty()),
            outcome,
            from,
            to,
            reader_unit_path,
            data_unit_path,
            outside_readers: outside,
        };
        Ok(c.finish(|| filter)?)
    }

    /// The filter as the export's audit row states it.
    fn describe(&self) -> String {
        let v = |o: &Option<String>| o.clone().unwrap_or_else(|| "*".into());
        format!(
            "actor={} action={} outcome={} from={} to={} reader_unit={} data_unit={} view={}",
            v(&self.actor),
            v(&self.action),
            v(&self.outcome),
            v(&self.from),
            v(&self.to),
            v(&self.reader_unit),
            v(&self.data_unit),
            self.view.as_deref().unwrap_or("all")
        )
    }
}

/// Audit rows of staff inside the admin's jurisdiction or about data inside it, newest first.
#[utoipa::path(get, path = "/audit", tag = "staff", security(("bearer" = [])), params(AuditQuery),
    responses((status = 200, body = [AuditView]), Session, Malformed, Unprocessable))]
pub(crate) async fn list_audit(
    State(state): State<AppState>,
    staff: May<can::ReadAudit>,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Json<Vec<AuditView>>> {
    let actor = staff.actor();
    let filter = q.filter(&state).await?;
    let rows = state
        .store()
        .audit_search(
            actor,
            &filter,
            bounded("limit", q.limit, 100, 1..=MAX_AUDIT_ROWS)?.min(1000),
        )
        .await?;
    Ok(Json(rows.into_iter().map(AuditView::from).collect()))
}

const HEADERS: [&str; 11] = [
    "Mã",
    "Thời điểm",
    "Người truy cập",
    "Vai trò",
    "Đơn vị người truy cập",
    "Đường dẫn đơn vị người truy cập",
    "Hành động",
    "Đối tượng",
    "Đơn vị của dữ liệu",
    "Đường dẫn đơn vị của dữ liệu",
    "Kết quả",
];

/// Runs the filter for an export and records the export in the log first.
async fn export_rows(
    state: &AppState,
    actor: &Actor,
    q: &AuditQuery,
    action: &'static str,
) -> ApiResult<Vec<Vec<String>>> {
    let filter = q.filter(state).await?;
    state
        .store()
        .record_audit(
            actor,
            &AuditEvent::allowed(action, q.describe(), actor.unit.code.clone()),
            state.now(),
        )
        .await?;
    let rows = state
        .store()
        .audit_search(
            actor,
            &filter,
            bounded("limit", q.limit, MAX_AUDIT_ROWS, 1..=MAX_AUDIT_ROWS)?,
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            vec![
                r.id.to_string(),
                r.at.0
                    .to_zoned(phongdich_domain::time::vietnam())
                    .strftime("%Y-%m-%d %H:%M:%S")
                    .to_string(),
                r.username,
                r.role,
                r.scope_unit,
                r.actor_unit_path.unwrap_or_default(),
                r.action,
                r.subject,
                r.unit_code.unwrap_or_default(),
                r.data_unit_path.unwrap_or_default(),
                r.outcome,
            ]
        })
        .collect())
}

/// The filtered audit log as CSV for an auditor (the export is itself audited).
#[utoipa::path(get, path = "/audit/export.csv", tag = "staff", security(("bearer" = [])), params(AuditQuery),
    responses((status = 200, content_type = "text/csv"), Session, Malformed, Unprocessable))]
pub(crate) async fn export_audit_csv(
    State(state): State<AppState>,
    staff: May<can::ReadAudit>,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Response> {
    let actor = staff.actor();
    let rows = export_rows(&state, actor, &q, "audit.export").await?;
    let body = table_csv(&HEADERS, &rows)?;
    Ok(download(
        body,
        "text/csv; charset=utf-8",
        "nhat-ky-truy-cap.csv",
    ))
}

/// The filtered audit log as an XLSX workbook (the export is itself audited).
#[utoipa::path(get, path = "/audit/export.xlsx", tag = "staff", security(("bearer" = [])), params(AuditQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), Session, Malformed, Unprocessable))]
pub(crate) async fn export_audit_xlsx(
    State(state): State<AppState>,
    staff: May<can::ReadAudit>,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Response> {
    let actor = staff.actor();
    let rows = export_rows(&state, actor, &q, "audit.export").await?;
    let title = format!("Nhật ký truy cập dữ liệu cá nhân — {}", actor.unit.name);
    let body = table_xlsx(&title, "Nhat ky", &HEADERS, &rows)?;
    Ok(download(
        body,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "nhat-ky-truy-cap.xlsx",
    ))
}
