use serde_json::json;

use crate::helpers::{each_backend, relaxed};

#[tokio::test]
async fn officials_read_citizens_of_their_subtree_and_every_read_is_audited() {
    each_backend(relaxed(), |app| async move {
        let in_bac_ha = app.citizen_token("0912000001").await;
        app.request(
            "PATCH",
            "/api/v1/me",
            Some(&in_bac_ha),
            Some(json!({"full_name": "Vàng A Chứ", "unit_code": "02839"})),
        )
        .await;
        let in_sa_pa = app.citizen_token("0912000002").await;
        let me = app
            .request(
                "PATCH",
                "/api/v1/me",
                Some(&in_sa_pa),
                Some(json!({"full_name": "Hoàng Thị Hoa", "unit_code": "03006"})),
            )
            .await;
        let sa_pa_id = me.body["id"].as_i64().unwrap();

        let commune = app
            .staff_token("yte.bacha", "health_official", "02839")
            .await;
        let list = app.get("/api/v1/citizens", Some(&commune)).await;
        assert_eq!(list.status, 200, "{}", app.backend);
        let names: Vec<_> = list
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["full_name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Vàng A Chứ"]);

        let other = app
            .get(&format!("/api/v1/citizens/{sa_pa_id}"), Some(&commune))
            .await;
        assert_eq!(
            (other.status, other.body["code"].as_str()),
            (403, Some("out_of_jurisdiction"))
        );
        assert_eq!(other.headers["content-type"], "application/problem+json");

        let province = app.staff_token("yte.laocai", "health_official", "15").await;
        let record = app
            .get(&format!("/api/v1/citizens/{sa_pa_id}"), Some(&province))
            .await;
        assert_eq!(record.body["full_name"], "Hoàng Thị Hoa");
        assert_eq!(
            app.get("/api/v1/citizens/999999", Some(&province))
                .await
                .status,
            404
        );

        let admin = app.staff_token("admin.laocai", "admin", "15").await;
        let audit = app.get("/api/v1/audit", Some(&admin)).await;
        let rows = audit.body.as_array().unwrap();
        let summary: Vec<(String, String, String)> = rows
            .iter()
            .map(|r| {
                (
                    r["actor"].as_str().unwrap().into(),
                    r["action"].as_str().unwrap().into(),
                    r["outcome"].as_str().unwrap().into(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("yte.laocai".into(), "citizen.read".into(), "allowed".into()),
                ("yte.bacha".into(), "citizen.read".into(), "denied".into()),
                ("yte.bacha".into(), "citizen.list".into(), "allowed".into()),
            ],
            "{}",
            app.backend
        );
    })
    .await;
}

#[tokio::test]
async fn roles_are_checked_for_every_staff_endpoint() {
    each_backend(relaxed(), |app| async move {
        let citizen = app.citizen_token("0912000001").await;
        let venue = app.staff_token("cho.bacha", "venue_staff", "02839").await;
        let official = app.staff_token("yte.bacha", "health_official", "02839").await;
        for path in ["/api/v1/citizens", "/api/v1/citizens/1", "/api/v1/staff", "/api/v1/audit"] {
            assert_eq!(app.get(path, None).await.status, 401, "{path}");
            let r = app.get(path, Some(&citizen)).await;
            assert_eq!((r.status, r.body["code"].as_str()), (403, Some("staff_only")), "{path}");
            let r = app.get(path, Some(&venue)).await;
            assert_eq!((r.status, r.body["code"].as_str()), (403, Some("role_forbidden")), "{path}");
        }
        for path in ["/api/v1/staff", "/api/v1/audit"] {
            assert_eq!(app.get(path, Some(&official)).await.status, 403, "{path}");
        }
        let r = app.post("/api/v1/staff", Some(&official), json!({"username": "a.b", "password": "0123456789", "full_name": "A", "role": "admin", "unit_code": "02839"})).await;
        assert_eq!(r.status, 403);
        let r = app.post("/api/v1/me/family", Some(&official), json!({"full_name": "A", "birth_year": 2000, "relation": "child"})).await;
        assert_eq!((r.status, r.body["code"].as_str()), (403, Some("citizens_only")));
    })
    .await;
}

#[tokio::test]
async fn concurrent_audited_reads_all_succeed() {
    each_backend(relaxed(), |app| async move {
        let official = app.staff_token("yte.bacha", "health_official", "02839").await;
        let token = app.citizen_token("0912000001").await;
        let body = json!({"kind": "domestic", "consent": true, "identity": {"full_name": "Vàng A Chứ", "birth_year": 1980,
            "gender": "male", "nationality": "VN", "address": {"unit_code": "02839", "street": "Thôn 1"}}});
        assert_eq!(app.post("/api/v1/declarations", Some(&token), body).await.status, 201);
        let paths = ["/api/v1/declarations", "/api/v1/declarations/missed-updates", "/api/v1/citizens"];
        // Sent all at once so the requests really overlap at the server.
        let mut calls = Vec::new();
        for i in 0..30 {
            let path = paths[i % paths.len()];
            calls.push(app.get(path, Some(&official)));
        }
        let statuses: Vec<u16> = futures::future::join_all(calls).await.into_iter().map(|r| r.status).collect();
        assert!(statuses.iter().all(|s| *s == 200), "{}: {statuses:?}", app.backend);
    })
    .await;
}
