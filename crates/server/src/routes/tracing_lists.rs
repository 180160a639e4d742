//! Everyone traced in an official's jurisdiction, by level and unit: the active cases' chains
//! merged (a person in two chains keeps the lowest level), as JSON, CSV or XLSX.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::Response;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::StaffUser;
use crate::auth::{can, May};
use crate::chains::expand_case;
use crate::error::{ApiError, ApiResult};
use crate::exports::{download, table_csv, table_xlsx};
use crate::heavy::Work;
use crate::input::{bounded, ApiQuery};
use crate::openapi::answers::{Busy, Malformed, Session, Unprocessable};

/// The deepest level a profile may trace (`tracing.max_depth` is 1 to 6).
const MAX_LEVEL: u32 = 6;
use crate::reveal::visible_people;
use crate::routes::cases::OUTSIDE_LABEL;
use crate::state::AppState;
use phongdich_store::{StoredCase, StoredPerson};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// This module's routes and their part of the OpenAPI document (paths under `/api/v1`).
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(xlsx))
        .routes(routes!(csv))
}

/// Active cases expanded per request at most (the newest first).
const MAX_CASES: usize = 200;

/// Filters of the list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct PeopleQuery {
    /// Only this level (0 = F0, 1 = F1, …; the profile traces at most 6 levels down).
    #[serde(default)]
    #[param(minimum = 0, maximum = 6)]
    level: Option<u32>,
    /// Only people living in this unit or below.
    #[serde(default)]
    unit: Option<String>,
}

/// A traced person.
#[derive(Serialize, ToSchema, Clone)]
pub(crate) struct TracedPerson {
    person_id: i64,
    /// Withheld (with the phone) for people living outside the official's jurisdiction.
    full_name: Option<String>,
    phone: Option<String>,
    unit_code: String,
    outside_jurisdiction: bool,
    level: u8,
    case_id: i64,
    exposed_at: String,
}

async fn people(
    state: &AppState,
    staff: &StaffUser,
    q: &PeopleQuery,
    action: &'static str,
) -> Result<Vec<TracedPerson>, ApiError> {
    if let Some(level) = q.level {
        bounded("level", Some(level), 0, 0..=MAX_LEVEL)?;
    }
    let actor = staff.actor();
    let store = state.store();
    let now = state.now();
    let within = match &q.unit {
        Some(code) => {
            let unit = store.existing_unit(code).await?;
            staff.scope(state, &unit, "tracing.people").await?;
            Some(unit.path)
        }
        None => None,
    };
    // The jurisdiction's own cases, whose members are all listed (those living elsewhere
    // without their identity), and every other unit's active cases, whose members are listed
    // only when they live here: one rule with the case page (`reveal`).
    let own: Vec<StoredCase> = store
        .staff_list_cases(actor, now)
        .await?
        .into_iter()
        .filter(|c| c.status == phongdich_domain::cases::CaseStatus::Active)
        .take(MAX_CASES)
        .collect();
    let others: Vec<StoredCase> = store
        .active_cases(MAX_CASES as u32)
        .await?
        .into_iter()
        .filter(|c| !actor.covers(&c.unit_path))
        .collect();
    let depth = state.profile().tracing.max_depth;
    let mut best: HashMap<i64, (u8, i64, jiff::Timestamp, bool)> = HashMap::new();
    for (case, own_case) in own
        .iter()
        .map(|c| (c, true))
        .chain(others.iter().map(|c| (c, false)))
    {
        for r in expand_case(store, case, depth).await? {
            let entry = best
                .entry(r.person)
                .or_insert((r.level, case.id, r.exposed_at, own_case));
            entry.3 |= own_case;
            if (r.level, r.exposed_at) < (entry.0, entry.2) {
                (entry.0, entry.1, entry.2) = (r.level, case.id, r.exposed_at);
            }
        }
    }
    let ids: Vec<i64> = best
        .iter()
        .filter(|(_, (level, ..))| q.level.is_none_or(|l| l == u32::from(*level)))
        .map(|(id, _)| *id)
        .collect();
    let persons = store.persons(&ids).await?;
    let codes: Vec<&str> = persons.iter().map(|p| p.unit_code.as_str()).collect();
    let paths = store.unit_paths(&codes).await?;
    let subject = format!(
        "level={} unit={}",
        q.level.map(|l| l.to_string()).unwrap_or_default(),
        q.unit.clone().unwrap_or_default()
    );
    let listed: Vec<&StoredPerson> = persons
        .iter()
        .filter(|p| {
            let path = paths.get(&p.unit_code).map_or("", String::as_str);
            within.as_ref().is_none_or(|w| path.starts_with(w.as_str()))
                && (best[&p.id].3 || actor.covers(path))
        })
        .collect();
    // The query itself, then one row per person it shows.
    let query = crate::routes::cases::allowed("tracing.people", subject.clone(), &actor.unit.code);
    store.record_audit(actor, &query, now).await?;
    let shown = visible_people(store, actor, &listed, action, &subject, now).await?;
    let mut out: Vec<TracedPerson> = listed
        .into_iter()
        .map(|p| {
            let (level, case_id, exposed_at, _) = best[&p.id];
            let open = shown.contains(&p.id);
            TracedPerson {
                person_id: p.id,
                full_name: open.then(|| p.full_name.clone()),
                phone: p.phone.clone().filter(|_| open),
                unit_code: p.unit_code.clone(),
                outside_jurisdiction: !open,
                level,
                case_id,
                exposed_at: exposed_at.to_string(),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        (a.level, &a.unit_code, &a.full_name).cmp(&(b.level, &b.unit_code, &b.full_name))
    });
    Ok(out)
}

/// People traced from the active cases of the jurisdiction, by level and unit (audited).
#[utoipa::path(get, path = "/tracing/people", operation_id = "tracing_lists_list", tag = "tracing", security(("bearer" = [])),
    params(PeopleQuery),
    responses((status = 200, body = [TracedPerson]), Session, Malformed, Unprocessable))]
pub(crate) async fn list(
    State(state): State<AppState>,
    staff: May<can::ReadTracedPeople>,
    ApiQuery(q): ApiQuery<PeopleQuery>,
) -> ApiResult<Json<Vec<TracedPerson>>> {
    Ok(Json(
        people(&state, &staff, &q, "tracing.people.person").await?,
    ))
}

const HEADERS: [&str; 7] = [
    "Cấp / Level",
    "Họ và tên / Name",
    "Điện thoại / Phone",
    "Địa bàn / Unit",
    "Ca bệnh / Case",
    "Tiếp xúc lúc / Exposed at",
    "Mã người / Person",
];

fn rows(people: &[TracedPerson]) -> Vec<Vec<String>> {
    people
        .iter()
        .map(|p| {
            vec![
                format!("F{}", p.level),
                p.full_name
                    .clone()
                    .unwrap_or_else(|| OUTSIDE_LABEL.to_owned()),
                p.phone.clone().unwrap_or_default(),
                p.unit_code.clone(),
                p.case_id.to_string(),
                p.exposed_at.clone(),
                p.person_id.to_string(),
            ]
        })
        .collect()
}

/// The same list as an XLSX workbook.
#[utoipa::path(get, path = "/tracing/people.xlsx", tag = "tracing", security(("bearer" = [])),
    params(PeopleQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), Session, Malformed, Unprocessable, Busy))]
pub(crate) async fn xlsx(
    State(state): State<AppState>,
    staff: May<can::ReadTracedPeople>,
    ApiQuery(q): ApiQuery<PeopleQuery>,
) -> ApiResult<Response> {
    let list = people(&state, &staff, &q, "tracing.people_xlsx.person").await?;
    let body = state
        .heavy_work()
        .run(Work::Document, move || {
            table_xlsx(
                "Danh sách người tiếp xúc theo cấp / Contacts by level",
                "Tiếp xúc",
                &HEADERS,
                &rows(&list),
            )
        })
        .await??;
    Ok(download(
        body,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "tiep-xuc.xlsx",
    ))
}

/// The same list as CSV.
#[utoipa::path(get, path = "/tracing/people.csv", tag = "tracing", security(("bearer" = [])),
    params(PeopleQuery),
    responses((status = 200, content_type = "text/csv", body = String), Session, Malformed, Unprocessable, Busy))]
pub(crate) async fn csv(
    State(state): State<AppState>,
    staff: May<can::ReadTracedPeople>,
    ApiQuery(q): ApiQuery<PeopleQuery>,
) -> ApiResult<Response> {
    let list = people(&state, &staff, &q, "tracing.people_csv.person").await?;
    let body = state
        .heavy_work()
        .run(Work::Document, move || table_csv(&HEADERS, &rows(&list)))
        .await??;
    Ok(download(body, "text/csv; charset=utf-8", "tiep-xuc.csv"))
}
