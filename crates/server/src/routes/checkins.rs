//! Check-in and check-out: citizens scan the venue's QR (for themselves and family members);
//! venue staff scan a personal health QR or type the phone number of someone without a
//! smartphone. Every request carries a client id, so a retry returns the first answer; a
//! check-in queued offline keeps its own time, within the profile's bounds.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use jiff::Timestamp;
use phongdich_domain::venues::{
    Category, CheckinForm, CheckinMethod, CheckoutForm, Direction, StaffCheckinForm, StaffVisit,
    VisitorKey,
};
use phongdich_domain::{FieldError, Invalid, Message};
use phongdich_store::{CheckOut, NewCheckin, Subject, Venue, Visit};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{Caller, CitizenUser};
use crate::config::CheckinMode;
use crate::error::{ApiError, ApiResult};
use crate::input::{ApiJson, ApiPath};
use crate::openapi::answers::{Conflict, JsonBody, NotFound, Session, TooMany};
use crate::routes::venues::{find_venue, not_owner, venue_from_link};
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// This module's routes and their part of the OpenAPI document (paths under `/api/v1`).
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(staff_check_in))
        .routes(routes!(my_visits))
        .routes(routes!(check_in))
        .routes(routes!(check_out))
}

/// One person's visit.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct VisitView {
    id: i64,
    venue_id: String,
    venue_name: String,
    member_id: Option<i64>,
    in_at: String,
    out_at: String,
    /// True while the end is the automatic check-out (no check-out yet).
    out_auto: bool,
    method: CheckinMethod,
}

impl VisitView {
    fn of(v: Visit, venue: &Venue) -> Self {
        Self::at(v, venue.code.clone(), venue.name.clone())
    }

    fn at(v: Visit, venue_id: String, venue_name: String) -> Self {
        VisitView {
            id: v.id,
            venue_id,
            venue_name,
            member_id: v.member_id,
            in_at: v.in_at.0.to_string(),
            out_at: v.out_at.0.to_string(),
            out_auto: v.out_auto.0,
            method: v.method,
        }
    }
}

/// The answer to a check-in or check-out.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct VisitsView {
    visits: Vec<VisitView>,
    /// Family members (null: the holder) with no visit to end (check-out only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    not_checked_in: Vec<Option<i64>>,
}

/// Checks that the family members named belong to the account.
async fn check_family(state: &AppState, citizen_id: i64, people: &[Option<i64>]) -> ApiResult<()> {
    if people.iter().all(Option::is_none) {
        return Ok(());
    }
    let family = state.store().family(citizen_id).await?;
    for id in people.iter().flatten() {
        if !family.iter().any(|m| m.id == *id) {
            return Err(ApiError::field(FieldError::new(
                "members",
                "member_unknown",
                format!("Không có người thân mã {id} trong tài khoản"),
                format!("No family member {id} in this account"),
            )));
        }
    }
    Ok(())
}

fn on_device_only() -> ApiError {
    ApiError::Conflict {
        code: "checkin_mode_on_device",
        message: Message::new(
            "Hệ thống không lưu lượt quét mã: lịch sử chỉ lưu trên điện thoại của bạn",
            "This deployment keeps no visits: your history stays on your phone",
        ),
    }
}

fn venue_closed() -> ApiError {
    ApiError::Conflict {
        code: "venue_closed",
        message: Message::new(
            "Địa điểm này đang đóng cửa, không nhận khai báo",
            "This venue is closed and accepts no check-ins",
        ),
    }
}

fn not_checked_in() -> ApiError {
    ApiError::Conflict {
        code: "not_checked_in",
        message: Message::new(
            "Chưa có lượt vào tại địa điểm này để kết thúc",
            "There is no check-in at this venue to end",
        ),
    }
}

/// Who arrives, sent by whom, when and how (the people are the account holder and/or family).
struct Arrival<'a> {
    origin: String,
    client_id: String,
    citizen_id: i64,
    people: &'a [Option<i64>],
    at: Timestamp,
    method: CheckinMethod,
}

impl AppState {
    /// Builds and stores the check-ins of some people at a venue (group-committed).
    async fn check_in(&self, venue: &Venue, arrival: Arrival<'_>) -> ApiResult<Vec<Visit>> {
        let Arrival {
            origin,
            client_id,
            citizen_id,
            people,
            at,
            method,
        } = arrival;
        if self.inner.config.checkin_mode == CheckinMode::OnDevice {
            return Err(on_device_only());
        }
        if venue.status != "open" {
            return Err(venue_closed());
        }
        let category = Category::parse("category", &venue.category).unwrap_or(Category::Other);
        let auto_out_at = at + self.profile().checkin.dwell(category);
        let rows = people
            .iter()
            .map(|member_id| NewCheckin {
                venue_id: venue.id,
                origin: origin.clone(),
                client_id: client_id.clone(),
                citizen_id,
                member_id: *member_id,
                in_at: at,
                auto_out_at,
                method,
            })
            .collect();
        Ok(self.checkin_writer().write(rows).await?)
    }
}

/// Checks the signed-in citizen (and family members) in at a venue from its QR link.
#[utoipa::path(post, path = "/checkins", tag = "check-in", security(("bearer" = [])),
    request_body = CheckinForm,
    responses((status = 201, body = VisitsView), Session, JsonBody, NotFound, Conflict))]
pub(crate) async fn check_in(
    State(state): State<AppState>,
    user: CitizenUser,
    ApiJson(form): ApiJson<CheckinForm>,
) -> ApiResult<(StatusCode, Json<VisitsView>)> {
    let visit = form.parse(state.now(), &state.profile().checkin)?;
    let venue = venue_from_link(&state, form.venue_id.trim(), form.sig.trim()).await?;
    check_family(&state, user.citizen_id, &visit.people).await?;
    let visits = state
        .check_in(
            &venue,
            Arrival {
                origin: format!("c:{}", user.citizen_id),
                client_id: visit.client_id,
                citizen_id: user.citizen_id,
                people: &visit.people,
                at: visit.at,
                method: CheckinMethod::SelfScan,
            },
        )
        .await?;
    let visits = visits
        .into_iter()
        .map(|v| VisitView::of(v, &venue))
        .collect();
    Ok((
        StatusCode::CREATED,
        Json(VisitsView {
            visits,
            not_checked_in: Vec::new(),
        }),
    ))
}

/// Checks the signed-in citizen (and family members) out of a venue.
#[utoipa::path(post, path = "/checkins/out", tag = "check-in", security(("bearer" = [])),
    request_body = CheckoutForm,
    responses((status = 200, body = VisitsView), Session, JsonBody, NotFound, Conflict))]
pub(crate) async fn check_out(
    State(state): State<AppState>,
    user: CitizenUser,
    ApiJson(form): ApiJson<CheckoutForm>,
) -> ApiResult<Json<VisitsView>> {
    let visit = form.parse(state.now(), &state.profile().checkin)?;
    if state.inner.config.checkin_mode == CheckinMode::OnDevice {
        return Err(on_device_only());
    }
    let venue = find_venue(&state, &form.venue_id).await?;
    check_family(&state, user.citizen_id, &visit.people).await?;
    end_visits(
        &state,
        &venue,
        user.citizen_id,
        visit.people,
        visit.at,
        visit.client_id,
    )
    .await
}

async fn end_visits(
    state: &AppState,
    venue: &Venue,
    citizen_id: i64,
    people: Vec<Option<i64>>,
    at: Timestamp,
    client_id: String,
) -> ApiResult<Json<VisitsView>> {
    let out = CheckOut {
        venue_id: venue.id,
        citizen_id,
        members: people.clone(),
        at,
        client_id,
    };
    let ended = state.store().check_out(&out).await?;
    if ended.iter().all(Option::is_none) {
        return Err(not_checked_in());
    }
    let not_checked_in = people
        .iter()
        .zip(&ended)
        .filter(|(_, e)| e.is_none())
        .map(|(p, _)| *p)
        .collect();
    let visits = ended
        .into_iter()
        .flatten()
        .map(|v| VisitView::of(v, venue))
        .collect();
    Ok(Json(VisitsView {
        visits,
        not_checked_in,
    }))
}

/// What the staff member sees after a scan.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct StaffCheckinView {
    visit: VisitView,
    /// The health pass colour when the visitor showed one.
    colour: Option<&'static str>,
    /// The visitor's name as declared on the health pass they showed; never given for a typed
    /// phone number, which would let anyone who runs a venue look up who a number belongs to.
    full_name: Option<String>,
}

/// Venue staff (or the owner) check a visitor in or out by health QR or phone number.
#[utoipa::path(post, path = "/venues/{id}/checkins", tag = "check-in", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = StaffCheckinForm,
    responses((status = 201, body = StaffCheckinView), Session, JsonBody, NotFound, Conflict, TooMany))]
pub(crate) async fn staff_check_in(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    ApiJson(form): ApiJson<StaffCheckinForm>,
) -> ApiResult<(StatusCode, Json<StaffCheckinView>)> {
    let venue = find_venue(&state, &code).await?;
    let origin = match &caller.subject {
        Subject::Staff(actor)
            if state
                .store()
                .is_venue_staff(venue.id, actor.staff_id)
                .await? =>
        {
            format!("s:{}", actor.staff_id)
        }
        Subject::Citizen { citizen_id } if venue.owner_citizen_id == Some(*citizen_id) => {
            format!("c:{citizen_id}")
        }
        _ => return Err(not_owner()),
    };
    if !venue.approved {
        return Err(crate::routes::venues::not_approved());
    }
    state.inner.limits.staff_checkin(&origin)?;
    let StaffVisit {
        client_id: id,
        at,
        direction,
        visitor,
    } = form.parse(state.now(), &state.profile().checkin)?;
    let leaving = direction == Direction::Out;
    if let (Subject::Staff(actor), VisitorKey::Phone(phone)) = (&caller.subject, &visitor) {
        // A typed number puts a visit in someone's history: who typed it is on record.
        let event = crate::routes::cases::allowed(
            "venue.checkin.phone",
            format!(
                "venue={} phone={phone} direction={}",
                venue.code,
                direction.as_str()
            ),
            &venue.unit_code,
        );
        state
            .store()
            .record_audit(actor, &event, state.now())
            .await?;
    }
    let visitor = identify(&state, visitor).await?;
    let person = [visitor.member_id];
    let visit = if leaving {
        let Json(mut ended) = end_visits(
            &state,
            &venue,
            visitor.citizen_id,
            person.to_vec(),
            at,
            format!("{origin}:{id}"),
        )
        .await?;
        ended.visits.remove(0)
    } else {
        let method = if visitor.colour.is_some() {
            CheckinMethod::StaffQr
        } else {
            CheckinMethod::StaffPhone
        };
        let visits = state
            .check_in(
                &venue,
                Arrival {
                    origin,
                    client_id: id,
                    citizen_id: visitor.citizen_id,
                    people: &person,
                    at,
                    method,
                },
            )
            .await?;
        let v = visits.into_iter().next().ok_or(ApiError::NotFound)?;
        VisitView::of(v, &venue)
    };
    let status = if leaving {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        Json(StaffCheckinView {
            visit,
            colour: visitor.colour,
            full_name: visitor.full_name,
        }),
    ))
}

struct Visitor {
    citizen_id: i64,
    member_id: Option<i64>,
    colour: Option<&'static str>,
    full_name: Option<String>,
}

/// Finds the visitor from a health pass or a phone number. A number seen for the first time
/// gets a phone-only record, not an account: it holds the visit, and an alert for it goes out
/// by SMS; signing in with that number by code later makes it an account.
async fn identify(state: &AppState, key: VisitorKey) -> ApiResult<Visitor> {
    match key {
        VisitorKey::Pass(pass) => {
            let claims = phongdich_health_pass::verify(
                &pass,
                state.pass_keys().ring(),
                state.now().as_second(),
            )
            .map_err(|e| {
                let (code, message) = crate::routes::health_pass::refusal(&e);
                ApiError::Invalid(Invalid::one(FieldError {
                    field: "pass".into(),
                    code,
                    message,
                }))
            })?;
            let subject = hex::encode(&claims.subject);
            let declared = state.store().latest_declaration(&subject).await?;
            let Some((citizen_id, d)) = declared.and_then(|d| d.citizen_id.map(|c| (c, d))) else {
                return Err(ApiError::field(FieldError::new(
                    "pass",
                    "pass_without_account",
                    "Mã QR này không gắn với tài khoản nào: hãy nhập số điện thoại",
                    "This QR is not linked to an account: type the phone number instead",
                )));
            };
            Ok(Visitor {
                citizen_id,
                member_id: d.member_id,
                colour: Some(claims.colour.as_str()),
                full_name: Some(d.full_name),
            })
        }
        VisitorKey::Phone(phone) => {
            let citizen_id = state.store().phone_visitor(&phone, state.now()).await?;
            Ok(Visitor {
                citizen_id,
                member_id: None,
                colour: None,
                full_name: None,
            })
        }
    }
}

/// The visits made under the signed-in citizen's account (central mode), newest first.
#[utoipa::path(get, path = "/me/visits", tag = "check-in", security(("bearer" = [])),
    responses((status = 200, body = [VisitView]), Session))]
pub(crate) async fn my_visits(
    State(state): State<AppState>,
    user: CitizenUser,
) -> ApiResult<Json<Vec<VisitView>>> {
    let visits = state.store().citizen_visits(user.citizen_id, 200).await?;
    Ok(Json(
        visits
            .into_iter()
            .map(|v| VisitView::at(v.visit, v.venue_code, v.venue_name))
            .collect(),
    ))
}
