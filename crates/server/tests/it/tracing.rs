//! Case and contact tracing over HTTP: a case's contacts from venues, proximity and interviews,
//! F1/F2 with the time rules, quarantine orders seen alike by officials and citizens.

use base64::Engine as _;
use jiff::Timestamp;
use phongdich_store::NewCheckin;
use serde_json::{json, Value};

use crate::helpers::{each_backend, relaxed, TestApp};

/// Signs a citizen in and sets their commune; returns (token, citizen id).
async fn citizen(app: &TestApp, phone: &str, name: &str, unit: &str) -> (String, i64) {
    let token = app.citizen_token(phone).await;
    let me = app
        .request(
            "PATCH",
            "/api/v1/me",
            Some(&token),
            Some(json!({"full_name": name, "unit_code": unit})),
        )
        .await;
    (token, me.body["id"].as_i64().unwrap())
}

async fn visit(app: &TestApp, venue: i64, citizen: i64, at: &str, minutes: i64, tag: &str) {
    let in_at: Timestamp = at.parse().unwrap();
    app.store
        .record_checkins(&[NewCheckin {
            venue_id: venue,
            origin: format!("c:{citizen}"),
            client_id: format!("t-{tag}"),
            citizen_id: citizen,
            member_id: None,
            in_at,
            auto_out_at: in_at + jiff::SignedDuration::from_mins(minutes),
            method: phongdich_domain::venues::CheckinMethod::SelfScan,
        }])
        .await
        .unwrap();
}

async fn interview(app: &TestApp, official: &str, case: i64, body: Value) -> Value {
    let r = app
        .post(
            &format!("/api/v1/cases/{case}/contacts"),
            Some(official),
            body,
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.body
}

fn level_of(detail: &Value, name: &str) -> Option<u64> {
    detail["chain"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["full_name"] == name)
        .map(|m| m["level"].as_u64().unwrap())
}

#[tokio::test]
async fn a_case_chain_joins_venues_proximity_and_interviews_with_the_time_rules() {
    each_backend(relaxed(), |app| async move {
        let official = app.staff_token("yte.bacha", "health_official", "02839").await;
        let (case_token, _) = citizen(&app, "0912300001", "Nguyễn Văn Ca", "02839").await;
        let (_, long_stay) = citizen(&app, "0912300002", "Trần Thị Lâu", "02839").await;
        let (_, short_stay) = citizen(&app, "0912300003", "Lê Văn Ngắn", "02839").await;
        let (phone_token, _) = citizen(&app, "0912300004", "Phạm Thị Sóng", "03006").await;

        // The case registered the market; visits overlap 40 and 5 minutes on 13 January.
        let venue = app
            .post("/api/v1/venues", Some(&case_token), json!({"name": "Chợ Bắc Hà", "category": "market",
                "unit_code": "02839", "street": "Thôn Bắc Hà"}))
            .await;
        assert_eq!(venue.status, 201, "{}", venue.body);
        let venue_id = app.store.venue_by_code(venue.body["id"].as_str().unwrap()).await.unwrap().unwrap().id;
        let case_citizen = app.get("/api/v1/me", Some(&case_token)).await.body["id"].as_i64().unwrap();
        visit(&app, venue_id, case_citizen, "2027-01-13T02:00:00Z", 60, "case").await;
        visit(&app, venue_id, long_stay, "2027-01-13T02:20:00Z", 60, "long").await;
        visit(&app, venue_id, short_stay, "2027-01-13T02:55:00Z", 30, "short").await;
        // Someone at the market a week earlier, before the transmission period.
        visit(&app, venue_id, short_stay, "2027-01-05T02:00:00Z", 60, "early").await;

        // The case's keys matched a phone that reported it.
        let code = app
            .post("/api/v1/exposure/codes", Some(&official), json!({"unit_code": "02839", "phone": "0912300001"}))
            .await;
        let token = app
            .post("/api/v1/exposure/verify", None, json!({"code": code.body["code"]}))
            .await
            .body["token"]
            .clone();
        let key = base64::engine::general_purpose::STANDARD.encode([0x42u8; 16]);
        let up = app
            .post("/api/v1/exposure/keys", None, json!({"token": token, "keys": [
                {"key": key, "rolling_start_number": 2_999_952 - 2 * 144, "rolling_period": 144}]}))
            .await;
        assert_eq!(up.status, 201, "{}", up.body);
        let report = app
            .post("/api/v1/exposure/f1-reports", Some(&phone_token), json!({"exposure_date": "2027-01-13",
                "score": 1500.0, "minutes": 25.0, "matched_keys": [hex::encode([0x42u8; 16])]}))
            .await;
        assert_eq!(report.status, 201, "{}", report.body);

        // Dates out of order are refused and nothing is stored.
        let bad = app
            .post("/api/v1/cases", Some(&official), json!({"person": {"full_name": "X", "unit_code": "02839"},
                "onset_date": "2027-01-13", "sample_date": "2027-01-14", "confirmed_date": "2027-01-12",
                "source": "community"}))
            .await;
        assert_eq!(bad.status, 422);
        assert_eq!(bad.field_code("confirmed_date"), Some("dates_out_of_order"));
        assert_eq!(app.get("/api/v1/cases", Some(&official)).await.body.as_array().unwrap().len(), 0);

        let created = app
            .post("/api/v1/cases", Some(&official), json!({"person": {"full_name": "Nguyễn Văn Ca",
                "phone": "0912300001", "unit_code": "02839"}, "onset_date": "2027-01-13",
                "sample_date": "2027-01-14", "confirmed_date": "2027-01-15", "source": "community"}))
            .await;
        assert_eq!(created.status, 201, "{}", created.body);
        assert_eq!(created.body["venue_contacts"], 2);
        assert_eq!(created.body["proximity_contacts"], 1);
        // Two days before onset, in Vietnam's time.
        assert_eq!(created.body["transmission_from"], "2027-01-10T17:00:00Z");
        let case = created.body["id"].as_i64().unwrap();
        let case_person = created.body["person_id"].as_i64().unwrap();

        // Interviews: the household (unmasked, F1), a short masked chat (not close).
        let wife = interview(&app, &official, case, json!({"person": {"full_name": "Hoàng Thị Vợ",
            "unit_code": "02839"}, "setting": "household", "at": "2027-01-12T12:00:00Z", "minutes": 600,
            "masked": false})).await;
        let chat = interview(&app, &official, case, json!({"person": {"full_name": "Vũ Văn Chào",
            "unit_code": "02839"}, "setting": "workplace", "at": "2027-01-13T03:00:00Z", "minutes": 10,
            "masked": true})).await;
        assert_eq!((wife["close"].as_bool(), chat["close"].as_bool()), (Some(true), Some(false)));
        let r = app
            .post(&format!("/api/v1/cases/{case}/contacts"), Some(&official), json!({"person_id": case_person,
                "setting": "household", "at": "2027-01-12T12:00:00Z", "minutes": 5}))
            .await;
        assert_eq!(r.field_code("person_id"), Some("contact_with_self"));

        // The wife (F1 from 12 January) names her own contacts: one after, one before.
        let wife_id = wife["person_id"].as_i64().unwrap();
        for (name, at) in [("Đỗ Thị Sau", "2027-01-13T09:00:00Z"), ("Bùi Văn Trước", "2027-01-11T09:00:00Z")] {
            interview(&app, &official, case, json!({"from_person_id": wife_id, "person": {"full_name": name,
                "unit_code": "02839"}, "setting": "workplace", "at": at, "minutes": 30, "masked": false})).await;
        }

        let detail = app.get(&format!("/api/v1/cases/{case}"), Some(&official)).await;
        assert_eq!(detail.status, 200, "{}", detail.body);
        assert_eq!(level_of(&detail.body, "Trần Thị Lâu"), Some(1), "40 minutes together at the market");
        assert_eq!(level_of(&detail.body, "Lê Văn Ngắn"), None, "5 minutes is not close");
        // The Bluetooth contact lives in Sa Pa: an F1 of this case, listed without identity.
        let sa_pa: Vec<&Value> = detail.body["chain"].as_array().unwrap().iter().filter(|m| m["unit_code"] == "03006").collect();
        assert_eq!(sa_pa.len(), 1, "Bluetooth");
        assert_eq!((sa_pa[0]["level"].as_u64(), sa_pa[0]["full_name"].as_str()), (Some(1), None));
        assert_eq!(level_of(&detail.body, "Hoàng Thị Vợ"), Some(1));
        assert_eq!(level_of(&detail.body, "Vũ Văn Chào"), None);
        assert_eq!(level_of(&detail.body, "Đỗ Thị Sau"), Some(2));
        assert_eq!(level_of(&detail.body, "Bùi Văn Trước"), None, "before the F1 could have been infected");
        assert_eq!(detail.body["counts"][0], 3);
        assert_eq!(detail.body["counts"][1], 1);
        assert_eq!(detail.body["other_contacts"], 2);
        let sources: Vec<&str> = detail.body["chain"].as_array().unwrap().iter()
            .flat_map(|m| m["sources"].as_array().unwrap().iter().map(|s| s.as_str().unwrap())).collect();
        for s in ["venue", "proximity", "interview"] {
            assert!(sources.contains(&s), "{s} in {sources:?}");
        }

        // Quarantine for the long stay: the citizen sees the official's dates.
        let long_person = detail.body["chain"].as_array().unwrap().iter()
            .find(|m| m["full_name"] == "Trần Thị Lâu").unwrap()["person_id"].as_i64().unwrap();
        let q = app
            .post("/api/v1/quarantine", Some(&official), json!({"person_id": long_person, "level": 1,
                "starts_on": "2027-01-15", "case_id": case}))
            .await;
        assert_eq!(q.status, 201, "{}", q.body);
        assert_eq!(q.body["ends_on"], "2027-01-28");
        assert_eq!(q.body["tests_on"], json!(["2027-01-15", "2027-01-21", "2027-01-28"]));
        assert_eq!(q.body["day"], 1);
        assert_eq!(q.body["test_today"], true);
        let detail = app.get(&format!("/api/v1/cases/{case}"), Some(&official)).await;
        let member = detail.body["chain"].as_array().unwrap().iter()
            .find(|m| m["person_id"] == long_person).unwrap().clone();
        assert_eq!(member["quarantine"]["ends_on"], "2027-01-28");
        let again = app
            .post("/api/v1/quarantine", Some(&official), json!({"person_id": long_person, "level": 1,
                "starts_on": "2027-01-20"}))
            .await;
        assert_eq!(again.status, 409);
        let list = app.get("/api/v1/quarantine", Some(&official)).await;
        assert_eq!(list.body[0]["updated_today"], false);
        // Tests: today's result is recorded; a day later nothing is overdue, after day 7 it is.
        let order = q.body["id"].as_i64().unwrap();
        let bad = app
            .post(&format!("/api/v1/quarantine/{order}/tests"), Some(&official), json!({"date": "2027-02-01", "result": "maybe"}))
            .await;
        assert_eq!(bad.body["errors"].as_array().unwrap().len(), 2, "{}", bad.body);
        let t = app
            .post(&format!("/api/v1/quarantine/{order}/tests"), Some(&official), json!({"date": "2027-01-15", "result": "negative"}))
            .await;
        assert_eq!(t.status, 200, "{}", t.body);
        assert_eq!(t.body["tests"][0]["result"], "negative");
        assert_eq!(t.body["tests_overdue"], json!([]));

        // Jurisdiction and roles.
        let sa_pa = app.staff_token("yte.sapa", "health_official", "03006").await;
        assert_eq!(app.get(&format!("/api/v1/cases/{case}"), Some(&sa_pa)).await.status, 403);
        assert_eq!(app.get("/api/v1/cases", Some(&sa_pa)).await.body.as_array().unwrap().len(), 0);
        let market = app.staff_token("cho.bacha", "venue_staff", "02839").await;
        for (method, path) in [
            ("GET", format!("/api/v1/cases/{case}")),
            ("GET", "/api/v1/cases".to_owned()),
            ("PATCH", format!("/api/v1/cases/{case}")),
            ("POST", format!("/api/v1/cases/{case}/contacts")),
            ("POST", format!("/api/v1/cases/{case}/gather")),
            ("GET", format!("/api/v1/cases/{case}/chain.csv")),
            ("POST", "/api/v1/quarantine".to_owned()),
            ("GET", "/api/v1/quarantine".to_owned()),
            ("GET", "/api/v1/tracing/people".to_owned()),
            ("GET", "/api/v1/tracing/people.xlsx".to_owned()),
        ] {
            let body = (method != "GET").then(|| json!({}));
            let r = app.request(method, &path, Some(&market), body).await;
            // Refused: by role (403), or by the body check that runs first (400/422).
            assert!([400, 403, 422].contains(&r.status), "{method} {path}: {}", r.status);
            assert_eq!(app.request(method, &path, None, None).await.status, 401, "{method} {path}");
        }
        for (method, path) in [
            ("GET", format!("/api/v1/cases/{case}/chain.csv")),
            ("POST", format!("/api/v1/cases/{case}/gather")),
        ] {
            let body = (method != "GET").then(|| json!({}));
            let r = app.request(method, &path, Some(&sa_pa), body).await;
            assert_eq!(r.status, 403, "{method} {path} from Sa Pa");
        }
        // An official cannot pull a person of another area into their case's chain, nor name
        // contacts of someone outside it.
        let stranger = app
            .store
            .add_person(
                &phongdich_domain::cases::Person {
                    full_name: "Người Sa Pa".into(),
                    phone: None,
                    id_number: None,
                    birth_year: None,
                    unit_code: "03006".into(),
                },
                Timestamp::now(),
            )
            .await
            .unwrap();
        let r = app
            .post(&format!("/api/v1/cases/{case}/contacts"), Some(&official), json!({"person_id": stranger,
                "setting": "other", "at": "2027-01-13T03:00:00Z", "minutes": 30}))
            .await;
        assert_eq!(r.status, 403, "{}", r.body);
        let r = app
            .post(&format!("/api/v1/cases/{case}/contacts"), Some(&official), json!({"from_person_id": stranger,
                "person": {"full_name": "X", "unit_code": "02839"}, "setting": "other",
                "at": "2027-01-13T03:00:00Z", "minutes": 30}))
            .await;
        assert_eq!(r.field_code("from_person_id"), Some("person_not_in_chain"));

        // The chain exports as CSV.
        let csv = app.get(&format!("/api/v1/cases/{case}/chain.csv"), Some(&official)).await;
        let text = csv.body.as_str().unwrap();
        assert!(text.contains("F2,Đỗ Thị Sau"), "{text}");
        // Everyone traced, by level, as JSON and as a workbook.
        let f2 = app.get("/api/v1/tracing/people?level=2", Some(&official)).await;
        let names: Vec<&str> = f2.body.as_array().unwrap().iter().map(|p| p["full_name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Đỗ Thị Sau"]);
        // People living in Sa Pa are Sa Pa's to see: refused here, listed by name there.
        let refused = app.get("/api/v1/tracing/people?unit=03006", Some(&official)).await;
        assert_eq!(refused.status, 403);
        let sa_pa_official = app.staff_token("yte.sapa.list", "health_official", "03006").await;
        let in_sa_pa = app.get("/api/v1/tracing/people?unit=03006", Some(&sa_pa_official)).await;
        assert_eq!(in_sa_pa.body[0]["full_name"], "Phạm Thị Sóng", "{}", in_sa_pa.body);
        assert_eq!(in_sa_pa.body.as_array().unwrap().len(), 1);
        let bytes = app
            .client
            .get(format!("{}/api/v1/tracing/people.xlsx?level=1", app.base))
            .bearer_auth(&official)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        {
            use calamine::Reader;
            let mut book: calamine::Xlsx<_> =
                calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
            let range = book.worksheet_range("Tiếp xúc").unwrap();
            let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
            assert_eq!(rows.len(), 3 + 3, "title, blank, header and the three F1s");
            assert!(rows[3..].iter().all(|r| r[0] == "F1"));
        }

        // Gathering again adds nothing twice.
        let again = app.post(&format!("/api/v1/cases/{case}/gather"), Some(&official), json!({})).await;
        assert_eq!(again.body, json!({"venue_contacts": 0, "proximity_contacts": 0}));

        // Retention: a recovered case and its chain are deleted after the profile's 90 days.
        let bad = app
            .request("PATCH", &format!("/api/v1/cases/{case}"), Some(&official), Some(json!({"status": "cured"})))
            .await;
        assert_eq!(bad.field_code("status"), Some("status_unknown"));
        let closed = app
            .request("PATCH", &format!("/api/v1/cases/{case}"), Some(&official), Some(json!({"status": "recovered"})))
            .await;
        assert_eq!(closed.body["status"], "recovered");
        app.clock.advance(jiff::SignedDuration::from_hours(24 * 89));
        app.state.enforce_retention().await.unwrap();
        assert!(app.store.case(case).await.unwrap().is_some(), "closed 89 days ago: kept");
        app.clock.advance(jiff::SignedDuration::from_hours(24 * 2));
        let purged = app.state.enforce_retention().await.unwrap();
        assert!(purged.tracing_rows >= 5, "{purged:?}");
        assert!(app.store.case(case).await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn the_citizen_sees_the_same_quarantine_dates_as_the_official() {
    each_backend(relaxed(), |app| async move {
        let official = app
            .staff_token("yte.bacha", "health_official", "02839")
            .await;
        let (token, _) = citizen(&app, "0912300009", "Giàng A Páo", "02839").await;
        let created = app
            .post(
                "/api/v1/cases",
                Some(&official),
                json!({"person": {"full_name": "Ca bệnh",
                "unit_code": "02839"}, "sample_date": "2027-01-14", "confirmed_date": "2027-01-15",
                "source": "imported"}),
            )
            .await;
        let case = created.body["id"].as_i64().unwrap();
        let contact = interview(
            &app,
            &official,
            case,
            json!({"person": {"full_name": "Giàng A Páo",
            "phone": "0912300009", "unit_code": "02839"}, "setting": "vehicle_row",
            "at": "2027-01-13T03:00:00Z", "minutes": 120, "masked": true}),
        )
        .await;
        let q = app
            .post(
                "/api/v1/quarantine",
                Some(&official),
                json!({"person_id": contact["person_id"], "level": 1,
                "kind": "home"}),
            )
            .await;
        assert_eq!(q.status, 201, "{}", q.body);
        let mine = app.get("/api/v1/me/quarantine", Some(&token)).await;
        assert_eq!(mine.body[0]["ends_on"], q.body["ends_on"]);
        assert_eq!(mine.body[0]["kind"], "home");
        assert_eq!(mine.body[0]["day"], 1);
        let bad = app
            .post(
                "/api/v1/quarantine",
                Some(&official),
                json!({"person_id": contact["person_id"], "level": 9,
                "kind": "hotel", "starts_on": "soon"}),
            )
            .await;
        assert_eq!(bad.status, 422);
        assert_eq!(bad.body["errors"].as_array().unwrap().len(), 3);
        // Eight days on, the tests of days 1 and 7 are overdue (none recorded).
        app.clock.advance(jiff::SignedDuration::from_hours(24 * 8));
        let later = app.get("/api/v1/me/quarantine", Some(&token)).await;
        assert_eq!(later.body[0]["day"], 9);
        assert_eq!(
            later.body[0]["tests_overdue"].as_array().unwrap().len(),
            2,
            "{}",
            later.body
        );
        assert_eq!(
            later.body[0]["missed_updates"], 8,
            "days 1 to 8 without an update"
        );
    })
    .await;
}

#[tokio::test]
async fn visits_typed_by_venue_staff_count_in_a_chain_only_once_an_official_confirms_them() {
    each_backend(relaxed(), |app| async move {
        let official = app.staff_token("yte.bacha", "health_official", "02839").await;
        let (case_token, case_citizen) = citizen(&app, "0912300011", "Nguyễn Văn Ca", "02839").await;
        let (_, typed) = citizen(&app, "0912300012", "Trần Thị Gõ", "02839").await;
        let venue = app
            .post("/api/v1/venues", Some(&case_token), json!({"name": "Chợ Gõ", "category": "market",
                "unit_code": "02839", "street": "Thôn 3"}))
            .await;
        let code = venue.body["id"].as_str().unwrap().to_owned();
        let venue_id = app.store.venue_by_code(&code).await.unwrap().unwrap().id;
        visit(&app, venue_id, case_citizen, "2027-01-13T02:00:00Z", 60, "case-self").await;
        let in_at: Timestamp = "2027-01-13T02:00:00Z".parse().unwrap();
        app.store
            .record_checkins(&[NewCheckin {
                venue_id,
                origin: "s:1".into(),
                client_id: "typed-1".into(),
                citizen_id: typed,
                member_id: None,
                in_at,
                auto_out_at: in_at + jiff::SignedDuration::from_mins(60),
                method: phongdich_domain::venues::CheckinMethod::StaffPhone,
            }])
            .await
            .unwrap();
        let created = app
            .post("/api/v1/cases", Some(&official), json!({"person": {"full_name": "Nguyễn Văn Ca",
                "phone": "0912300011", "unit_code": "02839"}, "onset_date": "2027-01-13",
                "sample_date": "2027-01-14", "confirmed_date": "2027-01-15", "source": "community"}))
            .await;
        assert_eq!(created.status, 201, "{}", created.body);
        assert_eq!(created.body["venue_contacts"], 0, "a typed visit is not evidence yet");
        let case = created.body["id"].as_i64().unwrap();

        // Sa Pa cannot confirm Bắc Hà's venue; Bắc Hà can, and the next gathering finds the contact.
        let sa_pa = app.staff_token("yte.sapa.confirm", "health_official", "03006").await;
        let r = app.post(&format!("/api/v1/venues/{code}/staff-visits/confirm"), Some(&sa_pa), json!({})).await;
        assert_eq!((r.status, r.body["code"].as_str()), (403, Some("out_of_jurisdiction")));
        let r = app.post(&format!("/api/v1/venues/{code}/staff-visits/confirm"), Some(&official), json!({})).await;
        assert_eq!((r.status, r.body["confirmed"].as_u64()), (200, Some(1)), "{}", r.body);
        let again = app.post(&format!("/api/v1/cases/{case}/gather"), Some(&official), json!({})).await;
        assert_eq!(again.body["venue_contacts"], 1, "{}", again.body);
        let detail = app.get(&format!("/api/v1/cases/{case}"), Some(&official)).await;
        assert_eq!(level_of(&detail.body, "Trần Thị Gõ"), Some(1));
    })
    .await;
}
