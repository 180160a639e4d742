//! Where a unit is on the map. The project ships the official list of units but no boundaries,
//! so a commune is placed at the mean position of the located things in it (facilities, venues
//! with coordinates, zones); a commune with none has no point and the page lists it beside the
//! map instead of drawing it somewhere made up.

use std::collections::HashMap;

use jiff::Timestamp;
use phongdich_store::{FacilityFilter, ZoneFilter};

use crate::error::ApiResult;
use crate::state::AppState;

/// Most venues read to place units.
const MAX_VENUES_READ: u32 = 100_000;

/// `(lat, lon)` of each unit code at or below `path` that has something located in it.
pub(crate) async fn unit_points(
    state: &AppState,
    path: &str,
    at: Timestamp,
) -> ApiResult<HashMap<String, (f64, f64)>> {
    let mut sums: HashMap<String, (f64, f64, u32)> = HashMap::new();
    let mut add = |code: &str, lat: f64, lon: f64| {
        let e = sums.entry(code.to_owned()).or_default();
        e.0 += lat;
        e.1 += lon;
        e.2 += 1;
    };
    let filter = FacilityFilter {
        under_path: Some(path),
        ..FacilityFilter::default()
    };
    for f in state.store().facilities(&filter).await? {
        add(&f.unit_code, f.lat, f.lon);
    }
    for v in state
        .store()
        .venues_under(path, None, MAX_VENUES_READ)
        .await?
    {
        if let Some((lat, lon)) = v.position {
            add(&v.unit_code, lat, lon);
        }
    }
    let zones = ZoneFilter {
        under_path: Some(path),
        ..ZoneFilter::default()
    };
    for z in state.store().zones_active_at(at, &zones).await? {
        let b = z.zone.geometry.bounding_box();
        add(
            &z.zone.unit_code,
            (b.min().y + b.max().y) / 2.0,
            (b.min().x + b.max().x) / 2.0,
        );
    }
    Ok(sums
        .into_iter()
        .map(|(code, (lat, lon, n))| (code, (lat / f64::from(n), lon / f64::from(n))))
        .collect())
}
