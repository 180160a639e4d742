//! Citizens' feedback on a facility: sent signed in, shown on the facility without its author
//! until the facility's staff (or an official) answer it; officials list what is still open in
//! their jurisdiction. Photos are cleaned of metadata before they are stored.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use phongdich_domain::safety::report_text;
use phongdich_domain::validation::Checker;
use phongdich_domain::Message;
use phongdich_store::{Feedback, StoreError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::CitizenUser;
use crate::auth::{can, May};
use crate::error::{ApiError, ApiResult};
use crate::input::{ApiJson, ApiPath, ApiQuery};
use crate::openapi::answers::{
    Busy, Conflict, JsonBody, Malformed, NotFound, Session, TooMany, Unprocessable,
};
use crate::routes::facilities::{find_facility, layer_of};
use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use phongdich_domain::policy::Reach;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

/// This module's routes and their part of the OpenAPI document (paths under `/api/v1`).
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create).layer(DefaultBodyLimit::max(crate::photos::MAX_PHOTO_BODY_BYTES)))
        .routes(routes!(list_open))
        .routes(routes!(answer))
        .routes(routes!(photo))
}

/// Feedback as anyone sees it (never its author).
#[derive(Serialize, ToSchema)]
pub(crate) struct FeedbackView {
    id: i64,
    facility_id: i64,
    facility_name: String,
    text: String,
    photo_url: Option<String>,
    created_at: String,
    answer: Option<String>,
    answered_at: Option<String>,
    /// `open` or `answered`.
    status: &'static str,
}

pub(crate) fn feedback_view(b: Feedback) -> FeedbackView {
    FeedbackView {
        photo_url: b
            .has_photo
            .then(|| format!("/api/v1/feedback/{}/photo", b.id)),
        status: if b.answered_at.is_some() {
            "answered"
        } else {
            "open"
        },
        id: b.id,
        facility_id: b.facility_id,
        facility_name: b.facility_name,
        text: b.text,
        created_at: b.created_at.to_string(),
        answer: b.answer,
        answered_at: b.answered_at.map(|t| t.to_string()),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct FeedbackForm {
    #[schema(value_type = phongdich_domain::schema::RequiredText)]
    text: String,
    /// A JPEG or PNG as a `data:` URL or plain Base64, at most 5 MB.
    #[serde(default)]
    photo: Option<String>,
}

/// A citizen sends feedback on a facility.
#[utoipa::path(post, path = "/facilities/{id}/feedback", operation_id = "feedback_create", tag = "facilities",
    security(("bearer" = [])), params(("id" = i64, Path)), request_body = FeedbackForm,
    responses((status = 201, body = FeedbackView), Session, JsonBody, NotFound, TooMany, Busy))]
pub(crate) async fn create(
    State(state): State<AppState>,
    user: CitizenUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(form): ApiJson<FeedbackForm>,
) -> ApiResult<(StatusCode, Json<FeedbackView>)> {
    let f = find_facility(&state, id).await?;
    let mut c = Checker::new();
    let text = c.check(report_text("text", &form.text));
    let photo = c
        .check(crate::photos::clean(&state, "photo", form.photo).await?)
        .flatten();
    let (text, photo) = c.finish(|| (text.unwrap_or_default(), photo))?;
    let now = state.now();
    let limit = state.config().feedback_per_citizen_per_day;
    let b = state
        .store()
        .create_feedback(
            f.id,
            user.citizen_id,
            &text,
            photo.as_deref(),
            now - jiff::SignedDuration::from_hours(24),
            limit,
            now,
        )
        .await
        .map_err(|e| match e {
            StoreError::Conflict("feedback_rate_limited") => ApiError::TooManyRequests {
                retry_after_secs: 3600,
                message: Message::new(
                    format!("Bạn đã gửi {limit} phản hồi trong 24 giờ qua; hãy thử lại sau"),
                    format!("You have sent {limit} feedback messages in the last 24 hours; try again later"),
                ),
            },
            other => other.into(),
        })?;
    state.map_changed(&[layer_of(&f)]);
    Ok((StatusCode::CREATED, Json(feedback_view(b))))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AnswerForm {
    #[schema(value_type = phongdich_domain::schema::RequiredText)]
    answer: String,
}

/// The facility's staff, or an official of its jurisdiction, answer feedback (once).
#[utoipa::path(post, path = "/feedback/{id}/answer", tag = "facilities",
    security(("bearer" = [])), params(("id" = i64, Path)), request_body = AnswerForm,
    responses((status = 200, body = FeedbackView), Session, JsonBody, NotFound, Conflict))]
pub(crate) async fn answer(
    State(state): State<AppState>,
    staff: May<can::AnswerFeedback>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(form): ApiJson<AnswerForm>,
) -> ApiResult<Json<FeedbackView>> {
    let actor = staff.actor();
    let b = state
        .store()
        .feedback(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let f = find_facility(&state, b.facility_id).await?;
    if staff.reach == Reach::Assigned {
        if !state
            .store()
            .is_facility_staff(f.id, actor.staff_id)
            .await?
        {
            return Err(ApiError::Forbidden {
                code: "not_facility_staff",
                message: Message::new(
                    "Bạn không phải nhân viên của cơ sở này",
                    "You are not on this facility's staff",
                ),
            });
        }
    } else {
        let unit = state.store().existing_unit(&f.unit_code).await?;
        staff.scope(&state, &unit, "feedback.answer").await?;
    }
    let text = report_text("answer", &form.answer).map_err(ApiError::field)?;
    let answered = state
        .store()
        .answer_feedback(id, &text, actor.staff_id, state.now())
        .await
        .map_err(|e| match e {
            StoreError::Conflict(code) => ApiError::Conflict {
                code,
                message: Message::new(
                    "Phản hồi này đã được trả lời",
                    "This feedback has already been answered",
                ),
            },
            other => other.into(),
        })?;
    state.map_changed(&[layer_of(&f)]);
    Ok(Json(feedback_view(answered)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct OpenQuery {
    /// Only `open` is supported: feedback still waiting for an answer.
    #[param(inline, value_type = Option<OpenOnly>)]
    status: Option<String>,
}

crate::openapi::choices::choices!(
    /// The one feedback status officials list by.
    OpenOnly = ["open"]
);

/// Unanswered feedback on facilities of the official's jurisdiction, oldest first.
#[utoipa::path(get, path = "/feedback", tag = "facilities", security(("bearer" = [])),
    params(OpenQuery),
    responses((status = 200, body = [FeedbackView]), Session, Malformed, Unprocessable))]
pub(crate) async fn list_open(
    State(state): State<AppState>,
    staff: May<can::ReadFeedback>,
    ApiQuery(q): ApiQuery<OpenQuery>,
) -> ApiResult<Json<Vec<FeedbackView>>> {
    let actor = staff.actor();
    if let Some(s) = q.status.as_deref().filter(|s| *s != "open") {
        return Err(ApiError::field(phongdich_domain::FieldError::new(
            "status",
            "choice_unknown",
            format!("Trạng thái {s:?} không hợp lệ; chỉ hỗ trợ: open"),
            format!("{s:?} is not supported; only: open"),
        )));
    }
    let list = state.store().open_feedback_under(&actor.unit.path).await?;
    Ok(Json(list.into_iter().map(feedback_view).collect()))
}

/// A JPEG response for a stored (already cleaned) photo.
pub(crate) fn jpeg(bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            (header::CACHE_CONTROL, "private, max-age=3600"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        bytes,
    )
        .into_response()
}

/// The photo of a piece of feedback (public, like the feedback). A view by a signed-in member
/// of staff is audited under the facility's unit.
#[utoipa::path(get, path = "/feedback/{id}/photo", operation_id = "feedback_photo", tag = "facilities", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, content_type = "image/jpeg"), Session, Malformed, NotFound))]
pub(crate) async fn photo(
    State(state): State<AppState>,
    caller: Option<crate::auth::Caller>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Response> {
    let bytes = state
        .store()
        .feedback_photo(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if let Some(phongdich_store::Subject::Staff(actor)) = caller.map(|c| c.subject) {
        let unit = state
            .store()
            .feedback_unit(id)
            .await?
            .ok_or(ApiError::NotFound)?;
        let event = phongdich_domain::audit::AuditEvent::allowed(
            "feedback.photo",
            format!("feedback:{id}"),
            unit,
        );
        state
            .store()
            .record_audit(&actor, &event, state.now())
            .await?;
    }
    Ok(jpeg(bytes))
}
