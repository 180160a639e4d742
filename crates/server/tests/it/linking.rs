//! Jurisdiction through linking (issue 15, class 1): an operation that reuses or links to an
//! existing record checks that record's unit as a direct read would; chain members and traced
//! people living outside the reader's jurisdiction are listed without their identity (the one
//! rule of `reveal`), and each identity shown is an audit row with the person's unit; case dates
//! are bounded by the profile's lookback.

use serde_json::{json, Value};

use crate::helpers::{each_backend, relaxed, TestApp};

const BAC_HA: &str = "02839";
const SA_PA: &str = "03006";
/// The test clock's day is 2027-01-15.
const CASE_DATES: (&str, &str, &str) = ("2027-01-12", "2027-01-13", "2027-01-14");

async fn citizen(app: &TestApp, phone: &str, name: &str, unit: &str) -> String {
    let token = app.citizen_token(phone).await;
    let r = app
        .request(
            "PATCH",
            "/api/v1/me",
            Some(&token),
            Some(json!({"full_name": name, "unit_code": unit})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    token
}

fn case_body(name: &str, phone: Option<&str>, unit: &str) -> Value {
    let (onset, sample, confirmed) = CASE_DATES;
    json!({"person": {"full_name": name, "phone": phone, "unit_code": unit},
        "onset_date": onset, "sample_date": sample, "confirmed_date": confirmed,
        "source": "community"})
}

async fn register(app: &TestApp, official: &str, body: Value) -> Value {
    let r = app.post("/api/v1/cases", Some(official), body).await;
    assert_eq!(r.status, 201, "{}: {}", app.backend, r.body);
    r.body
}

/// `(action, subject, unit_code, outcome)` of the audit rows, newest first.
async fn audit(app: &TestApp) -> Vec<(String, String, String, String)> {
    let admin = app.staff_token("kiemtra.vn", "admin", "VN").await;
    let r = app.get("/api/v1/audit?limit=1000", Some(&admin)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let s = |k: &str| row[k].as_str().unwrap_or_default().to_owned();
            (s("action"), s("subject"), s("unit_code"), s("outcome"))
        })
        .collect()
}

#[tokio::test]
async fn a_case_cannot_reuse_a_person_of_another_unit() {
    each_backend(relaxed(), |app| async move {
        citizen(&app, "0912400001", "Vàng Thị Mỷ", BAC_HA).await;
        let bac_ha = app
            .staff_token("yte.bacha", "health_official", BAC_HA)
            .await;
        let sa_pa = app.staff_token("yte.sapa", "health_official", SA_PA).await;
        // Bắc Hà's own case of her.
        register(
            &app,
            &bac_ha,
            case_body("Vàng Thị Mỷ", Some("0912400001"), BAC_HA),
        )
        .await;

        // Sa Pa names the same person (name + phone) in a Sa Pa case: refused as a direct read.
        let r = app
            .post(
                "/api/v1/cases",
                Some(&sa_pa),
                case_body("Vàng Thị Mỷ", Some("0912400001"), SA_PA),
            )
            .await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (403, Some("out_of_jurisdiction")),
            "{}: {}",
            app.backend,
            r.body
        );
        // Nothing was written, and the attempt is in the log with her unit.
        assert_eq!(app.get("/api/v1/cases", Some(&sa_pa)).await.body, json!([]));
        let rows = audit(&app).await;
        assert!(
            rows.iter()
                .any(|(a, _, u, o)| a == "case.create.person" && u == BAC_HA && o == "denied"),
            "{rows:?}"
        );
        // The province covers both units.
        let province = app.staff_token("yte.laocai", "health_official", "15").await;
        let ok = app
            .post(
                "/api/v1/cases",
                Some(&province),
                case_body("Vàng Thị Mỷ", Some("0912400001"), SA_PA),
            )
            .await;
        assert_eq!(ok.status, 201, "{}", ok.body);
    })
    .await;
}

#[tokio::test]
async fn contacts_living_elsewhere_are_listed_without_identity_and_their_unit_sees_them() {
    each_backend(relaxed(), |app| async move {
        let sa_pa = app.staff_token("yte.sapa", "health_official", SA_PA).await;
        let bac_ha = app
            .staff_token("yte.bacha", "health_official", BAC_HA)
            .await;
        let case = register(&app, &sa_pa, case_body("Hoàng Văn Ca", None, SA_PA)).await;
        let id = case["id"].as_i64().unwrap();
        for (name, unit) in [("Lý Thị Gần", SA_PA), ("Giàng Seo Xa", BAC_HA)] {
            let r = app
                .post(
                    &format!("/api/v1/cases/{id}/contacts"),
                    Some(&sa_pa),
                    json!({"person": {"full_name": name, "phone": "0912400009", "unit_code": unit},
                        "setting": "household", "at": "2027-01-12T12:00:00Z", "minutes": 600,
                        "masked": false}),
                )
                .await;
            assert_eq!(r.status, 201, "{}", r.body);
        }

        // The case's officials: both are F1, but only the one living in Sa Pa by name.
        let detail = app.get(&format!("/api/v1/cases/{id}"), Some(&sa_pa)).await;
        let chain = detail.body["chain"].as_array().unwrap();
        assert_eq!(chain.len(), 2, "{}", detail.body);
        let near = chain.iter().find(|m| m["unit_code"] == SA_PA).unwrap();
        let far = chain.iter().find(|m| m["unit_code"] == BAC_HA).unwrap();
        assert_eq!(near["full_name"], "Lý Thị Gần");
        assert_eq!(near["outside_jurisdiction"], false);
        assert_eq!(far["full_name"], Value::Null, "{far}");
        assert_eq!(far["phone"], Value::Null);
        assert_eq!(far["evidence"], Value::Null);
        assert_eq!(far["outside_jurisdiction"], true);
        assert_eq!(far["level"], 1);

        // The same rule in the export and the traced-people lists.
        let csv = app
            .get(&format!("/api/v1/cases/{id}/chain.csv"), Some(&sa_pa))
            .await;
        let text = csv.body.as_str().unwrap_or_default().to_owned();
        assert!(
            text.contains("Lý Thị Gần") && !text.contains("Giàng Seo Xa"),
            "{text}"
        );
        let listed = app.get("/api/v1/tracing/people", Some(&sa_pa)).await;
        let names: Vec<Value> = listed
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["full_name"].clone())
            .collect();
        assert!(
            names.contains(&json!("Lý Thị Gần")) && !names.contains(&json!("Giàng Seo Xa")),
            "{names:?}"
        );
        let csv = app.get("/api/v1/tracing/people.csv", Some(&sa_pa)).await;
        assert!(!csv
            .body
            .as_str()
            .unwrap_or_default()
            .contains("Giàng Seo Xa"));

        // Bắc Hà cannot open Sa Pa's case, but sees its resident in its own list, by name.
        let refused = app.get(&format!("/api/v1/cases/{id}"), Some(&bac_ha)).await;
        assert_eq!(refused.status, 403);
        let theirs = app.get("/api/v1/tracing/people", Some(&bac_ha)).await;
        let rows = theirs.body.as_array().unwrap();
        assert_eq!(rows.len(), 1, "{}: {}", app.backend, theirs.body);
        assert_eq!(rows[0]["full_name"], "Giàng Seo Xa");
        assert_eq!(rows[0]["case_id"], id);

        // Filtering by a unit outside the jurisdiction is refused like a direct read.
        let r = app
            .get(
                &format!("/api/v1/tracing/people?unit={BAC_HA}"),
                Some(&sa_pa),
            )
            .await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (403, Some("out_of_jurisdiction"))
        );

        // Every identity shown is one audit row with the person's unit.
        let rows = audit(&app).await;
        let shown = |action: &str, unit: &str| {
            rows.iter()
                .filter(|(a, _, u, _)| a == action && u == unit)
                .count()
        };
        assert_eq!(shown("case.chain.person", SA_PA), 1, "{rows:?}");
        assert_eq!(shown("case.chain.person", BAC_HA), 0);
        assert_eq!(shown("tracing.people.person", BAC_HA), 1);
        assert!(rows.iter().any(|(a, s, u, _)| a == "case.create"
            && s.starts_with(&format!("case={id} "))
            && u == SA_PA));
    })
    .await;
}

#[tokio::test]
async fn naming_a_known_contact_of_another_unit_links_them_without_revealing_them() {
    each_backend(relaxed(), |app| async move {
        citizen(&app, "0912400002", "Thào A Dơ", BAC_HA).await;
        let sa_pa = app.staff_token("yte.sapa", "health_official", SA_PA).await;
        let case = register(&app, &sa_pa, case_body("Hoàng Văn Ca", None, SA_PA)).await;
        let id = case["id"].as_i64().unwrap();
        // Typed as living in Sa Pa, but the phone and name are a Bắc Hà citizen's.
        let r = app
            .post(
                &format!("/api/v1/cases/{id}/contacts"),
                Some(&sa_pa),
                json!({"person": {"full_name": "Thào A Dơ", "phone": "0912400002", "unit_code": SA_PA},
                    "setting": "workplace", "at": "2027-01-12T12:00:00Z", "minutes": 60,
                    "masked": false}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body.as_object().unwrap().len(), 3, "only ids: {}", r.body);
        let detail = app.get(&format!("/api/v1/cases/{id}"), Some(&sa_pa)).await;
        let member = &detail.body["chain"][0];
        assert_eq!(member["unit_code"], BAC_HA, "{}", detail.body);
        assert_eq!(member["full_name"], Value::Null);
        let rows = audit(&app).await;
        assert!(rows.iter().any(|(a, _, u, _)| a == "case.contact.link" && u == BAC_HA), "{rows:?}");
    })
    .await;
}

#[tokio::test]
async fn a_quarantine_order_cannot_link_a_case_of_another_unit() {
    each_backend(relaxed(), |app| async move {
        let sa_pa = app.staff_token("yte.sapa", "health_official", SA_PA).await;
        let bac_ha = app.staff_token("yte.bacha", "health_official", BAC_HA).await;
        let theirs = register(&app, &bac_ha, case_body("Lò Văn Bắc", None, BAC_HA)).await;
        let ours = register(&app, &sa_pa, case_body("Hoàng Văn Ca", None, SA_PA)).await;
        let contact = app
            .post(
                &format!("/api/v1/cases/{}/contacts", ours["id"]),
                Some(&sa_pa),
                json!({"person": {"full_name": "Lý Thị Gần", "unit_code": SA_PA},
                    "setting": "household", "at": "2027-01-12T12:00:00Z", "minutes": 600,
                    "masked": false}),
            )
            .await;
        let r = app
            .post(
                "/api/v1/quarantine",
                Some(&sa_pa),
                json!({"person_id": contact.body["person_id"], "level": 1, "case_id": theirs["id"]}),
            )
            .await;
        assert_eq!((r.status, r.body["code"].as_str()), (403, Some("out_of_jurisdiction")), "{}", r.body);
        let list = app.get("/api/v1/quarantine", Some(&sa_pa)).await;
        assert_eq!(list.body.as_array().map(Vec::len), Some(0), "nothing stored: {}", list.body);
        let ok = app
            .post(
                "/api/v1/quarantine",
                Some(&sa_pa),
                json!({"person_id": contact.body["person_id"], "level": 1, "case_id": ours["id"]}),
            )
            .await;
        assert_eq!(ok.status, 201, "{}", ok.body);
    })
    .await;
}

#[tokio::test]
async fn case_dates_are_bounded_by_the_lookback() {
    each_backend(relaxed(), |app| async move {
        let official = app
            .staff_token("yte.bacha", "health_official", BAC_HA)
            .await;
        // 17 days back (the example of the issue) and 15: past the 14-day lookback.
        for onset in ["2026-12-29", "2026-12-31"] {
            let mut body = case_body("Lò Văn Cũ", None, BAC_HA);
            body["onset_date"] = json!(onset);
            let r = app.post("/api/v1/cases", Some(&official), body).await;
            assert_eq!(r.status, 422, "{onset}: {}", r.body);
            assert_eq!(r.field_code("onset_date"), Some("date_before_lookback"));
        }
        let mut body = case_body("Lò Văn Cũ", None, BAC_HA);
        body["sample_date"] = json!("2026-12-20");
        body["onset_date"] = Value::Null;
        let r = app.post("/api/v1/cases", Some(&official), body).await;
        assert_eq!(
            r.field_code("sample_date"),
            Some("date_before_lookback"),
            "{}",
            r.body
        );
        // Exactly 14 days back is accepted.
        let mut body = case_body("Lò Văn Cũ", None, BAC_HA);
        body["onset_date"] = json!("2027-01-01");
        assert_eq!(
            app.post("/api/v1/cases", Some(&official), body)
                .await
                .status,
            201
        );
    })
    .await;
}
