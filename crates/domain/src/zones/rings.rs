//! Checks of one polygon ring: closed, enough positions, and simple (no edge crosses, touches or
//! overlaps another, except neighbours meeting at their shared vertex).
//!
//! The self-intersection test compares only edges whose bounding boxes meet, found with an
//! R-tree, so a ring of a few thousand positions is checked in well under a second even though
//! the worst case stays quadratic.

use geo::line_intersection::line_intersection;
use geo::{Coord, Line, LineIntersection};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, RTreeObject};

/// What is wrong with a ring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RingProblem {
    /// Fewer than 4 positions, or fewer than 3 distinct ones.
    TooFewPoints,
    /// The last position differs from the first.
    NotClosed,
    /// Two edges cross, touch or overlap.
    SelfIntersects,
}

/// Checks a ring of finite positions; every problem found is returned.
pub(super) fn check_ring(ring: &[Coord<f64>]) -> Result<(), Vec<RingProblem>> {
    let mut problems = Vec::new();
    if ring.len() < 4 {
        problems.push(RingProblem::TooFewPoints);
    }
    if ring.first() != ring.last() {
        problems.push(RingProblem::NotClosed);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    // A position repeated right after itself is a zero-length edge, harmless: drop it.
    let mut distinct: Vec<Coord<f64>> = Vec::with_capacity(ring.len());
    for c in ring {
        if distinct.last() != Some(c) {
            distinct.push(*c);
        }
    }
    // Closed, so the first position comes back at the end: 3 distinct corners need 4 entries.
    if distinct.len() < 4 {
        return Err(vec![RingProblem::TooFewPoints]);
    }
    if self_intersects(&distinct) {
        return Err(vec![RingProblem::SelfIntersects]);
    }
    Ok(())
}

/// True when two edges of the closed ring `ring` (no repeated neighbours, last = first) meet
/// anywhere but at the vertex two neighbouring edges share.
pub(super) fn self_intersects(ring: &[Coord<f64>]) -> bool {
    let edges: Vec<Line<f64>> = ring.windows(2).map(|w| Line::new(w[0], w[1])).collect();
    let n = edges.len();
    let tree = RTree::bulk_load(
        edges
            .iter()
            .enumerate()
            .map(|(i, e)| GeomWithData::new(edge_box(e), i))
            .collect(),
    );
    for (i, edge) in edges.iter().enumerate() {
        let envelope = edge_box(edge).envelope();
        for other in tree.locate_in_envelope_intersecting(&envelope) {
            let j = other.data;
            if j <= i {
                continue;
            }
            let neighbours = j == i + 1 || (i == 0 && j == n - 1);
            match line_intersection(*edge, edges[j]) {
                None => {}
                // Neighbours always share their common vertex; anything more is a spike that
                // folds back on itself.
                Some(LineIntersection::SinglePoint { .. }) if neighbours => {}
                Some(_) => return true,
            }
        }
    }
    false
}

fn edge_box(e: &Line<f64>) -> Rectangle<[f64; 2]> {
    Rectangle::from_corners([e.start.x, e.start.y], [e.end.x, e.end.y])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(points: &[(f64, f64)]) -> Vec<Coord<f64>> {
        points.iter().map(|&(x, y)| Coord { x, y }).collect()
    }

    #[test]
    fn simple_rings_pass() {
        let square = ring(&[(0., 0.), (1., 0.), (1., 1.), (0., 1.), (0., 0.)]);
        assert_eq!(check_ring(&square), Ok(()));
        let triangle = ring(&[(0., 0.), (1., 0.), (0., 1.), (0., 0.)]);
        assert_eq!(check_ring(&triangle), Ok(()));
        let repeated = ring(&[(0., 0.), (1., 0.), (1., 0.), (0., 1.), (0., 0.)]);
        assert_eq!(check_ring(&repeated), Ok(()));
    }

    #[test]
    fn crossings_touches_and_spikes_are_self_intersections() {
        let bow_tie = ring(&[(0., 0.), (1., 1.), (1., 0.), (0., 1.), (0., 0.)]);
        assert_eq!(check_ring(&bow_tie), Err(vec![RingProblem::SelfIntersects]));
        // A vertex touching a non-neighbouring edge.
        let touch = ring(&[(0., 0.), (4., 0.), (4., 4.), (2., 0.), (0., 4.), (0., 0.)]);
        assert!(self_intersects(&touch));
        // The ring passing twice through the same vertex (a figure of eight).
        let eight = ring(&[
            (0., 0.),
            (2., 2.),
            (4., 0.),
            (4., 4.),
            (2., 2.),
            (0., 4.),
            (0., 0.),
        ]);
        assert!(self_intersects(&eight));
        // A spike: an edge folding back along its neighbour.
        let spike = ring(&[(0., 0.), (4., 0.), (2., 0.), (2., 3.), (0., 0.)]);
        assert!(self_intersects(&spike));
        // Three positions on one line enclose nothing.
        let flat = ring(&[(0., 0.), (1., 0.), (2., 0.), (0., 0.)]);
        assert!(self_intersects(&flat));
    }

    #[test]
    fn short_and_open_rings_are_named() {
        let short = ring(&[(0., 0.), (1., 0.), (0., 0.)]);
        assert_eq!(check_ring(&short), Err(vec![RingProblem::TooFewPoints]));
        let open = ring(&[(0., 0.), (1., 0.), (1., 1.), (0., 1.)]);
        assert_eq!(check_ring(&open), Err(vec![RingProblem::NotClosed]));
        let both = ring(&[(0., 0.), (1., 0.), (1., 1.)]);
        assert_eq!(
            check_ring(&both),
            Err(vec![RingProblem::TooFewPoints, RingProblem::NotClosed])
        );
        let degenerate = ring(&[(0., 0.), (1., 0.), (1., 0.), (0., 0.)]);
        assert_eq!(
            check_ring(&degenerate),
            Err(vec![RingProblem::TooFewPoints])
        );
    }
}
