use serde_json::json;

use crate::helpers::{each_backend, relaxed};

#[tokio::test]
async fn malformed_requests_get_problem_details_and_change_nothing() {
    each_backend(relaxed(), |app| async move {
        for phone in ["", "12345", "0241234567", "+1 650 555 0100", "09123456789"] {
            let r = app
                .post("/api/v1/auth/otp", None, json!({"phone": phone}))
                .await;
            assert_eq!(r.status, 422, "{phone}");
            assert!(
                matches!(r.field_code("phone"), Some("phone_invalid" | "required")),
                "{phone}: {}",
                r.body
            );
            assert!(r.body["errors"][0]["message"]["vi"].is_string());
        }
        assert_eq!(app.sms_count(), 0, "{}", app.backend);

        let r = app
            .post_raw(
                "/api/v1/auth/otp",
                "application/json",
                b"{\"phone\": ".to_vec(),
            )
            .await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (400, Some("malformed_request"))
        );
        let r = app
            .post(
                "/api/v1/auth/otp",
                None,
                json!({"phone": "0912345678", "admin": true}),
            )
            .await;
        assert_eq!(r.status, 400, "unknown fields are refused");
        let r = app
            .post_raw("/api/v1/auth/otp", "text/plain", b"0912345678".to_vec())
            .await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (415, Some("json_expected"))
        );
        let huge = format!("{{\"phone\":\"{}\"}}", "9".repeat(100_000));
        let r = app
            .post_raw("/api/v1/auth/otp", "application/json", huge.into_bytes())
            .await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (413, Some("body_too_large"))
        );
        let r = app
            .post(
                "/api/v1/auth/otp/verify",
                None,
                json!({"phone": "0912345678", "code": "12a456"}),
            )
            .await;
        assert_eq!(r.field_code("code"), Some("code_malformed"));
        assert_eq!(app.sms_count(), 0);

        // A profile update with one bad field stores nothing at all.
        let token = app.citizen_token("0912345678").await;
        let r = app
            .request(
                "PATCH",
                "/api/v1/me",
                Some(&token),
                Some(json!({"full_name": "Lò Văn Sử", "unit_code": "99999"})),
            )
            .await;
        assert_eq!(
            r.field_code("unit_code"),
            Some("unit_unknown"),
            "{}",
            r.body
        );
        let me = app.get("/api/v1/me", Some(&token)).await;
        assert!(me.body["full_name"].is_null(), "{}", me.body);
        let r = app
            .post(
                "/api/v1/me/family",
                Some(&token),
                json!({"full_name": "", "birth_year": 1850, "relation": "cousin"}),
            )
            .await;
        assert_eq!(r.body["errors"].as_array().unwrap().len(), 3);
        let official = app
            .staff_token("yte.bacha", "health_official", "02839")
            .await;
        let r = app.get("/api/v1/citizens/abc", Some(&official)).await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (400, Some("malformed_request"))
        );
    })
    .await;
}
