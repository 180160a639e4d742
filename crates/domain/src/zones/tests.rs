use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;
use serde_json::json;

use super::*;

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn form(v: serde_json::Value) -> ZoneForm {
    serde_json::from_value(v).unwrap()
}

fn zone_json(kind: &str, geometry: serde_json::Value) -> serde_json::Value {
    json!({
        "kind": kind, "name": "Thôn Na Hối", "unit_code": "02839", "geometry": geometry,
        "valid_from": "2021-07-20T00:00:00+07:00", "valid_until": "2021-08-03T00:00:00+07:00",
    })
}

fn polygon(rings: serde_json::Value) -> serde_json::Value {
    json!({"type": "Polygon", "coordinates": rings})
}

/// A square of 0.02° around Bắc Hà.
fn square() -> serde_json::Value {
    polygon(json!([[
        [104.28, 22.53],
        [104.30, 22.53],
        [104.30, 22.55],
        [104.28, 22.55],
        [104.28, 22.53]
    ]]))
}

/// A U: the notch between its arms (around 104.29, 22.545) is outside.
fn u_shape() -> serde_json::Value {
    polygon(json!([[
        [104.28, 22.53],
        [104.30, 22.53],
        [104.30, 22.55],
        [104.295, 22.55],
        [104.295, 22.54],
        [104.285, 22.54],
        [104.285, 22.55],
        [104.28, 22.55],
        [104.28, 22.53]
    ]]))
}

fn codes(v: serde_json::Value) -> Vec<&'static str> {
    form(v)
        .parse()
        .unwrap_err()
        .0
        .iter()
        .map(|e| e.code)
        .collect()
}

fn p(lon: f64, lat: f64) -> Point<f64> {
    Point::new(lon, lat)
}

#[test]
fn a_square_contains_its_inside_and_boundary() {
    let zone = form(zone_json("lockdown", square())).parse().unwrap();
    assert_eq!(zone.kind, ZoneKind::Lockdown);
    assert_eq!(zone.valid_until, Some(t("2021-08-03T00:00:00+07:00")));
    let index = ZoneIndex::new(vec![zone]);
    let at = t("2021-07-25T12:00:00Z");
    assert_eq!(index.zones_at(p(104.29, 22.54), at).len(), 1);
    assert_eq!(
        index.zones_at(p(104.30, 22.54), at).len(),
        1,
        "an edge is inside"
    );
    assert_eq!(
        index.zones_at(p(104.28, 22.53), at).len(),
        1,
        "a corner is inside"
    );
    assert!(index.zones_at(p(104.3001, 22.54), at).is_empty());
    assert!(index.zones_at(p(105.0, 21.0), at).is_empty());
}

#[test]
fn the_notch_of_a_concave_zone_is_outside() {
    let zone = form(zone_json("quarantine_area", u_shape()))
        .parse()
        .unwrap();
    let index = ZoneIndex::new([zone]);
    let at = t("2021-07-25T12:00:00Z");
    // Inside the bounding box, but in the notch.
    assert!(index.zones_at(p(104.29, 22.545), at).is_empty());
    assert_eq!(index.zones_at(p(104.29, 22.535), at).len(), 1, "the base");
    assert_eq!(index.zones_at(p(104.2825, 22.548), at).len(), 1, "an arm");
    assert_eq!(
        index.zones_at(p(104.29, 22.54), at).len(),
        1,
        "the notch's floor is boundary"
    );
}

#[test]
fn zones_apply_only_in_their_period() {
    let zone = form(zone_json("lockdown", square())).parse().unwrap();
    let from = zone.valid_from;
    let until = zone.valid_until.unwrap();
    let index = ZoneIndex::new([zone]);
    let here = p(104.29, 22.54);
    assert!(index
        .zones_at(here, from - SignedDuration::from_secs(1))
        .is_empty());
    assert_eq!(index.zones_at(here, from).len(), 1, "from is inclusive");
    assert!(index.zones_at(here, until).is_empty(), "until is exclusive");

    let mut open = zone_json("lockdown", square());
    open["valid_until"] = serde_json::Value::Null;
    let open = form(open).parse().unwrap();
    assert_eq!(open.valid_until, None);
    assert!(open.is_active(t("2031-01-01T00:00:00Z")));
}

#[test]
fn overlapping_zones_are_all_found_in_order_and_checkpoints_are_not_areas() {
    let a = form(zone_json("lockdown", square())).parse().unwrap();
    let b = form(zone_json("quarantine_area", u_shape()))
        .parse()
        .unwrap();
    let c = form(zone_json(
        "checkpoint",
        json!({"type": "Point", "coordinates": [104.29, 22.54]}),
    ))
    .parse()
    .unwrap();
    let index = ZoneIndex::new(vec![a.clone(), c.clone(), b.clone()]);
    let at = t("2021-07-25T12:00:00Z");
    let found = index.zones_at(p(104.29, 22.535), at);
    assert_eq!(found, [&a, &b]);
    assert!(
        index.zones_at(p(104.29, 22.545), at) == [&a],
        "the checkpoint is not an area"
    );

    // About 550 m north of the checkpoint.
    let near = index.checkpoints_near(p(104.29, 22.545), 1_000.0, at);
    assert_eq!(near.len(), 1);
    assert!((near[0].1 - 556.0).abs() < 5.0, "{}", near[0].1);
    assert!(index
        .checkpoints_near(p(104.29, 22.545), 500.0, at)
        .is_empty());
    assert!(index
        .checkpoints_near(p(104.29, 22.545), 1_000.0, t("2022-01-01T00:00:00Z"))
        .is_empty());
}

#[test]
fn bad_polygons_are_named() {
    let bow_tie = polygon(json!([[
        [104.28, 22.53],
        [104.30, 22.55],
        [104.30, 22.53],
        [104.28, 22.55],
        [104.28, 22.53]
    ]]));
    assert_eq!(
        codes(zone_json("lockdown", bow_tie)),
        ["polygon_self_intersects"]
    );
    let open = polygon(json!([[
        [104.28, 22.53],
        [104.30, 22.53],
        [104.30, 22.55],
        [104.28, 22.55]
    ]]));
    assert_eq!(codes(zone_json("lockdown", open)), ["polygon_not_closed"]);
    let short = polygon(json!([[[104.28, 22.53], [104.30, 22.53], [104.28, 22.53]]]));
    assert_eq!(
        codes(zone_json("lockdown", short)),
        ["polygon_too_few_points"]
    );
    let empty = polygon(json!([]));
    assert_eq!(
        codes(zone_json("lockdown", empty)),
        ["polygon_too_few_points"]
    );
    let swapped = polygon(json!([[
        [22.53, 104.28],
        [22.53, 104.30],
        [22.55, 104.30],
        [22.53, 104.28]
    ]]));
    assert_eq!(
        codes(zone_json("lockdown", swapped)),
        ["coordinates_out_of_range"]
    );
    let bad_position = polygon(json!([[
        [104.28],
        [104.30, 22.53],
        [104.30, 22.55],
        [104.28]
    ]]));
    assert_eq!(
        codes(zone_json("lockdown", bad_position)),
        ["position_invalid"]
    );
    let line = json!({"type": "LineString", "coordinates": [[104.28, 22.53], [104.30, 22.53]]});
    assert_eq!(
        codes(zone_json("lockdown", line)),
        ["geometry_type_unknown"]
    );

    let big: Vec<[f64; 2]> = (0..=MAX_VERTICES)
        .map(|i| {
            let a = i as f64 / MAX_VERTICES as f64 * std::f64::consts::TAU;
            [104.29 + 0.01 * a.cos(), 22.54 + 0.01 * a.sin()]
        })
        .collect();
    assert_eq!(
        codes(zone_json("lockdown", polygon(json!([big])))),
        ["polygon_too_many_vertices"]
    );
}

#[test]
fn holes_are_cut_out_and_must_lie_inside() {
    let hole = json!([
        [104.285, 22.535],
        [104.285, 22.545],
        [104.295, 22.545],
        [104.295, 22.535],
        [104.285, 22.535]
    ]);
    let mut rings = square()["coordinates"].clone();
    rings.as_array_mut().unwrap().push(hole);
    let zone = form(zone_json("lockdown", polygon(rings))).parse().unwrap();
    let index = ZoneIndex::new([zone]);
    let at = t("2021-07-25T12:00:00Z");
    assert!(
        index.zones_at(p(104.29, 22.54), at).is_empty(),
        "inside the hole"
    );
    assert_eq!(index.zones_at(p(104.281, 22.54), at).len(), 1);

    let outside = json!([
        [104.31, 22.535],
        [104.31, 22.545],
        [104.32, 22.545],
        [104.31, 22.535]
    ]);
    let mut rings = square()["coordinates"].clone();
    rings.as_array_mut().unwrap().push(outside);
    assert_eq!(
        codes(zone_json("lockdown", polygon(rings))),
        ["polygon_holes_invalid"]
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let bad = json!({
        "kind": "curfew", "name": " ", "unit_code": "abc",
        "geometry": {"type": "Point", "coordinates": [104.29, 22.54]},
        "valid_from": "2021-07-20T00:00:00+07:00", "valid_until": "2021-07-19T00:00:00+07:00",
        "note": "a\u{0}b",
    });
    assert_eq!(
        codes(bad),
        [
            "choice_unknown",
            "required",
            "unit_unknown",
            "ends_before_start",
            "control_characters"
        ]
    );
    let mismatch = zone_json(
        "lockdown",
        json!({"type": "Point", "coordinates": [104.29, 22.54]}),
    );
    assert_eq!(codes(mismatch), ["geometry_kind_mismatch"]);
    let mismatch = zone_json("checkpoint", square());
    assert_eq!(codes(mismatch), ["geometry_kind_mismatch"]);
    let mut times = zone_json("lockdown", square());
    times["valid_from"] = json!("hôm qua");
    times["valid_until"] = json!("2021-08-03");
    assert_eq!(codes(times), ["time_invalid", "time_invalid"]);
    let unknown = json!({"kind": "lockdown", "name": "x", "unit_code": "02839", "geometry": square(),
        "valid_from": "2021-07-20T00:00:00Z", "radius": 5});
    assert!(serde_json::from_value::<ZoneForm>(unknown).is_err());
}

#[test]
fn geometry_survives_the_stored_text() {
    for g in [
        square(),
        u_shape(),
        json!({"type": "Point", "coordinates": [104.29, 22.54]}),
    ] {
        let kind = if g["type"] == "Point" {
            "checkpoint"
        } else {
            "lockdown"
        };
        let zone = form(zone_json(kind, g.clone())).parse().unwrap();
        let text = zone.geometry.to_geojson_text();
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), g);
        assert_eq!(
            ZoneGeometry::from_geojson_text(&text).unwrap(),
            zone.geometry
        );
    }
    let b = form(zone_json("lockdown", u_shape()))
        .parse()
        .unwrap()
        .geometry
        .bounding_box();
    assert_eq!(
        (b.min().x, b.min().y, b.max().x, b.max().y),
        (104.28, 22.53, 104.30, 22.55)
    );
    assert!(ZoneGeometry::from_geojson_text("{\"type\":\"Point\"}").is_err());
}

#[test]
fn lookup_points_are_numbers_on_earth() {
    assert_eq!(
        parse_point(Some("22.54"), Some(" 104.29 ")).unwrap(),
        p(104.29, 22.54)
    );
    let err = |lat, lon| -> Vec<(String, &str)> {
        parse_point(lat, lon)
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    };
    assert_eq!(
        err(Some("abc"), None),
        [("lat".into(), "number_invalid"), ("lon".into(), "required")]
    );
    assert_eq!(
        err(Some("NaN"), Some("inf")),
        [
            ("lat".into(), "coordinates_out_of_range"),
            ("lon".into(), "coordinates_out_of_range")
        ]
    );
    assert_eq!(
        err(Some("91"), Some("0")),
        [("lat".into(), "coordinates_out_of_range")]
    );
}

fn any_position() -> impl Strategy<Value = Vec<f64>> {
    let near = prop_oneof![
        (101.0..119.0f64, 5.0..25.0f64).prop_map(|(x, y)| vec![x, y]),
        (104.28..104.30f64, 22.53..22.55f64).prop_map(|(x, y)| vec![x, y]),
        // A small grid makes repeated positions, collinear edges and exact touches likely.
        (0..4u8, 0..4u8).prop_map(|(x, y)| vec![104.0 + f64::from(x), 20.0 + f64::from(y)]),
    ];
    prop_oneof![
        8 => near,
        1 => prop::collection::vec(any::<f64>(), 0..4),
    ]
}

proptest! {
    #[test]
    fn arbitrary_coordinates_never_panic(
        rings in prop::collection::vec(prop::collection::vec(any_position(), 0..12), 0..3),
        close in any::<bool>(),
        lon in any::<f64>(),
        lat in any::<f64>(),
    ) {
        let mut rings = rings;
        if close {
            for r in &mut rings {
                if let Some(first) = r.first().cloned() {
                    r.push(first);
                }
            }
        }
        let geometry = GeometryForm { kind: "Polygon".into(), coordinates: Coordinates::Polygon(rings) };
        if let Ok(g) = geometry.parse("geometry") {
            let text = g.to_geojson_text();
            prop_assert_eq!(ZoneGeometry::from_geojson_text(&text).unwrap(), g.clone());
            let zone = Zone {
                kind: ZoneKind::Lockdown, name: "x".into(), unit_code: "02839".into(), geometry: g,
                valid_from: Timestamp::UNIX_EPOCH, valid_until: None, note: None,
            };
            let index = ZoneIndex::new([zone]);
            let _ = index.zones_at(Point::new(lon, lat), Timestamp::UNIX_EPOCH);
            let _ = index.checkpoints_near(Point::new(lon, lat), 1_000.0, Timestamp::UNIX_EPOCH);
        }
        let _ = parse_point(Some(&lat.to_string()), Some(&lon.to_string()));
    }
}
