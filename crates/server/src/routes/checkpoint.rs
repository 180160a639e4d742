//! Declaring on behalf of someone at a checkpoint: the person gives a phone number and reads
//! back the code sent to it, or has no phone at all.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use phongdich_domain::declarations::DeclarationForm;
use phongdich_domain::otp::NoCodeReason;
use phongdich_domain::phone::PhoneNumber;
use phongdich_domain::time::vietnam_date;
use phongdich_domain::FieldError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::codes;
use crate::auth::{can, May};
use crate::client_addr::ClientAddr;
use crate::declaring::Declarant;
use crate::error::{ApiError, ApiResult};
use crate::input::ApiJson;
use crate::openapi::answers::{JsonBody, Session, TooMany};
use crate::routes::declarations::RecordedView;
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// This module's routes and their part of the OpenAPI document (paths under `/api/v1`).
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(declare))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct OnBehalf {
    /// The citizen's form without `member_id`: at a checkpoint each person gets their own.
    #[schema(schema_with = form_without_member)]
    form: DeclarationForm,
    /// The person's phone; a code is sent to it first, then the request is repeated with `code`.
    #[schema(value_type = Option<phongdich_domain::phone::PhoneText>)]
    phone: Option<String>,
    /// The six digits the person reads back from the SMS.
    #[schema(pattern = "^\\s*[0-9]{6}\\s*$")]
    code: Option<String>,
    /// The person has no phone at all.
    #[serde(default)]
    no_phone: bool,
}

/// The declaration's schema (with what each kind needs) without `member_id`.
fn form_without_member() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::{schema::Schema, RefOr};
    let mut schema =
        <phongdich_domain::declarations::DeclarationSubmission as utoipa::PartialSchema>::schema();
    if let RefOr::T(Schema::AllOf(all)) = &mut schema {
        for part in &mut all.items {
            if let RefOr::T(Schema::Object(object)) = part {
                object.properties.remove("member_id");
            }
        }
    }
    schema
}

#[derive(Serialize, ToSchema)]
pub(crate) struct CodeSent {
    /// `code_sent`: ask the person for the code and send the declaration again with it.
    confirmation: &'static str,
}

/// Declares on behalf of a person at a checkpoint.
#[utoipa::path(post, path = "/checkpoint/declarations", tag = "declarations", security(("bearer" = [])),
    request_body = OnBehalf,
    responses((status = 201, body = RecordedView), (status = 202, body = CodeSent), Session, JsonBody, TooMany))]
pub(crate) async fn declare(
    State(state): State<AppState>,
    client: ClientAddr,
    staff: May<can::DeclareAtCheckpoint>,
    ApiJson(req): ApiJson<OnBehalf>,
) -> ApiResult<Response> {
    let actor = staff.actor();
    if req.form.member_id.is_some() {
        return Err(ApiError::field(FieldError::new(
            "form.member_id",
            "member_not_allowed",
            "Khai hộ tại chốt: mỗi người một tờ khai",
            "At a checkpoint each person gets their own declaration",
        )));
    }
    // Check the form first, so a typing mistake does not use up the person's code.
    req.form
        .parse(vietnam_date(state.now()), &state.profile().declarations)
        .map_err(|e| ApiError::Invalid(in_form(e)))?;
    let declarant = match (req.no_phone, req.phone.as_deref()) {
        (true, None) => Declarant::StaffForPhoneless {
            staff_id: actor.staff_id,
        },
        (false, Some(phone)) => {
            let phone = PhoneNumber::parse("phone", phone).map_err(ApiError::field)?;
            let Some(code) = req.code.as_deref() else {
                codes::send(&state, &phone, &client).await?;
                return Ok((
                    StatusCode::ACCEPTED,
                    Json(CodeSent {
                        confirmation: "code_sent",
                    }),
                )
                    .into_response());
            };
            codes::well_formed("code", code).map_err(ApiError::field)?;
            let hash = codes::accept(&state, &phone, code, "code", &client).await?;
            let citizen_id = state
                .store()
                .consume_otp(&phone, &hash, state.now(), None)
                .await?
                .ok_or_else(|| codes::no_valid_code("code", NoCodeReason::NeverSent))?;
            Declarant::StaffForCitizen {
                staff_id: actor.staff_id,
                citizen_id,
            }
        }
        _ => {
            return Err(ApiError::field(FieldError::new(
                "phone",
                "phone_or_no_phone",
                "Nhập số điện thoại của người khai, hoặc chọn 'không có điện thoại'",
                "Give the person's phone number, or choose 'no phone'",
            )))
        }
    };
    let recorded = state
        .submit_declaration(&req.form, declarant)
        .await
        .map_err(|e| match e {
            ApiError::Invalid(invalid) => ApiError::Invalid(in_form(invalid)),
            other => other,
        })?;
    Ok((StatusCode::CREATED, Json(RecordedView::from(recorded))).into_response())
}

/// Names the fields of the nested declaration as the request has them (`form.identity.…`).
fn in_form(mut invalid: phongdich_domain::Invalid) -> phongdich_domain::Invalid {
    for e in &mut invalid.0 {
        e.field = format!("form.{}", e.field);
    }
    invalid
}
