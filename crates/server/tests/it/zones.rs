//! Zoning over HTTP, on both stores: officials draw and end zones, anyone looks a point up.

use jiff::{SignedDuration, Timestamp};
use serde_json::{json, Value};

use crate::helpers::{each_backend, relaxed, Now, TestApp};

/// Xã Bắc Hà, Lào Cai (around 22.54° N, 104.29° E).
const BAC_HA: &str = "02839";
/// Phường Sa Pa, Lào Cai: another commune of the same province.
const SA_PA: &str = "03006";

fn square() -> Value {
    json!({"type": "Polygon", "coordinates": [[
        [104.28, 22.53], [104.30, 22.53], [104.30, 22.55], [104.28, 22.55], [104.28, 22.53]
    ]]})
}

fn zone(app: &TestApp, kind: &str, geometry: Value) -> Value {
    let now = app.clock.now_ts();
    json!({
        "kind": kind, "name": "Thôn Na Hối", "unit_code": BAC_HA, "geometry": geometry,
        "valid_from": (now - SignedDuration::from_hours(1)).to_string(),
        "valid_until": (now + SignedDuration::from_hours(24 * 14)).to_string(),
        "note": "Phong tỏa 14 ngày",
    })
}

async fn lookup(app: &TestApp, lat: f64, lon: f64, at: Option<Timestamp>) -> Value {
    let at = at.map(|t| format!("&at={t}")).unwrap_or_default();
    let r = app
        .get(
            &format!("/api/v1/zones/lookup?lat={lat}&lon={lon}{at}"),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

#[tokio::test]
async fn officials_draw_zones_and_anyone_looks_a_point_up() {
    each_backend(relaxed(), |app| async move {
        let official = app
            .staff_token("yte.bacha", "health_official", BAC_HA)
            .await;
        let r = app
            .post(
                "/api/v1/zones",
                Some(&official),
                zone(&app, "lockdown", square()),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let lockdown = r.body["id"].as_i64().unwrap();
        assert_eq!(r.body["kind"], "lockdown");
        assert_eq!(r.body["kind_vi"], "Vùng phong tỏa");
        assert_eq!(r.body["geometry"], square());
        assert_eq!(r.body["bbox"], json!([104.28, 22.53, 104.30, 22.55]));
        assert_eq!(r.body["active"], true);
        assert_eq!(r.body["unit"]["code"], BAC_HA);
        let checkpoint = json!({"type": "Point", "coordinates": [104.29, 22.545]});
        let r = app
            .post(
                "/api/v1/zones",
                Some(&official),
                zone(&app, "checkpoint", checkpoint),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let checkpoint = r.body["id"].as_i64().unwrap();

        // Inside, on the edge, outside but near the checkpoint, far away.
        let inside = lookup(&app, 22.54, 104.29, None).await;
        assert_eq!(inside["in_zone"], true);
        assert_eq!(inside["zones"].as_array().unwrap().len(), 1);
        assert_eq!(inside["zones"][0]["id"], lockdown);
        assert_eq!(inside["zones"][0]["kind"], "lockdown");
        assert_eq!(inside["checkpoints_nearby"][0]["id"], checkpoint);
        assert_eq!(inside["checkpoints_nearby"][0]["distance_m"], 556.0);
        assert_eq!(lookup(&app, 22.54, 104.30, None).await["in_zone"], true);
        let near = lookup(&app, 22.552, 104.29, None).await;
        assert_eq!(near["in_zone"], false);
        assert_eq!(near["zones"], json!([]));
        assert_eq!(near["checkpoints_nearby"].as_array().unwrap().len(), 1);
        let far = lookup(&app, 22.34, 103.84, None).await;
        assert_eq!(
            far,
            json!({"in_zone": false, "zones": [], "checkpoints_nearby": []})
        );

        // The public list, with its filters.
        let all = app.get("/api/v1/zones", None).await;
        assert_eq!(all.status, 200, "{}", all.body);
        assert_eq!(all.body.as_array().unwrap().len(), 2);
        let points = app.get("/api/v1/zones?kind=checkpoint", None).await;
        assert_eq!(points.body.as_array().unwrap().len(), 1);
        assert_eq!(points.body[0]["geometry"]["type"], "Point");
        assert_eq!(
            app.get("/api/v1/zones?unit=15", None)
                .await
                .body
                .as_array()
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            app.get(&format!("/api/v1/zones?unit={SA_PA}"), None)
                .await
                .body,
            json!([])
        );
        let one = app.get(&format!("/api/v1/zones/{lockdown}"), None).await;
        assert_eq!(one.status, 200);
        assert_eq!(one.body["note"], "Phong tỏa 14 ngày");
        assert_eq!(app.get("/api/v1/zones/999999", None).await.status, 404);
    })
    .await;
}

#[tokio::test]
async fn zones_apply_in_their_period_and_end_early() {
    each_backend(relaxed(), |app| async move {
        let official = app
            .staff_token("yte.bacha", "health_official", BAC_HA)
            .await;
        let now = app.clock.now_ts();
        let mut form = zone(&app, "quarantine_area", square());
        form["valid_from"] = json!((now + SignedDuration::from_hours(1)).to_string());
        form["valid_until"] = json!((now + SignedDuration::from_hours(3)).to_string());
        let r = app.post("/api/v1/zones", Some(&official), form).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let later = r.body["id"].as_i64().unwrap();
        assert_eq!(r.body["active"], false);
        assert_eq!(lookup(&app, 22.54, 104.29, None).await["in_zone"], false);
        let two_hours = now + SignedDuration::from_hours(2);
        assert_eq!(
            lookup(&app, 22.54, 104.29, Some(two_hours)).await["in_zone"],
            true
        );
        assert_eq!(app.get("/api/v1/zones", None).await.body, json!([]));
        let at = format!("/api/v1/zones?at={two_hours}");
        assert_eq!(app.get(&at, None).await.body.as_array().unwrap().len(), 1);

        app.clock.advance(SignedDuration::from_hours(2));
        assert_eq!(lookup(&app, 22.54, 104.29, None).await["in_zone"], true);
        app.clock.advance(SignedDuration::from_hours(1));
        assert_eq!(
            lookup(&app, 22.54, 104.29, None).await["in_zone"],
            false,
            "the end is exclusive"
        );

        // An open-ended zone, ended early by an official; a Sa Pa official may not.
        let mut open = zone(&app, "lockdown", square());
        open["valid_until"] = Value::Null;
        let r = app.post("/api/v1/zones", Some(&official), open).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let id = r.body["id"].as_i64().unwrap();
        assert_eq!(r.body["valid_until"], Value::Null);
        let sa_pa = app.staff_token("yte.sapa", "health_official", SA_PA).await;
        let r = app
            .post(&format!("/api/v1/zones/{id}/end"), Some(&sa_pa), json!({}))
            .await;
        assert_eq!(r.status, 403, "{}", r.body);
        assert_eq!(r.body["code"], "out_of_jurisdiction");
        assert_eq!(lookup(&app, 22.54, 104.29, None).await["in_zone"], true);

        app.clock.advance(SignedDuration::from_mins(10));
        let r = app
            .post(
                &format!("/api/v1/zones/{id}/end"),
                Some(&official),
                json!({}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["active"], false);
        assert_eq!(r.body["valid_until"], app.clock.now_ts().to_string());
        assert_eq!(r.body["ended_at"], app.clock.now_ts().to_string());
        assert_eq!(lookup(&app, 22.54, 104.29, None).await["in_zone"], false);
        let past = app.clock.now_ts() - SignedDuration::from_mins(5);
        assert_eq!(
            lookup(&app, 22.54, 104.29, Some(past)).await["in_zone"],
            true,
            "history stays"
        );
        let again = app
            .post(
                &format!("/api/v1/zones/{id}/end"),
                Some(&official),
                json!({}),
            )
            .await;
        assert_eq!(again.status, 409);
        assert_eq!(again.body["code"], "zone_already_ended");
        let over = app
            .post(
                &format!("/api/v1/zones/{later}/end"),
                Some(&official),
                json!({}),
            )
            .await;
        assert_eq!(over.status, 409);
        assert_eq!(
            app.post("/api/v1/zones/999999/end", Some(&official), json!({}))
                .await
                .status,
            404
        );
    })
    .await;
}

#[tokio::test]
async fn bad_zones_and_callers_are_refused_and_nothing_is_stored() {
    each_backend(relaxed(), |app| async move {
        let official = app.staff_token("yte.bacha", "health_official", BAC_HA).await;
        let post = |body: Value, token: Option<String>| {
            let app = &app;
            async move { app.post("/api/v1/zones", token.as_deref(), body).await }
        };
        let me = Some(official.clone());

        let bow_tie = json!({"type": "Polygon", "coordinates": [[
            [104.28, 22.53], [104.30, 22.55], [104.30, 22.53], [104.28, 22.55], [104.28, 22.53]
        ]]});
        let r = post(zone(&app, "lockdown", bow_tie), me.clone()).await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert_eq!(r.field_code("geometry"), Some("polygon_self_intersects"));
        assert!(r.body["errors"][0]["message"]["vi"].as_str().unwrap().contains("tự cắt"));

        let unclosed = json!({"type": "Polygon", "coordinates": [[
            [104.28, 22.53], [104.30, 22.53], [104.30, 22.55], [104.28, 22.55]
        ]]});
        let r = post(zone(&app, "lockdown", unclosed), me.clone()).await;
        assert_eq!(r.field_code("geometry"), Some("polygon_not_closed"));
        let short = json!({"type": "Polygon", "coordinates": [[[104.28, 22.53], [104.30, 22.53], [104.28, 22.53]]]});
        let r = post(zone(&app, "lockdown", short), me.clone()).await;
        assert_eq!(r.field_code("geometry"), Some("polygon_too_few_points"));
        let swapped = json!({"type": "Point", "coordinates": [22.54, 104.29]});
        let r = post(zone(&app, "checkpoint", swapped), me.clone()).await;
        assert_eq!(r.field_code("geometry"), Some("coordinates_out_of_range"));
        let r = post(zone(&app, "checkpoint", square()), me.clone()).await;
        assert_eq!(r.field_code("geometry"), Some("geometry_kind_mismatch"));
        let mut reversed = zone(&app, "lockdown", square());
        reversed["valid_until"] = json!("2020-01-01T00:00:00Z");
        reversed["name"] = json!("");
        let r = post(reversed, me.clone()).await;
        assert_eq!(r.field_code("valid_until"), Some("ends_before_start"));
        assert_eq!(r.field_code("name"), Some("required"));
        let mut unknown = zone(&app, "lockdown", square());
        unknown["radius"] = json!(500);
        assert_eq!(post(unknown, me.clone()).await.status, 400);

        let mut sa_pa = zone(&app, "lockdown", square());
        sa_pa["unit_code"] = json!(SA_PA);
        let r = post(sa_pa, me.clone()).await;
        assert_eq!(r.status, 403, "{}", r.body);
        assert_eq!(r.body["code"], "out_of_jurisdiction");
        let scanner = app.staff_token("quet.bacha", "venue_staff", BAC_HA).await;
        let r = post(zone(&app, "lockdown", square()), Some(scanner)).await;
        assert_eq!(r.status, 403);
        assert_eq!(r.body["code"], "role_forbidden");
        assert_eq!(post(zone(&app, "lockdown", square()), None).await.status, 401);
        let citizen = app.citizen_token("0912000201").await;
        let r = post(zone(&app, "lockdown", square()), Some(citizen)).await;
        assert!([401, 403].contains(&r.status), "{}", r.body);

        assert_eq!(app.store.zone_count().await.unwrap(), 0);
        assert_eq!(app.get("/api/v1/zones", None).await.body, json!([]));
    })
    .await;
}

#[tokio::test]
async fn bad_lookups_and_filters_get_field_errors() {
    each_backend(relaxed(), |app| async move {
        let r = app
            .get("/api/v1/zones/lookup?lat=abc&lon=104.29", None)
            .await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert_eq!(r.field_code("lat"), Some("number_invalid"));
        let r = app.get("/api/v1/zones/lookup?lat=95&lon=NaN", None).await;
        assert_eq!(r.field_code("lat"), Some("coordinates_out_of_range"));
        assert_eq!(r.field_code("lon"), Some("coordinates_out_of_range"));
        let r = app
            .get("/api/v1/zones/lookup?lat=22.54&at=yesterday", None)
            .await;
        assert_eq!(r.field_code("lon"), Some("required"));
        assert_eq!(r.field_code("at"), Some("time_invalid"));
        let r = app.get("/api/v1/zones?kind=curfew", None).await;
        assert_eq!(r.field_code("kind"), Some("choice_unknown"));
        let r = app.get("/api/v1/zones?unit=99999", None).await;
        assert_eq!(r.field_code("unit"), Some("unit_unknown"));
        assert_eq!(app.get("/api/v1/zones?bbox=1", None).await.status, 400);
        // Outside Vietnam is a fair question with a plain answer.
        let r = app
            .get("/api/v1/zones/lookup?lat=48.85&lon=2.35", None)
            .await;
        assert_eq!(r.status, 200);
        assert_eq!(r.body["in_zone"], false);
    })
    .await;
}

/// A closed ring of `n` positions on a circle of 0.01° around Bắc Hà.
fn circle(n: usize) -> Value {
    let ring: Vec<[f64; 2]> = (0..n)
        .map(|i| {
            let a = (i % (n - 1)) as f64 / (n - 1) as f64 * std::f64::consts::TAU;
            [104.29 + 0.01 * a.cos(), 22.54 + 0.01 * a.sin()]
        })
        .collect();
    json!({"type": "Polygon", "coordinates": [ring]})
}

#[tokio::test]
async fn large_outlines_pass_up_to_the_limit_and_are_documented() {
    each_backend(relaxed(), |app| async move {
        let official = app
            .staff_token("yte.bacha", "health_official", BAC_HA)
            .await;
        let r = app
            .post(
                "/api/v1/zones",
                Some(&official),
                zone(&app, "lockdown", circle(5_000)),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(
            r.body["geometry"]["coordinates"][0]
                .as_array()
                .unwrap()
                .len(),
            5_000
        );
        assert_eq!(lookup(&app, 22.545, 104.295, None).await["in_zone"], true);
        assert_eq!(
            lookup(&app, 22.549, 104.299, None).await["in_zone"],
            false,
            "outside the arc"
        );
        let r = app
            .post(
                "/api/v1/zones",
                Some(&official),
                zone(&app, "lockdown", circle(5_001)),
            )
            .await;
        assert_eq!(r.field_code("geometry"), Some("polygon_too_many_vertices"));

        let doc = app.get("/api/v1/openapi.json", None).await.body;
        for path in [
            "/api/v1/zones",
            "/api/v1/zones/lookup",
            "/api/v1/zones/{id}",
            "/api/v1/zones/{id}/end",
        ] {
            assert!(
                doc["paths"][path].is_object(),
                "{path} missing from OpenAPI"
            );
        }
        assert!(doc["components"]["schemas"]["ZoneForm"].is_object());
    })
    .await;
}

/// Zones feed the declarations' risk flags: living in a commune with an active lockdown zone.
#[tokio::test]
async fn a_lockdown_zone_flags_the_declarations_of_its_commune() {
    crate::helpers::each_backend(crate::helpers::relaxed(), |app| async move {
        let official = app.staff_token("yte.bacha", "health_official", "02839").await;
        let citizen = app.citizen_token("0912444001").await;
        let declare = |unit: &'static str| {
            serde_json::json!({"kind": "domestic", "identity": {"full_name": "Lò Văn Sử",
                "birth_year": 1980, "gender": "male", "nationality": "VN",
                "address": {"unit_code": unit, "street": "Thôn 1"}, "phone": "0912444001"},
                "health": {}, "consent": true})
        };
        let before = app.post("/api/v1/declarations", Some(&citizen), declare("02839")).await;
        assert_eq!(before.status, 201, "{}", before.body);
        assert_eq!(before.body["colour"], "green");
        let zone = app
            .post("/api/v1/zones", Some(&official), serde_json::json!({"kind": "lockdown",
                "name": "Phong tỏa thôn Bắc Hà", "unit_code": "02839",
                "geometry": {"type": "Polygon", "coordinates": [[[104.288, 22.539], [104.2935, 22.539],
                  [104.2935, 22.5428], [104.288, 22.5428], [104.288, 22.539]]]},
                "valid_from": "2027-01-15T00:00:00Z"}))
            .await;
        assert_eq!(zone.status, 201, "{}", zone.body);
        let after = app.post("/api/v1/declarations", Some(&citizen), declare("02839")).await;
        assert_eq!(after.body["colour"], "yellow", "{}", after.body);
        let codes: Vec<&str> = after.body["flags"].as_array().unwrap().iter()
            .map(|f| f["code"].as_str().unwrap()).collect();
        assert_eq!(codes, ["lives_in_zone"]);
        let elsewhere = app.post("/api/v1/declarations", Some(&citizen), declare("03006")).await;
        assert_eq!(elsewhere.body["colour"], "green");
    })
    .await;
}
