//! A citizen's rights over their data: a copy of everything held about them (and the family
//! members they declare for), and deleting their account. What an open case or an active
//! quarantine needs is kept, and the answer says what, why and until when, in both languages.

use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::Json;
use jiff::SignedDuration;
use phongdich_domain::time::vietnam_date;
use phongdich_domain::{FieldError, Message};
use phongdich_store::{Erasure, Hold};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::auth::CitizenUser;
use crate::error::{ApiError, ApiResult};
use crate::input::ApiJson;
use crate::openapi::answers::{JsonBody, Session};
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// This module's routes and their part of the OpenAPI document (paths under `/api/v1`).
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(my_data))
}

/// A copy of the citizen's data, as a downloadable JSON file.
#[utoipa::path(get, path = "/me/data", tag = "account", security(("bearer" = [])),
    responses((status = 200, description = "Every section the store links to the account: account, family, declarations, visits, alerts, f1_reports, risk_reports, facility_feedback, venues_registered, tracing_record, cases, quarantine, quarantine_tests, sessions, staff_reads (who from which unit read the record)", body = Object), Session))]
pub(crate) async fn my_data(
    State(state): State<AppState>,
    user: CitizenUser,
) -> ApiResult<Response> {
    let now = state.now();
    let mut sections = state.store().citizen_data(user.citizen_id).await?;
    sections.insert("generated_at".into(), Value::String(now.to_string()));
    sections.insert(
        "note".into(),
        serde_json::to_value(Message::new(
            "Toàn bộ dữ liệu Phòng Dịch lưu về tài khoản của bạn và người thân bạn khai hộ. \
             Danh sách tiếp xúc không được liệt kê vì sẽ lộ danh tính ca bệnh.",
            "Everything Phòng Dịch holds about your account and the family members you declare \
             for. Contact lists are left out: they would reveal who the case was.",
        ))
        .map_err(|e| ApiError::Internal(e.into()))?,
    );
    let file = format!(
        "attachment; filename=\"phongdich-du-lieu-cua-toi-{}.json\"",
        vietnam_date(now)
    );
    let body = serde_json::to_vec_pretty(&Value::Object(sections))
        .map_err(|e| ApiError::Internal(e.into()))?;
    Ok((
        [
            (CONTENT_TYPE, "application/json".to_owned()),
            (CONTENT_DISPOSITION, file),
        ],
        body,
    )
        .into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeleteRequest {
    /// Must be `true`: the explicit confirmation that the account and its data go.
    #[serde(default)]
    confirm: bool,
}

/// One thing kept after the deletion, and why.
#[derive(Serialize, ToSchema)]
pub(crate) struct Kept {
    /// `open_case`, `quarantine` or `contact_of_open_case`.
    kind: &'static str,
    /// The case or order, when there is one.
    id: Option<i64>,
    /// The last day it is kept for this reason (YYYY-MM-DD), when known.
    until: Option<String>,
    /// What stays and why (`vi`, `en`).
    reason: Message,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct Deleted {
    deleted: bool,
    /// Empty when nothing about the citizen was kept.
    kept: Vec<Kept>,
    /// The citizen's own check-ins, declarations and F1 reports from this time on are kept.
    kept_records_from: Option<String>,
    /// Rows deleted or anonymised, by kind.
    removed: std::collections::BTreeMap<String, u64>,
    message: Message,
}

/// Deletes the citizen's account. Requires `{"confirm": true}`. Sessions end at once.
#[utoipa::path(delete, path = "/me", tag = "account", security(("bearer" = [])), request_body = DeleteRequest,
    responses((status = 200, body = Deleted), Session, JsonBody))]
pub(crate) async fn delete_me(
    State(state): State<AppState>,
    user: CitizenUser,
    ApiJson(req): ApiJson<DeleteRequest>,
) -> ApiResult<Json<Deleted>> {
    if !req.confirm {
        return Err(ApiError::field(FieldError::new(
            "confirm",
            "confirmation_required",
            "Hãy xác nhận bạn muốn xoá tài khoản",
            "Confirm that you want to delete your account",
        )));
    }
    let now = state.now();
    let rules = &state.profile().tracing;
    let lookback = SignedDuration::from_hours(24 * rules.transmission_days_before);
    let today = vietnam_date(now).to_string();
    let erasure = state
        .store()
        .delete_citizen(user.citizen_id, &today, lookback, now)
        .await?;
    Ok(Json(answer(erasure, rules.retention_days)))
}

fn answer(erasure: Erasure, retention_days: i64) -> Deleted {
    let kept: Vec<Kept> = erasure
        .holds
        .iter()
        .map(|h| kept(h, retention_days))
        .collect();
    let message = if kept.is_empty() {
        Message::new(
            "Tài khoản và dữ liệu của bạn đã được xoá.",
            "Your account and your data have been deleted.",
        )
    } else {
        Message::new(
            "Tài khoản của bạn đã được xoá. Một số hồ sơ được giữ lại vì Luật Phòng, chống bệnh \
             truyền nhiễm yêu cầu cho ca bệnh hoặc cách ly đang diễn ra; xem danh sách bên dưới.",
            "Your account has been deleted. Some records are kept because the Law on Prevention \
             and Control of Infectious Diseases requires them for an ongoing case or quarantine; \
             see the list below.",
        )
    };
    Deleted {
        deleted: true,
        kept,
        kept_records_from: erasure.kept_records_from.map(|t| t.to_string()),
        removed: erasure
            .removed
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
        message,
    }
}

fn kept(hold: &Hold, retention_days: i64) -> Kept {
    match hold {
        Hold::OpenCase { case_id } => Kept {
            kind: "open_case",
            id: Some(*case_id),
            until: None,
            reason: Message::new(
                format!(
                    "Bạn là ca bệnh đang được điều tra: hồ sơ ca bệnh (họ tên, số điện thoại, đơn vị), \
                     các tiếp xúc, và các lần quét mã, tờ khai, báo cáo F1 của bạn trong thời kỳ lây \
                     nhiễm được giữ đến khi ca bệnh kết thúc, rồi thêm {retention_days} ngày theo thời hạn lưu của hồ sơ truy vết."
                ),
                format!(
                    "You are an open case under investigation: the case record (name, phone, unit), \
                     its contacts, and your check-ins, declarations and F1 reports of the infectious \
                     period are kept until the case is closed, then {retention_days} days (the tracing records' retention)."
                ),
            ),
        },
        Hold::Quarantine { order_id, until } => Kept {
            kind: "quarantine",
            id: Some(*order_id),
            until: Some(until.clone()),
            reason: Message::new(
                format!(
                    "Bạn đang trong thời gian cách ly/theo dõi: quyết định cách ly, kết quả xét nghiệm, \
                     hồ sơ truy vết (họ tên, số điện thoại) và các lần quét mã, tờ khai gần đây được giữ \
                     đến hết ngày {until}, rồi thêm {retention_days} ngày."
                ),
                format!(
                    "You are in quarantine or under monitoring: the order, its test results, the \
                     tracing record (name, phone) and your recent check-ins and declarations are kept \
                     until the end of {until}, then {retention_days} days."
                ),
            ),
        },
        Hold::ContactOfOpenCase { count } => Kept {
            kind: "contact_of_open_case",
            id: None,
            until: None,
            reason: Message::new(
                format!(
                    "Bạn là người tiếp xúc của {count} ca bệnh đang điều tra: hồ sơ truy vết (họ tên, \
                     số điện thoại, đơn vị) và tiếp xúc được giữ đến khi các ca bệnh kết thúc, rồi thêm {retention_days} ngày."
                ),
                format!(
                    "You are a contact of {count} open case(s): the tracing record (name, phone, unit) \
                     and the contact are kept until those cases are closed, then {retention_days} days."
                ),
            ),
        },
    }
}
