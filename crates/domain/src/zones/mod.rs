//! Zoning: lockdown zones and quarantine areas (polygons) and checkpoints (points) that health
//! officials draw, each valid for a period, and the question "is this point in an active zone".
//!
//! The form (`form`) arrives as GeoJSON-like geometry and is checked once into a [`Zone`]: rings
//! closed, enough positions, no self-intersection (`rings`), inside Vietnam, the geometry fitting
//! the kind, the period in order. [`ZoneIndex`] (`index`) answers point lookups over many zones
//! with R-trees of their bounding boxes. Coordinates are WGS 84 with longitude first, as in
//! GeoJSON: a [`geo::Point`]'s `x` is the longitude and `y` the latitude.

mod form;
mod index;
mod rings;

use geo::{BoundingRect, Point, Polygon, Rect};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{FieldError, Invalid};

pub use form::{parse_instant, parse_point, Coordinates, GeometryForm, ZoneForm};
pub use index::ZoneIndex;

/// Most positions one zone's rings may hold together (a commune's outline drawn by hand has a
/// few hundred; the bound keeps the checks and the lookups cheap).
pub const MAX_VERTICES: usize = 5_000;
/// Most holes (rings cut out of the zone, such as a hospital inside a lockdown area).
pub const MAX_HOLES: usize = 20;
/// Longest zone name.
pub const MAX_NAME_CHARS: usize = 120;
/// Longest note (shown publicly with the zone on the map).
pub const MAX_NOTE_CHARS: usize = 500;

/// What a zone is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ZoneKind {
    /// Phong tỏa: nobody goes in or out.
    Lockdown,
    /// Khu cách ly: an area where people are quarantined.
    QuarantineArea,
    /// Chốt kiểm soát: a checkpoint on a road, a point rather than an area.
    Checkpoint,
}

impl ZoneKind {
    pub const ALL: [ZoneKind; 3] = [
        ZoneKind::Lockdown,
        ZoneKind::QuarantineArea,
        ZoneKind::Checkpoint,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ZoneKind::Lockdown => "lockdown",
            ZoneKind::QuarantineArea => "quarantine_area",
            ZoneKind::Checkpoint => "checkpoint",
        }
    }

    /// The kind with this wire name, or a `choice_unknown` error for `field`.
    pub fn parse(field: &str, s: &str) -> Result<Self, FieldError> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                FieldError::new(
                    field,
                    "choice_unknown",
                    "Loại vùng phải là lockdown, quarantine_area hoặc checkpoint",
                    "The kind must be lockdown, quarantine_area or checkpoint",
                )
            })
    }

    /// The name in Vietnamese and English.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            ZoneKind::Lockdown => ("Vùng phong tỏa", "Lockdown zone"),
            ZoneKind::QuarantineArea => ("Khu cách ly", "Quarantine area"),
            ZoneKind::Checkpoint => ("Chốt kiểm soát", "Checkpoint"),
        }
    }

    /// Checkpoints are points; the other kinds are areas.
    pub fn is_area(self) -> bool {
        self != ZoneKind::Checkpoint
    }
}

/// The shape of a zone, already checked.
#[derive(Debug, Clone, PartialEq)]
pub enum ZoneGeometry {
    /// A simple polygon (its exterior ring first, then any holes).
    Polygon(Polygon<f64>),
    /// A checkpoint's position.
    Point(Point<f64>),
}

/// The GeoJSON form of a geometry, as the API shows it and the store keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type")]
pub enum GeoJson {
    /// Rings of `[longitude, latitude]` positions, each closed; the first is the exterior.
    Polygon { coordinates: Vec<Vec<[f64; 2]>> },
    /// `[longitude, latitude]`.
    Point { coordinates: [f64; 2] },
}

impl ZoneGeometry {
    /// The smallest longitude/latitude rectangle around the geometry (a point's is the point).
    pub fn bounding_box(&self) -> Rect<f64> {
        match self {
            ZoneGeometry::Point(p) => Rect::new(p.0, p.0),
            // A checked polygon has positions, so it has a bounding rectangle.
            ZoneGeometry::Polygon(poly) => poly
                .bounding_rect()
                .unwrap_or_else(|| Rect::new((0.0, 0.0), (0.0, 0.0))),
        }
    }

    pub fn to_geojson(&self) -> GeoJson {
        let ring = |r: &geo::LineString<f64>| r.coords().map(|c| [c.x, c.y]).collect();
        match self {
            ZoneGeometry::Point(p) => GeoJson::Point {
                coordinates: [p.x(), p.y()],
            },
            ZoneGeometry::Polygon(poly) => GeoJson::Polygon {
                coordinates: std::iter::once(poly.exterior())
                    .chain(poly.interiors())
                    .map(ring)
                    .collect(),
            },
        }
    }

    /// The GeoJSON text the store keeps.
    pub fn to_geojson_text(&self) -> String {
        // Serialising plain numbers and strings cannot fail.
        serde_json::to_string(&self.to_geojson()).unwrap_or_default()
    }

    /// Reads text written by [`ZoneGeometry::to_geojson_text`] back, checking it again: a
    /// stored geometry is trusted no more than a submitted one.
    pub fn from_geojson_text(text: &str) -> Result<Self, Invalid> {
        let stored: GeoJson = serde_json::from_str(text).map_err(|e| {
            Invalid::one(FieldError::new(
                "geometry",
                "geometry_unreadable",
                format!("Không đọc được hình dạng: {e}"),
                format!("The geometry cannot be read: {e}"),
            ))
        })?;
        let form = match stored {
            GeoJson::Point { coordinates } => GeometryForm {
                kind: "Point".into(),
                coordinates: Coordinates::Point(coordinates.to_vec()),
            },
            GeoJson::Polygon { coordinates } => GeometryForm {
                kind: "Polygon".into(),
                coordinates: Coordinates::Polygon(
                    coordinates
                        .into_iter()
                        .map(|r| r.into_iter().map(|p| p.to_vec()).collect())
                        .collect(),
                ),
            },
        };
        form.parse("geometry").map_err(Invalid)
    }
}

/// A checked zone: what it is, where, and when it applies.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    pub kind: ZoneKind,
    pub name: String,
    /// The unit whose officials manage the zone (its jurisdiction decides who may end it).
    pub unit_code: String,
    pub geometry: ZoneGeometry,
    pub valid_from: Timestamp,
    /// `None`: until further notice.
    pub valid_until: Option<Timestamp>,
    pub note: Option<String>,
}

impl Zone {
    /// True when the zone applies at `at`: its period is `[valid_from, valid_until)`.
    pub fn is_active(&self, at: Timestamp) -> bool {
        self.valid_from <= at && self.valid_until.is_none_or(|until| at < until)
    }
}

impl AsRef<Zone> for Zone {
    fn as_ref(&self) -> &Zone {
        self
    }
}

#[cfg(test)]
mod tests;
