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

/// Query parameters keep to the bounds the OpenAPI document declares: outside them the answer is
/// 422 naming the parameter, inside them the request is served.
#[tokio::test]
async fn query_bounds_are_the_documented_ones() {
    each_backend(relaxed(), |app| async move {
        let doc = app.get("/api/v1/openapi.json", None).await.body;
        let level = doc["paths"]["/api/v1/tracing/people"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "level")
            .unwrap()
            .clone();
        assert_eq!(level["in"], "query");
        assert_eq!(
            (
                level["schema"]["minimum"].as_i64(),
                level["schema"]["maximum"].as_i64()
            ),
            (Some(0), Some(6))
        );
        let official = app
            .staff_token("yte.bounds", "health_official", "02839")
            .await;
        let admin = app.staff_token("admin.bounds", "admin", "02839").await;
        for (path, field, ok) in [
            (
                "/api/v1/tracing/people?level=7",
                "level",
                "/api/v1/tracing/people?level=6",
            ),
            (
                "/api/v1/citizens?limit=501",
                "limit",
                "/api/v1/citizens?limit=500",
            ),
            (
                "/api/v1/citizens?limit=0",
                "limit",
                "/api/v1/citizens?limit=1",
            ),
            (
                "/api/v1/audit?limit=10001",
                "limit",
                "/api/v1/audit?limit=10000",
            ),
            (
                "/api/v1/venues?limit=0",
                "limit",
                "/api/v1/venues?limit=100000",
            ),
        ] {
            let token = if path.contains("audit") {
                &admin
            } else {
                &official
            };
            let r = app.get(path, Some(token)).await;
            assert_eq!(
                (r.status, r.field_code(field)),
                (422, Some("out_of_range")),
                "{path}: {}",
                r.body
            );
            let r = app.get(ok, Some(&official)).await;
            assert!(
                r.status == 200 || r.status == 403,
                "{ok}: {} {}",
                r.status,
                r.body
            );
        }
        let r = app.get("/api/v1/units/search?q=bac&limit=101", None).await;
        assert_eq!(
            (r.status, r.field_code("limit")),
            (422, Some("out_of_range"))
        );
        assert_eq!(
            app.get("/api/v1/units/search?q=bac&limit=100", None)
                .await
                .status,
            200
        );
    })
    .await;
}
