//! Each layer as a GeoJSON FeatureCollection (RFC 7946: longitude first). Every feature's
//! properties carry `name`, `colour`, `label_vi` and `label_en`, so one legend and one popup
//! serve all layers; units without a known position have `geometry: null`.

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp, ToSpan};
use phongdich_domain::safety::{colour_for, FacilityType};
use phongdich_domain::time::vietnam_date;
use phongdich_domain::units::Unit;
use phongdich_domain::venues::RiskLevel;
use phongdich_domain::zones::ZoneKind;
use phongdich_store::{Exposure, FacilityFilter, ZoneFilter};
use serde_json::{json, Map, Value};

use super::{area_levels, places::unit_points, Layer};
use crate::error::ApiResult;
use crate::state::AppState;

/// Days of cases the `cases` layer counts.
const CASE_DAYS: i64 = 14;

/// What to draw: an area (a unit and everything below it), an optional box and a moment.
pub(crate) struct MapQuery {
    pub(crate) area: Unit,
    /// `[min_lon, min_lat, max_lon, max_lat]`.
    pub(crate) bbox: Option<[f64; 4]>,
    pub(crate) at: Timestamp,
}

impl MapQuery {
    fn shows(&self, lat: f64, lon: f64) -> bool {
        self.bbox
            .is_none_or(|b| lon >= b[0] && lat >= b[1] && lon <= b[2] && lat <= b[3])
    }
}

fn feature(geometry: Value, properties: Map<String, Value>) -> Value {
    json!({"type": "Feature", "geometry": geometry, "properties": properties})
}

fn point(lat: f64, lon: f64) -> Value {
    json!({"type": "Point", "coordinates": [lon, lat]})
}

fn props(name: &str, colour: &str, vi: &str, en: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("name".into(), name.into());
    m.insert("colour".into(), colour.into());
    m.insert("label_vi".into(), vi.into());
    m.insert("label_en".into(), en.into());
    m
}

/// The layer for `query` as a FeatureCollection.
pub(crate) async fn geojson(state: &AppState, layer: Layer, query: &MapQuery) -> ApiResult<Value> {
    let features = match layer {
        Layer::FacilitySafety => facilities(state, query, false).await?,
        Layer::MedicalFacilities => facilities(state, query, true).await?,
        Layer::QuarantineAreas => zones(state, query, ZoneKind::QuarantineArea, "purple").await?,
        Layer::Checkpoints => zones(state, query, ZoneKind::Checkpoint, "blue").await?,
        Layer::LockdownZones => zones(state, query, ZoneKind::Lockdown, "red").await?,
        Layer::RiskyVenues => risky_venues(state, query).await?,
        Layer::AreaLevels => levels(state, query).await?,
        Layer::Cases => cases(state, query).await?,
    };
    Ok(json!({"type": "FeatureCollection", "layer": layer.id(), "features": features}))
}

async fn facilities(state: &AppState, q: &MapQuery, medical: bool) -> ApiResult<Vec<Value>> {
    let filter = FacilityFilter {
        under_path: Some(&q.area.path),
        bbox: q.bbox,
        ..FacilityFilter::default()
    };
    let today = vietnam_date(q.at);
    let mut out = Vec::new();
    for f in state.store().facilities(&filter).await? {
        if (f.facility_type == FacilityType::Medical) != medical {
            continue;
        }
        let last = f
            .last_assessment
            .as_ref()
            .and_then(|(day, c)| day.parse::<Date>().ok().map(|d| (d, *c)));
        let colour = colour_for(last, today);
        let label = colour.label();
        let (type_vi, type_en) = f.facility_type.label();
        let mut p = props(&f.name, colour.as_str(), &label.vi, &label.en);
        p.insert("facility_id".into(), f.id.into());
        p.insert("facility_type".into(), f.facility_type.as_str().into());
        p.insert("type_vi".into(), type_vi.into());
        p.insert("type_en".into(), type_en.into());
        p.insert("unit_code".into(), f.unit_code.clone().into());
        p.insert("address".into(), f.address.clone().into());
        p.insert(
            "assessed_on".into(),
            last.map(|(d, _)| d.to_string()).into(),
        );
        p.insert("open_feedback".into(), f.open_feedback.into());
        out.push(feature(point(f.lat, f.lon), p));
    }
    Ok(out)
}

async fn zones(
    state: &AppState,
    q: &MapQuery,
    kind: ZoneKind,
    colour: &str,
) -> ApiResult<Vec<Value>> {
    let filter = ZoneFilter {
        under_path: Some(&q.area.path),
        kind: Some(kind),
        bbox: q.bbox,
        limit: None,
    };
    let (vi, en) = kind.label();
    let mut out = Vec::new();
    for z in state.store().zones_active_at(q.at, &filter).await? {
        let mut p = props(&z.zone.name, colour, vi, en);
        p.insert("zone_id".into(), z.id.into());
        p.insert("unit_code".into(), z.zone.unit_code.clone().into());
        p.insert(
            "valid_until".into(),
            z.zone.valid_until.map(|t| t.to_string()).into(),
        );
        p.insert("note".into(), z.zone.note.clone().into());
        let geometry = serde_json::to_value(z.zone.geometry.to_geojson()).unwrap_or(Value::Null);
        out.push(feature(geometry, p));
    }
    Ok(out)
}

/// Venues with an exposure window inside the check-in retention period that has started by
/// `at`, one feature per venue with its worst level and latest window.
async fn risky_venues(state: &AppState, q: &MapQuery) -> ApiResult<Vec<Value>> {
    let rules = &state.profile().checkin;
    let since = q.at - SignedDuration::from_hours(24 * rules.retention_days);
    let mut by_venue: BTreeMap<i64, Vec<Exposure>> = BTreeMap::new();
    for e in state.store().exposures_since(since).await? {
        if e.starts_at.0 <= q.at {
            by_venue.entry(e.venue_id).or_default().push(e);
        }
    }
    let mut out = Vec::new();
    for (venue_id, windows) in by_venue {
        let Some(venue) = state.store().venue(venue_id).await? else {
            continue;
        };
        let Some((lat, lon)) = venue.position else {
            continue;
        };
        if !phongdich_domain::jurisdiction::covers(&q.area.path, &venue.unit_path)
            || !q.shows(lat, lon)
        {
            continue;
        }
        let high = windows
            .iter()
            .any(|w| RiskLevel::parse(&w.level) == Some(RiskLevel::High));
        let (colour, vi, en) = if high {
            ("red", "Nguy cơ cao: có thể là F1", "High risk: possibly F1")
        } else {
            (
                "orange",
                "Nguy cơ thấp: theo dõi sức khỏe",
                "Low risk: watch your health",
            )
        };
        let latest = windows.iter().map(|w| w.ends_at.0).max();
        let mut p = props(&venue.name, colour, vi, en);
        p.insert("venue_code".into(), venue.code.clone().into());
        p.insert("unit_code".into(), venue.unit_code.clone().into());
        p.insert("windows".into(), windows.len().into());
        p.insert("latest_until".into(), latest.map(|t| t.to_string()).into());
        out.push(feature(point(lat, lon), p));
    }
    Ok(out)
}

fn unit_geometry(
    points: &std::collections::HashMap<String, (f64, f64)>,
    q: &MapQuery,
    code: &str,
) -> Option<Value> {
    match points.get(code) {
        Some(&(lat, lon)) if q.shows(lat, lon) => Some(point(lat, lon)),
        Some(_) => None,
        None => Some(Value::Null),
    }
}

async fn levels(state: &AppState, q: &MapQuery) -> ApiResult<Vec<Value>> {
    let levels = area_levels::compute(state, &q.area, q.at).await?;
    let points = unit_points(state, &q.area.path, q.at).await?;
    let mut out = Vec::new();
    for u in levels.units {
        let Some(geometry) = unit_geometry(&points, q, &u.code) else {
            continue;
        };
        let mut p = props(&u.name, u.colour, &u.label.vi, &u.label.en);
        p.insert("unit_code".into(), u.code.into());
        p.insert("level".into(), u.level.into());
        p.insert("count".into(), u.new_community_cases.into());
        p.insert("population".into(), u.population.into());
        p.insert("rate_per_100k".into(), u.rate_per_100k.into());
        out.push(feature(geometry, p));
    }
    Ok(out)
}

async fn cases(state: &AppState, q: &MapQuery) -> ApiResult<Vec<Value>> {
    let to = vietnam_date(q.at);
    let from = to.checked_sub((CASE_DAYS - 1).days()).unwrap_or(to);
    let counts = state
        .store()
        .cases_per_unit(&q.area.path, &from.to_string(), &to.to_string(), false)
        .await?;
    let points = unit_points(state, &q.area.path, q.at).await?;
    let mut out = Vec::new();
    for (code, count) in counts {
        let Some(geometry) = unit_geometry(&points, q, &code) else {
            continue;
        };
        let Some(unit) = state.store().unit(&code).await? else {
            continue;
        };
        let colour = match count {
            ..=4 => "yellow",
            5..=19 => "orange",
            _ => "red",
        };
        let mut p = props(
            &unit.name,
            colour,
            &format!("{count} ca trong {CASE_DAYS} ngày"),
            &format!("{count} cases in {CASE_DAYS} days"),
        );
        p.insert("unit_code".into(), code.into());
        p.insert("count".into(), count.into());
        out.push(feature(geometry, p));
    }
    Ok(out)
}
