//! The public epidemic map: the list of layers (SPEC §10), each layer as GeoJSON with an ETag,
//! the live change events, the area levels as a table, the base-map settings, and officials
//! entering a unit's population.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::Response;
use axum::Json;
use futures::stream::Stream;
use phongdich_domain::units::{Unit, ROOT_CODE};
use phongdich_domain::zones::parse_instant;
use phongdich_domain::{FieldError, Invalid};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast::error::RecvError;
use utoipa::{IntoParams, ToSchema};

use crate::auth::{can, May};
use crate::error::{ApiError, ApiResult};
use crate::input::{ApiJson, ApiPath, ApiQuery};
use crate::map::area_levels::{self, AreaLevels};
use crate::map::layers::{self, MapQuery};
use crate::map::Layer;
use crate::openapi::answers::{
    Busy, JsonBody, Malformed, NotFound, Session, TooMany, Unprocessable,
};
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// This module's routes and their part of the OpenAPI document (paths under `/api/v1`).
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_layers))
        .routes(routes!(layer))
        .routes(routes!(events))
        .routes(routes!(area_levels))
        .routes(routes!(map_config))
        .routes(routes!(set_population))
}

/// A commune or a whole country, with room to spare.
const MAX_POPULATION: i64 = 200_000_000;

/// A colour of a layer's legend.
#[derive(Serialize, ToSchema)]
pub(crate) struct LegendEntry {
    colour: &'static str,
    vi: String,
    en: String,
}

/// One map layer.
#[derive(Serialize, ToSchema)]
pub(crate) struct LayerView {
    id: &'static str,
    name_vi: String,
    name_en: String,
    /// The layer's GeoJSON, relative to the server.
    url: String,
    legend: Vec<LegendEntry>,
}

/// The layers of the map, each with its GeoJSON address and legend.
#[utoipa::path(get, path = "/map/layers", tag = "map",
    responses((status = 200, body = [LayerView])))]
pub(crate) async fn list_layers() -> Json<Vec<LayerView>> {
    Json(
        Layer::ALL
            .into_iter()
            .map(|l| {
                let name = l.name();
                LayerView {
                    id: l.id(),
                    name_vi: name.vi,
                    name_en: name.en,
                    url: format!("/api/v1/map/layers/{}.geojson", l.id()),
                    legend: l
                        .legend()
                        .into_iter()
                        .map(|(colour, m)| LegendEntry {
                            colour,
                            vi: m.vi,
                            en: m.en,
                        })
                        .collect(),
                }
            })
            .collect(),
    )
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct LayerQuery {
    /// Only this unit and the units below it.
    unit: Option<String>,
    /// `min_lon,min_lat,max_lon,max_lat` in degrees (each minimum at most its maximum).
    #[param(
        pattern = r"^\s*-?(180(\.0+)?|(1[0-7][0-9]|[0-9]{1,2})(\.[0-9]+)?)\s*,\s*-?(90(\.0+)?|[0-8]?[0-9](\.[0-9]+)?)\s*,\s*-?(180(\.0+)?|(1[0-7][0-9]|[0-9]{1,2})(\.[0-9]+)?)\s*,\s*-?(90(\.0+)?|[0-8]?[0-9](\.[0-9]+)?)\s*$"
    )]
    bbox: Option<String>,
    /// RFC 3339; the map at this time (default: now).
    #[param(format = DateTime)]
    at: Option<String>,
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Parses `min_lon,min_lat,max_lon,max_lat`.
fn parse_bbox(text: &str) -> Result<[f64; 4], FieldError> {
    let bad = |vi: &str, en: &str| FieldError::new("bbox", "bbox_invalid", vi, en);
    let numbers: Vec<f64> = text
        .split(',')
        .map(|n| n.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| {
            bad(
                "Khung bản đồ phải là 4 số: kinh độ nhỏ nhất, vĩ độ nhỏ nhất, kinh độ lớn nhất, vĩ độ lớn nhất",
                "bbox must be 4 numbers: min_lon,min_lat,max_lon,max_lat",
            )
        })?;
    let [min_lon, min_lat, max_lon, max_lat] = numbers[..] else {
        return Err(bad(
            "Khung bản đồ phải có đúng 4 số",
            "bbox must have exactly 4 numbers",
        ));
    };
    let lon_ok = |x: f64| x.is_finite() && (-180.0..=180.0).contains(&x);
    let lat_ok = |y: f64| y.is_finite() && (-90.0..=90.0).contains(&y);
    if !(lon_ok(min_lon) && lon_ok(max_lon) && lat_ok(min_lat) && lat_ok(max_lat)) {
        return Err(bad(
            "Kinh độ phải trong −180..180 và vĩ độ trong −90..90",
            "Longitudes must be within −180..180 and latitudes within −90..90",
        ));
    }
    if min_lon > max_lon || min_lat > max_lat {
        return Err(FieldError::new(
            "bbox",
            "bbox_inverted",
            "Giá trị nhỏ nhất lớn hơn giá trị lớn nhất",
            "A minimum is larger than its maximum",
        ));
    }
    Ok([min_lon, min_lat, max_lon, max_lat])
}

/// The unit named by `field`, or the whole country.
async fn area(state: &AppState, field: &'static str, code: Option<&str>) -> ApiResult<Unit> {
    crate::routes::units::unit_named(state, field, code.unwrap_or(ROOT_CODE)).await
}

async fn map_query(state: &AppState, q: &LayerQuery) -> ApiResult<MapQuery> {
    let mut errors = Vec::new();
    let bbox = match non_empty(&q.bbox).map(parse_bbox) {
        Some(Ok(b)) => Some(b),
        Some(Err(e)) => {
            errors.push(e);
            None
        }
        None => None,
    };
    let at = match q.at.as_deref().map(|s| parse_instant("at", s)) {
        Some(Ok(t)) => t,
        Some(Err(e)) => {
            errors.push(e);
            state.now()
        }
        None => state.now(),
    };
    let area = area(state, "unit", non_empty(&q.unit)).await;
    match area {
        Ok(area) if errors.is_empty() => Ok(MapQuery { area, bbox, at }),
        Ok(_) => Err(Invalid(errors).into()),
        Err(ApiError::Invalid(Invalid(mut more))) => {
            more.extend(errors);
            Err(Invalid(more).into())
        }
        Err(other) => Err(other),
    }
}

/// One layer as a GeoJSON FeatureCollection; send the ETag back in `If-None-Match` to get 304
/// when it has not changed. Units without a known position have `geometry: null`.
#[utoipa::path(get, path = "/map/layers/{file}", tag = "map",
    params(("file" = String, Path, description = "`<layer id>.geojson`"), LayerQuery),
    responses((status = 200, content_type = "application/geo+json"), (status = 304), Malformed, NotFound, Unprocessable))]
pub(crate) async fn layer(
    State(state): State<AppState>,
    ApiPath(file): ApiPath<String>,
    ApiQuery(query): ApiQuery<LayerQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let layer = file
        .strip_suffix(".geojson")
        .and_then(Layer::parse)
        .ok_or(ApiError::NotFound)?;
    let query = map_query(&state, &query).await?;
    let body = layers::geojson(&state, layer, &query).await?;
    let bytes = serde_json::to_vec(&body).map_err(anyhow::Error::from)?;
    let etag = crate::etag::of(&bytes);
    Ok(crate::etag::respond(
        &headers,
        &etag,
        "application/geo+json",
        "public, max-age=0, must-revalidate",
        bytes,
    ))
}

/// Server-sent events: `event: layer`, `data: {"layer": "<id>"}` whenever a layer changes, and
/// `event: resync` when this listener missed events (refetch everything). Open streams are
/// capped per client address (429 `too_many_streams`) and in all (503 `streams_full`).
#[utoipa::path(get, path = "/map/events", tag = "map",
    responses((status = 200, content_type = "text/event-stream"), TooMany, Busy))]
pub(crate) async fn events(
    State(state): State<AppState>,
    client: crate::client_addr::ClientAddr,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    // The slot travels with the stream and is dropped with it, however the stream ends.
    let slot = state.inner.map_streams.open(client.ip)?;
    let (changes, closing) = state.inner.map_events.subscribe();
    let stream = futures::stream::unfold(
        (changes, closing, slot),
        |(mut rx, mut closing, slot)| async move {
            if *closing.borrow() {
                return None;
            }
            let event = tokio::select! {
                received = rx.recv() => match received {
                    Ok(layer) => Event::default()
                        .event("layer")
                        .data(serde_json::json!({"layer": layer.id()}).to_string()),
                    Err(RecvError::Lagged(_)) => Event::default().event("resync").data("{}"),
                    Err(RecvError::Closed) => return None,
                },
                // The server is stopping: end the stream so the graceful stop can finish.
                _ = closing.changed() => return None,
            };
            Some((Ok(event), (rx, closing, slot)))
        },
    );
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct LevelsQuery {
    /// The area (default: the whole country).
    unit: Option<String>,
    /// RFC 3339; the week ending on this day (default: now).
    #[param(format = DateTime)]
    at: Option<String>,
}

/// Epidemic levels 1–4 of the communes of an area and of the area itself.
#[utoipa::path(get, path = "/map/area-levels", tag = "map", params(LevelsQuery),
    responses((status = 200, body = AreaLevels), Malformed, Unprocessable))]
pub(crate) async fn area_levels(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<LevelsQuery>,
) -> ApiResult<Json<AreaLevels>> {
    let q = map_query(
        &state,
        &LayerQuery {
            unit: query.unit,
            bbox: None,
            at: query.at,
        },
    )
    .await?;
    Ok(Json(area_levels::compute(&state, &q.area, q.at).await?))
}

/// How the map page draws its base layer.
#[derive(Serialize, ToSchema)]
pub(crate) struct MapConfig {
    /// A tile URL template (`…/{z}/{x}/{y}.png`); absent: no tiles, a plain background (the
    /// map then works without internet).
    tile_url: Option<String>,
    attribution: Option<String>,
}

/// The base-map settings of this server.
#[utoipa::path(get, path = "/config/map", tag = "map",
    responses((status = 200, body = MapConfig)))]
pub(crate) async fn map_config(State(state): State<AppState>) -> Json<MapConfig> {
    let c = state.config();
    Json(MapConfig {
        tile_url: c.map_tile_url.clone(),
        attribution: c.map_attribution.clone(),
    })
}

/// A unit's population as entered.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PopulationForm {
    #[schema(minimum = 1, maximum = 200_000_000)]
    population: i64,
}

/// An official enters the population of a unit of their jurisdiction (for area levels).
#[utoipa::path(put, path = "/units/{code}/population", tag = "map",
    security(("bearer" = [])), params(("code" = String, Path)), request_body = PopulationForm,
    responses((status = 200, body = PopulationForm), Session, JsonBody, NotFound))]
pub(crate) async fn set_population(
    State(state): State<AppState>,
    staff: May<can::SetPopulation>,
    ApiPath(code): ApiPath<String>,
    ApiJson(form): ApiJson<PopulationForm>,
) -> ApiResult<Json<PopulationForm>> {
    let unit = area(&state, "code", Some(code.trim())).await?;
    staff.scope(&state, &unit, "unit.population").await?;
    if !(1..=MAX_POPULATION).contains(&form.population) {
        return Err(ApiError::field(FieldError::new(
            "population",
            "population_out_of_range",
            format!("Số dân phải từ 1 đến {MAX_POPULATION}"),
            format!("The population must be 1 to {MAX_POPULATION}"),
        )));
    }
    state
        .store()
        .set_population(&unit.code, form.population, state.now())
        .await?;
    state.map_changed(&[Layer::AreaLevels]);
    Ok(Json(form))
}
