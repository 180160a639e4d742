//! Issue 15, class 8: an audit log an auditor can use. Quarantine orders, their test results and
//! staff views of photos are audited; rows carry the data's unit, so a unit's admin sees who from
//! outside read their residents; filters and an export that is audited itself.

use std::io::Cursor;

use base64::Engine;
use serde_json::{json, Value};

use crate::helpers::{each_backend, relaxed, TestApp};

const BAC_HA: &str = "02839";
const SA_PA: &str = "03006";

fn png() -> String {
    let img = image::RgbImage::from_fn(32, 24, |x, y| image::Rgb([x as u8 * 5, y as u8 * 7, 90]));
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(out)
    )
}

/// The audit rows an admin of the province sees for `action`.
async fn rows(app: &TestApp, admin: &str, query: &str) -> Vec<Value> {
    let r = app
        .get(&format!("/api/v1/audit?{query}"), Some(admin))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body.as_array().unwrap().clone()
}

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

#[tokio::test]
async fn quarantine_orders_test_results_and_photo_views_are_audited() {
    each_backend(relaxed(), |app| async move {
        let admin = app.staff_token("qt.laocai", "admin", "15").await;
        let official = app
            .staff_token("yte.bacha", "health_official", BAC_HA)
            .await;
        let case = app
            .post(
                "/api/v1/cases",
                Some(&official),
                json!({"person": {"full_name": "Ca bệnh", "unit_code": BAC_HA},
                    "sample_date": "2027-01-14", "confirmed_date": "2027-01-15", "source": "imported"}),
            )
            .await;
        assert_eq!(case.status, 201, "{}", case.body);
        let contact = app
            .post(
                &format!("/api/v1/cases/{}/contacts", case.body["id"]),
                Some(&official),
                json!({"person": {"full_name": "Thào Thị Dung", "phone": "0912400001", "unit_code": BAC_HA},
                    "setting": "household", "at": "2027-01-13T03:00:00Z", "minutes": 120, "masked": false}),
            )
            .await;
        assert_eq!(contact.status, 201, "{}", contact.body);
        let q = app
            .post(
                "/api/v1/quarantine",
                Some(&official),
                json!({"person_id": contact.body["person_id"], "level": 1, "kind": "home"}),
            )
            .await;
        assert_eq!(q.status, 201, "{}", q.body);
        let order = q.body["id"].as_i64().unwrap();
        let created = rows(&app, &admin, "action=quarantine.create").await;
        assert_eq!(created.len(), 1, "{}", app.backend);
        assert_eq!(created[0]["actor"], "yte.bacha");
        assert_eq!(created[0]["data_unit_path"], "VN/15/02839/");
        assert!(created[0]["subject"]
            .as_str()
            .unwrap()
            .starts_with(&format!("quarantine:{order} ")));
        let t = app
            .post(
                &format!("/api/v1/quarantine/{order}/tests"),
                Some(&official),
                json!({"date": "2027-01-15", "result": "negative"}),
            )
            .await;
        assert_eq!(t.status, 200, "{}", t.body);
        let tests = rows(&app, &admin, "action=quarantine.test").await;
        assert_eq!(tests.len(), 1);
        assert_eq!(
            tests[0]["subject"],
            format!("quarantine:{order} day=2027-01-15 result=negative")
        );
        assert_eq!(tests[0]["unit_code"], BAC_HA);

        // Photos: a risk report's photo opened by an official, a facility feedback photo opened
        // by an official (anonymous views of the public photo are nobody's to audit).
        let sa_pa = app.staff_token("yte.sapa", "health_official", SA_PA).await;
        let (reporter, _) = citizen(&app, "0912400002", "Lò Văn Páo", SA_PA).await;
        let r = app
            .post(
                "/api/v1/risk-reports",
                Some(&reporter),
                json!({"category": "gathering", "unit_code": SA_PA, "text": "Tụ tập đông người",
                    "photo": png()}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let photo = format!("/api/v1/risk-reports/{}/photo", r.body["id"]);
        let get = |token: Option<String>, path: String| {
            let app = &app;
            async move {
                let mut req = app.client.get(format!("{}{path}", app.base));
                if let Some(t) = token {
                    req = req.bearer_auth(t);
                }
                req.send().await.unwrap().status().as_u16()
            }
        };
        assert_eq!(get(Some(reporter.clone()), photo.clone()).await, 200);
        assert!(rows(&app, &admin, "action=risk_report.photo").await.is_empty());
        assert_eq!(get(Some(sa_pa.clone()), photo.clone()).await, 200);
        let seen = rows(&app, &admin, "action=risk_report.photo").await;
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0]["actor"], "yte.sapa");
        assert_eq!(seen[0]["unit_code"], SA_PA);

        let f = app
            .post(
                "/api/v1/facilities",
                Some(&sa_pa),
                json!({"name": "Trường Tiểu học Sa Pa", "facility_type": "school", "unit_code": SA_PA,
                    "address": "Tổ 2", "lat": 22.3364, "lon": 103.8438}),
            )
            .await;
        assert_eq!(f.status, 201, "{}", f.body);
        let fb = app
            .post(
                &format!("/api/v1/facilities/{}/feedback", f.body["id"]),
                Some(&reporter),
                json!({"text": "Không có nước rửa tay", "photo": png()}),
            )
            .await;
        assert_eq!(fb.status, 201, "{}", fb.body);
        let url = fb.body["photo_url"].as_str().unwrap().to_owned();
        assert_eq!(get(None, url.clone()).await, 200);
        assert!(rows(&app, &admin, "action=feedback.photo").await.is_empty());
        assert_eq!(get(Some(sa_pa.clone()), url.clone()).await, 200);
        let seen = rows(&app, &admin, "action=feedback.photo").await;
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0]["data_unit_path"], "VN/15/03006/");
    })
    .await;
}

#[tokio::test]
async fn a_units_admin_sees_who_from_outside_read_their_residents_and_exports_it() {
    each_backend(relaxed(), |app| async move {
        let (_, resident) = citizen(&app, "0912400010", "Vàng Thị Mỷ", BAC_HA).await;
        let local = app
            .staff_token("yte.bacha", "health_official", BAC_HA)
            .await;
        let province = app
            .staff_token("yte.laocai", "health_official", "15")
            .await;
        let sa_pa = app.staff_token("yte.sapa", "health_official", SA_PA).await;
        let admin = app.staff_token("qt.bacha", "admin", BAC_HA).await;
        let path = format!("/api/v1/citizens/{resident}");
        assert_eq!(app.get(&path, Some(&local)).await.status, 200);
        assert_eq!(app.get(&path, Some(&province)).await.status, 200);
        assert_eq!(app.get(&path, Some(&sa_pa)).await.status, 403);

        // Bắc Hà's admin sees the reads of their resident by the province and by Sa Pa, though
        // neither reader is inside Bắc Hà …
        let all = rows(&app, &admin, "action=citizen.read").await;
        let mut readers: Vec<&str> = all.iter().map(|r| r["actor"].as_str().unwrap()).collect();
        readers.sort();
        assert_eq!(readers, ["yte.bacha", "yte.laocai", "yte.sapa"], "{}", app.backend);
        // … and only those from outside in the auditor's view.
        let outside = rows(&app, &admin, "view=outside&action=citizen.read").await;
        let mut readers: Vec<&str> = outside.iter().map(|r| r["actor"].as_str().unwrap()).collect();
        readers.sort();
        assert_eq!(readers, ["yte.laocai", "yte.sapa"]);
        let denied = rows(&app, &admin, "view=outside&outcome=denied").await;
        assert_eq!(denied.len(), 1);
        assert_eq!(denied[0]["actor"], "yte.sapa");
        assert_eq!(denied[0]["reader_unit_path"], "VN/15/03006/");
        assert_eq!(denied[0]["data_unit_path"], "VN/15/02839/");
        let q = format!(
            "actor=yte.laocai&action=citizen.&reader_unit=15&data_unit={BAC_HA}&from=2027-01-15&to=2027-01-15"
        );
        assert_eq!(rows(&app, &admin, &q).await.len(), 1);
        assert!(rows(&app, &admin, "from=2027-01-16").await.is_empty());
        assert!(rows(&app, &admin, "reader_unit=03006&outcome=allowed").await.is_empty());

        let bad = app
            .get(
                "/api/v1/audit?outcome=maybe&view=mine&from=yesterday&data_unit=99999",
                Some(&admin),
            )
            .await;
        assert_eq!(bad.status, 422, "{}", bad.body);
        for (field, code) in [
            ("outcome", "outcome_unknown"),
            ("view", "view_unknown"),
            ("from", "date_invalid"),
        ] {
            assert_eq!(bad.field_code(field), Some(code), "{}", bad.body);
        }
        assert!(bad.field_code("data_unit").is_some(), "{}", bad.body);
        assert_eq!(app.get("/api/v1/audit", Some(&local)).await.status, 403);

        // The export holds the filtered rows and is audited itself.
        let res = app
            .client
            .get(format!("{}/api/v1/audit/export.csv?view=outside", app.base))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        let csv = res.text().await.unwrap();
        assert!(csv.contains("Người truy cập"), "{csv}");
        assert!(csv.contains("yte.laocai") && csv.contains("yte.sapa"), "{csv}");
        assert!(!csv.contains("yte.bacha"), "{csv}");
        let exports = rows(&app, &admin, "action=audit.export").await;
        assert_eq!(exports.len(), 1);
        assert_eq!(exports[0]["actor"], "qt.bacha");
        assert!(exports[0]["subject"].as_str().unwrap().contains("view=outside"));
        let xlsx = app
            .client
            .get(format!("{}/api/v1/audit/export.xlsx?outcome=denied", app.base))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap();
        assert_eq!(xlsx.status(), 200);
        assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
        assert_eq!(rows(&app, &admin, "action=audit.export").await.len(), 2);
    })
    .await;
}
