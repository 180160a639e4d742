//! Point lookups over many zones: "which active zones contain this point" and "which
//! checkpoints are near it".
//!
//! Areas sit in an R-tree of their bounding boxes and checkpoints in an R-tree of points, so a
//! lookup tests the exact polygon only for the few zones whose box holds the point.

use geo::{Distance, Haversine, Intersects, Point};
use jiff::Timestamp;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

use super::{Zone, ZoneGeometry};

/// Metres in one degree of latitude, rounded down so the search box is never too small.
const METRES_PER_DEGREE: f64 = 110_000.0;

/// An index over zones (anything that holds a [`Zone`], such as a stored zone with its id).
#[derive(Debug)]
pub struct ZoneIndex<Z> {
    items: Vec<Z>,
    areas: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    checkpoints: RTree<GeomWithData<[f64; 2], usize>>,
}

impl<Z: AsRef<Zone>> ZoneIndex<Z> {
    /// Indexes `zones`, active or not (each lookup filters by time).
    pub fn new(zones: impl IntoIterator<Item = Z>) -> Self {
        let items: Vec<Z> = zones.into_iter().collect();
        let mut areas = Vec::new();
        let mut checkpoints = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match &item.as_ref().geometry {
                ZoneGeometry::Point(p) => checkpoints.push(GeomWithData::new([p.x(), p.y()], i)),
                g @ ZoneGeometry::Polygon(_) => {
                    let b = g.bounding_box();
                    let rect = Rectangle::from_corners(b.min().into(), b.max().into());
                    areas.push(GeomWithData::new(rect, i));
                }
            }
        }
        ZoneIndex {
            items,
            areas: RTree::bulk_load(areas),
            checkpoints: RTree::bulk_load(checkpoints),
        }
    }

    /// Every indexed zone, in the order given.
    pub fn zones(&self) -> &[Z] {
        &self.items
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The areas (lockdown zones, quarantine areas) active at `at` that contain `point`, its
    /// boundary included, in the order the zones were given. Checkpoints are points and never
    /// contain anything: see [`ZoneIndex::checkpoints_near`].
    pub fn zones_at(&self, point: Point<f64>, at: Timestamp) -> Vec<&Z> {
        let mut found: Vec<usize> = self
            .areas
            .locate_all_at_point(&[point.x(), point.y()])
            .map(|r| r.data)
            .filter(|&i| {
                let zone = self.items[i].as_ref();
                zone.is_active(at)
                    && matches!(&zone.geometry, ZoneGeometry::Polygon(p) if p.intersects(&point))
            })
            .collect();
        found.sort_unstable();
        found.into_iter().map(|i| &self.items[i]).collect()
    }

    /// The checkpoints active at `at` within `metres` of `point` (great-circle distance), nearest
    /// first, each with its distance in metres.
    pub fn checkpoints_near(
        &self,
        point: Point<f64>,
        metres: f64,
        at: Timestamp,
    ) -> Vec<(&Z, f64)> {
        if !(metres.is_finite() && metres >= 0.0 && point.x().is_finite() && point.y().is_finite())
        {
            return Vec::new();
        }
        // A box of at least `metres` each way: a degree of longitude shrinks with the latitude.
        let dlat = metres / METRES_PER_DEGREE;
        let dlon = metres / (METRES_PER_DEGREE * point.y().to_radians().cos().max(0.01));
        let envelope = AABB::from_corners(
            [point.x() - dlon, point.y() - dlat],
            [point.x() + dlon, point.y() + dlat],
        );
        let mut found: Vec<(&Z, f64)> = self
            .checkpoints
            .locate_in_envelope(&envelope)
            .filter_map(|c| {
                let item = &self.items[c.data];
                let distance = Haversine.distance(point, Point::from(*c.geom()));
                (item.as_ref().is_active(at) && distance <= metres).then_some((item, distance))
            })
            .collect();
        found.sort_by(|a, b| a.1.total_cmp(&b.1));
        found
    }
}
