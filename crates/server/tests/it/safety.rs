//! "An toàn COVID" and the map over HTTP, on both stores: facilities and their daily
//! self-assessments (the map's colour follows, live over server-sent events), versioned criteria
//! sets, citizens' feedback with photos, risk reports triaged and closed, and area levels that
//! follow cases.

use std::io::Cursor;
use std::time::Duration;

use base64::Engine;
use serde_json::{json, Value};

use crate::helpers::{each_backend, relaxed, TestApp};

const BAC_HA: &str = "02839";
const SA_PA: &str = "03006";
/// The test clock's day in Vietnam (1,800,000,000 s is 2027-01-15 08:00 UTC).
const TODAY: &str = "2027-01-15";

fn facility(name: &str, kind: &str, unit: &str) -> Value {
    json!({"name": name, "facility_type": kind, "unit_code": unit, "address": "Tổ 1",
        "lat": 22.3364, "lon": 103.8438})
}

async fn criteria(app: &TestApp, facility: i64) -> Value {
    let r = app
        .get(&format!("/api/v1/facilities/{facility}/criteria"), None)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

/// Every criterion of a pass/fail set answered `answer`.
fn all(set: &Value, answer: &str) -> Value {
    let answers: serde_json::Map<String, Value> = set["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap().to_owned(), json!(answer)))
        .collect();
    json!({"set_id": set["id"], "set_version": set["version"], "day": TODAY, "answers": answers})
}

async fn layer(app: &TestApp, id: &str, query: &str) -> (Value, String) {
    let r = app
        .get(&format!("/api/v1/map/layers/{id}.geojson{query}"), None)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let etag = r.headers["etag"].to_str().unwrap().to_owned();
    (r.body, etag)
}

fn colour_of(collection: &Value, facility: i64) -> String {
    collection["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["facility_id"] == facility)
        .map(|f| f["properties"]["colour"].as_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// Reads server-sent events until one names `layer`, or fails after a few seconds.
async fn wait_for_event(events: &mut reqwest::Response, layer: &str) {
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !seen.contains(&format!("{{\"layer\":\"{layer}\"}}")) {
        let chunk = tokio::time::timeout_at(deadline, events.chunk())
            .await
            .expect("no map event in time")
            .unwrap()
            .expect("event stream ended");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(seen.contains("event: layer"), "{seen}");
}

#[tokio::test]
async fn assessments_colour_the_map_live_and_sets_are_versioned() {
    each_backend(relaxed(), |app| async move {
        let official = app.staff_token("yte.sapa", "health_official", SA_PA).await;
        let province = app.staff_token("yte.laocai", "health_official", "15").await;
        let staff = app
            .staff_token("truong.sapa", "facility_staff", SA_PA)
            .await;
        let other = app
            .staff_token("truong.khac", "facility_staff", SA_PA)
            .await;

        // Registration: bad input, another jurisdiction, then a school in Sa Pa.
        let bad = app
            .post(
                "/api/v1/facilities",
                Some(&official),
                json!({"name": " ", "facility_type": "bar",
                "unit_code": SA_PA, "lat": 103.8, "lon": 22.3}),
            )
            .await;
        assert_eq!(bad.status, 422, "{}", bad.body);
        let fields: Vec<&str> = bad.body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["name", "facility_type", "lat"]);
        let r = app
            .post(
                "/api/v1/facilities",
                Some(&official),
                facility("Trường Bắc Hà", "school", BAC_HA),
            )
            .await;
        assert_eq!(r.status, 403, "{}", r.body);
        let r = app
            .post(
                "/api/v1/facilities",
                Some(&official),
                facility("Trường THCS Sa Pa", "school", SA_PA),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body["colour"], "grey");
        let school = r.body["id"].as_i64().unwrap();
        let r = app
            .post(
                &format!("/api/v1/facilities/{school}/staff"),
                Some(&official),
                json!({"username": "truong.sapa"}),
            )
            .await;
        assert_eq!(r.status, 204, "{}", r.body);
        let r = app
            .post(
                &format!("/api/v1/facilities/{school}/staff"),
                Some(&official),
                json!({"username": "yte.laocai"}),
            )
            .await;
        assert_eq!(r.field_code("username"), Some("facility_staff_unknown"));
        let mine = app.get("/api/v1/me/facilities", Some(&staff)).await;
        assert_eq!(mine.body[0]["id"], school);

        // The layer: grey, with an ETag that answers 304 while nothing changes.
        let (before, etag) = layer(&app, "facility-safety", "?unit=15").await;
        assert_eq!(colour_of(&before, school), "grey");
        let again = app
            .client
            .get(format!(
                "{}/api/v1/map/layers/facility-safety.geojson?unit=15",
                app.base
            ))
            .header("If-None-Match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status().as_u16(), 304);

        // Bad input of an assessment; someone not on the staff.
        let set = criteria(&app, school).await;
        assert_eq!(set["kind"], "pass_fail");
        assert_eq!(set["criteria"].as_array().unwrap().len(), 15);
        let url = format!("/api/v1/facilities/{school}/assessments");
        let mut wrong = all(&set, "met");
        wrong["day"] = json!("2027-01-14");
        wrong["answers"]["no_such_criterion"] = json!("met");
        let r = app.post(&url, Some(&staff), wrong).await;
        assert_eq!(r.status, 422, "{}", r.body);
        let codes: Vec<&str> = r.body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_str().unwrap())
            .collect();
        assert!(codes.contains(&"not_today"), "{codes:?}");
        assert!(codes.contains(&"criterion_unknown"), "{codes:?}");
        assert_eq!(
            app.post(&url, Some(&other), all(&set, "met")).await.status,
            403
        );
        assert_eq!(
            app.post(&url, Some(&official), all(&set, "met"))
                .await
                .status,
            403
        );

        // A good assessment wakes a listening map, and the colour changes.
        let mut events = app
            .client
            .get(format!("{}/api/v1/map/events", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(events.headers()["content-type"], "text/event-stream");
        let r = app.post(&url, Some(&staff), all(&set, "met")).await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body["colour"], "green");
        wait_for_event(&mut events, "facility-safety").await;
        let (after, etag_after) = layer(&app, "facility-safety", "?unit=15").await;
        assert_eq!(colour_of(&after, school), "green");
        assert_ne!(etag, etag_after);
        // The same day again replaces it: all unmet is red.
        let r = app.post(&url, Some(&staff), all(&set, "not_met")).await;
        assert_eq!(r.body["colour"], "red");
        let history = app.get(&url, None).await;
        assert_eq!(history.body.as_array().unwrap().len(), 1);
        assert_eq!(
            colour_of(&layer(&app, "facility-safety", "").await.0, school),
            "red"
        );
        // The next day the facility is grey until it assesses again.
        app.clock.advance(jiff::SignedDuration::from_hours(24));
        let (next_day, _) = layer(&app, "facility-safety", "").await;
        assert_eq!(colour_of(&next_day, school), "grey");
        app.clock.advance(jiff::SignedDuration::from_hours(-24));

        // Sets: a commune official may not revise; the province publishes version 2, and a
        // form filled from version 1 must be reloaded. Past assessments keep their version.
        let mut revised = set.clone();
        revised.as_object_mut().unwrap().remove("version");
        revised["name_en"] = json!("School safety checklist (province edition)");
        let r = app
            .request(
                "PUT",
                "/api/v1/criteria-sets/school",
                Some(&official),
                Some(revised.clone()),
            )
            .await;
        assert_eq!(r.status, 403, "{}", r.body);
        let r = app
            .request(
                "PUT",
                "/api/v1/criteria-sets/school",
                Some(&province),
                Some(revised),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body["version"], 2);
        let r = app.post(&url, Some(&staff), all(&set, "met")).await;
        assert_eq!(r.field_code("set_version"), Some("set_version_outdated"));
        assert_eq!(app.get(&url, None).await.body[0]["set_version"], 1);
        let v2 = criteria(&app, school).await;
        assert_eq!(v2["version"], 2);
        assert_eq!(
            app.post(&url, Some(&staff), all(&v2, "met")).await.status,
            201
        );
        let r = app
            .request(
                "PUT",
                "/api/v1/criteria-sets/school",
                Some(&province),
                Some(json!({"id": "x", "criteria": []})),
            )
            .await;
        assert_eq!(r.field_code("body"), Some("criteria_set_invalid"));

        // Filters: bad boxes and unknown layers.
        for bbox in ["1,2,3", "a,b,c,d", "190,0,191,1"] {
            let r = app
                .get(
                    &format!("/api/v1/map/layers/facility-safety.geojson?bbox={bbox}"),
                    None,
                )
                .await;
            assert_eq!(r.field_code("bbox"), Some("bbox_invalid"), "{bbox}");
        }
        let r = app
            .get(
                "/api/v1/map/layers/facility-safety.geojson?bbox=104,23,103,22",
                None,
            )
            .await;
        assert_eq!(r.field_code("bbox"), Some("bbox_inverted"));
        let (boxed, _) = layer(&app, "facility-safety", "?bbox=103.8,22.3,103.9,22.4").await;
        assert_eq!(boxed["features"].as_array().unwrap().len(), 1);
        let (outside, _) = layer(&app, "facility-safety", "?bbox=104.2,22.5,104.3,22.6").await;
        assert_eq!(outside["features"].as_array().unwrap().len(), 0);
        assert_eq!(
            app.get("/api/v1/map/layers/nothing.geojson", None)
                .await
                .status,
            404
        );
        let layers = app.get("/api/v1/map/layers", None).await;
        let ids: Vec<&str> = layers
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["id"].as_str().unwrap())
            .collect();
        for id in [
            "facility-safety",
            "medical-facilities",
            "quarantine-areas",
            "checkpoints",
            "lockdown-zones",
            "risky-venues",
            "area-levels",
            "cases",
        ] {
            assert!(ids.contains(&id), "{id}");
            let url = layers
                .body
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["id"] == id)
                .unwrap()["url"]
                .as_str()
                .unwrap()
                .to_owned();
            let r = app.get(&url, None).await;
            assert_eq!(r.status, 200, "{id}: {}", r.body);
            assert_eq!(r.body["type"], "FeatureCollection");
        }
    })
    .await;
}

fn png_with_text() -> String {
    let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 3, y as u8 * 4, 120]));
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(out)
    )
}

#[tokio::test]
async fn feedback_and_risk_reports_reach_the_right_people() {
    let config = phongdich_server::ServerConfig {
        risk_reports_per_citizen_per_day: 3,
        ..relaxed()
    };
    each_backend(config, |app| async move {
        let official = app.staff_token("yte.sapa", "health_official", SA_PA).await;
        let elsewhere = app.staff_token("yte.bacha", "health_official", BAC_HA).await;
        let staff = app.staff_token("truong.sapa", "facility_staff", SA_PA).await;
        let r = app.post("/api/v1/facilities", Some(&official), facility("Trường THCS Sa Pa", "school", SA_PA)).await;
        let school = r.body["id"].as_i64().unwrap();
        app.post(&format!("/api/v1/facilities/{school}/staff"), Some(&official), json!({"username": "truong.sapa"})).await;
        let parent = app.citizen_token("0912000101").await;
        let neighbour = app.citizen_token("0912000102").await;

        // Feedback: a non-image is refused; a PNG is kept as a clean JPEG; the author is never shown.
        let url = format!("/api/v1/facilities/{school}/feedback");
        let r = app.post(&url, Some(&parent), json!({"text": "Không có nước rửa tay",
            "photo": format!("data:image/gif;base64,{}", base64::engine::general_purpose::STANDARD.encode(b"GIF89a.."))})).await;
        assert_eq!(r.field_code("photo"), Some("photo_not_image"));
        assert_eq!(app.post(&url, Some(&staff), json!({"text": "x"})).await.status, 403);
        let r = app.post(&url, Some(&parent), json!({"text": "Không có nước rửa tay ở cổng", "photo": png_with_text()})).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let feedback = r.body["id"].as_i64().unwrap();
        let photo = app.client.get(format!("{}{}", app.base, r.body["photo_url"].as_str().unwrap())).send().await.unwrap();
        assert_eq!(photo.headers()["content-type"], "image/jpeg");
        let bytes = photo.bytes().await.unwrap();
        assert_eq!(image::load_from_memory(&bytes).unwrap().width(), 64);
        let detail = app.get(&format!("/api/v1/facilities/{school}"), None).await;
        assert_eq!(detail.body["open_feedback"], 1);
        assert_eq!(detail.body["feedback"][0]["status"], "open");
        assert!(!detail.body.to_string().contains("0912000101"));
        let open = app.get("/api/v1/feedback?status=open", Some(&official)).await;
        assert_eq!(open.body.as_array().unwrap().len(), 1);
        assert_eq!(app.get("/api/v1/feedback", Some(&elsewhere)).await.body.as_array().unwrap().len(), 0);
        let answer = format!("/api/v1/feedback/{feedback}/answer");
        assert_eq!(app.post(&answer, Some(&elsewhere), json!({"answer": "x"})).await.status, 403);
        let r = app.post(&answer, Some(&staff), json!({"answer": "Đã đặt bình nước rửa tay"})).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["status"], "answered");
        assert_eq!(app.post(&answer, Some(&staff), json!({"answer": "lần nữa"})).await.status, 409);
        assert_eq!(app.get(&format!("/api/v1/facilities/{school}"), None).await.body["open_feedback"], 0);

        // Risk reports: bad input, then one with a photo, then the daily limit.
        let r = app.post("/api/v1/risk-reports", Some(&neighbour), json!({"category": "rumour",
            "unit_code": SA_PA, "text": " "})).await;
        assert_eq!(r.status, 422);
        let report = json!({"category": "gathering", "unit_code": SA_PA, "lat": 22.3357, "lon": 103.8442,
            "address": "Quảng trường", "text": "Tụ tập đông người, không khẩu trang", "photo": png_with_text()});
        let r = app.post("/api/v1/risk-reports", Some(&neighbour), report.clone()).await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert!(r.body.get("reporter").is_none());
        let id = r.body["id"].as_i64().unwrap();
        for _ in 0..2 {
            assert_eq!(app.post("/api/v1/risk-reports", Some(&neighbour), report.clone()).await.status, 201);
        }
        let r = app.post("/api/v1/risk-reports", Some(&neighbour), report.clone()).await;
        assert_eq!(r.status, 429, "{}", r.body);

        // Only the commune's officials see it, with the reporter; the audit log records the list.
        let audited = app.store.audit_count().await.unwrap();
        let list = app.get("/api/v1/risk-reports?status=open", Some(&official)).await;
        assert_eq!(list.body.as_array().unwrap().len(), 3);
        assert_eq!(list.body[0]["reporter"]["phone"], "+84912000102");
        assert_eq!(app.store.audit_count().await.unwrap(), audited + 1);
        assert_eq!(app.get("/api/v1/risk-reports", Some(&elsewhere)).await.body.as_array().unwrap().len(), 0);
        assert_eq!(app.get("/api/v1/risk-reports?status=done", Some(&official)).await.field_code("status"), Some("choice_unknown"));
        assert_eq!(app.post(&format!("/api/v1/risk-reports/{id}/triage"), Some(&elsewhere), json!({})).await.status, 403);
        assert_eq!(app.get("/api/v1/risk-reports", Some(&parent)).await.status, 403);
        let photo = format!("/api/v1/risk-reports/{id}/photo");
        assert_eq!(app.get(&photo, Some(&parent)).await.status, 404);
        assert_eq!(app.client.get(format!("{}{photo}", app.base)).bearer_auth(&neighbour).send().await.unwrap().status(), 200);
        assert_eq!(app.client.get(format!("{}{photo}", app.base)).bearer_auth(&official).send().await.unwrap().status(), 200);

        // Triage, then close (a note is required), and the reporter follows.
        let r = app.post(&format!("/api/v1/risk-reports/{id}/triage"), Some(&official), json!({})).await;
        assert_eq!(r.body["status"], "in_progress", "{}", r.body);
        let close = format!("/api/v1/risk-reports/{id}/close");
        assert_eq!(app.post(&close, Some(&official), json!({})).await.field_code("note"), Some("required"));
        let r = app.post(&close, Some(&official), json!({"note": "Đã nhắc nhở và giải tán"})).await;
        assert_eq!(r.body["status"], "closed", "{}", r.body);
        assert_eq!(app.post(&close, Some(&official), json!({"note": "lại"})).await.field_code("status"), Some("report_closed"));
        let mine = app.get("/api/v1/me/risk-reports", Some(&neighbour)).await;
        let closed = mine.body.as_array().unwrap().iter().find(|r| r["id"] == id).unwrap();
        assert_eq!(closed["status"], "closed");
        assert_eq!(closed["status_vi"], "Đã xử lý");
        assert_eq!(closed["note"], "Đã nhắc nhở và giải tán");
        assert!(closed.get("reporter").is_none());
        assert_eq!(app.get("/api/v1/me/risk-reports", Some(&parent)).await.body.as_array().unwrap().len(), 0);

        // Retention: handled reports and answered feedback go after tracing's 90 days; open
        // reports stay until handled.
        app.clock.advance(jiff::SignedDuration::from_hours(24 * 89));
        assert_eq!(app.state.enforce_retention().await.unwrap().report_rows, 0);
        app.clock.advance(jiff::SignedDuration::from_hours(48));
        let purged = app.state.enforce_retention().await.unwrap();
        assert_eq!(purged.report_rows, 2, "the closed report and the answered feedback");
        assert!(app.store.risk_report(id).await.unwrap().is_none());
        assert!(app.store.feedback(feedback).await.unwrap().is_none());
        assert_eq!(app.store.my_risk_reports(neighbour_id(&app).await).await.unwrap().len(), 2);
    })
    .await;
}

async fn neighbour_id(app: &TestApp) -> i64 {
    let phone = phongdich_domain::phone::PhoneNumber::parse("p", "0912000102").unwrap();
    app.store
        .citizen_by_phone(&phone)
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn area_levels_follow_cases_and_populations() {
    each_backend(relaxed(), |app| async move {
        let official = app.staff_token("yte.bacha", "health_official", BAC_HA).await;
        let r = app.request("PUT", &format!("/api/v1/units/{BAC_HA}/population"), Some(&official),
            Some(json!({"population": 0}))).await;
        assert_eq!(r.field_code("population"), Some("population_out_of_range"));
        let r = app.request("PUT", &format!("/api/v1/units/{SA_PA}/population"), Some(&official),
            Some(json!({"population": 1000}))).await;
        assert_eq!(r.status, 403);
        let r = app.request("PUT", &format!("/api/v1/units/{BAC_HA}/population"), Some(&official),
            Some(json!({"population": 8000}))).await;
        assert_eq!(r.status, 200, "{}", r.body);

        let l = app.get("/api/v1/map/area-levels?unit=15", None).await.body;
        assert_eq!(l["units"][0]["code"], BAC_HA);
        assert_eq!(l["units"][0]["level"], 1);
        assert_eq!(l["total"]["population"], 8000);
        // 2 community cases in a week among 8,000 people is 25 per 100,000: level 2. An imported
        // case does not count.
        for (i, source) in ["community", "imported", "community"].iter().enumerate() {
            let r = app.post("/api/v1/cases", Some(&official), json!({"person": {"full_name": format!("Ca {i}"),
                "unit_code": BAC_HA}, "sample_date": "2027-01-14", "confirmed_date": TODAY, "source": source})).await;
            assert_eq!(r.status, 201, "{}", r.body);
        }
        let l = app.get("/api/v1/map/area-levels?unit=15", None).await.body;
        assert_eq!(l["units"][0]["new_community_cases"], 2);
        assert_eq!(l["units"][0]["rate_per_100k"], 25.0);
        assert_eq!(l["units"][0]["level"], 2);
        assert_eq!(l["units"][0]["colour"], "yellow");
        let (cases, _) = layer(&app, "cases", "?unit=15").await;
        assert_eq!(cases["features"][0]["properties"]["count"], 3);
        // No located thing in Bắc Hà yet: the commune has no point, and says so.
        assert_eq!(cases["features"][0]["geometry"], Value::Null);
        let (levels_layer, _) = layer(&app, "area-levels", "?unit=15").await;
        assert_eq!(levels_layer["features"][0]["properties"]["level"], 2);
    })
    .await;
}

#[tokio::test]
async fn every_new_staff_endpoint_checks_the_caller_and_the_role() {
    each_backend(relaxed(), |app| async move {
        let citizen = app.citizen_token("0912000301").await;
        let venue = app.staff_token("cho.bacha", "venue_staff", BAC_HA).await;
        let campaign = json!({"name": "C", "goal": "install_app", "start": "2027-01-01",
            "deadline": "2027-01-31", "targets": [{"population": "staff", "percent": 100}], "units": ["X1"]});
        let org = json!({"code": "X1", "name": "X", "kind": "agency", "unit_code": BAC_HA});
        let assessment = json!({"set_id": "x", "set_version": 1, "day": TODAY, "answers": {}});
        let endpoints: Vec<(&str, &str, Option<Value>)> = vec![
            ("POST", "/api/v1/facilities", Some(facility("F", "school", BAC_HA))),
            ("POST", "/api/v1/facilities/1/staff", Some(json!({"username": "x"}))),
            ("GET", "/api/v1/me/facilities", None),
            ("PUT", "/api/v1/criteria-sets/school", Some(json!({}))),
            ("POST", "/api/v1/facilities/1/assessments", Some(assessment)),
            ("POST", "/api/v1/feedback/1/answer", Some(json!({"answer": "x"}))),
            ("GET", "/api/v1/feedback", None),
            ("GET", "/api/v1/risk-reports", None),
            ("POST", "/api/v1/risk-reports/1/triage", Some(json!({}))),
            ("POST", "/api/v1/risk-reports/1/close", Some(json!({"note": "x"}))),
            ("PUT", "/api/v1/units/02839/population", Some(json!({"population": 10}))),
            ("POST", "/api/v1/org-units", Some(org)),
            ("GET", "/api/v1/org-units", None),
            ("POST", "/api/v1/campaigns", Some(campaign)),
            ("GET", "/api/v1/campaigns", None),
            ("GET", "/api/v1/campaigns/1", None),
            ("POST", "/api/v1/campaigns/1/reports", Some(json!({"unit": "X1", "date": TODAY, "counts": {}}))),
            ("GET", "/api/v1/campaigns/1/report.xlsx", None),
            ("GET", "/api/v1/campaigns/1/report.pdf", None),
            ("POST", "/api/v1/campaigns/reminders", Some(json!({}))),
        ];
        for (method, path, body) in endpoints {
            let r = app.request(method, path, None, body.clone()).await;
            assert_eq!(r.status, 401, "{method} {path} without a token");
            let r = app.request(method, path, Some(&citizen), body.clone()).await;
            assert_eq!((r.status, r.body["code"].as_str()), (403, Some("staff_only")), "{method} {path}");
            let r = app.request(method, path, Some(&venue), body).await;
            assert_eq!((r.status, r.body["code"].as_str()), (403, Some("role_forbidden")), "{method} {path}: {}", r.body);
        }
        let r = app.post_csv("/api/v1/org-units/import", &venue, "code\n").await;
        assert_eq!(r.status, 403);
    })
    .await;
}

#[tokio::test]
async fn an_open_map_page_does_not_hold_a_graceful_stop() {
    let dir = tempfile::tempdir().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (app, server) = crate::helpers::start_stoppable(dir.path(), async move {
        let _ = stopped.await;
    })
    .await;
    let mut events = app
        .client
        .get(format!("{}/api/v1/map/events", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(events.status().as_u16(), 200);
    stop.send(()).unwrap();
    let finished = tokio::time::timeout(Duration::from_secs(10), server).await;
    assert!(
        finished.is_ok(),
        "the server did not stop with a map page open"
    );
    // The page's stream has ended rather than being cut mid-event.
    let rest = tokio::time::timeout(Duration::from_secs(5), events.chunk())
        .await
        .unwrap();
    assert!(matches!(rest, Ok(None)), "{rest:?}");
}
