use serde_json::json;

use crate::helpers::{each_backend, relaxed};

#[tokio::test]
async fn citizens_keep_a_profile_and_family_members() {
    each_backend(relaxed(), |app| async move {
        let token = app.citizen_token("0912345678").await;
        let me = app
            .request(
                "PATCH",
                "/api/v1/me",
                Some(&token),
                Some(json!({"full_name": "Lò Văn Sử", "unit_code": "02839"})),
            )
            .await;
        assert_eq!(me.status, 200, "{}: {}", app.backend, me.body);
        assert_eq!(me.body["unit"]["name"], "Xã Bắc Hà");
        let added = app
            .post(
                "/api/v1/me/family",
                Some(&token),
                json!({"full_name": "Lò Thị Mai", "birth_year": 2016, "relation": "child"}),
            )
            .await;
        assert_eq!(added.status, 201, "{}", added.body);
        let id = added.body["id"].as_i64().unwrap();
        let me = app.get("/api/v1/me", Some(&token)).await;
        assert_eq!(me.body["family"][0]["full_name"], "Lò Thị Mai");

        // Another citizen cannot remove it.
        let other = app.citizen_token("0987654321").await;
        let r = app
            .request(
                "DELETE",
                &format!("/api/v1/me/family/{id}"),
                Some(&other),
                None,
            )
            .await;
        assert_eq!(r.status, 404);
        let r = app
            .request(
                "DELETE",
                &format!("/api/v1/me/family/{id}"),
                Some(&token),
                None,
            )
            .await;
        assert_eq!(r.status, 204);
        assert_eq!(
            app.get("/api/v1/me", Some(&token)).await.body["family"]
                .as_array()
                .unwrap()
                .len(),
            0
        );
    })
    .await;
}

#[tokio::test]
async fn admins_create_staff_inside_their_jurisdiction_only() {
    each_backend(relaxed(), |app| async move {
        let admin = app.staff_token("admin.laocai", "admin", "15").await;
        let new = json!({"username": "yte.sapa", "password": "mot-mat-khau-dai", "full_name": "Lý Thị Mai", "role": "health_official", "unit_code": "03006"});
        let r = app.post("/api/v1/staff", Some(&admin), new.clone()).await;
        assert_eq!(r.status, 201, "{}: {}", app.backend, r.body);
        let taken = app.post("/api/v1/staff", Some(&admin), new).await;
        assert_eq!(taken.field_code("username"), Some("username_taken"));
        let list = app.get("/api/v1/staff", Some(&admin)).await;
        assert_eq!(list.body.as_array().unwrap().len(), 2);

        let bad = app.post("/api/v1/staff", Some(&admin), json!({"username": "X", "password": "short", "full_name": " ", "role": "king", "unit_code": "15"})).await;
        assert_eq!(bad.status, 422);
        for (field, code) in [("username", "username_invalid"), ("password", "password_weak"), ("full_name", "required"), ("role", "role_unknown")] {
            assert_eq!(bad.field_code(field), Some(code), "{}", bad.body);
        }
        let hanoi = json!({"username": "yte.hanoi", "password": "mot-mat-khau-dai", "full_name": "A", "role": "admin", "unit_code": "00070"});
        let r = app.post("/api/v1/staff", Some(&admin), hanoi).await;
        assert_eq!((r.status, r.body["code"].as_str()), (403, Some("out_of_jurisdiction")));
        let audit = app.get("/api/v1/audit", Some(&admin)).await;
        assert_eq!(audit.body[0]["action"], "staff.create");
        assert_eq!(audit.body[0]["outcome"], "denied");
    })
    .await;
}
