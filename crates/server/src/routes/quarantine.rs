//! Quarantine orders: officials order a person of a case's chain into quarantine (the plan comes
//! from the profile's rules table), follow up on missing daily updates, and citizens see their
//! own order with today's tasks — computed by the same function, so the dates always agree.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use phongdich_domain::cases::{QuarantineForm, QuarantinePlan, QuarantineTestForm};
use phongdich_domain::time::vietnam_date;
use phongdich_store::{NewQuarantine, QuarantineOrder, QuarantineTest};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::CitizenUser;
use crate::auth::{can, May};
use crate::error::{ApiError, ApiResult};
use crate::input::ApiJson;
use crate::openapi::answers::{Conflict, JsonBody, NotFound, Session};
use crate::routes::cases::find_person;
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// This module's routes and their part of the OpenAPI document (paths under `/api/v1`).
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(mine))
        .routes(routes!(record_test))
}

/// An official's order.
/// An order with its plan and today's state.
#[derive(Serialize, ToSchema)]
pub(crate) struct QuarantineView {
    id: i64,
    person_id: i64,
    full_name: String,
    phone: Option<String>,
    case_id: Option<i64>,
    level: i64,
    kind: String,
    starts_on: String,
    ends_on: String,
    monitoring_until: String,
    tests_on: Vec<String>,
    status: String,
    unit_code: String,
    /// Day N of the quarantine today, if it is under way.
    day: Option<i64>,
    /// Whether today's daily health update was sent.
    updated_today: bool,
    /// Whether a test is due today.
    test_today: bool,
    /// Results recorded so far.
    tests: Vec<TestDone>,
    /// Test dates already past with no result recorded.
    tests_overdue: Vec<String>,
    /// Days of the quarantine before today without a daily health update.
    missed_updates: i64,
}

/// A test result recorded for an order.
#[derive(Serialize, ToSchema)]
pub(crate) struct TestDone {
    /// `YYYY-MM-DD`.
    date: String,
    #[schema(value_type = phongdich_domain::cases::QuarantineTestResult)]
    result: String,
}

fn view(o: QuarantineOrder, today: jiff::civil::Date, tests: &[QuarantineTest]) -> QuarantineView {
    let tests_on: Vec<String> = serde_json::from_str(&o.tests_on).unwrap_or_default();
    let done: Vec<&QuarantineTest> = tests.iter().filter(|t| t.order_id == o.id).collect();
    let today_text = today.to_string();
    let tests_overdue = tests_on
        .iter()
        .filter(|d| d.as_str() < today_text.as_str() && !done.iter().any(|t| &t.day == *d))
        .cloned()
        .collect();
    let tests = done
        .iter()
        .map(|t| TestDone {
            date: t.day.clone(),
            result: t.result.clone(),
        })
        .collect();
    let starts: Option<jiff::civil::Date> = o.starts_on.parse().ok();
    let ends: Option<jiff::civil::Date> = o.ends_on.parse().ok();
    let day = match (starts, ends) {
        (Some(s), Some(e)) if today >= s && today <= e => s
            .until(today)
            .ok()
            .map(|span| i64::from(span.get_days()) + 1),
        _ => None,
    };
    // Days elapsed before today inside the order, less those with an update.
    let elapsed_before_today = match (starts, ends) {
        (Some(s), Some(e)) if today > s => {
            let last = if today > e {
                e
            } else {
                today.yesterday().unwrap_or(today)
            };
            s.until(last)
                .map_or(0, |span| i64::from(span.get_days()) + 1)
        }
        _ => 0,
    };
    let missed_updates = (elapsed_before_today - o.updated_days_before_today).max(0);
    QuarantineView {
        missed_updates,
        test_today: tests_on.contains(&today_text),
        tests,
        tests_overdue,
        id: o.id,
        person_id: o.person_id,
        full_name: o.full_name,
        phone: o.phone,
        case_id: o.case_id,
        level: o.level,
        kind: o.kind,
        starts_on: o.starts_on,
        ends_on: o.ends_on,
        monitoring_until: o.monitoring_until,
        tests_on,
        status: o.status,
        unit_code: o.unit_code,
        day,
        updated_today: o.updated_today != 0,
    }
}

/// Orders a person into quarantine with the profile's plan for their level.
#[utoipa::path(post, path = "/quarantine", operation_id = "quarantine_create", tag = "tracing", security(("bearer" = [])),
    request_body = QuarantineForm,
    responses((status = 201, body = QuarantineView), Session, JsonBody, NotFound, Conflict))]
pub(crate) async fn create(
    State(state): State<AppState>,
    staff: May<can::ManageQuarantine>,
    ApiJson(form): ApiJson<QuarantineForm>,
) -> ApiResult<(StatusCode, Json<QuarantineView>)> {
    let actor = staff.actor().clone();
    let now = state.now();
    let today = vietnam_date(now);
    let order = form.parse(today)?;
    let person = find_person(&state, order.person_id).await?;
    let unit = state.store().existing_unit(&person.unit_code).await?;
    staff.scope(&state, &unit, "quarantine.create").await?;
    // Linking the order to a case is a read of that case: the same check and audit row.
    if let Some(case_id) = order.case_id {
        state.store().staff_case(&actor, case_id, now).await?;
    }
    let plan = QuarantinePlan::for_level(
        &state.profile().tracing,
        order.level,
        order.starts_on,
        order.kind,
    );
    let id = state
        .store()
        .create_quarantine(
            &actor,
            &NewQuarantine {
                person_id: person.id,
                case_id: order.case_id,
                level: order.level,
                plan: &plan,
                unit_code: &unit.code,
            },
            now,
        )
        .await
        .map_err(|e| match e {
            phongdich_store::StoreError::Conflict("quarantine_overlaps") => ApiError::Conflict {
                code: "quarantine_overlaps",
                message: phongdich_domain::Message::new(
                    "Người này đã có lệnh cách ly trùng thời gian",
                    "This person already has a quarantine order for some of these days",
                ),
            },
            e => e.into(),
        })?;
    let order = state
        .store()
        .quarantine_order(id, &today.to_string())
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, Json(view(order, today, &[]))))
}

/// Active orders of the jurisdiction; those without today's update first (audited).
#[utoipa::path(get, path = "/quarantine", operation_id = "quarantine_list", tag = "tracing", security(("bearer" = [])),
    responses((status = 200, body = [QuarantineView]), Session))]
pub(crate) async fn list(
    State(state): State<AppState>,
    staff: May<can::ManageQuarantine>,
) -> ApiResult<Json<Vec<QuarantineView>>> {
    let actor = staff.actor();
    let now = state.now();
    let today = vietnam_date(now);
    let rows = state
        .store()
        .staff_quarantine_list(actor, &today.to_string(), now)
        .await?;
    let mut views = with_tests(&state, rows, today).await?;
    // Those missing an update (today's or an earlier day's) or a test come first.
    views.sort_by_key(|v| {
        (
            v.updated_today && v.missed_updates == 0,
            v.tests_overdue.is_empty(),
            v.ends_on.clone(),
        )
    });
    Ok(Json(views))
}

async fn with_tests(
    state: &AppState,
    orders: Vec<QuarantineOrder>,
    today: jiff::civil::Date,
) -> Result<Vec<QuarantineView>, ApiError> {
    let ids: Vec<i64> = orders.iter().map(|o| o.id).collect();
    let tests = state.store().quarantine_tests(&ids).await?;
    Ok(orders.into_iter().map(|o| view(o, today, &tests)).collect())
}

/// The citizen's own quarantine orders with today's tasks.
#[utoipa::path(get, path = "/me/quarantine", operation_id = "quarantine_mine", tag = "tracing", security(("bearer" = [])),
    responses((status = 200, body = [QuarantineView]), Session))]
pub(crate) async fn mine(
    State(state): State<AppState>,
    citizen: CitizenUser,
) -> ApiResult<Json<Vec<QuarantineView>>> {
    let today = vietnam_date(state.now());
    let rows = state
        .store()
        .my_quarantine(citizen.citizen_id, &today.to_string())
        .await?;
    Ok(Json(with_tests(&state, rows, today).await?))
}

/// Records a test of a person in quarantine. A positive result says so, so the page can offer
/// to register the person as a case.
#[utoipa::path(post, path = "/quarantine/{id}/tests", tag = "tracing", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = QuarantineTestForm,
    responses((status = 200, body = QuarantineView), Session, JsonBody, NotFound))]
pub(crate) async fn record_test(
    State(state): State<AppState>,
    staff: May<can::ManageQuarantine>,
    crate::input::ApiPath(id): crate::input::ApiPath<i64>,
    ApiJson(form): ApiJson<QuarantineTestForm>,
) -> ApiResult<Json<QuarantineView>> {
    let actor = staff.actor().clone();
    let now = state.now();
    let today = vietnam_date(now);
    let order = state
        .store()
        .quarantine_order(id, &today.to_string())
        .await?
        .ok_or(ApiError::NotFound)?;
    let unit = state.store().existing_unit(&order.unit_code).await?;
    staff.scope(&state, &unit, "quarantine.test").await?;
    let stored_date = |d: &str| {
        d.parse::<jiff::civil::Date>()
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("order {id} has date {d:?}: {e}")))
    };
    let test = form.parse(
        stored_date(&order.starts_on)?,
        stored_date(&order.ends_on)?,
        today,
    )?;
    state
        .store()
        .record_quarantine_test(
            &actor,
            id,
            &order.unit_code,
            &test.date.to_string(),
            test.result.as_str(),
            now,
        )
        .await?;
    let order = state
        .store()
        .quarantine_order(id, &today.to_string())
        .await?
        .ok_or(ApiError::NotFound)?;
    let mut views = with_tests(&state, vec![order], today).await?;
    views.pop().map(Json).ok_or(ApiError::NotFound)
}
