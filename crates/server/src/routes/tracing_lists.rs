//! Everyone traced in an official's jurisdiction, by level and unit: the active cases' chains
//! merged (a person in two chains keeps the lowest level), as JSON, CSV or XLSX.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::Response;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::StaffUser;
use crate::chains::expand_case;
use crate::error::{ApiError, ApiResult, Problem};
use crate::exports::{download, table_csv, table_xlsx};
use crate::heavy::Work;
use crate::input::ApiQuery;
use crate::routes::cases::TRACERS;
use crate::state::AppState;

/// Active cases expanded per request at most (the newest first).
const MAX_CASES: usize = 200;

/// Filters of the list.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct PeopleQuery {
    /// Only this level (1 = F1, …).
    #[serde(default)]
    level: Option<u8>,
    /// Only people living in this unit or below.
    #[serde(default)]
    unit: Option<String>,
}

/// A traced person.
#[derive(Serialize, ToSchema, Clone)]
pub(crate) struct TracedPerson {
    person_id: i64,
    full_name: String,
    phone: Option<String>,
    unit_code: String,
    level: u8,
    case_id: i64,
    exposed_at: String,
}

async fn people(
    state: &AppState,
    staff: &StaffUser,
    q: &PeopleQuery,
) -> Result<Vec<TracedPerson>, ApiError> {
    let actor = staff.require(TRACERS)?;
    let store = state.store();
    let within = match &q.unit {
        Some(code) => Some(store.existing_unit(code).await?.path),
        None => None,
    };
    let cases = store.staff_list_cases(actor, state.now()).await?;
    // The list names everyone in the chains: its own audit row says what was asked for.
    store
        .record_audit(
            actor,
            &phongdich_domain::audit::AuditEvent {
                action: "tracing.people",
                subject: format!(
                    "level={} unit={}",
                    q.level.map(|l| l.to_string()).unwrap_or_default(),
                    q.unit.clone().unwrap_or_default()
                ),
                unit_code: Some(actor.unit.code.clone()),
                outcome: phongdich_domain::audit::Outcome::Allowed,
            },
            state.now(),
        )
        .await?;
    let depth = state.profile().tracing.max_depth;
    let mut best: HashMap<i64, (u8, i64, jiff::Timestamp)> = HashMap::new();
    for case in cases
        .iter()
        .filter(|c| c.status == "active")
        .take(MAX_CASES)
    {
        for r in expand_case(store, case, depth).await? {
            let entry = best
                .entry(r.person)
                .or_insert((r.level, case.id, r.exposed_at));
            if (r.level, r.exposed_at) < (entry.0, entry.2) {
                *entry = (r.level, case.id, r.exposed_at);
            }
        }
    }
    let ids: Vec<i64> = best
        .iter()
        .filter(|(_, (level, _, _))| q.level.is_none_or(|l| l == *level))
        .map(|(id, _)| *id)
        .collect();
    let mut paths: HashMap<String, String> = HashMap::new();
    let mut out = Vec::new();
    for p in store.persons(&ids).await? {
        if let Some(within) = &within {
            if !paths.contains_key(&p.unit_code) {
                let path = store
                    .existing_unit(&p.unit_code)
                    .await
                    .map(|u| u.path)
                    .unwrap_or_default();
                paths.insert(p.unit_code.clone(), path);
            }
            if !paths[&p.unit_code].starts_with(within.as_str()) {
                continue;
            }
        }
        let (level, case_id, exposed_at) = best[&p.id];
        out.push(TracedPerson {
            person_id: p.id,
            full_name: p.full_name,
            phone: p.phone,
            unit_code: p.unit_code,
            level,
            case_id,
            exposed_at: exposed_at.to_string(),
        });
    }
    out.sort_by(|a, b| {
        (a.level, &a.unit_code, &a.full_name).cmp(&(b.level, &b.unit_code, &b.full_name))
    });
    Ok(out)
}

/// People traced from the active cases of the jurisdiction, by level and unit (audited).
#[utoipa::path(get, path = "/api/v1/tracing/people", tag = "tracing", security(("bearer" = [])),
    params(PeopleQuery),
    responses((status = 200, body = [TracedPerson]), (status = 403, body = Problem)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    staff: StaffUser,
    ApiQuery(q): ApiQuery<PeopleQuery>,
) -> ApiResult<Json<Vec<TracedPerson>>> {
    Ok(Json(people(&state, &staff, &q).await?))
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
                p.full_name.clone(),
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
#[utoipa::path(get, path = "/api/v1/tracing/people.xlsx", tag = "tracing", security(("bearer" = [])),
    params(PeopleQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
pub(crate) async fn xlsx(
    State(state): State<AppState>,
    staff: StaffUser,
    ApiQuery(q): ApiQuery<PeopleQuery>,
) -> ApiResult<Response> {
    let list = people(&state, &staff, &q).await?;
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
#[utoipa::path(get, path = "/api/v1/tracing/people.csv", tag = "tracing", security(("bearer" = [])),
    params(PeopleQuery),
    responses((status = 200, content_type = "text/csv", body = String)))]
pub(crate) async fn csv(
    State(state): State<AppState>,
    staff: StaffUser,
    ApiQuery(q): ApiQuery<PeopleQuery>,
) -> ApiResult<Response> {
    let list = people(&state, &staff, &q).await?;
    let body = state
        .heavy_work()
        .run(Work::Document, move || table_csv(&HEADERS, &rows(&list)))
        .await??;
    Ok(download(body, "text/csv; charset=utf-8", "tiep-xuc.csv"))
}
