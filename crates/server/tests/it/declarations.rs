use jiff::SignedDuration;
use serde_json::{json, Value};

use crate::helpers::{each_backend, relaxed};

/// The test clock's date in Vietnam (the helpers' clock starts at 2027-01-15T08:00Z).
const TODAY: &str = "2027-01-15";

fn identity(name: &str, unit: &str) -> Value {
    json!({"full_name": name, "birth_year": 1985, "gender": "male", "nationality": "VN",
        "address": {"unit_code": unit, "street": "Thôn Nậm Cài"}, "phone": "0912345678"})
}

fn domestic(name: &str, unit: &str, health: Value) -> Value {
    json!({"kind": "domestic", "identity": identity(name, unit), "health": health, "consent": true})
}

#[tokio::test]
async fn a_declaration_earns_a_pass_verified_online_and_offline() {
    each_backend(relaxed(), |app| async move {
        let token = app.citizen_token("0912345678").await;
        let r = app
            .post(
                "/api/v1/declarations",
                Some(&token),
                domestic("Lò Văn Sử", "02839", json!({})),
            )
            .await;
        assert_eq!(r.status, 201, "{}: {}", app.backend, r.body);
        assert_eq!(r.body["colour"], "green");
        let pass = app.get("/api/v1/me/health-pass", Some(&token)).await;
        assert_eq!(pass.status, 200, "{}", pass.body);
        let text = pass.body["pass"].as_str().unwrap().to_owned();
        assert!(text.starts_with("PD1:"));
        assert!(pass.body["expires_at"].is_string());

        let online = app
            .post("/api/v1/health-pass/verify", None, json!({"pass": text}))
            .await;
        assert_eq!(
            (
                online.body["valid"].as_bool(),
                online.body["colour"].as_str()
            ),
            (Some(true), Some("green"))
        );
        let ring = app.jwks("/api/v1/health-pass/keys").await;
        let now = phongdich_server::clock::Clock::now(&*app.clock).as_second();
        let claims = phongdich_health_pass::verify(&text, &ring, now)
            .expect("offline verification with the published keys");
        assert_eq!(claims.colour, phongdich_health_pass::Colour::Green);
        let independent = ring
            .keys()
            .iter()
            .find_map(|k| phongdich_health_pass::reference_decoder::decode(&text, &k.key));
        assert_eq!(
            independent.map(|d| (d.colour, d.expires_at)),
            Some((0, claims.expires_at)),
            "the independent decoder agrees"
        );

        let forged = format!(
            "{}{}",
            &text[..text.len() - 2],
            if text.ends_with("00") { "11" } else { "00" }
        );
        let refused = app
            .post("/api/v1/health-pass/verify", None, json!({"pass": forged}))
            .await;
        assert_eq!(refused.body["valid"], false);
        assert!(refused.body["message"]["vi"].is_string());
        let junk = app
            .post("/api/v1/health-pass/verify", None, json!({"pass": "hello"}))
            .await;
        assert_eq!(junk.body["reason"], "not_a_pass");

        let svg = app.get("/api/v1/me/health-pass.svg", Some(&token)).await;
        assert_eq!(svg.headers["content-type"], "image/svg+xml");

        // 72 hours later the green declaration no longer gives a pass, and the old pass expired.
        app.clock.advance(SignedDuration::from_hours(72));
        let stale = app.get("/api/v1/me/health-pass", Some(&token)).await;
        assert_eq!(
            (stale.status, stale.body["code"].as_str()),
            (409, Some("no_current_declaration"))
        );
        let expired = app
            .post("/api/v1/health-pass/verify", None, json!({"pass": text}))
            .await;
        assert_eq!(expired.body["reason"], "expired");
    })
    .await;
}

#[tokio::test]
async fn all_four_kinds_round_trip_for_self_and_family() {
    each_backend(relaxed(), |app| async move {
        let token = app.citizen_token("0912345678").await;
        let child = app.post("/api/v1/me/family", Some(&token), json!({"full_name": "Lò Thị Mai", "birth_year": 2016, "relation": "child"})).await;
        let child_id = child.body["id"].as_i64().unwrap();
        let mut for_child = domestic("Lò Thị Mai", "02839", json!({"symptoms": ["cough"]}));
        for_child["member_id"] = json!(child_id);
        let r = app.post("/api/v1/declarations", Some(&token), for_child).await;
        assert_eq!((r.status, r.body["colour"].as_str()), (201, Some("yellow")), "{}", r.body);
        let child_pass = app.get(&format!("/api/v1/me/health-pass?member_id={child_id}"), Some(&token)).await;
        assert_eq!(child_pass.body["colour"], "yellow");
        assert_eq!(app.get("/api/v1/me/health-pass", Some(&token)).await.status, 409, "the parent has not declared");

        let travel = json!({"kind": "domestic_travel", "identity": identity("Lò Văn Sử", "02839"), "consent": true,
            "travel": {"conveyance": "air", "vehicle_number": "VN213", "departure_station": "Nội Bài",
                "from": {"unit_code": "00070", "street": "1 Tràng Tiền"}, "to": {"unit_code": "02839", "street": "Chợ Bắc Hà"},
                "travel_date": TODAY}});
        assert_eq!(app.post("/api/v1/declarations", Some(&token), travel).await.status, 201);
        let entry = json!({"kind": "entry", "identity": identity("Lò Văn Sử", "02839"), "consent": true,
            "entry": {"passport": "C1234567", "conveyance": "air", "vehicle_number": "VN415", "departure_country": "KR",
                "departure_place": "Incheon", "departure_date": TODAY, "entry_date": TODAY, "border_gate": "SB-NOIBAI",
                "visited_countries": ["KR"], "vaccination": "full", "test_result": "negative"}});
        let r = app.post("/api/v1/declarations", Some(&token), entry).await;
        assert_eq!((r.status, r.body["colour"].as_str()), (201, Some("yellow")), "{}", r.body);
        assert_eq!(r.body["flags"][0]["code"], "entry_recent");
        let daily = json!({"kind": "daily_update", "daily": {"temperature_c": 38.4, "symptoms": ["fatigue"], "note": "mệt"}});
        let r = app.post("/api/v1/declarations", Some(&token), daily).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let again = json!({"kind": "daily_update", "daily": {"temperature_c": 36.7}});
        assert_eq!(app.post("/api/v1/declarations", Some(&token), again).await.body["colour"], "green");

        let mine = app.get("/api/v1/me/declarations", Some(&token)).await;
        let kinds: Vec<&str> = mine.body.as_array().unwrap().iter().map(|d| d["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["daily_update", "entry", "domestic_travel", "domestic"], "{}: the day's second update replaced the first", app.backend);
        assert_eq!(mine.body[0]["answers"]["form"]["daily"]["temperature_c"], 36.7);
    })
    .await;
}

#[tokio::test]
async fn bad_declarations_are_refused_field_by_field_and_store_nothing() {
    each_backend(relaxed(), |app| async move {
        let token = app.citizen_token("0912345678").await;
        let mut bad = domestic("", "02839", json!({"symptoms": ["headache"]}));
        bad["identity"]["birth_year"] = json!(1899);
        bad["identity"]["phone"] = json!("09abc45678");
        bad["identity"]["nationality"] = json!("XY");
        bad["consent"] = json!(false);
        let r = app.post("/api/v1/declarations", Some(&token), bad).await;
        assert_eq!(r.status, 422, "{}", app.backend);
        for (field, code) in [
            ("identity.full_name", "required"),
            ("identity.birth_year", "birth_year_out_of_range"),
            ("identity.phone", "phone_invalid"),
            ("identity.nationality", "country_unknown"),
            ("health.symptoms[0]", "choice_unknown"),
            ("consent", "consent_required"),
        ] {
            assert_eq!(r.field_code(field), Some(code), "{field}: {}", r.body);
        }
        for t in [20.0, 45.0] {
            let r = app
                .post(
                    "/api/v1/declarations",
                    Some(&token),
                    json!({"kind": "daily_update", "daily": {"temperature_c": t}}),
                )
                .await;
            assert_eq!(
                r.field_code("daily.temperature_c"),
                Some("temperature_out_of_range")
            );
        }
        let province = app
            .post(
                "/api/v1/declarations",
                Some(&token),
                domestic("A", "15", json!({})),
            )
            .await;
        assert_eq!(
            province.field_code("identity.address.unit_code"),
            Some("unit_not_commune")
        );
        let nowhere = app
            .post(
                "/api/v1/declarations",
                Some(&token),
                domestic("A", "99999", json!({})),
            )
            .await;
        assert_eq!(
            nowhere.field_code("identity.address.unit_code"),
            Some("unit_unknown")
        );

        // Someone else's family member.
        let other = app.citizen_token("0987654321").await;
        let theirs = app
            .post(
                "/api/v1/me/family",
                Some(&other),
                json!({"full_name": "B", "birth_year": 2010, "relation": "child"}),
            )
            .await;
        let mut stolen = domestic("B", "02839", json!({}));
        stolen["member_id"] = theirs.body["id"].clone();
        let r = app.post("/api/v1/declarations", Some(&token), stolen).await;
        assert_eq!(r.field_code("member_id"), Some("member_unknown"));
        let daily_first = app
            .post(
                "/api/v1/declarations",
                Some(&token),
                json!({"kind": "daily_update", "daily": {"temperature_c": 36.5}}),
            )
            .await;
        assert_eq!(daily_first.field_code("kind"), Some("declaration_first"));

        assert_eq!(
            app.get("/api/v1/me/declarations", Some(&token))
                .await
                .body
                .as_array()
                .unwrap()
                .len(),
            0,
            "nothing stored"
        );
    })
    .await;
}

#[tokio::test]
async fn officials_list_open_and_export_their_jurisdiction_only() {
    each_backend(relaxed(), |app| async move {
        for (phone, name, unit, health) in [
            ("0912000001", "Vàng A Chứ", "02839", json!({})),
            (
                "0912000002",
                "Giàng Thị Dung",
                "02839",
                json!({"exposures": ["contact_with_case"]}),
            ),
            (
                "0912000003",
                "Hoàng Thị Hoa",
                "03006",
                json!({"symptoms": ["cough"]}),
            ),
            (
                "0912000004",
                "Nguyễn Văn Nam",
                "00070",
                json!({"exposures": ["contact_with_case"]}),
            ),
        ] {
            let token = app.citizen_token(phone).await;
            assert_eq!(
                app.post(
                    "/api/v1/declarations",
                    Some(&token),
                    domestic(name, unit, health)
                )
                .await
                .status,
                201
            );
        }
        let province = app.staff_token("yte.laocai", "health_official", "15").await;
        let list = app.get("/api/v1/declarations", Some(&province)).await;
        let names: Vec<&str> = list
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["full_name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            ["Giàng Thị Dung", "Hoàng Thị Hoa", "Vàng A Chứ"],
            "{}: risky first, Hà Nội left out",
            app.backend
        );
        let flagged = app
            .get(
                "/api/v1/declarations?flagged=true&unit=02839",
                Some(&province),
            )
            .await;
        assert_eq!(flagged.body.as_array().unwrap().len(), 1);
        let by_flag = app
            .get("/api/v1/declarations?flag=symptoms", Some(&province))
            .await;
        assert_eq!(by_flag.body[0]["full_name"], "Hoàng Thị Hoa");
        assert_eq!(
            app.get(
                &format!("/api/v1/declarations?from={TODAY}&to={TODAY}&kind=domestic"),
                Some(&province)
            )
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
            3
        );
        assert_eq!(
            app.get("/api/v1/declarations?kind=bogus", Some(&province))
                .await
                .field_code("kind"),
            Some("choice_unknown")
        );
        assert_eq!(
            app.get("/api/v1/declarations?unit=00070", Some(&province))
                .await
                .status,
            403
        );

        let id = list.body[0]["id"].as_i64().unwrap();
        let one = app
            .get(&format!("/api/v1/declarations/{id}"), Some(&province))
            .await;
        assert_eq!(one.body["answers"]["flags"][0]["code"], "contact_with_case");
        let commune = app
            .staff_token("yte.sapa", "health_official", "03006")
            .await;
        assert_eq!(
            app.get(&format!("/api/v1/declarations/{id}"), Some(&commune))
                .await
                .status,
            403
        );

        let csv = app
            .client
            .get(format!("{}/api/v1/declarations/export.csv", app.base))
            .bearer_auth(&province)
            .send()
            .await
            .unwrap();
        let csv = csv.text().await.unwrap();
        assert!(csv.starts_with('\u{feff}'), "UTF-8 byte-order mark");
        assert!(
            csv.contains("Họ và tên")
                && csv.contains("Giàng Thị Dung")
                && !csv.contains("Nguyễn Văn Nam")
        );
        assert_eq!(csv.lines().count(), 4);

        let xlsx = app
            .client
            .get(format!("{}/api/v1/declarations/export.xlsx", app.base))
            .bearer_auth(&province)
            .send()
            .await
            .unwrap();
        let bytes = xlsx.bytes().await.unwrap().to_vec();
        use calamine::Reader;
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("Tờ khai").unwrap();
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        assert_eq!(rows[2][2], "Họ và tên");
        let exported: Vec<&str> = rows[3..].iter().map(|r| r[2].as_str()).collect();
        assert_eq!(
            exported, names,
            "the workbook holds exactly the official's rows"
        );

        let admin = app.staff_token("admin.laocai", "admin", "15").await;
        let audit = app.get("/api/v1/audit", Some(&admin)).await;
        let actions: Vec<&str> = audit
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["action"].as_str().unwrap())
            .collect();
        assert!(
            actions.contains(&"declaration.export") && actions.contains(&"declaration.read"),
            "{actions:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn arrivals_under_monitoring_who_miss_a_day_are_listed() {
    each_backend(relaxed(), |app| async move {
        let mut tokens = Vec::new();
        for phone in ["0912000001", "0912000002"] {
            let token = app.citizen_token(phone).await;
            let entry = json!({"kind": "entry", "identity": identity(&format!("Khách {phone}"), "02839"), "consent": true,
                "entry": {"passport": "C1234567", "conveyance": "road", "vehicle_number": "24B-12345", "departure_country": "CN",
                    "departure_place": "Hà Khẩu", "departure_date": TODAY, "entry_date": TODAY, "border_gate": "DB-LAOCAI",
                    "vaccination": "partial", "test_result": "not_tested"}});
            assert_eq!(app.post("/api/v1/declarations", Some(&token), entry).await.status, 201);
            tokens.push(token);
        }
        app.clock.advance(SignedDuration::from_hours(24));
        let daily = json!({"kind": "daily_update", "daily": {"temperature_c": 36.6}});
        assert_eq!(app.post("/api/v1/declarations", Some(&tokens[0]), daily).await.status, 201);
        app.clock.advance(SignedDuration::from_hours(24));
        let official = app.staff_token("yte.bacha", "health_official", "02839").await;
        let missed = app.get("/api/v1/declarations/missed-updates", Some(&official)).await;
        let names: Vec<&str> = missed.body.as_array().unwrap().iter().map(|m| m["full_name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Khách 0912000002"], "{}: {}", app.backend, missed.body);
    })
    .await;
}

#[tokio::test]
async fn checkpoint_staff_declare_for_people_with_and_without_phones() {
    each_backend(relaxed(), |app| async move {
        let staff = app
            .staff_token("chot.laocai", "checkpoint_staff", "15")
            .await;
        let form = domestic("Sùng A Páo", "02839", json!({}));
        let first = app
            .post(
                "/api/v1/checkpoint/declarations",
                Some(&staff),
                json!({"form": form, "phone": "0388123456"}),
            )
            .await;
        assert_eq!(
            (first.status, first.body["confirmation"].as_str()),
            (202, Some("code_sent")),
            "{}",
            app.backend
        );
        let code = app.last_code("+84388123456");
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let r = app
            .post(
                "/api/v1/checkpoint/declarations",
                Some(&staff),
                json!({"form": form, "phone": "0388123456", "code": wrong}),
            )
            .await;
        assert_eq!(r.field_code("code"), Some("code_wrong"));
        let r = app
            .post(
                "/api/v1/checkpoint/declarations",
                Some(&staff),
                json!({"form": form, "phone": "0388123456", "code": code}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert!(r.body["pass"]["pass"].as_str().unwrap().starts_with("PD1:"));
        // The person can later sign in and finds the declaration under their own account.
        let token = app.citizen_token("0388123456").await;
        let mine = app.get("/api/v1/me/declarations", Some(&token)).await;
        assert_eq!(mine.body[0]["by_staff"], true);

        let phoneless = app
            .post(
                "/api/v1/checkpoint/declarations",
                Some(&staff),
                json!({"form": domestic("Thào Thị Mỷ", "02839", json!({})), "no_phone": true}),
            )
            .await;
        assert_eq!(phoneless.status, 201, "{}", phoneless.body);
        let neither = app
            .post(
                "/api/v1/checkpoint/declarations",
                Some(&staff),
                json!({"form": form}),
            )
            .await;
        assert_eq!(neither.field_code("phone"), Some("phone_or_no_phone"));
        let citizen = app
            .post(
                "/api/v1/checkpoint/declarations",
                Some(&token),
                json!({"form": form, "no_phone": true}),
            )
            .await;
        assert_eq!(citizen.status, 403);
    })
    .await;
}
