//! Units that campaigns count (agencies, schools, companies, communes) with their head counts:
//! officials add them one by one or import a CSV list, staff list those of their jurisdiction,
//! and citizens give their unit's code so that signing up is measured.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use phongdich_domain::campaigns::{OrgUnit, OrgUnitForm};
use phongdich_domain::{FieldError, Invalid};
use phongdich_store::{StoreError, StoredOrgUnit};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{can, May};
use crate::auth::{CitizenUser, StaffUser};
use crate::csv_upload::{csv_text, records};
use crate::error::{ApiError, ApiResult};
use crate::input::ApiJson;
use crate::openapi::answers::{Conflict, JsonBody, Malformed, Session, Unprocessable, Upload};
use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

/// This module's routes and their part of the OpenAPI document (paths under `/api/v1`).
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(save_unit, list_units))
        .routes(routes!(import_units).layer(DefaultBodyLimit::max(4 * 1024 * 1024)))
        .routes(routes!(set_my_unit))
}

/// Roles that report counts.
/// Most rows of one CSV import.
const MAX_IMPORT_ROWS: usize = 5_000;

/// A unit as the API shows it.
#[derive(Serialize, ToSchema)]
pub(crate) struct OrgUnitView {
    code: String,
    name: String,
    kind: &'static str,
    kind_vi: String,
    kind_en: String,
    unit_code: String,
    parent_code: Option<String>,
    reporter_phone: Option<String>,
    staff: u64,
    staff_smartphone: u64,
    residents: u64,
    smartphone_users: u64,
    venues: u64,
}

fn org_view(o: StoredOrgUnit) -> OrgUnitView {
    let u = o.unit;
    let label = u.kind.label();
    OrgUnitView {
        kind: u.kind.as_str(),
        kind_vi: label.vi,
        kind_en: label.en,
        reporter_phone: u.reporter_phone.map(|p| p.as_str().to_owned()),
        staff: u.heads.staff,
        staff_smartphone: u.heads.staff_smartphone,
        residents: u.heads.residents,
        smartphone_users: u.heads.smartphone_users,
        venues: u.heads.venues,
        code: u.code,
        name: u.name,
        unit_code: u.unit_code,
        parent_code: u.parent_code,
    }
}

/// Checks that every unit's administrative unit is in the actor's jurisdiction (errors named by
/// `field(i)`), then stores them all or nothing.
async fn save_units(
    state: &AppState,
    staff: &StaffUser,
    units: Vec<(String, OrgUnit)>,
) -> ApiResult<usize> {
    let mut errors = Vec::new();
    for (prefix, u) in &units {
        match state.store().unit(&u.unit_code).await? {
            Some(unit) if staff.actor.covers(&unit.path) => {}
            Some(_) => errors.push(FieldError::new(
                format!("{prefix}unit_code"),
                "out_of_jurisdiction",
                "Đơn vị nằm ngoài địa bàn bạn phụ trách",
                "The unit is outside your jurisdiction",
            )),
            None => errors.push(phongdich_domain::units::unknown_unit(
                &format!("{prefix}unit_code"),
                &u.unit_code,
            )),
        }
        if let Some(existing) = state.store().org_unit(&u.code).await? {
            if !staff.actor.covers(&existing.unit_path) {
                errors.push(FieldError::new(
                    format!("{prefix}code"),
                    "org_code_taken",
                    "Mã đơn vị đã được một địa bàn khác sử dụng",
                    "This unit code is used by another jurisdiction",
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(Invalid(errors).into());
    }
    let list: Vec<OrgUnit> = units.into_iter().map(|(_, u)| u).collect();
    state
        .store()
        .save_org_units(&list, state.now())
        .await
        .map_err(|e| match e {
            StoreError::Conflict(code) => ApiError::field(FieldError::new(
                "parent_code",
                code,
                "Không có đơn vị cấp trên với mã này",
                "No parent unit has this code",
            )),
            other => other.into(),
        })
}

/// An official adds or updates a unit with its head counts.
#[utoipa::path(post, path = "/org-units", tag = "campaigns", security(("bearer" = [])),
    request_body = OrgUnitForm,
    responses((status = 201, body = OrgUnitView), Session, JsonBody, Conflict))]
pub(crate) async fn save_unit(
    State(state): State<AppState>,
    staff: May<can::OrganiseCampaigns>,
    ApiJson(form): ApiJson<OrgUnitForm>,
) -> ApiResult<(StatusCode, Json<OrgUnitView>)> {
    let unit = form.parse()?;
    let code = unit.code.clone();
    save_units(&state, &staff, vec![(String::new(), unit)]).await?;
    let stored = state
        .store()
        .org_unit(&code)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, Json(org_view(stored))))
}

/// The CSV columns of an import (a header row first).
const CSV_COLUMNS: [&str; 11] = [
    "code",
    "name",
    "kind",
    "unit_code",
    "parent_code",
    "reporter_phone",
    "staff",
    "staff_smartphone",
    "residents",
    "smartphone_users",
    "venues",
];

fn parse_csv(text: &str) -> ApiResult<Vec<(usize, OrgUnitForm)>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (line, record) in records(text, &CSV_COLUMNS, MAX_IMPORT_ROWS)? {
        let get = |j: usize| record.get(j).unwrap_or("").trim().to_owned();
        let mut number = |j: usize| -> i64 {
            let s = get(j);
            if s.is_empty() {
                return 0;
            }
            s.parse().unwrap_or_else(|_| {
                errors.push(FieldError::new(
                    format!("line {line}: {}", CSV_COLUMNS[j]),
                    "number_invalid",
                    "Phải là một số nguyên",
                    "Must be a whole number",
                ));
                0
            })
        };
        let counts = [number(6), number(7), number(8), number(9), number(10)];
        let optional = |s: String| Some(s).filter(|s| !s.is_empty());
        out.push((
            line,
            OrgUnitForm {
                code: get(0),
                name: get(1),
                kind: get(2),
                unit_code: get(3),
                parent_code: optional(get(4)),
                reporter_phone: optional(get(5)),
                staff: counts[0],
                staff_smartphone: counts[1],
                residents: counts[2],
                smartphone_users: counts[3],
                venues: counts[4],
            },
        ));
    }
    if !errors.is_empty() {
        return Err(Invalid(errors).into());
    }
    Ok(out)
}

/// The answer to an import.
#[derive(Serialize, ToSchema)]
pub(crate) struct ImportedUnits {
    imported: usize,
}

/// An official imports units from CSV (`code,name,kind,unit_code,parent_code,reporter_phone,
/// staff,staff_smartphone,residents,smartphone_users,venues`): every problem is named with its
/// line and nothing is stored unless every row is good; a code already present is updated.
#[utoipa::path(post, path = "/org-units/import", tag = "campaigns", security(("bearer" = [])),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = ImportedUnits), Session, Upload, Malformed, Conflict, Unprocessable))]
pub(crate) async fn import_units(
    State(state): State<AppState>,
    staff: May<can::OrganiseCampaigns>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<ImportedUnits>)> {
    let forms = parse_csv(csv_text(&headers, &body)?)?;
    let mut errors = Vec::new();
    let mut units = Vec::new();
    for (line, form) in forms {
        match form.parse() {
            Ok(u) => units.push((format!("line {line}: "), u)),
            Err(Invalid(e)) => errors.extend(e.into_iter().map(|mut e| {
                e.field = format!("line {line}: {}", e.field);
                e
            })),
        }
    }
    if !errors.is_empty() {
        return Err(Invalid(errors).into());
    }
    let imported = save_units(&state, &staff, units).await?;
    Ok((StatusCode::CREATED, Json(ImportedUnits { imported })))
}

/// The units in the signed-in staff member's jurisdiction.
#[utoipa::path(get, path = "/org-units", operation_id = "org_units_list_units", tag = "campaigns", security(("bearer" = [])),
    responses((status = 200, body = [OrgUnitView]), Session))]
pub(crate) async fn list_units(
    State(state): State<AppState>,
    staff: May<can::ReportCampaigns>,
) -> ApiResult<Json<Vec<OrgUnitView>>> {
    let actor = staff.actor();
    let units = state.store().org_units_under(&actor.unit.path).await?;
    Ok(Json(units.into_iter().map(org_view).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MyUnitForm {
    /// The unit code from one's office, school or commune; empty to unlink.
    code: String,
}

/// A citizen gives the code of their unit (so the campaign counts them as measured).
#[utoipa::path(put, path = "/me/org-unit", tag = "campaigns", security(("bearer" = [])),
    request_body = MyUnitForm,
    responses((status = 200, body = MyUnit), Session, JsonBody))]
pub(crate) async fn set_my_unit(
    State(state): State<AppState>,
    user: CitizenUser,
    ApiJson(form): ApiJson<MyUnitForm>,
) -> ApiResult<Json<MyUnit>> {
    let code = form.code.trim();
    let org = if code.is_empty() {
        None
    } else {
        Some(state.store().org_unit(code).await?.ok_or_else(|| {
            ApiError::field(FieldError::new(
                "code",
                "org_unit_unknown",
                "Không có đơn vị với mã này; hãy hỏi lại cơ quan của bạn",
                "No unit has this code; ask your office again",
            ))
        })?)
    };
    state
        .store()
        .set_citizen_org_unit(user.citizen_id, org.as_ref().map(|o| o.id))
        .await?;
    Ok(Json(MyUnit {
        code: org.as_ref().map(|o| o.unit.code.clone()),
        name: org.map(|o| o.unit.name),
    }))
}

/// The citizen's unit now (both null once unlinked).
#[derive(Serialize, ToSchema)]
pub(crate) struct MyUnit {
    code: Option<String>,
    name: Option<String>,
}
