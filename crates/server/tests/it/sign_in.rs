use jiff::SignedDuration;
use serde_json::json;

use crate::helpers::{each_backend, relaxed};

#[tokio::test]
async fn citizen_signs_in_with_the_sms_code_and_logs_out() {
    each_backend(relaxed(), |app| async move {
        let token = app.citizen_token("0912 345 678").await;
        let me = app.get("/api/v1/me", Some(&token)).await;
        assert_eq!(me.status, 200, "{}", app.backend);
        assert_eq!(me.body["kind"], "citizen");
        assert_eq!(me.body["phone"], "+84912345678");
        // The code was consumed: the same code does not work twice.
        let code = app.last_code("+84912345678");
        let again = app
            .post(
                "/api/v1/auth/otp/verify",
                None,
                json!({"phone": "0912345678", "code": code}),
            )
            .await;
        assert_eq!(again.field_code("code"), Some("code_not_requested"));

        let out = app
            .request("POST", "/api/v1/auth/logout", Some(&token), None)
            .await;
        assert_eq!(out.status, 204);
        assert_eq!(app.get("/api/v1/me", Some(&token)).await.status, 401);
        assert_eq!(app.get("/api/v1/me", Some("pd_forged")).await.status, 401);
        assert_eq!(app.get("/api/v1/me", None).await.status, 401);
    })
    .await;
}

#[tokio::test]
async fn wrong_codes_count_down_and_the_sixth_attempt_is_refused() {
    each_backend(relaxed(), |app| async move {
        let r = app
            .post("/api/v1/auth/otp", None, json!({"phone": "0987654321"}))
            .await;
        assert_eq!(r.status, 202);
        let right = app.last_code("+84987654321");
        let wrong = if right == "000000" {
            "111111"
        } else {
            "000000"
        };
        for left in (0..5).rev() {
            let r = app
                .post(
                    "/api/v1/auth/otp/verify",
                    None,
                    json!({"phone": "0987654321", "code": wrong}),
                )
                .await;
            assert_eq!(r.status, 422, "{}", app.backend);
            assert_eq!(r.field_code("code"), Some("code_wrong"));
            assert!(r.body["errors"][0]["message"]["en"]
                .as_str()
                .unwrap()
                .contains(&format!("{left} attempts")));
        }
        // Even the right code is refused after five wrong ones.
        let sixth = app
            .post(
                "/api/v1/auth/otp/verify",
                None,
                json!({"phone": "0987654321", "code": right}),
            )
            .await;
        assert_eq!(
            sixth.field_code("code"),
            Some("code_locked"),
            "{}",
            sixth.body
        );
        assert!(app
            .store
            .citizen_by_phone(
                &phongdich_domain::phone::PhoneNumber::parse("p", "0987654321").unwrap()
            )
            .await
            .unwrap()
            .is_none());
    })
    .await;
}

#[tokio::test]
async fn codes_expire_after_five_minutes_and_resends_are_throttled() {
    each_backend(relaxed(), |app| async move {
        assert_eq!(
            app.post("/api/v1/auth/otp", None, json!({"phone": "0333333333"}))
                .await
                .status,
            202
        );
        let too_soon = app
            .post(
                "/api/v1/auth/otp",
                None,
                json!({"phone": "+84 333 333 333"}),
            )
            .await;
        assert_eq!(too_soon.status, 429, "{}", app.backend);
        assert_eq!(too_soon.headers["retry-after"], "60");
        assert_eq!(app.sms_count(), 1);
        let code = app.last_code("+84333333333");
        app.clock.advance(SignedDuration::from_mins(5));
        let late = app
            .post(
                "/api/v1/auth/otp/verify",
                None,
                json!({"phone": "0333333333", "code": code}),
            )
            .await;
        assert_eq!(late.field_code("code"), Some("code_expired"));
        // A new code can be asked for now and works.
        let token = app.citizen_token("0333333333").await;
        assert_eq!(app.get("/api/v1/me", Some(&token)).await.status, 200);
        // Citizen sessions last 30 days.
        app.clock.advance(SignedDuration::from_hours(24 * 30));
        assert_eq!(app.get("/api/v1/me", Some(&token)).await.status, 401);
    })
    .await;
}

#[tokio::test]
async fn staff_sign_in_by_password() {
    each_backend(relaxed(), |app| async move {
        let token = app
            .staff_token("yte.bacha", "health_official", "02839")
            .await;
        let me = app.get("/api/v1/me", Some(&token)).await;
        assert_eq!(me.body["kind"], "staff", "{}", app.backend);
        assert_eq!(me.body["role"], "health_official");
        assert_eq!(me.body["unit"]["path"], "Xã Bắc Hà, Lào Cai");
        let wrong = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({"username": "yte.bacha", "password": "sai-mat-khau-roi"}),
            )
            .await;
        assert_eq!(
            (wrong.status, wrong.body["code"].as_str()),
            (401, Some("bad_credentials"))
        );
        let nobody = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({"username": "ghost", "password": "whatever-long"}),
            )
            .await;
        assert_eq!(nobody.status, 401);
        let empty = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({"username": "", "password": ""}),
            )
            .await;
        assert_eq!(
            (empty.field_code("username"), empty.field_code("password")),
            (Some("required"), Some("required"))
        );
        app.clock.advance(SignedDuration::from_hours(12));
        assert_eq!(
            app.get("/api/v1/me", Some(&token)).await.status,
            401,
            "staff sessions last 12 hours"
        );
    })
    .await;
}

#[tokio::test]
async fn code_requests_and_logins_are_rate_limited() {
    let config = phongdich_server::ServerConfig {
        otp_requests_per_ip_per_minute: 3,
        sign_in_failures_per_username_and_address: 2,
        ..phongdich_server::ServerConfig::default()
    };
    each_backend(config, |app| async move {
        for i in 0..3 {
            let r = app
                .post(
                    "/api/v1/auth/otp",
                    None,
                    json!({"phone": format!("09120000{i:02}")}),
                )
                .await;
            assert_eq!(r.status, 202, "{}", app.backend);
        }
        let r = app
            .post("/api/v1/auth/otp", None, json!({"phone": "0912000099"}))
            .await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (429, Some("rate_limited"))
        );
        assert!(r.headers.contains_key("retry-after"));
        for _ in 0..2 {
            let r = app
                .post(
                    "/api/v1/auth/login",
                    None,
                    json!({"username": "admin", "password": "guess-guess-guess"}),
                )
                .await;
            assert_eq!(r.status, 401);
        }
        let r = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({"username": "admin", "password": "guess-guess-guess"}),
            )
            .await;
        assert_eq!(r.status, 429);
    })
    .await;
}
