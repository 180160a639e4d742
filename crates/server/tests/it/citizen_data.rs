//! Class 7 of issue 15, citizens' side: a copy of their data (with their family and
//! declarations), and deleting their account while what an open case needs stays — and says why.

use serde_json::{json, Value};

use crate::helpers::{each_backend, relaxed, TestApp};

fn domestic(name: &str, phone: &str) -> Value {
    json!({"kind": "domestic", "consent": true, "health": {},
        "identity": {"full_name": name, "birth_year": 1985, "gender": "male", "nationality": "VN",
            "address": {"unit_code": "02839", "street": "Thôn Nậm Cài"}, "phone": phone}})
}

/// A signed-in citizen of Bắc Hà with a name, one family member and one declaration.
async fn citizen(app: &TestApp, phone: &str, name: &str) -> (String, i64) {
    let token = app.citizen_token(phone).await;
    let me = app
        .request(
            "PATCH",
            "/api/v1/me",
            Some(&token),
            Some(json!({"full_name": name, "unit_code": "02839"})),
        )
        .await;
    let member = json!({"full_name": "Lò Thị Hoa", "birth_year": 2015, "relation": "child"});
    assert_eq!(
        app.post("/api/v1/me/family", Some(&token), member)
            .await
            .status,
        201
    );
    let r = app
        .post("/api/v1/declarations", Some(&token), domestic(name, phone))
        .await;
    assert_eq!(r.status, 201, "{}: {}", app.backend, r.body);
    (token, me.body["id"].as_i64().unwrap())
}

#[tokio::test]
async fn the_data_download_holds_the_citizens_declarations_and_family_and_nobody_elses() {
    each_backend(relaxed(), |app| async move {
        let (token, id) = citizen(&app, "0912345678", "Lò Văn Sử").await;
        citizen(&app, "0912345679", "Giàng A Páo").await;
        let r = app.get("/api/v1/me/data", Some(&token)).await;
        assert_eq!(r.status, 200, "{}: {}", app.backend, r.body);
        let disposition = r.headers["content-disposition"].to_str().unwrap();
        assert!(
            disposition.starts_with("attachment; filename=\"phongdich-du-lieu-cua-toi-")
                && disposition.ends_with(".json\""),
            "{disposition}"
        );
        let data = &r.body;
        assert_eq!(data["account"]["id"], id);
        assert_eq!(data["account"]["phone"], "+84912345678");
        assert_eq!(data["account"]["full_name"], "Lò Văn Sử");
        assert_eq!(data["family"].as_array().unwrap().len(), 1);
        assert_eq!(data["family"][0]["full_name"], "Lò Thị Hoa");
        let declarations = data["declarations"].as_array().unwrap();
        assert_eq!(declarations.len(), 1, "{data}");
        assert_eq!(declarations[0]["full_name"], "Lò Văn Sử");
        assert!(
            declarations[0]["answers"].is_object(),
            "answers as JSON: {}",
            declarations[0]
        );
        assert!(declarations[0]["declared_at"]
            .as_str()
            .unwrap()
            .ends_with('Z'));
        assert!(data["sessions"].as_array().unwrap().len() == 1);
        assert!(!data["note"]["en"].as_str().unwrap().is_empty());
        for section in [
            "visits",
            "alerts",
            "f1_reports",
            "risk_reports",
            "cases",
            "quarantine",
            "staff_reads",
        ] {
            assert!(data[section].is_array(), "{section}");
        }
        let staff = app
            .staff_token("yte.bacha", "health_official", "02839")
            .await;
        assert_eq!(app.get("/api/v1/me/data", Some(&staff)).await.status, 403);
        assert_eq!(app.get("/api/v1/me/data", None).await.status, 401);
    })
    .await;
}

#[tokio::test]
async fn deletion_keeps_what_an_open_case_needs_and_says_why() {
    each_backend(relaxed(), |app| async move {
        let (token, id) = citizen(&app, "0912300001", "Nguyễn Văn Ca").await;
        let official = app.staff_token("yte.bacha", "health_official", "02839").await;
        let created = app
            .post("/api/v1/cases", Some(&official), json!({"person": {"full_name": "Nguyễn Văn Ca",
                "phone": "0912300001", "unit_code": "02839"}, "onset_date": "2027-01-13",
                "sample_date": "2027-01-14", "confirmed_date": "2027-01-15", "source": "community"}))
            .await;
        assert_eq!(created.status, 201, "{}", created.body);
        let case = created.body["id"].as_i64().unwrap();

        let unconfirmed = app.request("DELETE", "/api/v1/me", Some(&token), Some(json!({}))).await;
        assert_eq!(unconfirmed.field_code("confirm"), Some("confirmation_required"), "{}", unconfirmed.body);

        let r = app.request("DELETE", "/api/v1/me", Some(&token), Some(json!({"confirm": true}))).await;
        assert_eq!(r.status, 200, "{}: {}", app.backend, r.body);
        assert_eq!(r.body["deleted"], true);
        let kept = r.body["kept"].as_array().unwrap();
        assert_eq!(kept.len(), 1, "{}", r.body);
        assert_eq!((kept[0]["kind"].as_str(), kept[0]["id"].as_i64()), (Some("open_case"), Some(case)));
        assert!(kept[0]["reason"]["vi"].as_str().unwrap().contains("ca bệnh"));
        assert!(kept[0]["reason"]["en"].as_str().unwrap().contains("until the case is closed"));
        assert!(r.body["message"]["en"].as_str().unwrap().contains("kept"));
        // Two days before onset, in Vietnam's time: the case's transmission period.
        assert_eq!(r.body["kept_records_from"], "2027-01-10T17:00:00Z");
        assert_eq!(r.body["removed"]["family"], 1);

        assert_eq!(app.get("/api/v1/me", Some(&token)).await.status, 401, "sessions end at once");
        // The case still names its person for the officials.
        let opened = app.get(&format!("/api/v1/cases/{case}"), Some(&official)).await;
        assert_eq!(opened.status, 200);
        assert_eq!(opened.body["case"]["full_name"], "Nguyễn Văn Ca");
        assert_eq!(opened.body["case"]["phone"], "+84912300001");
        // What the case needs of the tombstone: the declaration inside the infectious period.
        let left = app.store.citizen_data(id).await.unwrap();
        assert_eq!(left["account"]["phone"], format!("deleted:{id}"));
        assert_eq!(left["account"]["full_name"], Value::Null);
        assert_eq!(left["family"].as_array().unwrap().len(), 0);
        assert_eq!(left["declarations"].as_array().unwrap().len(), 1);

        // The phone is free again: a new sign-in is a new, empty account.
        let again = app.citizen_token("0912300001").await;
        let fresh = app.get("/api/v1/me/data", Some(&again)).await;
        assert_ne!(fresh.body["account"]["id"], id);
        assert_eq!(fresh.body["declarations"].as_array().unwrap().len(), 0);
        assert_eq!(fresh.body["family"].as_array().unwrap().len(), 0);
    })
    .await;
}

#[tokio::test]
async fn deletion_without_an_open_case_removes_everything() {
    each_backend(relaxed(), |app| async move {
        let (token, id) = citizen(&app, "0912345678", "Lò Văn Sử").await;
        let r = app
            .request(
                "DELETE",
                "/api/v1/me",
                Some(&token),
                Some(json!({"confirm": true})),
            )
            .await;
        assert_eq!(r.status, 200, "{}: {}", app.backend, r.body);
        assert_eq!(r.body["kept"].as_array().unwrap().len(), 0);
        assert_eq!(r.body["kept_records_from"], Value::Null);
        assert_eq!(r.body["removed"]["declarations"], 1);
        assert_eq!(r.body["removed"]["family"], 1);
        assert_eq!(
            r.body["message"]["vi"],
            "Tài khoản và dữ liệu của bạn đã được xoá."
        );
        let left = app.store.citizen_data(id).await.unwrap();
        for section in ["declarations", "family", "sessions", "visits", "alerts"] {
            assert_eq!(left[section].as_array().unwrap().len(), 0, "{section}");
        }
        assert_eq!(left["account"]["full_name"], Value::Null);
        assert_eq!(app.get("/api/v1/me", Some(&token)).await.status, 401);
    })
    .await;
}
