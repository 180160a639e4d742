//! The zone form as officials submit it, and its checks into a [`Zone`].

use geo::{Coord, LineString, Point, Polygon, Validation};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::rings::{check_ring, RingProblem};
use super::{
    Zone, ZoneGeometry, ZoneKind, MAX_HOLES, MAX_NAME_CHARS, MAX_NOTE_CHARS, MAX_VERTICES,
};
use crate::units::parse_code;
use crate::validation::{required_text, Checker};
use crate::{FieldError, Invalid};

/// Vietnam with its islands (Trường Sa reaches 117° E), the same box the venue form uses: a
/// position outside is a typing mistake, most often longitude and latitude swapped.
const LAT_RANGE: std::ops::RangeInclusive<f64> = 6.0..=24.0;
const LON_RANGE: std::ops::RangeInclusive<f64> = 102.0..=118.0;

crate::schema::string_choices!(
    /// The GeoJSON geometry types a zone can have.
    pub(crate) GeometryType = ["Polygon", "Point"]
);

/// A zone as submitted.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ZoneForm {
    /// `lockdown`, `quarantine_area` or `checkpoint`.
    #[cfg_attr(feature = "openapi", schema(value_type = ZoneKind))]
    pub kind: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::RequiredText))]
    pub name: String,
    /// The commune, district or province whose officials manage the zone.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::units::UnitCodeText))]
    pub unit_code: String,
    /// A GeoJSON `Polygon` (lockdown zones, quarantine areas) or `Point` (checkpoints).
    pub geometry: GeometryForm,
    /// RFC 3339, e.g. `2021-07-20T00:00:00+07:00`.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub valid_from: String,
    /// RFC 3339; absent or null: until further notice.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub valid_until: Option<String>,
    /// Shown with the zone on the public map: never put personal data here.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::OptionalText>))]
    pub note: Option<String>,
}

/// A GeoJSON geometry as submitted: `{"type": "Polygon", "coordinates": [[[lon, lat], …]]}` or
/// `{"type": "Point", "coordinates": [lon, lat]}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GeometryForm {
    /// `Polygon` or `Point`.
    #[serde(rename = "type")]
    #[cfg_attr(feature = "openapi", schema(value_type = GeometryType))]
    pub kind: String,
    pub coordinates: Coordinates,
}

/// The coordinates of a geometry: rings of positions, or one position. A position is
/// `[longitude, latitude]` (an altitude after them is accepted and ignored).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum Coordinates {
    Polygon(Vec<Vec<Vec<f64>>>),
    Point(Vec<f64>),
    /// Anything else (a LineString's, a MultiPolygon's, a string): refused by the checks with a
    /// field error rather than by the JSON reader.
    Other(serde_json::Value),
}

impl ZoneForm {
    /// Checks every field, reporting all problems at once.
    pub fn parse(&self) -> Result<Zone, Invalid> {
        let mut c = Checker::new();
        let kind = c.check(ZoneKind::parse("kind", &self.kind));
        let name = c.check(required_text("name", &self.name, MAX_NAME_CHARS));
        let unit_code = c.check(parse_code("unit_code", &self.unit_code));
        let geometry = match self.geometry.parse("geometry") {
            Ok(g) => Some(g),
            Err(errors) => {
                errors.into_iter().for_each(|e| c.push(e));
                None
            }
        };
        if let (Some(kind), Some(geometry)) = (kind, &geometry) {
            let is_area = matches!(geometry, ZoneGeometry::Polygon(_));
            if kind.is_area() != is_area {
                c.push(FieldError::new(
                    "geometry",
                    "geometry_kind_mismatch",
                    "Chốt kiểm soát là một điểm (Point); vùng phong tỏa và khu cách ly là một vùng (Polygon)",
                    "A checkpoint is a Point; lockdown zones and quarantine areas are Polygons",
                ));
            }
        }
        let from = c.check(parse_instant("valid_from", &self.valid_from));
        let until = match self.valid_until.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => c.check(parse_instant("valid_until", s)),
        };
        if let (Some(from), Some(until)) = (from, until) {
            if until <= from {
                c.push(FieldError::new(
                    "valid_until",
                    "ends_before_start",
                    "Thời điểm hết hiệu lực phải sau thời điểm bắt đầu",
                    "The end of validity must be after its start",
                ));
            }
        }
        let note = match self.note.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => c.check(required_text("note", s, MAX_NOTE_CHARS)),
        };
        c.finish(|| Zone {
            kind: kind.unwrap_or(ZoneKind::Lockdown),
            name: name.unwrap_or_default(),
            unit_code: unit_code.unwrap_or_default(),
            geometry: geometry.unwrap_or(ZoneGeometry::Point(Point::new(0.0, 0.0))),
            valid_from: from.unwrap_or(Timestamp::UNIX_EPOCH),
            valid_until: until,
            note,
        })
    }
}

impl GeometryForm {
    /// Checks the geometry; every problem is named under `field`.
    pub fn parse(&self, field: &str) -> Result<ZoneGeometry, Vec<FieldError>> {
        match (self.kind.trim(), &self.coordinates) {
            ("Point", Coordinates::Point(p)) => point(field, p).map_err(|e| vec![e]),
            ("Point", Coordinates::Polygon(rings)) if rings.is_empty() => {
                Err(vec![malformed_position(field)])
            }
            ("Polygon", Coordinates::Polygon(rings)) => polygon(field, rings),
            ("Point" | "Polygon", _) => Err(vec![FieldError::new(
                field,
                "geometry_malformed",
                "Tọa độ không khớp với loại hình: Point là [kinh độ, vĩ độ], Polygon là [[[kinh độ, vĩ độ], …]]",
                "The coordinates do not fit the type: a Point is [lon, lat], a Polygon [[[lon, lat], …]]",
            )]),
            _ => Err(vec![FieldError::new(
                field,
                "geometry_type_unknown",
                "Loại hình phải là Polygon hoặc Point",
                "The geometry type must be Polygon or Point",
            )]),
        }
    }
}

fn malformed_position(field: &str) -> FieldError {
    FieldError::new(
        field,
        "position_invalid",
        "Mỗi điểm là [kinh độ, vĩ độ]",
        "Each position is [longitude, latitude]",
    )
}

fn out_of_range(field: &str, lon: f64, lat: f64) -> FieldError {
    FieldError::new(
        field,
        "coordinates_out_of_range",
        format!("Điểm [{lon}, {lat}] nằm ngoài Việt Nam (kinh độ 102–118, vĩ độ 6–24); có thể bạn đã đảo kinh độ và vĩ độ"),
        format!("The position [{lon}, {lat}] is outside Vietnam (longitude 102–118, latitude 6–24); longitude and latitude may be swapped"),
    )
}

fn in_vietnam(c: Coord<f64>) -> bool {
    LON_RANGE.contains(&c.x) && LAT_RANGE.contains(&c.y)
}

/// A position from `[lon, lat]` or `[lon, lat, altitude]`.
fn position(p: &[f64]) -> Option<Coord<f64>> {
    match p {
        [lon, lat] | [lon, lat, _] => Some(Coord { x: *lon, y: *lat }),
        _ => None,
    }
}

fn point(field: &str, p: &[f64]) -> Result<ZoneGeometry, FieldError> {
    let c = position(p).ok_or_else(|| malformed_position(field))?;
    if !in_vietnam(c) {
        return Err(out_of_range(field, c.x, c.y));
    }
    Ok(ZoneGeometry::Point(Point(c)))
}

fn polygon(field: &str, rings: &[Vec<Vec<f64>>]) -> Result<ZoneGeometry, Vec<FieldError>> {
    let mut errors = Vec::new();
    let total: usize = rings.iter().map(Vec::len).sum();
    if rings.is_empty() {
        errors.push(ring_error(field, 0, RingProblem::TooFewPoints));
    }
    if total > MAX_VERTICES {
        errors.push(FieldError::new(
            field,
            "polygon_too_many_vertices",
            format!("Tối đa {MAX_VERTICES} điểm cho một vùng (đang có {total})"),
            format!("A zone has at most {MAX_VERTICES} positions ({total} given)"),
        ));
    }
    if rings.len() > MAX_HOLES + 1 {
        errors.push(FieldError::new(
            field,
            "polygon_too_many_holes",
            format!("Tối đa {MAX_HOLES} vùng khoét trong một vùng"),
            format!("A zone has at most {MAX_HOLES} holes"),
        ));
    }
    if !errors.is_empty() {
        // Too large to check further at a reasonable cost.
        return Err(errors);
    }
    let mut checked = Vec::with_capacity(rings.len());
    for (index, ring) in rings.iter().enumerate() {
        let Some(coords) = ring.iter().map(|p| position(p)).collect::<Option<Vec<_>>>() else {
            errors.push(malformed_position(field));
            continue;
        };
        if let Some(c) = coords.iter().find(|c| !in_vietnam(**c)) {
            errors.push(out_of_range(field, c.x, c.y));
            continue;
        }
        match check_ring(&coords) {
            Ok(()) => checked.push(LineString::new(coords)),
            Err(problems) => {
                errors.extend(problems.into_iter().map(|p| ring_error(field, index, p)))
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut rings = checked.into_iter();
    let exterior = rings.next().unwrap_or_else(|| LineString::new(Vec::new()));
    let polygon = Polygon::new(exterior, rings.collect());
    // Each ring is simple now; what is left is how the holes sit in the exterior and among
    // themselves, which geo's OGC validation checks.
    if polygon.interiors().is_empty() || polygon.is_valid() {
        Ok(ZoneGeometry::Polygon(polygon))
    } else {
        Err(vec![FieldError::new(
            field,
            "polygon_holes_invalid",
            "Vùng khoét phải nằm trong vùng chính và không chồng lên nhau",
            "Holes must lie inside the exterior ring and must not overlap one another",
        )])
    }
}

fn ring_error(field: &str, index: usize, problem: RingProblem) -> FieldError {
    let which_vi = if index == 0 {
        "Đường bao".to_owned()
    } else {
        format!("Vùng khoét thứ {index}")
    };
    let which_en = if index == 0 {
        "The exterior ring".to_owned()
    } else {
        format!("Hole {index}")
    };
    match problem {
        RingProblem::TooFewPoints => FieldError::new(
            field,
            "polygon_too_few_points",
            format!("{which_vi} cần ít nhất 4 điểm (3 điểm khác nhau, điểm cuối trùng điểm đầu)"),
            format!(
                "{which_en} needs at least 4 positions (3 distinct, the last equal to the first)"
            ),
        ),
        RingProblem::NotClosed => FieldError::new(
            field,
            "polygon_not_closed",
            format!("{which_vi} không khép kín: điểm cuối phải trùng điểm đầu"),
            format!("{which_en} is not closed: the last position must equal the first"),
        ),
        RingProblem::SelfIntersects => FieldError::new(
            field,
            "polygon_self_intersects",
            format!("{which_vi} tự cắt chính nó: các cạnh không được cắt hoặc chồng lên nhau"),
            format!("{which_en} intersects itself: edges must not cross or overlap"),
        ),
    }
}

pub use crate::time::parse_instant;

/// Reads the point of a lookup from query text: both numbers, finite, on Earth. Any point on
/// Earth is a fair question (the answer outside Vietnam is simply "in no zone").
pub fn parse_point(lat: Option<&str>, lon: Option<&str>) -> Result<Point<f64>, Invalid> {
    let mut c = Checker::new();
    let lat = c.check(coordinate("lat", lat, 90.0));
    let lon = c.check(coordinate("lon", lon, 180.0));
    c.finish(|| Point::new(lon.unwrap_or_default(), lat.unwrap_or_default()))
}

fn coordinate(field: &str, text: Option<&str>, bound: f64) -> Result<f64, FieldError> {
    let text = text.map(str::trim).unwrap_or("");
    if text.is_empty() {
        return Err(FieldError::new(
            field,
            "required",
            "Không được để trống",
            "Must not be empty",
        ));
    }
    let value: f64 = text.parse().map_err(|_| {
        FieldError::new(
            field,
            "number_invalid",
            "Phải là một số, ví dụ 22.54",
            "Must be a number, such as 22.54",
        )
    })?;
    // `parse` accepts "NaN" and "inf"; neither is a place.
    if !value.is_finite() || value.abs() > bound {
        return Err(FieldError::new(
            field,
            "coordinates_out_of_range",
            format!("Phải nằm trong khoảng -{bound} đến {bound}"),
            format!("Must lie between -{bound} and {bound}"),
        ));
    }
    Ok(value)
}
