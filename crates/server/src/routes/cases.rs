//! Cases (F0) for health officials: register, list, open with the chain of contacts by level,
//! add interview contacts, gather contacts from venues and proximity, export the chain.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use phongdich_domain::audit::{AuditEvent, Outcome};
use phongdich_domain::cases::{CaseForm, CaseSource, CaseStatus, ContactForm};
use phongdich_domain::jurisdiction::Actor;
use phongdich_store::{NewContact, StoredCase, StoredContact, StoredPerson};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{can, May};
use crate::chains::{expand_case, gather_contacts};
use crate::error::{ApiError, ApiResult};
use crate::input::{ApiJson, ApiPath};
use crate::openapi::answers::{Conflict, JsonBody, Malformed, NotFound, Session};
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// This module's routes and their part of the OpenAPI document (paths under `/api/v1`).
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(open, update))
        .routes(routes!(add_contact))
        .routes(routes!(gather))
        .routes(routes!(chain_csv))
}

/// A case as listed.
#[derive(Serialize, ToSchema)]
pub(crate) struct CaseView {
    id: i64,
    person_id: i64,
    full_name: String,
    phone: Option<String>,
    onset_date: Option<String>,
    sample_date: String,
    confirmed_date: String,
    source: CaseSource,
    status: CaseStatus,
    unit_code: String,
    transmission_from: String,
    isolated_at: String,
    note: Option<String>,
}

/// A stored time (milliseconds) as RFC 3339.
pub(crate) fn time(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

impl From<StoredCase> for CaseView {
    fn from(c: StoredCase) -> Self {
        Self {
            id: c.id,
            person_id: c.person_id,
            full_name: c.full_name,
            phone: c.phone,
            onset_date: c.onset_day,
            sample_date: c.sample_day,
            confirmed_date: c.confirmed_day,
            source: c.source,
            status: c.status,
            unit_code: c.unit_code,
            transmission_from: time(c.transmission_from),
            isolated_at: time(c.isolated_at),
            note: c.note,
        }
    }
}

/// What registering a case did.
#[derive(Serialize, ToSchema)]
pub(crate) struct CaseCreated {
    #[serde(flatten)]
    case: CaseView,
    /// Contacts found at once from venue check-ins and proximity reports.
    venue_contacts: usize,
    proximity_contacts: usize,
}

/// Registers a confirmed case and gathers its venue and proximity contacts.
#[utoipa::path(post, path = "/cases", operation_id = "cases_create", tag = "tracing", security(("bearer" = [])),
    request_body = CaseForm,
    responses((status = 201, body = CaseCreated), Session, JsonBody))]
pub(crate) async fn create(
    State(state): State<AppState>,
    staff: May<can::TraceCases>,
    ApiJson(form): ApiJson<CaseForm>,
) -> ApiResult<(StatusCode, Json<CaseCreated>)> {
    let actor = staff.actor().clone();
    let now = state.now();
    let rules = &state.profile().tracing;
    let case = form.parse(rules, now)?;
    let unit = state.store().existing_unit(&case.person.unit_code).await?;
    staff.scope(&state, &unit, "case.create").await?;
    // Naming someone already on record links the case to that record (their account, visits
    // and chain), so the record's own unit is checked as a direct read of it would be.
    if let Some(code) = state.store().reused_person_unit(&case.person).await? {
        let existing = state.store().existing_unit(&code).await?;
        staff.scope(&state, &existing, "case.create.person").await?;
    }
    let person = state.store().add_person(&case.person, now).await?;
    let id = state
        .store()
        .create_case(&actor, &case, person, &unit.path, now)
        .await?;
    let stored = state.store().case(id).await?.ok_or(ApiError::NotFound)?;
    let gathered = gather_contacts(state.store(), &stored, rules, now).await?;
    let subject = format!(
        "case={id} person={person} venue_contacts={} proximity_contacts={}",
        gathered.venue, gathered.proximity
    );
    state
        .store()
        .record_audit(&actor, &allowed("case.create", subject, &unit.code), now)
        .await?;
    tracing::info!(
        case = id,
        venue = gathered.venue,
        proximity = gathered.proximity,
        "case registered"
    );
    state.map_changed(crate::map::CASE_LAYERS);
    Ok((
        StatusCode::CREATED,
        Json(CaseCreated {
            case: stored.into(),
            venue_contacts: gathered.venue,
            proximity_contacts: gathered.proximity,
        }),
    ))
}

/// Cases of the official's jurisdiction, newest first (audited).
#[utoipa::path(get, path = "/cases", operation_id = "cases_list", tag = "tracing", security(("bearer" = [])),
    responses((status = 200, body = [CaseView]), Session))]
pub(crate) async fn list(
    State(state): State<AppState>,
    staff: May<can::TraceCases>,
) -> ApiResult<Json<Vec<CaseView>>> {
    let actor = staff.actor();
    let rows = state.store().staff_list_cases(actor, state.now()).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// One person of a case's chain.
#[derive(Serialize, ToSchema)]
pub(crate) struct ChainMember {
    person_id: i64,
    /// Name, phone, evidence and quarantine are shown only for members who live inside the
    /// official's jurisdiction; the others are handed over to their own unit.
    full_name: Option<String>,
    phone: Option<String>,
    unit_code: String,
    /// True when the member lives outside the official's jurisdiction (identity withheld).
    outside_jurisdiction: bool,
    /// 1 = F1, 2 = F2, …
    level: u8,
    /// The person of the level above they met, and when.
    via: i64,
    exposed_at: String,
    contact_id: i64,
    source: String,
    /// Every source that links them to the person above (venue, proximity, interview): one
    /// person is often found several ways.
    sources: Vec<String>,
    setting: String,
    minutes: i64,
    confidence: String,
    evidence: Option<String>,
    isolated_at: Option<String>,
    /// Their latest quarantine order, if it is still open.
    quarantine: Option<ChainQuarantine>,
}

/// A chain member's quarantine order in short.
#[derive(Serialize, ToSchema, Clone)]
pub(crate) struct ChainQuarantine {
    id: i64,
    kind: String,
    /// `YYYY-MM-DD`.
    starts_on: String,
    /// `YYYY-MM-DD`.
    ends_on: String,
    status: String,
}

/// A contact recorded from an interview.
#[derive(Serialize, ToSchema)]
pub(crate) struct ContactAdded {
    id: i64,
    /// The contact person (an existing one, or the one just added).
    person_id: i64,
    /// Whether it is a close contact (makes an F-level).
    close: bool,
}

/// How many contacts were gathered again.
#[derive(Serialize, ToSchema)]
pub(crate) struct GatheredView {
    venue_contacts: usize,
    proximity_contacts: usize,
}

/// A case with its chain.
#[derive(Serialize, ToSchema)]
pub(crate) struct CaseDetail {
    case: CaseView,
    /// Everyone reached, ordered by level then exposure.
    chain: Vec<ChainMember>,
    /// How many at each level, `[F1, F2, …]`.
    counts: Vec<usize>,
    /// Contacts recorded but not close enough to count (e.g. a short masked meeting).
    other_contacts: usize,
}

/// Opens a case with its contacts as F1, F2, … to the profile's depth (audited).
#[utoipa::path(get, path = "/cases/{id}", operation_id = "cases_open", tag = "tracing", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = CaseDetail), Session, Malformed, NotFound))]
pub(crate) async fn open(
    State(state): State<AppState>,
    staff: May<can::TraceCases>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<CaseDetail>> {
    let actor = staff.actor();
    Ok(Json(detail(&state, actor, id, "case.chain.person").await?))
}

async fn detail(
    state: &AppState,
    actor: &Actor,
    id: i64,
    action: &'static str,
) -> Result<CaseDetail, ApiError> {
    let store = state.store();
    let case = store.staff_case(actor, id, state.now()).await?;
    let depth = state.profile().tracing.max_depth;
    let reached = expand_case(store, &case, depth).await?;
    let people: HashMap<i64, StoredPerson> = store
        .persons(&reached.iter().map(|r| r.person).collect::<Vec<_>>())
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let shown = crate::reveal::visible_people(
        store,
        actor,
        &people.values().collect::<Vec<_>>(),
        action,
        &format!("case={id}"),
        state.now(),
    )
    .await?;
    let contacts: HashMap<i64, StoredContact> = store
        .contacts_by_id(&reached.iter().map(|r| r.contact_id).collect::<Vec<_>>())
        .await?;
    // All sources per linked pair, from the close contacts touching the chain.
    let mut members: Vec<i64> = reached.iter().map(|r| r.person).collect();
    members.push(case.person_id);
    let mut sources: HashMap<(i64, i64), Vec<String>> = HashMap::new();
    let links: HashMap<i64, StoredContact> = store
        .contacts_by_id(
            &store
                .close_contacts_of(&members)
                .await?
                .iter()
                .map(|e| e.contact_id)
                .collect::<Vec<_>>(),
        )
        .await?;
    for c in links.values() {
        let pair = (c.a.min(c.b), c.a.max(c.b));
        let list = sources.entry(pair).or_default();
        if !list.contains(&c.source) {
            list.push(c.source.clone());
            list.sort();
        }
    }
    let today = phongdich_domain::time::vietnam_date(state.now()).to_string();
    let mut orders: HashMap<i64, ChainQuarantine> = HashMap::new();
    for o in store.quarantine_of_people(&members, &today).await? {
        // Ordered by start: the latest order wins.
        orders.insert(
            o.person_id,
            ChainQuarantine {
                id: o.id,
                kind: o.kind,
                starts_on: o.starts_on,
                ends_on: o.ends_on,
                status: o.status,
            },
        );
    }
    let mut counts = vec![0usize; usize::from(depth)];
    let mut chain = Vec::with_capacity(reached.len());
    for r in reached {
        if let Some(c) = counts.get_mut(usize::from(r.level) - 1) {
            *c += 1;
        }
        let (Some(p), Some(c)) = (people.get(&r.person), contacts.get(&r.contact_id)) else {
            continue;
        };
        let open = shown.contains(&r.person);
        chain.push(ChainMember {
            person_id: r.person,
            full_name: open.then(|| p.full_name.clone()),
            phone: p.phone.clone().filter(|_| open),
            unit_code: p.unit_code.clone(),
            outside_jurisdiction: !open,
            level: r.level,
            via: r.via,
            exposed_at: r.exposed_at.to_string(),
            contact_id: r.contact_id,
            source: c.source.clone(),
            sources: sources
                .get(&(r.person.min(r.via), r.person.max(r.via)))
                .cloned()
                .unwrap_or_else(|| vec![c.source.clone()]),
            setting: c.setting.clone(),
            minutes: c.minutes,
            confidence: c.confidence.clone(),
            evidence: open.then(|| c.evidence.clone()),
            isolated_at: r.isolated_at.map(|t| t.to_string()),
            quarantine: orders.get(&r.person).cloned().filter(|_| open),
        });
    }
    let other_contacts = store.loose_contacts_of(case.person_id).await?;
    Ok(CaseDetail {
        case: case.into(),
        chain,
        counts,
        other_contacts,
    })
}

/// An allowed action on data of `unit_code`, for the audit log.
pub(crate) fn allowed(action: &'static str, subject: String, unit_code: &str) -> AuditEvent {
    AuditEvent {
        action,
        subject,
        unit_code: Some(unit_code.to_owned()),
        outcome: Outcome::Allowed,
    }
}

/// A person of the registry named by `person_id` in a request, or a field error.
pub(crate) async fn find_person(state: &AppState, id: i64) -> Result<StoredPerson, ApiError> {
    state
        .store()
        .persons(&[id])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| {
            ApiError::field(phongdich_domain::FieldError::new(
                "person_id",
                "person_unknown",
                "Không có người này trong danh sách",
                "No such person in the registry",
            ))
        })
}

/// A change of a case's course.
#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CaseUpdate {
    /// `active`, `recovered` or `died`; a closed case is kept for the profile's retention period.
    #[schema(value_type = CaseStatus)]
    status: String,
}

/// Records that a case recovered or died (or reopens it).
#[utoipa::path(patch, path = "/cases/{id}", operation_id = "cases_update", tag = "tracing", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = CaseUpdate,
    responses((status = 200, body = CaseView), Session, JsonBody, NotFound))]
pub(crate) async fn update(
    State(state): State<AppState>,
    staff: May<can::TraceCases>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(update): ApiJson<CaseUpdate>,
) -> ApiResult<Json<CaseView>> {
    let actor = staff.actor();
    let now = state.now();
    state.store().staff_case(actor, id, now).await?;
    let status = CaseStatus::parse("status", &update.status).map_err(ApiError::field)?;
    state.store().set_case_status(id, status, now).await?;
    let case = state.store().case(id).await?.ok_or(ApiError::NotFound)?;
    state.map_changed(crate::map::CASE_LAYERS);
    Ok(Json(case.into()))
}

/// Records a contact the case named in an interview.
#[utoipa::path(post, path = "/cases/{id}/contacts", tag = "tracing", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ContactForm,
    responses((status = 201, body = ContactAdded), Session, JsonBody, NotFound, Conflict))]
pub(crate) async fn add_contact(
    State(state): State<AppState>,
    staff: May<can::TraceCases>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(form): ApiJson<ContactForm>,
) -> ApiResult<(StatusCode, Json<ContactAdded>)> {
    let actor = staff.actor().clone();
    let now = state.now();
    let case = state.store().staff_case(&actor, id, now).await?;
    let year = now.to_zoned(phongdich_domain::time::vietnam()).year();
    // Only the case's person or someone of its chain can name contacts here, and an existing
    // person named as a contact must be in the chain or live in the official's jurisdiction:
    // otherwise this would be a way to read anyone's record into one's own case.
    let chain: Vec<i64> = expand_case(state.store(), &case, state.profile().tracing.max_depth)
        .await?
        .into_iter()
        .map(|r| r.person)
        .collect();
    let from = form.from_person_id.unwrap_or(case.person_id);
    if from != case.person_id && !chain.contains(&from) {
        return Err(ApiError::field(phongdich_domain::FieldError::new(
            "from_person_id",
            "person_not_in_chain",
            "Người này không thuộc chuỗi lây nhiễm của ca bệnh",
            "This person is not in the case's chain",
        )));
    }
    let (contact, person) = form.parse(from, &state.profile().tracing, now, year)?;
    if let Some(p) = &person {
        state.store().existing_unit(&p.unit_code).await?;
    }
    let other = match (form.person_id, person) {
        (Some(existing), _) => {
            let p = find_person(&state, existing).await?;
            if !chain.contains(&existing) && existing != case.person_id {
                let unit = state.store().existing_unit(&p.unit_code).await?;
                staff.scope(&state, &unit, "case.contact").await?;
            }
            existing
        }
        (None, Some(p)) => {
            // A named contact already on record is linked to that record wherever they live
            // (tracing must not miss them); what this official then sees of them follows the
            // residence rule of `reveal`, and the link itself is audited with their unit.
            let reused = state.store().reused_person_unit(&p).await?;
            let id = state.store().add_person(&p, now).await?;
            if let Some(code) = reused {
                let subject = format!("case={} person={id}", case.id);
                state
                    .store()
                    .record_audit(&actor, &allowed("case.contact.link", subject, &code), now)
                    .await?;
            }
            id
        }
        (None, None) => return Err(ApiError::Internal(anyhow::anyhow!("checked person lost"))),
    };
    if other == from {
        return Err(ApiError::field(phongdich_domain::FieldError::new(
            if form.person_id.is_some() {
                "person_id"
            } else {
                "person"
            },
            "contact_with_self",
            "Một người không thể là tiếp xúc của chính mình",
            "A person cannot be their own contact",
        )));
    }
    let close = contact.close;
    let contact_id = state
        .store()
        .add_contact(
            &NewContact {
                a: from,
                b: other,
                contact,
                reference: None,
                created_by: Some(actor.staff_id),
            },
            now,
        )
        .await?
        // Only contacts with a reference can meet one already stored; this one has none.
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("interview contact not stored")))?;
    Ok((
        StatusCode::CREATED,
        Json(ContactAdded {
            id: contact_id,
            person_id: other,
            close,
        }),
    ))
}

/// Gathers again the contacts other parts of the system know (new check-ins, new reports).
#[utoipa::path(post, path = "/cases/{id}/gather", tag = "tracing", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = GatheredView), Session, Malformed, NotFound))]
pub(crate) async fn gather(
    State(state): State<AppState>,
    staff: May<can::TraceCases>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<GatheredView>> {
    let actor = staff.actor();
    let now = state.now();
    let case = state.store().staff_case(actor, id, now).await?;
    let rules = &state.profile().tracing;
    let g = gather_contacts(state.store(), &case, rules, now).await?;
    let subject = format!(
        "case={id} venue_contacts={} proximity_contacts={}",
        g.venue, g.proximity
    );
    state
        .store()
        .record_audit(
            actor,
            &allowed("case.gather", subject, &case.unit_code),
            now,
        )
        .await?;
    Ok(Json(GatheredView {
        venue_contacts: g.venue,
        proximity_contacts: g.proximity,
    }))
}

/// What exports print instead of the name of someone who lives outside the reader's
/// jurisdiction.
pub(crate) const OUTSIDE_LABEL: &str = "(ngoài địa bàn / outside your jurisdiction)";

/// The chain as CSV (UTF-8 with BOM, so spreadsheet programs show Vietnamese correctly).
#[utoipa::path(get, path = "/cases/{id}/chain.csv", tag = "tracing", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, content_type = "text/csv", body = String), Session, Malformed, NotFound))]
pub(crate) async fn chain_csv(
    State(state): State<AppState>,
    staff: May<can::TraceCases>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Response> {
    let actor = staff.actor();
    let d = detail(&state, actor, id, "case.chain_csv.person").await?;
    let rows: Vec<Vec<String>> = d
        .chain
        .iter()
        .map(|m| {
            vec![
                format!("F{}", m.level),
                m.full_name
                    .clone()
                    .unwrap_or_else(|| OUTSIDE_LABEL.to_owned()),
                m.phone.clone().unwrap_or_default(),
                m.unit_code.clone(),
                m.via.to_string(),
                m.exposed_at.clone(),
                m.sources.join("+"),
                m.minutes.to_string(),
                m.confidence.clone(),
                m.evidence.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let body = crate::exports::table_csv(
        &[
            "Cấp / Level",
            "Họ và tên / Name",
            "Điện thoại / Phone",
            "Địa bàn / Unit",
            "Tiếp xúc với / Via",
            "Thời điểm / At",
            "Nguồn / Source",
            "Phút / Minutes",
            "Độ tin cậy / Confidence",
            "Bằng chứng / Evidence",
        ],
        &rows,
    )?;
    Ok(crate::exports::download(
        body,
        "text/csv; charset=utf-8",
        &format!("case-{id}-chain.csv"),
    ))
}
