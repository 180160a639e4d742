//! Zoning: health officials draw lockdown zones, quarantine areas and checkpoints for their
//! jurisdiction and end them early; anyone lists the active zones (the public map shows them)
//! and asks whether a point is in one. Zones hold no personal data, so reads are not audited.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use phongdich_domain::zones::{parse_instant, parse_point, GeoJson, ZoneForm, ZoneIndex, ZoneKind};
use phongdich_domain::{Invalid, Message};
use phongdich_store::{StoreError, StoredZone, ZoneFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{can, May};
use crate::error::{ApiError, ApiResult};
use crate::input::{ApiJson, ApiPath, ApiQuery};
use crate::openapi::answers::{Conflict, JsonBody, Malformed, NotFound, Session, Unprocessable};
use crate::routes::views::{UnitView, UnitViews};
use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

/// This module's routes and their part of the OpenAPI document (paths under `/api/v1`).
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        // A drawn outline of up to 5,000 positions is larger than an ordinary request.
        .routes(routes!(create, list).layer(DefaultBodyLimit::max(512 * 1024)))
        .routes(routes!(lookup))
        .routes(routes!(open))
        .routes(routes!(end))
}

/// How far from a point a lookup reports checkpoints.
const CHECKPOINT_RADIUS_METRES: f64 = 1_000.0;

/// A zone as the API shows it.
#[derive(Serialize, ToSchema)]
pub(crate) struct ZoneView {
    id: i64,
    /// `lockdown`, `quarantine_area` or `checkpoint`.
    kind: &'static str,
    kind_vi: &'static str,
    kind_en: &'static str,
    name: String,
    unit_code: String,
    unit: Option<UnitView>,
    /// GeoJSON, longitude first.
    geometry: GeoJson,
    /// `[min_lon, min_lat, max_lon, max_lat]`.
    bbox: [f64; 4],
    valid_from: String,
    /// Absent: until further notice.
    valid_until: Option<String>,
    /// True when the zone applies now.
    active: bool,
    note: Option<String>,
    /// Set when an official ended the zone before its planned end.
    ended_at: Option<String>,
    created_at: String,
}

async fn zone_view(
    state: &AppState,
    stored: StoredZone,
    units: &mut UnitViews,
) -> ApiResult<ZoneView> {
    let zone = &stored.zone;
    let (kind_vi, kind_en) = zone.kind.label();
    let b = zone.geometry.bounding_box();
    Ok(ZoneView {
        id: stored.id,
        kind: zone.kind.as_str(),
        kind_vi,
        kind_en,
        unit: units.by_code(state, Some(&zone.unit_code)).await?,
        geometry: zone.geometry.to_geojson(),
        bbox: [b.min().x, b.min().y, b.max().x, b.max().y],
        valid_from: zone.valid_from.to_string(),
        valid_until: zone.valid_until.map(|t| t.to_string()),
        active: zone.is_active(state.now()),
        ended_at: stored.ended_at.map(|t| t.to_string()),
        created_at: stored.created_at.to_string(),
        name: stored.zone.name,
        unit_code: stored.zone.unit_code,
        note: stored.zone.note,
    })
}

async fn find_zone(state: &AppState, id: i64) -> ApiResult<StoredZone> {
    state.store().zone(id).await?.ok_or(ApiError::NotFound)
}

/// An official draws a zone for a unit of their jurisdiction.
#[utoipa::path(post, path = "/zones", operation_id = "zones_create", tag = "zones", security(("bearer" = [])),
    request_body = ZoneForm,
    responses((status = 201, body = ZoneView), Session, JsonBody))]
pub(crate) async fn create(
    State(state): State<AppState>,
    staff: May<can::ManageZones>,
    ApiJson(form): ApiJson<ZoneForm>,
) -> ApiResult<(StatusCode, Json<ZoneView>)> {
    let actor = staff.actor();
    let zone = form.parse()?;
    let unit = state.store().existing_unit(&zone.unit_code).await?;
    staff.scope(&state, &unit, "zone.create").await?;
    let stored = state
        .store()
        .create_zone(&zone, actor.staff_id, state.now())
        .await?;
    tracing::info!(zone = stored.id, kind = zone.kind.as_str(), "zone drawn");
    state.map_changed(crate::map::ZONE_LAYERS);
    let view = zone_view(&state, stored, &mut UnitViews::default()).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListQuery {
    /// RFC 3339; the zones active at this time (default: now).
    #[param(format = DateTime)]
    at: Option<String>,
    /// Only zones of this unit and the units below it.
    unit: Option<String>,
    /// `lockdown`, `quarantine_area` or `checkpoint`.
    #[param(inline, value_type = Option<ZoneKind>)]
    kind: Option<String>,
}

fn at_or_now(state: &AppState, at: Option<&str>) -> Result<jiff::Timestamp, Invalid> {
    match at {
        Some(s) => parse_instant("at", s).map_err(Invalid::one),
        None => Ok(state.now()),
    }
}

/// The zones active at a time, for the map (public: zones hold no personal data).
#[utoipa::path(get, path = "/zones", operation_id = "zones_list", tag = "zones", params(ListQuery),
    responses((status = 200, body = [ZoneView]), Malformed, Unprocessable))]
pub(crate) async fn list(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<ZoneView>>> {
    let at = at_or_now(&state, query.at.as_deref())?;
    let kind = query
        .kind
        .as_deref()
        .map(|k| ZoneKind::parse("kind", k))
        .transpose()
        .map_err(ApiError::field)?;
    let unit = match query
        .unit
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(code) => Some(crate::routes::units::unit_named(&state, "unit", code).await?),
        None => None,
    };
    let filter = ZoneFilter {
        under_path: unit.as_ref().map(|u| u.path.as_str()),
        kind,
        ..ZoneFilter::default()
    };
    let zones = state.store().zones_active_at(at, &filter).await?;
    let mut units = UnitViews::default();
    let mut out = Vec::with_capacity(zones.len());
    for z in zones {
        out.push(zone_view(&state, z, &mut units).await?);
    }
    Ok(Json(out))
}

/// One zone, active or not.
#[utoipa::path(get, path = "/zones/{id}", operation_id = "zones_open", tag = "zones", params(("id" = i64, Path)),
    responses((status = 200, body = ZoneView), Malformed, NotFound))]
pub(crate) async fn open(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ZoneView>> {
    let zone = find_zone(&state, id).await?;
    Ok(Json(
        zone_view(&state, zone, &mut UnitViews::default()).await?,
    ))
}

/// An official of the zone's jurisdiction ends it now.
#[utoipa::path(post, path = "/zones/{id}/end", tag = "zones", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = ZoneView), Session, Malformed, NotFound, Conflict))]
pub(crate) async fn end(
    State(state): State<AppState>,
    staff: May<can::ManageZones>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ZoneView>> {
    let actor = staff.actor();
    let zone = find_zone(&state, id).await?;
    let unit = state.store().existing_unit(&zone.zone.unit_code).await?;
    staff.scope(&state, &unit, "zone.end").await?;
    let ended = state
        .store()
        .end_zone(id, actor.staff_id, state.now())
        .await
        .map_err(|e| match e {
            StoreError::Conflict("zone_already_ended") => ApiError::Conflict {
                code: "zone_already_ended",
                message: Message::new("Vùng này đã hết hiệu lực", "This zone has already ended"),
            },
            other => other.into(),
        })?;
    tracing::info!(zone = id, "zone ended early");
    state.map_changed(crate::map::ZONE_LAYERS);
    Ok(Json(
        zone_view(&state, ended, &mut UnitViews::default()).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct LookupQuery {
    /// WGS 84 latitude, e.g. 22.54 (read as text, so a wrong one is named as a field error).
    #[param(required = true, value_type = f64, minimum = -90.0, maximum = 90.0)]
    lat: Option<String>,
    /// WGS 84 longitude, e.g. 104.29.
    #[param(required = true, value_type = f64, minimum = -180.0, maximum = 180.0)]
    lon: Option<String>,
    /// RFC 3339 (default: now).
    #[param(format = DateTime)]
    at: Option<String>,
}

/// A zone that contains the point.
#[derive(Serialize, ToSchema)]
pub(crate) struct ZoneHit {
    id: i64,
    kind: &'static str,
    name: String,
    valid_until: Option<String>,
}

/// A checkpoint near the point.
#[derive(Serialize, ToSchema)]
pub(crate) struct CheckpointHit {
    id: i64,
    name: String,
    lat: f64,
    lon: f64,
    /// Great-circle distance from the point, in metres.
    distance_m: f64,
    valid_until: Option<String>,
}

/// The answer to "is this point in a zone".
#[derive(Serialize, ToSchema)]
pub(crate) struct LookupView {
    /// True when an active lockdown zone or quarantine area contains the point (its edge
    /// included).
    in_zone: bool,
    zones: Vec<ZoneHit>,
    /// Active checkpoints within 1 km, nearest first.
    checkpoints_nearby: Vec<CheckpointHit>,
}

/// Is this point in an active zone (now or at a given time), and which checkpoints are near?
#[utoipa::path(get, path = "/zones/lookup", tag = "zones", params(LookupQuery),
    responses((status = 200, body = LookupView), Malformed, Unprocessable))]
pub(crate) async fn lookup(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<LookupQuery>,
) -> ApiResult<Json<LookupView>> {
    let point = parse_point(query.lat.as_deref(), query.lon.as_deref());
    let at = at_or_now(&state, query.at.as_deref());
    let (point, at) = match (point, at) {
        (Ok(p), Ok(at)) => (p, at),
        (p, at) => {
            let errors = [p.err(), at.err()].into_iter().flatten();
            return Err(Invalid(errors.flat_map(|e| e.0).collect()).into());
        }
    };
    // The zones whose boxes come within the checkpoint radius of the point, read per request;
    // a cached index refreshed when zones change can come later if lookups get busy.
    let dlat = CHECKPOINT_RADIUS_METRES / 110_000.0;
    let dlon = dlat / point.y().to_radians().cos().max(0.01);
    let filter = ZoneFilter {
        bbox: Some([
            point.x() - dlon,
            point.y() - dlat,
            point.x() + dlon,
            point.y() + dlat,
        ]),
        ..ZoneFilter::default()
    };
    let index = ZoneIndex::new(state.store().zones_active_at(at, &filter).await?);
    let zones: Vec<ZoneHit> = index
        .zones_at(point, at)
        .into_iter()
        .map(|z| ZoneHit {
            id: z.id,
            kind: z.zone.kind.as_str(),
            name: z.zone.name.clone(),
            valid_until: z.zone.valid_until.map(|t| t.to_string()),
        })
        .collect();
    let checkpoints_nearby = index
        .checkpoints_near(point, CHECKPOINT_RADIUS_METRES, at)
        .into_iter()
        .map(|(z, distance)| {
            let b = z.zone.geometry.bounding_box();
            CheckpointHit {
                id: z.id,
                name: z.zone.name.clone(),
                lat: b.min().y,
                lon: b.min().x,
                distance_m: distance.round(),
                valid_until: z.zone.valid_until.map(|t| t.to_string()),
            }
        })
        .collect();
    Ok(Json(LookupView {
        in_zone: !zones.is_empty(),
        zones,
        checkpoints_nearby,
    }))
}
