//! "An toàn COVID" facilities: officials register them and name their staff; anyone reads them
//! with their colour today; their staff send the daily self-assessment from the criteria set of
//! the facility's type, which officials at province level may revise (versioned).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use phongdich_domain::policy::{reach, Action, Reach};
use phongdich_domain::safety::{
    colour_for, AssessmentForm, CriteriaSet, FacilityForm, FacilityType, SafetyColour,
};
use phongdich_domain::time::vietnam_date;
use phongdich_domain::{FieldError, Message};
use phongdich_store::{Facility, FacilityFilter, StoreError, StoredAssessment, StoredCriteriaSet};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{can, May};
use crate::error::{ApiError, ApiResult};
use crate::input::{ApiJson, ApiPath, ApiQuery};
use crate::map::Layer;
use crate::openapi::answers::{Conflict, JsonBody, Malformed, NotFound, Session, Unprocessable};
use crate::routes::feedback::{feedback_view, FeedbackView};
use crate::routes::units::{unit_field_error, unit_named};
use crate::routes::views::{UnitView, UnitViews};
pub(crate) use crate::self_assessment::layer_of;
use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

/// This module's routes and their part of the OpenAPI document (paths under `/api/v1`).
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(open))
        .routes(routes!(add_staff))
        .routes(routes!(criteria))
        .routes(routes!(submit_assessment, assessments))
        .routes(routes!(mine))
        .routes(routes!(list_sets))
        .routes(routes!(revise_set).layer(DefaultBodyLimit::max(512 * 1024)))
}

/// Assessments shown in a facility's history.
const HISTORY_DAYS: u32 = 30;

/// A facility as the API shows it.
#[derive(Serialize, ToSchema)]
pub(crate) struct FacilityView {
    id: i64,
    name: String,
    /// `school`, `medical`, `workplace` or `transport`.
    facility_type: &'static str,
    type_vi: &'static str,
    type_en: &'static str,
    unit_code: String,
    unit: Option<UnitView>,
    address: String,
    lat: f64,
    lon: f64,
    /// Today's colour: the assessment's if made today, else `grey`.
    colour: &'static str,
    colour_vi: String,
    colour_en: String,
    /// The day of the latest assessment.
    assessed_on: Option<String>,
    open_feedback: i64,
}

pub(crate) fn today_colour(state: &AppState, f: &Facility) -> SafetyColour {
    let last = f
        .last_assessment
        .as_ref()
        .and_then(|(day, c)| day.parse().ok().map(|d| (d, *c)));
    colour_for(last, vietnam_date(state.now()))
}

async fn facility_view(
    state: &AppState,
    f: Facility,
    units: &mut UnitViews,
) -> ApiResult<FacilityView> {
    let colour = today_colour(state, &f);
    let label = colour.label();
    let (type_vi, type_en) = f.facility_type.label();
    Ok(FacilityView {
        id: f.id,
        facility_type: f.facility_type.as_str(),
        type_vi,
        type_en,
        unit: units.by_code(state, Some(&f.unit_code)).await?,
        colour: colour.as_str(),
        colour_vi: label.vi,
        colour_en: label.en,
        assessed_on: f.last_assessment.map(|(day, _)| day),
        open_feedback: f.open_feedback,
        name: f.name,
        unit_code: f.unit_code,
        address: f.address,
        lat: f.lat,
        lon: f.lon,
    })
}

pub(crate) async fn find_facility(state: &AppState, id: i64) -> ApiResult<Facility> {
    state.store().facility(id).await?.ok_or(ApiError::NotFound)
}

/// An official registers a facility in their jurisdiction.
#[utoipa::path(post, path = "/facilities", operation_id = "facilities_create", tag = "facilities", security(("bearer" = [])),
    request_body = FacilityForm,
    responses((status = 201, body = FacilityView), Session, JsonBody))]
pub(crate) async fn create(
    State(state): State<AppState>,
    staff: May<can::ManageFacilities>,
    ApiJson(form): ApiJson<FacilityForm>,
) -> ApiResult<(StatusCode, Json<FacilityView>)> {
    let actor = staff.actor();
    let input = form.parse()?;
    let unit = state
        .store()
        .existing_unit(&input.unit_code)
        .await
        .map_err(unit_field_error("unit_code"))?;
    staff.scope(&state, &unit, "facility.create").await?;
    let f = state
        .store()
        .create_facility(&input, Some(actor.staff_id), state.now())
        .await?;
    state.map_changed(&[layer_of(&f), Layer::AreaLevels, Layer::Cases]);
    let view = facility_view(&state, f, &mut UnitViews::default()).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListQuery {
    /// Only this unit and the units below it.
    unit: Option<String>,
    /// `school`, `medical`, `workplace` or `transport`.
    #[serde(rename = "type")]
    #[param(inline, value_type = Option<FacilityType>)]
    facility_type: Option<String>,
}

/// Facilities with today's colour (public: facilities are institutions, not people).
#[utoipa::path(get, path = "/facilities", operation_id = "facilities_list", tag = "facilities", params(ListQuery),
    responses((status = 200, body = [FacilityView]), Malformed, Unprocessable))]
pub(crate) async fn list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<FacilityView>>> {
    let facility_type = q
        .facility_type
        .as_deref()
        .map(|t| FacilityType::parse("type", t))
        .transpose()
        .map_err(ApiError::field)?;
    let unit = match q.unit.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(code) => Some(unit_named(&state, "unit", code).await?),
        None => None,
    };
    let filter = FacilityFilter {
        under_path: unit.as_ref().map(|u| u.path.as_str()),
        facility_type,
        bbox: None,
    };
    views(&state, state.store().facilities(&filter).await?).await
}

async fn views(state: &AppState, facilities: Vec<Facility>) -> ApiResult<Json<Vec<FacilityView>>> {
    let mut units = UnitViews::default();
    let mut out = Vec::with_capacity(facilities.len());
    for f in facilities {
        out.push(facility_view(state, f, &mut units).await?);
    }
    Ok(Json(out))
}

/// A facility with its latest assessment and its feedback.
#[derive(Serialize, ToSchema)]
pub(crate) struct FacilityDetail {
    #[serde(flatten)]
    facility: FacilityView,
    latest: Option<AssessmentView>,
    /// Open feedback and what was answered in the last 30 days, newest first.
    feedback: Vec<FeedbackView>,
}

/// One facility (public).
#[utoipa::path(get, path = "/facilities/{id}", operation_id = "facilities_open", tag = "facilities",
    params(("id" = i64, Path)),
    responses((status = 200, body = FacilityDetail), Malformed, NotFound))]
pub(crate) async fn open(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<FacilityDetail>> {
    let f = find_facility(&state, id).await?;
    let latest = state
        .store()
        .assessments(id, 1)
        .await?
        .into_iter()
        .next()
        .map(assessment_view);
    let since = state.now() - jiff::SignedDuration::from_hours(24 * i64::from(HISTORY_DAYS));
    let feedback = state
        .store()
        .facility_feedback(id, since)
        .await?
        .into_iter()
        .map(feedback_view)
        .collect();
    Ok(Json(FacilityDetail {
        facility: facility_view(&state, f, &mut UnitViews::default()).await?,
        latest,
        feedback,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct StaffLinkForm {
    /// The username of a `facility_staff` account in the official's jurisdiction.
    #[schema(value_type = phongdich_domain::schema::RequiredText)]
    username: String,
}

/// An official lets a facility-staff account assess a facility.
#[utoipa::path(post, path = "/facilities/{id}/staff", operation_id = "facilities_add_staff", tag = "facilities",
    security(("bearer" = [])), params(("id" = i64, Path)), request_body = StaffLinkForm,
    responses((status = 204), Session, JsonBody, NotFound))]
pub(crate) async fn add_staff(
    State(state): State<AppState>,
    staff: May<can::ManageFacilities>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(form): ApiJson<StaffLinkForm>,
) -> ApiResult<StatusCode> {
    let actor = staff.actor();
    let f = find_facility(&state, id).await?;
    let unit = state.store().existing_unit(&f.unit_code).await?;
    staff.scope(&state, &unit, "facility.staff").await?;
    let member = state
        .store()
        .staff_in_scope(actor)
        .await?
        .into_iter()
        .find(|m| m.username == form.username.trim()
                && reach(m.role, unit.tier, Action::AssessFacility) == Some(Reach::Assigned)
                && m.active)
        .ok_or_else(|| {
            ApiError::field(FieldError::new(
                "username",
                "facility_staff_unknown",
                "Không có tài khoản nhân viên cơ sở đang hoạt động với tên này trong địa bàn của bạn",
                "No active facility-staff account with this username in your jurisdiction",
            ))
        })?;
    state.store().link_facility_staff(f.id, member.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The facilities the signed-in facility staff member works for.
#[utoipa::path(get, path = "/me/facilities", operation_id = "facilities_mine", tag = "facilities", security(("bearer" = [])),
    responses((status = 200, body = [FacilityView]), Session))]
pub(crate) async fn mine(
    State(state): State<AppState>,
    staff: May<can::AssessFacility>,
) -> ApiResult<Json<Vec<FacilityView>>> {
    let actor = staff.actor();
    views(
        &state,
        state.store().facilities_of_staff(actor.staff_id).await?,
    )
    .await
}

/// The criteria set a facility assesses itself with (public).
#[utoipa::path(get, path = "/facilities/{id}/criteria", tag = "facilities",
    params(("id" = i64, Path)),
    responses((status = 200, body = CriteriaSet), Malformed, NotFound))]
pub(crate) async fn criteria(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<CriteriaSet>> {
    let f = find_facility(&state, id).await?;
    Ok(Json(state.criteria_set(f.facility_type).await?))
}

/// The criteria set in force for every facility type (public).
#[utoipa::path(get, path = "/criteria-sets", tag = "facilities",
    responses((status = 200, body = [CriteriaSet])))]
pub(crate) async fn list_sets(State(state): State<AppState>) -> ApiResult<Json<Vec<CriteriaSet>>> {
    let mut out = Vec::new();
    for t in FacilityType::ALL {
        out.push(state.criteria_set(*t).await?);
    }
    Ok(Json(out))
}

/// A provincial (or national) official publishes a new version of a facility type's criteria
/// set; the body is the set without `version`. Past assessments keep the version they used.
#[utoipa::path(put, path = "/criteria-sets/{facility_type}", tag = "facilities",
    security(("bearer" = [])), params(("facility_type" = inline(FacilityType), Path)),
    request_body = Object,
    responses((status = 201, body = CriteriaSet), Session, JsonBody, NotFound, Conflict))]
pub(crate) async fn revise_set(
    State(state): State<AppState>,
    staff: May<can::ReviseCriteriaSets>,
    ApiPath(facility_type): ApiPath<String>,
    ApiJson(mut body): ApiJson<serde_json::Value>,
) -> ApiResult<(StatusCode, Json<CriteriaSet>)> {
    let actor = staff.actor();
    let t = FacilityType::parse("facility_type", &facility_type).map_err(ApiError::field)?;
    let next = state.criteria_set(t).await?.version + 1;
    let Some(obj) = body.as_object_mut() else {
        return Err(ApiError::field(FieldError::new(
            "body",
            "criteria_set_invalid",
            "Bộ tiêu chí phải là một đối tượng JSON",
            "The criteria set must be a JSON object",
        )));
    };
    obj.insert("version".into(), next.into());
    obj.insert("facility_type".into(), t.as_str().into());
    let set: CriteriaSet = serde_json::from_value(body).map_err(|e| {
        ApiError::field(FieldError::new(
            "body",
            "criteria_set_invalid",
            format!("Bộ tiêu chí không hợp lệ: {e}"),
            format!("The criteria set is not valid: {e}"),
        ))
    })?;
    let stored = StoredCriteriaSet {
        facility_type: t,
        version: next,
        body: serde_json::to_string(&set).map_err(anyhow::Error::from)?,
        created_at: state.now(),
    };
    state
        .store()
        .save_criteria_set(&stored, &set.id, actor.staff_id)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(code) => ApiError::Conflict {
                code,
                message: Message::new(
                    "Một cán bộ khác vừa sửa bộ tiêu chí này; hãy tải lại",
                    "Another official has just revised this set; reload it",
                ),
            },
            other => other.into(),
        })?;
    tracing::info!(
        facility_type = t.as_str(),
        version = next,
        "criteria set revised"
    );
    Ok((StatusCode::CREATED, Json(set)))
}

/// A day's self-assessment as the API shows it.
#[derive(Serialize, ToSchema)]
pub(crate) struct AssessmentView {
    facility_id: i64,
    day: String,
    set_id: String,
    set_version: u32,
    colour: &'static str,
    colour_vi: String,
    colour_en: String,
    /// How the answers added up (`kind`: `pass_fail` or `scored`).
    #[schema(value_type = phongdich_domain::safety::Outcome)]
    outcome: serde_json::Value,
    reasons: Vec<Message>,
    /// Each criterion's answer, by criterion id.
    answers: std::collections::BTreeMap<String, String>,
    submitted_at: String,
}

fn assessment_view(a: StoredAssessment) -> AssessmentView {
    let label = a.colour.label();
    AssessmentView {
        facility_id: a.facility_id,
        day: a.day,
        set_id: a.set_id,
        set_version: a.set_version,
        colour: a.colour.as_str(),
        colour_vi: label.vi,
        colour_en: label.en,
        outcome: a.outcome,
        reasons: a.reasons,
        answers: a.answers,
        submitted_at: a.submitted_at.to_string(),
    }
}

/// A facility's staff send today's self-assessment; a second one the same day replaces it.
#[utoipa::path(post, path = "/facilities/{id}/assessments", tag = "facilities",
    security(("bearer" = [])), params(("id" = i64, Path)), request_body = AssessmentForm,
    responses((status = 201, body = AssessmentView), Session, JsonBody, NotFound))]
pub(crate) async fn submit_assessment(
    State(state): State<AppState>,
    staff: May<can::AssessFacility>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(form): ApiJson<AssessmentForm>,
) -> ApiResult<(StatusCode, Json<AssessmentView>)> {
    let actor = staff.actor();
    let f = find_facility(&state, id).await?;
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
    let stored = state
        .record_assessment(&f, Some(actor.staff_id), &form)
        .await?;
    Ok((StatusCode::CREATED, Json(assessment_view(stored))))
}

/// A facility's assessments of the last 30 days, newest first (public).
#[utoipa::path(get, path = "/facilities/{id}/assessments", tag = "facilities",
    params(("id" = i64, Path)),
    responses((status = 200, body = [AssessmentView]), Malformed, NotFound))]
pub(crate) async fn assessments(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<AssessmentView>>> {
    let f = find_facility(&state, id).await?;
    let list = state.store().assessments(f.id, HISTORY_DAYS).await?;
    Ok(Json(list.into_iter().map(assessment_view).collect()))
}
