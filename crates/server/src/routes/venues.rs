//! Venues: owners register them (a citizen account, so a verified phone), officials list and
//! import them for their jurisdiction, anyone opens a venue from its signed link, and the
//! owner reads the visitor log (audited) and adds staff who may scan visitors in.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use phongdich_domain::accounts::Role;
use phongdich_domain::venues::{venue_code, Category, VenueForm, VenueInput, VenueStatus};
use phongdich_domain::{FieldError, Message};
use phongdich_store::{NewVenue, StoreError, Venue};
use phongdich_venue_qr::{link_path, sign_link, verify_link};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{can, May};
use crate::auth::{Caller, CitizenUser, StaffUser};
use crate::csv_upload::{csv_error, csv_text, records};
use crate::error::{ApiError, ApiResult};
use crate::input::{bounded, ApiJson, ApiPath, ApiQuery};
use crate::openapi::answers::{
    Conflict, JsonBody, Malformed, NotFound, Session, Unprocessable, Upload,
};
use crate::routes::views::{UnitView, UnitViews};
use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use phongdich_domain::policy::Action;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

/// This module's routes and their part of the OpenAPI document (paths under `/api/v1`).
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register, list))
        .routes(routes!(categories))
        .routes(routes!(pending))
        .routes(routes!(typed_visits))
        // A district's list is larger than an ordinary request.
        .routes(routes!(import).layer(DefaultBodyLimit::max(4 * 1024 * 1024)))
        .routes(routes!(open, update))
        .routes(routes!(add_staff))
        .routes(routes!(approve))
        .routes(routes!(confirm_staff_visits))
        .routes(routes!(mine))
}

/// A venue as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct VenueView {
    /// The public code, printed on the poster (`V` + 8 characters).
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) category: String,
    pub(crate) category_vi: String,
    pub(crate) category_en: String,
    pub(crate) unit: Option<UnitView>,
    pub(crate) street: String,
    /// Street and units, for display and posters.
    pub(crate) address: String,
    pub(crate) lat: Option<f64>,
    pub(crate) lon: Option<f64>,
    /// open or closed.
    pub(crate) status: String,
    /// Minutes until a visitor who does not check out is checked out automatically.
    pub(crate) dwell_minutes: i64,
    /// The signed link the QR code carries.
    pub(crate) qr_url: String,
    /// The deployment's check-in mode: `central` (the server records visits) or `on-device`
    /// (the phone keeps its history and matches the risky-venue feed itself).
    pub(crate) checkin_mode: &'static str,
    pub(crate) created_at: String,
    /// False while a citizen's venue waits for an official of its unit: until then its staff
    /// cannot scan visitors or read the visitor log (visitors can still check in by the QR).
    pub(crate) approved: bool,
}

/// The scheme and host that links point at: the configured public URL, else the host the
/// request came to.
pub(crate) fn public_base(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.inner.config.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| h.bytes().all(|b| b.is_ascii_graphic()))
        .unwrap_or("localhost");
    let scheme = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .filter(|p| *p == "https")
        .unwrap_or("http");
    format!("{scheme}://{host}")
}

impl AppState {
    /// The signed link of a venue, under `base`.
    pub fn venue_link(&self, base: &str, code: &str) -> String {
        let sig = sign_link(self.venue_keys().signer(), code);
        format!("{base}{}", link_path(code, &sig))
    }
}

pub(crate) async fn venue_view(
    state: &AppState,
    venue: Venue,
    base: &str,
    units: &mut UnitViews,
) -> ApiResult<VenueView> {
    let unit = units.by_code(state, Some(&venue.unit_code)).await?;
    let category = Category::parse("category", &venue.category).unwrap_or(Category::Other);
    let (category_vi, category_en) = category.label();
    let address = match (&unit, venue.street.is_empty()) {
        (Some(u), false) => format!("{}, {}", venue.street, u.path),
        (Some(u), true) => u.path.clone(),
        (None, _) => venue.street.clone(),
    };
    Ok(VenueView {
        qr_url: state.venue_link(base, &venue.code),
        checkin_mode: state.inner.config.checkin_mode.as_str(),
        id: venue.code,
        name: venue.name,
        category: category.as_str().to_owned(),
        category_vi: category_vi.to_owned(),
        category_en: category_en.to_owned(),
        unit,
        street: venue.street,
        address,
        lat: venue.position.map(|p| p.0),
        lon: venue.position.map(|p| p.1),
        status: venue.status,
        dwell_minutes: state.profile().checkin.dwell(category).as_mins(),
        created_at: venue.created_at.to_string(),
        approved: venue.approved,
    })
}

async fn views(state: &AppState, venues: Vec<Venue>, base: &str) -> ApiResult<Vec<VenueView>> {
    let mut units = UnitViews::default();
    let mut out = Vec::with_capacity(venues.len());
    for v in venues {
        out.push(venue_view(state, v, base, &mut units).await?);
    }
    Ok(out)
}

/// The venue with this code, or 404.
pub(crate) async fn find_venue(state: &AppState, code: &str) -> ApiResult<Venue> {
    state
        .store()
        .venue_by_code(code.trim())
        .await?
        .ok_or(ApiError::NotFound)
}

/// Checks that `sig` is the venue code's signature: a forged or altered QR is refused here.
pub(crate) fn check_link(state: &AppState, code: &str, sig: &str) -> ApiResult<()> {
    verify_link(state.venue_keys().ring(), code, sig).map_err(|e| {
        ApiError::field(FieldError::new(
            "sig",
            "venue_link_invalid",
            "Mã QR không hợp lệ: mã bị sửa, bị cắt hoặc là giả",
            format!("The QR code is not valid: {e}"),
        ))
    })
}

/// The venue of a scanned link, its signature checked (cached briefly for busy venues).
pub(crate) async fn venue_from_link(state: &AppState, code: &str, sig: &str) -> ApiResult<Venue> {
    if let Some(venue) = state.inner.venues.get(code, sig) {
        return Ok(venue);
    }
    check_link(state, code, sig)?;
    let venue = find_venue(state, code).await?;
    state.inner.venues.put(sig, &venue);
    Ok(venue)
}

/// Draws fresh codes until one is free (a clash among 10¹² codes is rare, not impossible).
async fn store_new_venue(
    state: &AppState,
    input: &VenueInput,
    owner: Option<i64>,
) -> ApiResult<Venue> {
    for _ in 0..5 {
        let new = new_venue(input, owner, state.now());
        match state.store().create_venue(&new).await {
            Err(StoreError::Conflict("venue_code_taken")) => continue,
            other => return Ok(other?),
        }
    }
    Err(ApiError::Internal(anyhow::anyhow!(
        "no free venue code after 5 draws"
    )))
}

fn new_venue(input: &VenueInput, owner: Option<i64>, now: jiff::Timestamp) -> NewVenue {
    NewVenue {
        code: venue_code(rand::random()),
        name: input.name.clone(),
        category: input.category.as_str().to_owned(),
        unit_code: input.unit_code.clone(),
        street: input.street.clone(),
        position: input.position,
        owner_citizen_id: owner,
        created_at: now,
    }
}

/// A venue category with its labels and automatic check-out time.
#[derive(Serialize, ToSchema)]
pub(crate) struct VenueCategoryView {
    code: &'static str,
    vi: &'static str,
    en: &'static str,
    dwell_minutes: i64,
}

/// The venue categories.
#[utoipa::path(get, path = "/venues/categories", operation_id = "venues_categories", tag = "venues",
    responses((status = 200, body = [VenueCategoryView])))]
pub(crate) async fn categories(State(state): State<AppState>) -> Json<Vec<VenueCategoryView>> {
    let rules = &state.profile().checkin;
    Json(
        Category::ALL
            .iter()
            .map(|c| VenueCategoryView {
                code: c.as_str(),
                vi: c.label().0,
                en: c.label().1,
                dwell_minutes: rules.dwell(*c).as_mins(),
            })
            .collect(),
    )
}

/// Registers a venue owned by the signed-in citizen.
#[utoipa::path(post, path = "/venues", tag = "venues", security(("bearer" = [])),
    request_body = VenueForm,
    responses((status = 201, body = VenueView), Session, JsonBody))]
pub(crate) async fn register(
    State(state): State<AppState>,
    user: CitizenUser,
    headers: HeaderMap,
    ApiJson(form): ApiJson<VenueForm>,
) -> ApiResult<(StatusCode, Json<VenueView>)> {
    let input = form.parse()?;
    let venue = store_new_venue(&state, &input, Some(user.citizen_id)).await?;
    let base = public_base(&state, &headers);
    let view = venue_view(&state, venue, &base, &mut UnitViews::default()).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// The venues the signed-in citizen registered.
#[utoipa::path(get, path = "/me/venues", operation_id = "venues_mine", tag = "venues", security(("bearer" = [])),
    responses((status = 200, body = [VenueView]), Session))]
pub(crate) async fn mine(
    State(state): State<AppState>,
    user: CitizenUser,
    headers: HeaderMap,
) -> ApiResult<Json<Vec<VenueView>>> {
    let venues = state.store().venues_of_owner(user.citizen_id).await?;
    Ok(Json(
        views(&state, venues, &public_base(&state, &headers)).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListQuery {
    /// Only venues in this unit and below (inside the jurisdiction).
    unit: Option<String>,
    /// Part of the name, or a venue code.
    q: Option<String>,
    /// At most this many (default 500).
    #[param(minimum = 1, maximum = 100000)]
    limit: Option<u32>,
}

/// Venues for staff: officials see their jurisdiction, venue staff the venues they scan for.
#[utoipa::path(get, path = "/venues", operation_id = "venues_list", tag = "venues", security(("bearer" = [])),
    params(ListQuery), responses((status = 200, body = [VenueView]), Session, Malformed, Unprocessable))]
pub(crate) async fn list(
    State(state): State<AppState>,
    staff: StaffUser,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<VenueView>>> {
    let limit = bounded("limit", query.limit, 500, 1..=100_000)?;
    let venues = if staff.may(Action::ManageVenues).is_err() {
        staff.may(Action::SeeOwnVenues)?;
        state.store().venues_of_staff(staff.actor.staff_id).await?
    } else {
        let under = match query.unit.as_deref() {
            Some(code) => {
                let unit = state.store().existing_unit(code.trim()).await?;
                staff.scope(&state, &unit, "venue.list").await?;
                Some(unit.path)
            }
            None => None,
        };
        state
            .store()
            .venues_in_jurisdiction(&staff.actor, under.as_deref(), query.q.as_deref(), limit)
            .await?
    };
    Ok(Json(
        views(&state, venues, &public_base(&state, &headers)).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct OpenQuery {
    /// The signature from the QR link; when given, a wrong one is refused.
    sig: Option<String>,
}

/// A venue's public page data (what the check-in page shows).
#[utoipa::path(get, path = "/venues/{id}", operation_id = "venues_open", tag = "venues",
    params(("id" = String, Path), OpenQuery),
    responses((status = 200, body = VenueView), Malformed, NotFound, Unprocessable))]
pub(crate) async fn open(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    ApiQuery(query): ApiQuery<OpenQuery>,
    headers: HeaderMap,
) -> ApiResult<Json<VenueView>> {
    if let Some(sig) = &query.sig {
        check_link(&state, code.trim(), sig.trim())?;
    }
    let venue = find_venue(&state, &code).await?;
    let base = public_base(&state, &headers);
    Ok(Json(
        venue_view(&state, venue, &base, &mut UnitViews::default()).await?,
    ))
}

/// A change to a venue.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct VenuePatch {
    /// open or closed.
    #[schema(value_type = phongdich_domain::venues::VenueStatusChoice)]
    status: String,
}

/// Opens or closes a venue (its owner, or an official of its jurisdiction).
#[utoipa::path(patch, path = "/venues/{id}", operation_id = "venues_update", tag = "venues", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = VenuePatch,
    responses((status = 200, body = VenueView), Session, JsonBody, NotFound))]
pub(crate) async fn update(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiPath(code): ApiPath<String>,
    ApiJson(patch): ApiJson<VenuePatch>,
) -> ApiResult<Json<VenueView>> {
    let venue = find_venue(&state, &code).await?;
    let status = VenueStatus::parse_field("status", &patch.status).map_err(ApiError::field)?;
    match caller.subject {
        phongdich_store::Subject::Citizen { citizen_id } => {
            if venue.owner_citizen_id != Some(citizen_id) {
                return Err(not_owner());
            }
        }
        phongdich_store::Subject::Staff(actor) => {
            let staff = StaffUser { actor };
            staff.may(Action::ManageVenues)?;
            let unit = state.store().existing_unit(&venue.unit_code).await?;
            staff.scope(&state, &unit, "venue.update").await?;
        }
    }
    state
        .store()
        .set_venue_status(venue.id, status.as_str())
        .await?;
    state.inner.venues.forget(&venue.code);
    let venue = find_venue(&state, &code).await?;
    let base = public_base(&state, &headers);
    Ok(Json(
        venue_view(&state, venue, &base, &mut UnitViews::default()).await?,
    ))
}

/// The answer to staff powers at a venue an official has not approved yet.
pub(crate) fn not_approved() -> ApiError {
    ApiError::Forbidden {
        code: "venue_not_approved",
        message: Message::new(
            "Địa điểm đang chờ cán bộ y tế địa phương duyệt; chưa thể quét hay xem danh sách khách",
            "The venue awaits approval by a local health official; scanning and the visitor log start then",
        ),
    }
}

/// Venues registered by citizens that wait for an official's approval, in the jurisdiction.
#[utoipa::path(get, path = "/venues/pending", tag = "venues", security(("bearer" = [])),
    responses((status = 200, body = [VenueView]), Session))]
pub(crate) async fn pending(
    State(state): State<AppState>,
    staff: May<can::ManageVenues>,
    headers: HeaderMap,
) -> ApiResult<Json<Vec<VenueView>>> {
    let venues = state.store().pending_venues(&staff.actor.unit.path).await?;
    Ok(Json(
        views(&state, venues, &public_base(&state, &headers)).await?,
    ))
}

/// An official of the venue's unit approves it: its staff powers start (audited).
#[utoipa::path(post, path = "/venues/{id}/approve", tag = "venues", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = VenueView), Session, Malformed, NotFound))]
pub(crate) async fn approve(
    State(state): State<AppState>,
    staff: May<can::ManageVenues>,
    headers: HeaderMap,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<VenueView>> {
    let venue = venue_in_scope(&state, &staff, &code, "venue.approve").await?;
    let now = state.now();
    state
        .store()
        .approve_venue(venue.id, staff.actor.staff_id, now)
        .await?;
    audit_venue_act(&state, &staff, &venue, "venue.approve", String::new()).await?;
    let venue = find_venue(&state, &code).await?;
    let mut units = UnitViews::default();
    Ok(Json(
        venue_view(&state, venue, &public_base(&state, &headers), &mut units).await?,
    ))
}

/// A venue whose staff typed visits by phone that no official confirmed yet.
#[derive(Serialize, ToSchema)]
pub(crate) struct TypedVisitsView {
    venue: VenueView,
    /// Typed visits waiting for confirmation.
    unconfirmed: i64,
    /// The first and last arrival among them (RFC 3339).
    first_in: String,
    last_in: String,
}

/// Venues of the jurisdiction with visits their staff typed by phone that await confirmation,
/// most first: the official checks them (e.g. against the paper register) and confirms.
#[utoipa::path(get, path = "/venues/staff-visits", tag = "venues", security(("bearer" = [])),
    responses((status = 200, body = [TypedVisitsView]), Session))]
pub(crate) async fn typed_visits(
    State(state): State<AppState>,
    staff: May<can::ManageVenues>,
    headers: HeaderMap,
) -> ApiResult<Json<Vec<TypedVisitsView>>> {
    let waiting = state
        .store()
        .venues_with_typed_visits(&staff.actor.unit.path)
        .await?;
    let base = public_base(&state, &headers);
    let mut units = UnitViews::default();
    let mut out = Vec::with_capacity(waiting.len());
    for w in waiting {
        out.push(TypedVisitsView {
            venue: venue_view(&state, w.venue, &base, &mut units).await?,
            unconfirmed: w.unconfirmed,
            first_in: w.first_in.to_string(),
            last_in: w.last_in.to_string(),
        });
    }
    Ok(Json(out))
}

/// What confirming a venue's typed visits did.
#[derive(Serialize, ToSchema)]
pub(crate) struct Confirmed {
    /// Visits typed by phone at this venue that now count as evidence in case chains.
    confirmed: u64,
}

/// An official of the venue's unit confirms the visits its staff typed by phone number (after
/// checking them, e.g. against the paper register): until then they alert the phone but are
/// left out of case chains (audited).
#[utoipa::path(post, path = "/venues/{id}/staff-visits/confirm", tag = "venues", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Confirmed), Session, Malformed, NotFound))]
pub(crate) async fn confirm_staff_visits(
    State(state): State<AppState>,
    staff: May<can::ManageVenues>,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<Confirmed>> {
    let venue = venue_in_scope(&state, &staff, &code, "venue.confirm_visits").await?;
    let confirmed = state
        .store()
        .confirm_staff_visits(venue.id, staff.actor.staff_id, state.now())
        .await?;
    let detail = format!(" confirmed={confirmed}");
    audit_venue_act(&state, &staff, &venue, "venue.confirm_visits", detail).await?;
    Ok(Json(Confirmed { confirmed }))
}

/// The venue an official acts on, once the policy's scope check of its unit (audited when
/// refused) has passed.
async fn venue_in_scope(
    state: &AppState,
    staff: &May<can::ManageVenues>,
    code: &str,
    action: &'static str,
) -> ApiResult<Venue> {
    let venue = find_venue(state, code).await?;
    let unit = state.store().existing_unit(&venue.unit_code).await?;
    staff.scope(state, &unit, action).await?;
    Ok(venue)
}

/// The audit row of an official's act on a venue: `venue=<code>` and `detail` after it.
async fn audit_venue_act(
    state: &AppState,
    staff: &May<can::ManageVenues>,
    venue: &Venue,
    action: &'static str,
    detail: String,
) -> ApiResult<()> {
    let event = crate::routes::cases::allowed(
        action,
        format!("venue={}{detail}", venue.code),
        &venue.unit_code,
    );
    state
        .store()
        .record_audit(&staff.actor, &event, state.now())
        .await?;
    Ok(())
}

pub(crate) fn not_owner() -> ApiError {
    ApiError::Forbidden {
        code: "not_venue_owner",
        message: Message::new(
            "Chỉ chủ địa điểm được làm việc này",
            "Only the venue's owner may do this",
        ),
    }
}

/// A scanning account to create for a venue.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct VenueStaffForm {
    #[schema(value_type = phongdich_domain::accounts::UsernameText)]
    username: String,
    #[schema(value_type = phongdich_domain::schema::RequiredText)]
    full_name: String,
}

/// The new account's credentials, shown once.
#[derive(Serialize, ToSchema)]
pub(crate) struct VenueStaffCreated {
    username: String,
    password: String,
}

/// The owner creates a staff account that may scan visitors in for the venue.
#[utoipa::path(post, path = "/venues/{id}/staff", operation_id = "venues_add_staff", tag = "venues", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = VenueStaffForm,
    responses((status = 201, body = VenueStaffCreated), Session, JsonBody, NotFound))]
pub(crate) async fn add_staff(
    State(state): State<AppState>,
    user: CitizenUser,
    ApiPath(code): ApiPath<String>,
    ApiJson(form): ApiJson<VenueStaffForm>,
) -> ApiResult<(StatusCode, Json<VenueStaffCreated>)> {
    let venue = find_venue(&state, &code).await?;
    if venue.owner_citizen_id != Some(user.citizen_id) {
        return Err(not_owner());
    }
    let password = crate::auth::random_password();
    let form = crate::auth::StaffForm {
        username: form.username,
        password: password.clone(),
        full_name: form.full_name,
        role: Role::VenueStaff.as_str().to_owned(),
        unit_code: venue.unit_code.clone(),
    };
    let username = form.username.trim().to_owned();
    let staff_id = crate::auth::create_staff(state.store(), form, state.now()).await?;
    state.store().link_venue_staff(venue.id, staff_id).await?;
    Ok((
        StatusCode::CREATED,
        Json(VenueStaffCreated { username, password }),
    ))
}

/// The answer to an import.
#[derive(Serialize, ToSchema)]
pub(crate) struct ImportedView {
    imported: usize,
    venues: Vec<VenueView>,
}

/// Most rows one import takes (a district's list; larger lists go in several files).
const MAX_IMPORT_ROWS: usize = 5_000;

/// Imports a district's venue list from CSV (`name,category,unit_code,street,lat,lon`, UTF-8,
/// header row first): every row is checked, every problem reported with its line, and nothing
/// is stored unless every row is good. Units must lie inside the official's jurisdiction.
#[utoipa::path(post, path = "/venues/import", tag = "venues", security(("bearer" = [])),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = ImportedView), Session, Upload, Malformed, Conflict, Unprocessable))]
pub(crate) async fn import(
    State(state): State<AppState>,
    staff: May<can::ManageVenues>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<ImportedView>)> {
    let forms = parse_csv(csv_text(&headers, &body)?)?;
    let mut errors = Vec::new();
    let mut inputs = Vec::with_capacity(forms.len());
    for (line, form) in &forms {
        match form.parse() {
            Ok(input) => match state.store().unit(&input.unit_code).await? {
                Some(unit) if staff.actor.covers(&unit.path) => inputs.push(input),
                Some(_) => errors.push(FieldError::new(
                    format!("line {line}: unit_code"),
                    "out_of_jurisdiction",
                    "Đơn vị nằm ngoài địa bàn bạn phụ trách",
                    "The unit is outside your jurisdiction",
                )),
                None => errors.push(phongdich_domain::units::unknown_unit(
                    &format!("line {line}: unit_code"),
                    &input.unit_code,
                )),
            },
            Err(invalid) => errors.extend(invalid.0.into_iter().map(|mut e| {
                e.field = format!("line {line}: {}", e.field);
                e
            })),
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Invalid(phongdich_domain::Invalid(errors)));
    }
    let now = state.now();
    let mut stored = None;
    for _ in 0..5 {
        let batch: Vec<NewVenue> = inputs.iter().map(|i| new_venue(i, None, now)).collect();
        match state.store().import_venues(&batch).await {
            Err(StoreError::Conflict("venue_code_taken")) => continue,
            other => {
                stored = Some(other?);
                break;
            }
        }
    }
    let ids = stored.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no free venue codes")))?;
    let mut venues = Vec::with_capacity(ids.len());
    for id in ids {
        venues.extend(state.store().venue(id).await?);
    }
    let base = public_base(&state, &headers);
    let venues = views(&state, venues, &base).await?;
    Ok((
        StatusCode::CREATED,
        Json(ImportedView {
            imported: venues.len(),
            venues,
        }),
    ))
}

/// Reads the CSV rows as forms, with their line numbers (the header is line 1).
fn parse_csv(text: &str) -> ApiResult<Vec<(usize, VenueForm)>> {
    let bad = csv_error;
    let expected = ["name", "category", "unit_code", "street", "lat", "lon"];
    let mut forms = Vec::new();
    for (line, record) in records(text, &expected, MAX_IMPORT_ROWS)? {
        let number = |j: usize, field: &str| -> ApiResult<Option<f64>> {
            let s = record.get(j).unwrap_or("").trim();
            if s.is_empty() {
                return Ok(None);
            }
            s.parse().map(Some).map_err(|_| {
                bad(
                    format!("line {line}: {field}"),
                    format!("{s:?} không phải là số"),
                    format!("{s:?} is not a number"),
                )
            })
        };
        let form = VenueForm {
            name: record.get(0).unwrap_or("").to_owned(),
            category: record.get(1).unwrap_or("").to_owned(),
            unit_code: record.get(2).unwrap_or("").to_owned(),
            street: record.get(3).unwrap_or("").to_owned(),
            lat: number(4, "lat")?,
            lon: number(5, "lon")?,
        };
        forms.push((line, form));
    }
    if forms.is_empty() {
        return Err(bad(
            "line 2".into(),
            "Tệp không có dòng dữ liệu".into(),
            "The file has no rows".into(),
        ));
    }
    Ok(forms)
}
