//! Venues, check-in and exposure alerts over HTTP, on both stores.

use jiff::SignedDuration;
use phongdich_server::CheckinMode;
use phongdich_venue_qr::{parse_link, verify_feed};
use serde_json::{json, Value};

use crate::helpers::{each_backend, relaxed, Now, TestApp};

const OWNER: &str = "0912000101";
const VISITOR: &str = "0912000102";
const OTHER: &str = "0912000103";

fn market() -> Value {
    json!({"name": "Chợ Bắc Hà", "category": "market", "unit_code": "02839",
        "street": "Thôn Bắc Hà", "lat": 22.5407, "lon": 104.2906})
}

/// Registers the market and returns (owner token, venue code, signature).
async fn register(app: &TestApp) -> (String, String, String) {
    let owner = app.citizen_token(OWNER).await;
    let r = app.post("/api/v1/venues", Some(&owner), market()).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let url = r.body["qr_url"].as_str().unwrap().to_owned();
    let (code, sig) = parse_link(&url).unwrap();
    assert_eq!(code, r.body["id"]);
    (owner, code.to_owned(), sig.to_owned())
}

fn checkin(client: &str, code: &str, sig: &str) -> Value {
    json!({"client_id": client, "venue_id": code, "sig": sig})
}

#[tokio::test]
async fn owners_register_venues_and_bad_forms_and_forged_links_are_refused() {
    each_backend(relaxed(), |app| async move {
        let (owner, code, sig) = register(&app).await;
        let bad = json!({"name": " ", "category": "casino", "unit_code": "02839", "lat": 104.29, "lon": 22.54});
        let r = app.post("/api/v1/venues", Some(&owner), bad).await;
        assert_eq!(r.status, 422);
        assert_eq!(r.field_code("name"), Some("required"));
        assert_eq!(r.field_code("category"), Some("choice_unknown"));
        assert_eq!(r.field_code("lat"), Some("outside_vietnam"));

        let mine = app.get("/api/v1/me/venues", Some(&owner)).await;
        assert_eq!(mine.body.as_array().unwrap().len(), 1);
        assert_eq!(mine.body[0]["category_vi"], "Chợ");
        assert_eq!(mine.body[0]["dwell_minutes"], 90);

        let ok = app.get(&format!("/api/v1/venues/{code}?sig={sig}"), None).await;
        assert_eq!(ok.status, 200, "{}", ok.body);
        assert!(ok.body["address"].as_str().unwrap().starts_with("Thôn Bắc Hà, Xã Bắc Hà"));
        let mut forged = sig.clone().into_bytes();
        forged[5] = if forged[5] == b'A' { b'B' } else { b'A' };
        let forged = String::from_utf8(forged).unwrap();
        let r = app.get(&format!("/api/v1/venues/{code}?sig={forged}"), None).await;
        assert_eq!(r.field_code("sig"), Some("venue_link_invalid"));
        let truncated = &sig[..40];
        let r = app.get(&format!("/api/v1/venues/{code}?sig={truncated}"), None).await;
        assert_eq!(r.field_code("sig"), Some("venue_link_invalid"));
        // A valid signature of one venue does not open another.
        let r = app.get(&format!("/api/v1/venues/V00000000?sig={sig}"), None).await;
        assert_eq!(r.field_code("sig"), Some("venue_link_invalid"));
    })
    .await;
}

#[tokio::test]
async fn citizens_check_in_and_out_with_family_retries_and_offline_times() {
    each_backend(relaxed(), |app| async move {
        let (owner, code, sig) = register(&app).await;
        let visitor = app.citizen_token(VISITOR).await;
        let member = app
            .post(
                "/api/v1/me/family",
                Some(&visitor),
                json!({"full_name": "Vàng Thị Mai", "birth_year": 2015, "relation": "child"}),
            )
            .await;
        assert_eq!(member.status, 201, "{}", member.body);
        let member_id = member.body["id"].as_i64().unwrap();

        let mut form = checkin("visit-0001", &code, &sig);
        form["members"] = json!([null, member_id]);
        let first = app
            .post("/api/v1/checkins", Some(&visitor), form.clone())
            .await;
        assert_eq!(first.status, 201, "{}", first.body);
        assert_eq!(first.body["visits"].as_array().unwrap().len(), 2);
        let again = app.post("/api/v1/checkins", Some(&visitor), form).await;
        assert_eq!(again.body, first.body, "a retry returns the same visits");
        assert_eq!(
            app.store.checkin_count().await.unwrap(),
            2,
            "and adds no row"
        );
        let auto_out: jiff::Timestamp = first.body["visits"][0]["out_at"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let in_at: jiff::Timestamp = first.body["visits"][0]["in_at"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(
            auto_out.duration_since(in_at),
            SignedDuration::from_mins(90)
        );

        let mut stranger = checkin("visit-0002", &code, &sig);
        stranger["members"] = json!([999_999]);
        let r = app.post("/api/v1/checkins", Some(&visitor), stranger).await;
        assert_eq!(r.field_code("members"), Some("member_unknown"));

        app.clock.advance(SignedDuration::from_mins(30));
        let out =
            json!({"client_id": "leave-0001", "venue_id": code, "members": [null, member_id]});
        let r = app
            .post("/api/v1/checkins/out", Some(&visitor), out.clone())
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["visits"][0]["out_auto"], false);
        let again = app.post("/api/v1/checkins/out", Some(&visitor), out).await;
        assert_eq!(again.body, r.body, "a retried check-out answers the same");
        let never = json!({"client_id": "leave-0002", "venue_id": code});
        let r = app
            .post("/api/v1/checkins/out", Some(&visitor), never)
            .await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (409, Some("not_checked_in"))
        );

        // Queued offline: its own time is kept within the bound; beyond it, a clear error.
        let earlier = (app.clock.now_ts() - SignedDuration::from_hours(5)).to_string();
        let mut queued = checkin("visit-0003", &code, &sig);
        queued["at"] = json!(earlier);
        let r = app.post("/api/v1/checkins", Some(&visitor), queued).await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(
            r.body["visits"][0]["in_at"].as_str(),
            Some(earlier.as_str())
        );
        for (at, code_) in [
            (
                app.clock.now_ts() + SignedDuration::from_hours(2),
                "time_in_future",
            ),
            (
                app.clock.now_ts() - SignedDuration::from_hours(30),
                "time_too_old",
            ),
        ] {
            let mut f = checkin("visit-0004", &code, &sig);
            f["at"] = json!(at.to_string());
            let r = app.post("/api/v1/checkins", Some(&visitor), f).await;
            assert_eq!(r.field_code("at"), Some(code_), "{}", r.body);
        }
        let r = app
            .post(
                "/api/v1/checkins",
                Some(&visitor),
                checkin("short", &code, &sig),
            )
            .await;
        assert_eq!(r.field_code("client_id"), Some("client_id_invalid"));
        let r = app
            .post(
                "/api/v1/checkins",
                Some(&visitor),
                checkin("visit-0005", &code, &sig[..60]),
            )
            .await;
        assert_eq!(r.field_code("sig"), Some("venue_link_invalid"));

        // A closed venue takes no check-ins.
        let r = app
            .request(
                "PATCH",
                &format!("/api/v1/venues/{code}"),
                Some(&owner),
                Some(json!({"status": "closed"})),
            )
            .await;
        assert_eq!(r.body["status"], "closed");
        let r = app
            .post(
                "/api/v1/checkins",
                Some(&visitor),
                checkin("visit-0006", &code, &sig),
            )
            .await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (409, Some("venue_closed"))
        );
        let r = app
            .request(
                "PATCH",
                &format!("/api/v1/venues/{code}"),
                Some(&visitor),
                Some(json!({"status": "open"})),
            )
            .await;
        assert_eq!(r.status, 403);

        let visits = app.get("/api/v1/me/visits", Some(&visitor)).await;
        assert_eq!(visits.body.as_array().unwrap().len(), 3);
    })
    .await;
}

#[tokio::test]
async fn venue_staff_scan_passes_and_phone_numbers_and_owners_read_only_their_log() {
    each_backend(relaxed(), |app| async move {
        let (owner, code, _) = register(&app).await;
        approve(&app, &code).await;
        let created = app
            .post(&format!("/api/v1/venues/{code}/staff"), Some(&owner),
                json!({"username": "thu.ngan", "full_name": "Lò Thị Thu"}))
            .await;
        assert_eq!(created.status, 201, "{}", created.body);
        let login = app
            .post("/api/v1/auth/login", None,
                json!({"username": "thu.ngan", "password": created.body["password"]}))
            .await;
        let scanner = login.body["token"].as_str().unwrap().to_owned();

        // A visitor with a health pass.
        let visitor = app.citizen_token(VISITOR).await;
        let decl = json!({"kind": "domestic", "consent": true,
            "identity": {"full_name": "Giàng A Páo", "birth_year": 1990, "gender": "male", "nationality": "VN",
                "address": {"unit_code": "02839", "street": "Thôn 2"}, "phone": VISITOR},
            "health": {}});
        let r = app.post("/api/v1/declarations", Some(&visitor), decl).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let pass = r.body["pass"]["pass"].as_str().unwrap().to_owned();
        let r = app
            .post(&format!("/api/v1/venues/{code}/checkins"), Some(&scanner),
                json!({"client_id": "scan-00001", "pass": pass}))
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body["colour"], "green");
        assert_eq!(r.body["full_name"], "Giàng A Páo");
        assert_eq!(r.body["visit"]["method"], "staff_qr");

        // Someone without a smartphone, by number; then checked out the same way.
        let r = app
            .post(&format!("/api/v1/venues/{code}/checkins"), Some(&scanner),
                json!({"client_id": "scan-00002", "phone": "0987 000 111"}))
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body["visit"]["method"], "staff_phone");
        let r = app
            .post(&format!("/api/v1/venues/{code}/checkins"), Some(&scanner),
                json!({"client_id": "scan-00003", "phone": "0987000111", "direction": "out"}))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["visit"]["out_auto"], false);
        let r = app
            .post(&format!("/api/v1/venues/{code}/checkins"), Some(&scanner),
                json!({"client_id": "scan-00004", "pass": "PD1:NOT-A-PASS"}))
            .await;
        assert_eq!(r.status, 422, "{}", r.body);
        let r = app
            .post(&format!("/api/v1/venues/{code}/checkins"), Some(&scanner),
                json!({"client_id": "scan-00005"}))
            .await;
        assert_eq!(r.field_code("pass"), Some("pass_or_phone"));

        // Another venue's staff may not scan here.
        let other_owner = app.citizen_token(OTHER).await;
        let r = app.post("/api/v1/venues", Some(&other_owner), market()).await;
        let other_code = r.body["id"].as_str().unwrap().to_owned();
        let r = app
            .post(&format!("/api/v1/venues/{other_code}/checkins"), Some(&scanner),
                json!({"client_id": "scan-00006", "phone": "0987000111"}))
            .await;
        assert_eq!(r.status, 403);

        // The owner reads the log; another owner is refused; both reads are audited.
        let audits = app.store.audit_count().await.unwrap();
        let log = app.get(&format!("/api/v1/venues/{code}/visitors"), Some(&owner)).await;
        assert_eq!(log.status, 200, "{}", log.body);
        assert_eq!(log.body.as_array().unwrap().len(), 2);
        let r = app.get(&format!("/api/v1/venues/{code}/visitors"), Some(&other_owner)).await;
        assert_eq!((r.status, r.body["code"].as_str()), (403, Some("not_venue_owner")));
        assert_eq!(app.store.audit_count().await.unwrap(), audits + 2);
        // The owner's log shows phones masked.
        let phones: Vec<&str> = log.body.as_array().unwrap().iter().map(|v| v["phone"].as_str().unwrap()).collect();
        assert!(phones.iter().all(|p| !p.contains("000111") && !p.is_empty()), "{phones:?}");

        // A typed phone number never reveals whose it is, even for a named account.
        app.request("PATCH", "/api/v1/me", Some(&visitor), Some(json!({"full_name": "Giàng A Páo"}))).await;
        let r = app
            .post(&format!("/api/v1/venues/{code}/checkins"), Some(&scanner),
                json!({"client_id": "scan-00007", "phone": VISITOR}))
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body["full_name"], serde_json::Value::Null, "{}", r.body);
    })
    .await;
}

#[tokio::test]
async fn a_typed_unknown_number_is_a_phone_only_visitor_told_by_sms_until_it_signs_in() {
    each_backend(relaxed(), |app| async move {
        const TYPED: &str = "0987000222";
        let (owner, code, _) = register(&app).await;
        approve(&app, &code).await;
        let start = app.clock.now_ts();
        let r = app
            .post(&format!("/api/v1/venues/{code}/checkins"), Some(&owner),
                json!({"client_id": "typed-00001", "phone": TYPED}))
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body["full_name"], Value::Null);

        // No account was made: the number is a phone-only visitor, no code SMS was sent.
        let e164 = phongdich_domain::phone::PhoneNumber::parse("p", TYPED).unwrap();
        let record = app.store.citizen_by_phone(&e164).await.unwrap().unwrap();
        assert!(app.store.is_phone_only(record.id).await.unwrap());
        let sms_before = app.sms_count();

        // The official sees the venue among those with typed visits to confirm.
        let official = app.staff_token("yte.bacha", "health_official", "02839").await;
        let waiting = app.get("/api/v1/venues/staff-visits", Some(&official)).await;
        assert_eq!(waiting.status, 200, "{}", waiting.body);
        let row = waiting.body.as_array().unwrap().iter().find(|w| w["venue"]["id"] == code.as_str()).cloned();
        assert_eq!(row.as_ref().map(|w| w["unconfirmed"].as_i64()), Some(Some(1)), "{}", waiting.body);
        let sa_pa = app.staff_token("yte.sapa.typed", "health_official", "03006").await;
        let elsewhere = app.get("/api/v1/venues/staff-visits", Some(&sa_pa)).await;
        assert!(elsewhere.body.as_array().unwrap().iter().all(|w| w["venue"]["id"] != code.as_str()));

        // A window over that visit reaches the phone by SMS, without naming the case.
        app.clock.advance(SignedDuration::from_hours(2));
        let window = json!({"starts_at": start.to_string(),
            "ends_at": (start + SignedDuration::from_hours(1)).to_string(), "level": "high", "case_ref": "BN-99"});
        let r = app.post(&format!("/api/v1/venues/{code}/exposures"), Some(&official), window).await;
        assert_eq!((r.status, r.body["alerted"].as_i64()), (201, Some(1)), "{}", r.body);
        assert_eq!(app.sms_count(), sms_before + 1);
        let outbox = std::fs::read_to_string(&app.outbox).unwrap();
        let sms = outbox.lines().last().unwrap();
        assert!(sms.contains(e164.as_str()) && sms.contains("cho bac ha") && !sms.contains("BN-99"), "{sms}");

        // Signing in with the number makes it an account that holds the visit and its alert.
        let token = app.citizen_token(TYPED).await;
        assert!(!app.store.is_phone_only(record.id).await.unwrap());
        let visits = app.get("/api/v1/me/visits", Some(&token)).await;
        assert_eq!(visits.body[0]["method"], "staff_phone", "{}", visits.body);
        let alerts = app.get("/api/v1/me/alerts", Some(&token)).await;
        assert_eq!(alerts.body.as_array().unwrap().len(), 1, "{}", alerts.body);
    })
    .await;
}

#[tokio::test]
async fn an_exposure_window_alerts_overlapping_visitors_and_is_published_in_the_signed_feed() {
    each_backend(relaxed(), |app| async move {
        let (_, code, sig) = register(&app).await;
        let visitor = app.citizen_token(VISITOR).await;
        let late = app.citizen_token(OTHER).await;
        let start = app.clock.now_ts();
        let r = app.post("/api/v1/checkins", Some(&visitor), checkin("visit-0001", &code, &sig)).await;
        assert_eq!(r.status, 201, "{}", r.body);
        app.clock.advance(SignedDuration::from_hours(3));
        let r = app.post("/api/v1/checkins", Some(&late), checkin("visit-0002", &code, &sig)).await;
        assert_eq!(r.status, 201);
        app.clock.advance(SignedDuration::from_hours(1));

        let official = app.staff_token("yte.bacha", "health_official", "02839").await;
        let window = json!({"starts_at": start.to_string(),
            "ends_at": (start + SignedDuration::from_hours(1)).to_string(), "level": "high", "case_ref": "BN-17"});
        let r = app.post(&format!("/api/v1/venues/{code}/exposures"), Some(&official), window.clone()).await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body["alerted"], 1, "only the visit inside the window");
        let exposure_id = r.body["id"].as_i64().unwrap();

        let alerts = app.get("/api/v1/me/alerts", Some(&visitor)).await.body;
        assert_eq!(alerts.as_array().unwrap().len(), 1);
        assert_eq!(alerts[0]["venue_name"], "Chợ Bắc Hà");
        assert_eq!(alerts[0]["level"], "high");
        assert!(alerts[0]["message"]["vi"].as_str().unwrap().contains("F1"));
        assert!(app.get("/api/v1/me/alerts", Some(&late)).await.body.as_array().unwrap().is_empty());
        let id = alerts[0]["id"].as_i64().unwrap();
        let r = app.post(&format!("/api/v1/me/alerts/{id}/read"), Some(&visitor), json!({})).await;
        assert_eq!(r.status, 204);

        let visitors = app.get(&format!("/api/v1/exposures/{exposure_id}/visitors"), Some(&official)).await;
        assert_eq!(visitors.body.as_array().unwrap().len(), 1, "{}", visitors.body);
        let sa_pa = app.staff_token("yte.sapa", "health_official", "03006").await;
        let r = app.get(&format!("/api/v1/exposures/{exposure_id}/visitors"), Some(&sa_pa)).await;
        assert_eq!(r.status, 403);
        let r = app.post(&format!("/api/v1/venues/{code}/exposures"), Some(&sa_pa), window).await;
        assert_eq!(r.status, 403);
        assert!(app.get("/api/v1/exposures", Some(&sa_pa)).await.body.as_array().unwrap().is_empty());
        let bad = json!({"starts_at": "2027-01-15T10:00:00Z", "ends_at": "2027-01-15T09:00:00Z", "level": "high"});
        let r = app.post(&format!("/api/v1/venues/{code}/exposures"), Some(&official), bad).await;
        assert_eq!(r.field_code("ends_at"), Some("ends_before_start"));

        // The feed is signed by the published venue keys and carries the window.
        let feed = app.get("/feeds/risky-venues.jws", None).await;
        assert_eq!(feed.status, 200);
        let etag = feed.headers["etag"].to_str().unwrap().to_owned();
        let ring = app.jwks("/api/v1/venues/keys").await;
        let payload = verify_feed(&ring, feed.body.as_str().unwrap()).unwrap();
        assert_eq!(payload.entries.len(), 1);
        assert_eq!(payload.entries[0].venue_id, code);
        assert_eq!(payload.entries[0].level, "high");
        let res = app.client.get(format!("{}/feeds/risky-venues.jws", app.base))
            .header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(res.status(), 304);

        // Retention: 21 days later the visits, the alert and the window are gone.
        app.clock.advance(SignedDuration::from_hours(24 * 22));
        let purged = app.state.enforce_retention().await.unwrap();
        assert_eq!(purged.checkins, 2);
        assert_eq!(app.store.checkin_count().await.unwrap(), 0);
        assert!(app.get("/api/v1/me/alerts", Some(&visitor)).await.body.as_array().unwrap().is_empty());
        let feed = app.get("/feeds/risky-venues.jws", None).await;
        assert!(verify_feed(&ring, feed.body.as_str().unwrap()).unwrap().entries.is_empty());
    })
    .await;
}

#[tokio::test]
async fn on_device_mode_keeps_no_visits_and_alerts_only_through_the_feed() {
    let config = phongdich_server::ServerConfig {
        checkin_mode: CheckinMode::OnDevice,
        ..relaxed()
    };
    each_backend(config, |app| async move {
        let (_, code, sig) = register(&app).await;
        let visitor = app.citizen_token(VISITOR).await;
        let opened = app.get(&format!("/api/v1/venues/{code}?sig={sig}"), None).await;
        assert_eq!(opened.body["checkin_mode"], "on-device");
        let r = app.post("/api/v1/checkins", Some(&visitor), checkin("visit-0001", &code, &sig)).await;
        assert_eq!((r.status, r.body["code"].as_str()), (409, Some("checkin_mode_on_device")));
        assert_eq!(app.store.checkin_count().await.unwrap(), 0);
        let official = app.staff_token("yte.bacha", "health_official", "02839").await;
        let start = app.clock.now_ts() - SignedDuration::from_hours(2);
        let window = json!({"starts_at": start.to_string(), "ends_at": app.clock.now_ts().to_string(), "level": "low"});
        let r = app.post(&format!("/api/v1/venues/{code}/exposures"), Some(&official), window).await;
        assert_eq!((r.status, r.body["alerted"].as_i64()), (201, Some(0)));
        let ring = app.jwks("/api/v1/venues/keys").await;
        let feed = app.get("/feeds/risky-venues.jws", None).await;
        assert_eq!(verify_feed(&ring, feed.body.as_str().unwrap()).unwrap().entries.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn officials_import_a_district_list_all_or_nothing_and_posters_render() {
    each_backend(relaxed(), |app| async move {
        let official = app
            .staff_token("yte.bacha", "health_official", "02839")
            .await;
        let good = "name,category,unit_code,street,lat,lon\n\
                    Trường Tiểu học Bắc Hà,school,02839,Thôn 3,22.54,104.29\n\
                    Bến xe Bắc Hà,station,02839,,,\n";
        let bad = "name,category,unit_code,street,lat,lon\n\
                   Trạm y tế,health_facility,02839,,,\n\
                   ,casino,03006,,abc,\n";
        let r = app
            .post_raw("/api/v1/venues/import", "text/csv", bad.as_bytes().to_vec())
            .await;
        assert_eq!(r.status, 401, "import needs a staff session");
        let res = app.post_csv("/api/v1/venues/import", &official, bad).await;
        assert_eq!(res.status, 422);
        let body = res.body;
        let fields: Vec<&str> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(
            fields,
            ["line 3: lat"],
            "an unreadable number stops the file at its line"
        );
        let bad = bad.replace(",abc,", ",,");
        let res = app.post_csv("/api/v1/venues/import", &official, &bad).await;
        let body = res.body;
        let fields: Vec<&str> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["line 3: name", "line 3: category"]);
        let listed = app.get("/api/v1/venues", Some(&official)).await;
        assert!(
            listed.body.as_array().unwrap().is_empty(),
            "nothing of a bad file is stored"
        );
        let outside = "name,category,unit_code,street,lat,lon\nChợ Sa Pa,market,03006,,,\n";
        let res = app
            .post_csv("/api/v1/venues/import", &official, outside)
            .await;
        let body = res.body;
        assert_eq!(body["errors"][0]["code"], "out_of_jurisdiction");

        let res = app.post_csv("/api/v1/venues/import", &official, good).await;
        assert_eq!(res.status, 201);
        let body = res.body;
        assert_eq!(body["imported"], 2);
        let code = body["venues"][0]["id"].as_str().unwrap().to_owned();
        let listed = app.get("/api/v1/venues?q=bến", Some(&official)).await;
        assert_eq!(listed.body.as_array().unwrap().len(), 1, "{}", listed.body);

        for (ext, mime, magic) in [
            ("svg", "image/svg+xml", &b"<"[..]),
            ("png", "image/png", &b"\x89PNG"[..]),
            ("pdf", "application/pdf", &b"%PDF"[..]),
        ] {
            let res = app
                .client
                .get(format!("{}/api/v1/venues/{code}/poster.{ext}", app.base))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200, "{ext}");
            assert_eq!(res.headers()["content-type"], mime);
            let bytes = res.bytes().await.unwrap();
            assert!(
                bytes.starts_with(magic)
                    || (ext == "svg" && bytes.windows(4).any(|w| w == b"<svg")),
                "{ext}"
            );
        }
        let r = app.get("/api/v1/venues/V00000000/poster.pdf", None).await;
        assert_eq!(r.status, 404);
    })
    .await;
}

#[tokio::test]
async fn scanners_are_rate_limited_and_typed_phones_are_audited() {
    let config = phongdich_server::ServerConfig {
        staff_checkins_per_minute: 2,
        ..relaxed()
    };
    each_backend(config, |app| async move {
        let (owner, code, _) = register(&app).await;
        approve(&app, &code).await;
        let created = app
            .post(
                &format!("/api/v1/venues/{code}/staff"),
                Some(&owner),
                json!({"username": "thu.ngan", "full_name": "Lò Thị Thu"}),
            )
            .await;
        let login = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({"username": "thu.ngan", "password": created.body["password"]}),
            )
            .await;
        let scanner = login.body["token"].as_str().unwrap().to_owned();
        let mut statuses = Vec::new();
        for i in 0..3 {
            let r = app
                .post(
                    &format!("/api/v1/venues/{code}/checkins"),
                    Some(&scanner),
                    json!({"client_id": format!("rate-0000{i}"), "phone": format!("098700011{i}")}),
                )
                .await;
            statuses.push(r.status);
        }
        assert_eq!(statuses, [201, 201, 429], "{}", app.backend);
        // The owner is another scanner with its own budget.
        let r = app
            .post(
                &format!("/api/v1/venues/{code}/checkins"),
                Some(&owner),
                json!({"client_id": "rate-00009", "phone": "0987000119"}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let admin = app.staff_token("kiemtra.vn", "admin", "VN").await;
        let rows = app
            .get("/api/v1/audit?action=venue.checkin.phone", Some(&admin))
            .await;
        let rows = rows.body.as_array().unwrap().clone();
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert!(
            rows.iter()
                .all(|r| r["actor"] == "thu.ngan"
                    && !r["subject"].as_str().unwrap().contains("700011")),
            "{rows:?}"
        );
    })
    .await;
}

/// An official of Bắc Hà approves a citizen's venue.
async fn approve(app: &TestApp, code: &str) {
    let official = app
        .staff_token(
            &format!("duyet.{}", code.to_lowercase()),
            "health_official",
            "02839",
        )
        .await;
    let r = app
        .post(
            &format!("/api/v1/venues/{code}/approve"),
            Some(&official),
            json!({}),
        )
        .await;
    assert_eq!(
        (r.status, r.body["approved"].as_bool()),
        (200, Some(true)),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn a_citizens_venue_has_no_staff_powers_until_an_official_of_its_unit_approves_it() {
    each_backend(relaxed(), |app| async move {
        let (owner, code, sig) = register(&app).await;
        let mine = app.get("/api/v1/me/venues", Some(&owner)).await;
        assert_eq!(mine.body[0]["approved"], false, "{}", mine.body);
        // Waiting: no phone check-in, no visitor log; visitors still check in by the QR.
        let r = app
            .post(
                &format!("/api/v1/venues/{code}/checkins"),
                Some(&owner),
                json!({"client_id": "wait-00001", "phone": "0987000111"}),
            )
            .await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (403, Some("venue_not_approved")),
            "{}",
            r.body
        );
        let r = app
            .get(&format!("/api/v1/venues/{code}/visitors"), Some(&owner))
            .await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (403, Some("venue_not_approved"))
        );
        let visitor = app.citizen_token(VISITOR).await;
        let r = app
            .post(
                "/api/v1/checkins",
                Some(&visitor),
                checkin("wait-00002", &code, &sig),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);

        // Officials see it waiting; one of another unit can neither see nor approve it.
        let sa_pa = app
            .staff_token("yte.sapa", "health_official", "03006")
            .await;
        assert_eq!(
            app.get("/api/v1/venues/pending", Some(&sa_pa)).await.body,
            json!([])
        );
        let r = app
            .post(
                &format!("/api/v1/venues/{code}/approve"),
                Some(&sa_pa),
                json!({}),
            )
            .await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (403, Some("out_of_jurisdiction"))
        );
        let bac_ha = app
            .staff_token("yte.bacha", "health_official", "02839")
            .await;
        let waiting = app.get("/api/v1/venues/pending", Some(&bac_ha)).await;
        assert_eq!(
            waiting.body.as_array().unwrap().len(),
            1,
            "{}",
            waiting.body
        );
        assert_eq!(waiting.body[0]["id"], code.as_str());
        let r = app
            .post(
                &format!("/api/v1/venues/{code}/approve"),
                Some(&bac_ha),
                json!({}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(
            app.get("/api/v1/venues/pending", Some(&bac_ha)).await.body,
            json!([])
        );

        // Approved: the powers start.
        let r = app
            .post(
                &format!("/api/v1/venues/{code}/checkins"),
                Some(&owner),
                json!({"client_id": "wait-00003", "phone": "0987000111"}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(
            app.get(&format!("/api/v1/venues/{code}/visitors"), Some(&owner))
                .await
                .status,
            200
        );
    })
    .await;
}
