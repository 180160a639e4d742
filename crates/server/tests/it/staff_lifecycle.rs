//! Class 7 of issue 15, staff side: deactivation, reactivation, password resets, revoking every
//! session, the forced password change and the minimum password strength — all audited, all
//! inside the admin's jurisdiction.

use serde_json::json;

use crate::helpers::{each_backend, relaxed, Now, TestApp};

/// The staff id of `username` as the admin's list shows it.
async fn id_of(app: &TestApp, admin: &str, username: &str) -> i64 {
    let list = app.get("/api/v1/staff", Some(admin)).await;
    list.body
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["username"] == username)
        .unwrap_or_else(|| panic!("{username} not listed: {}", list.body))["id"]
        .as_i64()
        .unwrap()
}

async fn login(app: &TestApp, username: &str, password: &str) -> serde_json::Value {
    let r = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"username": username, "password": password}),
        )
        .await;
    assert_eq!(r.status, 200, "{}: {}", app.backend, r.body);
    r.body
}

/// The actions of the newest audit rows an admin sees, newest first.
async fn audit_actions(app: &TestApp, admin: &str) -> Vec<(String, String)> {
    let audit = app.get("/api/v1/audit", Some(admin)).await;
    audit
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["action"].as_str().unwrap().to_owned(),
                a["outcome"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_deactivated_accounts_token_stops_at_once_and_reactivation_needs_a_new_sign_in() {
    each_backend(relaxed(), |app| async move {
        let admin = app.staff_token("admin.laocai", "admin", "15").await;
        let official = app
            .staff_token("yte.bacha", "health_official", "02839")
            .await;
        assert_eq!(app.get("/api/v1/cases", Some(&official)).await.status, 200);
        let id = id_of(&app, &admin, "yte.bacha").await;

        let r = app
            .post(
                &format!("/api/v1/staff/{id}/deactivate"),
                Some(&admin),
                json!({}),
            )
            .await;
        assert_eq!(r.status, 200, "{}: {}", app.backend, r.body);
        assert_eq!(
            (
                r.body["active"].as_bool(),
                r.body["sessions_revoked"].as_u64()
            ),
            (Some(false), Some(1))
        );
        assert_eq!(app.get("/api/v1/cases", Some(&official)).await.status, 401);
        assert_eq!(app.get("/api/v1/me", Some(&official)).await.status, 401);
        let refused = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({"username": "yte.bacha", "password": "mat-khau-thu-nghiem"}),
            )
            .await;
        assert_eq!(refused.status, 401);
        let listed = app.get("/api/v1/staff", Some(&admin)).await;
        assert!(listed
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["username"] == "yte.bacha" && s["active"] == false));

        // An admin cannot lock themselves out.
        let me = id_of(&app, &admin, "admin.laocai").await;
        let own = app
            .post(
                &format!("/api/v1/staff/{me}/deactivate"),
                Some(&admin),
                json!({}),
            )
            .await;
        assert_eq!(
            (own.status, own.body["code"].as_str()),
            (409, Some("own_account"))
        );

        let r = app
            .post(
                &format!("/api/v1/staff/{id}/reactivate"),
                Some(&admin),
                json!({}),
            )
            .await;
        assert_eq!(r.body["active"], true);
        // The old token stays dead; signing in again works.
        assert_eq!(app.get("/api/v1/cases", Some(&official)).await.status, 401);
        let fresh = login(&app, "yte.bacha", "mat-khau-thu-nghiem").await;
        assert_eq!(fresh["must_change_password"], false);
        let token = fresh["token"].as_str().unwrap();
        assert_eq!(app.get("/api/v1/cases", Some(token)).await.status, 200);

        let missing = app
            .post("/api/v1/staff/999999/deactivate", Some(&admin), json!({}))
            .await;
        assert_eq!(missing.status, 404);
    })
    .await;
}

#[tokio::test]
async fn a_deactivated_account_is_refused_even_if_a_session_survived() {
    // The second guard: the session lookup itself checks the account is active.
    each_backend(relaxed(), |app| async move {
        let official = app
            .staff_token("yte.bacha", "health_official", "02839")
            .await;
        sqlx_deactivate(&app, "yte.bacha").await;
        assert_eq!(
            app.get("/api/v1/cases", Some(&official)).await.status,
            401,
            "{}",
            app.backend
        );
    })
    .await;
}

/// Deactivates through the store, then opens a session row behind its back (as a session made
/// by another instance a moment before would be): the lookup must still refuse it.
async fn sqlx_deactivate(app: &TestApp, username: &str) {
    let member = app
        .store
        .staff_member_by_username(username)
        .await
        .unwrap()
        .unwrap();
    app.store
        .change_staff(
            None,
            &member,
            &phongdich_store::StaffChange::Deactivate,
            app.clock.now_ts(),
        )
        .await
        .unwrap();
    app.store
        .create_staff_session(
            member.id,
            &phongdich_server::auth::tokens::token_hash("pd_survivor"),
            app.clock.now_ts(),
            app.clock.now_ts() + jiff::SignedDuration::from_hours(1),
        )
        .await
        .unwrap();
    assert_eq!(app.get("/api/v1/me", Some("pd_survivor")).await.status, 401);
}

#[tokio::test]
async fn revoking_all_sessions_kills_every_one_of_them() {
    each_backend(relaxed(), |app| async move {
        let admin = app.staff_token("admin.laocai", "admin", "15").await;
        let first = app
            .staff_token("yte.bacha", "health_official", "02839")
            .await;
        let second = login(&app, "yte.bacha", "mat-khau-thu-nghiem").await["token"]
            .as_str()
            .unwrap()
            .to_owned();
        let third = login(&app, "yte.bacha", "mat-khau-thu-nghiem").await["token"]
            .as_str()
            .unwrap()
            .to_owned();
        let id = id_of(&app, &admin, "yte.bacha").await;
        let r = app
            .request(
                "DELETE",
                &format!("/api/v1/staff/{id}/sessions"),
                Some(&admin),
                None,
            )
            .await;
        assert_eq!(r.status, 200, "{}: {}", app.backend, r.body);
        assert_eq!(r.body["sessions_revoked"], 3);
        for token in [&first, &second, &third] {
            assert_eq!(app.get("/api/v1/me", Some(token)).await.status, 401);
        }
        // The admin's own session is untouched, and the account still signs in.
        assert_eq!(app.get("/api/v1/staff", Some(&admin)).await.status, 200);
        login(&app, "yte.bacha", "mat-khau-thu-nghiem").await;
    })
    .await;
}

#[tokio::test]
async fn a_reset_forces_a_new_password_before_any_other_call() {
    each_backend(relaxed(), |app| async move {
        let admin = app.staff_token("admin.laocai", "admin", "15").await;
        let old = app.staff_token("yte.bacha", "health_official", "02839").await;
        let id = id_of(&app, &admin, "yte.bacha").await;
        let r = app.post(&format!("/api/v1/staff/{id}/password"), Some(&admin), json!({})).await;
        assert_eq!(r.status, 200, "{}: {}", app.backend, r.body);
        assert_eq!(r.body["must_change_password"], true);
        let temporary = r.body["password"].as_str().unwrap().to_owned();
        assert!(temporary.chars().count() >= 12);
        assert_eq!(app.get("/api/v1/me", Some(&old)).await.status, 401, "reset ends sessions");
        let refused = app
            .post("/api/v1/auth/login", None, json!({"username": "yte.bacha", "password": "mat-khau-thu-nghiem"}))
            .await;
        assert_eq!(refused.status, 401, "the old password is gone");

        let signed = login(&app, "yte.bacha", &temporary).await;
        assert_eq!(signed["must_change_password"], true);
        let restricted = signed["token"].as_str().unwrap().to_owned();
        for path in ["/api/v1/cases", "/api/v1/citizens", "/api/v1/me/health-pass"] {
            let r = app.get(path, Some(&restricted)).await;
            assert_eq!((r.status, r.body["code"].as_str()), (403, Some("password_change_required")), "{path}");
            assert!(r.body["message"]["vi"].as_str().unwrap().contains("mật khẩu"));
        }
        let me = app.get("/api/v1/me", Some(&restricted)).await;
        assert_eq!((me.status, me.body["must_change_password"].as_bool()), (200, Some(true)));

        let wrong = app
            .post("/api/v1/me/password", Some(&restricted), json!({"old_password": "not-the-temporary-one", "new_password": "ba con mèo trên mái nhà"}))
            .await;
        assert_eq!(wrong.field_code("old_password"), Some("password_wrong"), "{}", wrong.body);
        let same = app
            .post("/api/v1/me/password", Some(&restricted), json!({"old_password": temporary, "new_password": temporary}))
            .await;
        assert_eq!(same.field_code("new_password"), Some("password_unchanged"));
        let ok = app
            .post("/api/v1/me/password", Some(&restricted), json!({"old_password": temporary, "new_password": "ba con mèo trên mái nhà"}))
            .await;
        assert_eq!(ok.status, 204, "{}", ok.body);
        assert_eq!(app.get("/api/v1/cases", Some(&restricted)).await.status, 200);
        let again = login(&app, "yte.bacha", "ba con mèo trên mái nhà").await;
        assert_eq!(again["must_change_password"], false);

        // Accounts an admin creates through the API start restricted too, with a generated
        // password shown once when none is typed.
        let made = app
            .post("/api/v1/staff", Some(&admin), json!({"username": "yte.sapa", "full_name": "Lý Thị Mai", "role": "health_official", "unit_code": "03006"}))
            .await;
        assert_eq!(made.status, 201, "{}", made.body);
        let generated = made.body["password"].as_str().unwrap();
        let first = login(&app, "yte.sapa", generated).await;
        assert_eq!(first["must_change_password"], true);
        let r = app.get("/api/v1/cases", Some(first["token"].as_str().unwrap())).await;
        assert_eq!(r.status, 403);
    })
    .await;
}

#[tokio::test]
async fn weak_passwords_are_refused_with_field_errors_in_both_languages() {
    each_backend(relaxed(), |app| async move {
        let admin = app.staff_token("admin.laocai", "admin", "15").await;
        for (password, code) in [
            ("ngan-qua", "password_weak"),
            ("Password123456", "password_common"),
            ("matkhau@2024!!", "password_common"),
            ("123456789012", "password_common"),
            ("yte.sapa-2027!", "password_contains_username"),
        ] {
            let r = app
                .post("/api/v1/staff", Some(&admin), json!({"username": "yte.sapa", "password": password, "full_name": "Lý Thị Mai", "role": "health_official", "unit_code": "03006"}))
                .await;
            assert_eq!(r.status, 422, "{}: {password}: {}", app.backend, r.body);
            assert_eq!(r.field_code("password"), Some(code), "{password}");
            let error = &r.body["errors"][0]["message"];
            assert!(!error["vi"].as_str().unwrap().is_empty() && !error["en"].as_str().unwrap().is_empty());
        }
        app.staff_token("yte.bacha", "health_official", "02839").await;
        let id = id_of(&app, &admin, "yte.bacha").await;
        let r = app.post(&format!("/api/v1/staff/{id}/password"), Some(&admin), json!({"password": "yte.bacha.2027"})).await;
        assert_eq!(r.field_code("password"), Some("password_contains_username"));
        let token = login(&app, "yte.bacha", "mat-khau-thu-nghiem").await["token"].as_str().unwrap().to_owned();
        let r = app
            .post("/api/v1/me/password", Some(&token), json!({"old_password": "mat-khau-thu-nghiem", "new_password": "qwertyuiop12"}))
            .await;
        assert_eq!(r.field_code("new_password"), Some("password_common"));
        // Nothing changed: the weak reset was refused before the old password stopped working.
        login(&app, "yte.bacha", "mat-khau-thu-nghiem").await;
    })
    .await;
}

#[tokio::test]
async fn a_commune_admin_cannot_touch_a_province_official_and_the_attempt_is_audited() {
    each_backend(relaxed(), |app| async move {
        let province_admin = app.staff_token("admin.laocai", "admin", "15").await;
        let commune_admin = app.staff_token("admin.bacha", "admin", "02839").await;
        let official = app.staff_token("yte.laocai", "health_official", "15").await;
        let id = id_of(&app, &province_admin, "yte.laocai").await;
        for (method, path) in [
            ("POST", format!("/api/v1/staff/{id}/deactivate")),
            ("POST", format!("/api/v1/staff/{id}/reactivate")),
            ("POST", format!("/api/v1/staff/{id}/password")),
            ("DELETE", format!("/api/v1/staff/{id}/sessions")),
        ] {
            let body = (method == "POST").then(|| json!({}));
            let r = app.request(method, &path, Some(&commune_admin), body).await;
            assert_eq!(
                (r.status, r.body["code"].as_str()),
                (403, Some("out_of_jurisdiction")),
                "{}: {path}",
                app.backend
            );
        }
        assert_eq!(
            app.get("/api/v1/me", Some(&official)).await.status,
            200,
            "nothing happened"
        );
        let actions = audit_actions(&app, &province_admin).await;
        for action in [
            "staff.deactivate",
            "staff.reactivate",
            "staff.reset_password",
            "staff.revoke_sessions",
        ] {
            assert!(
                actions.contains(&(action.to_owned(), "denied".to_owned())),
                "{action}: {actions:?}"
            );
        }
        // A health official is not an admin at all.
        let r = app
            .post(
                &format!("/api/v1/staff/{id}/deactivate"),
                Some(&official),
                json!({}),
            )
            .await;
        assert_eq!(r.status, 403);
    })
    .await;
}

#[tokio::test]
async fn every_lifecycle_action_is_audited() {
    each_backend(relaxed(), |app| async move {
        let admin = app.staff_token("admin.laocai", "admin", "15").await;
        app.staff_token("yte.bacha", "health_official", "02839").await;
        let id = id_of(&app, &admin, "yte.bacha").await;
        app.post(&format!("/api/v1/staff/{id}/deactivate"), Some(&admin), json!({})).await;
        app.post(&format!("/api/v1/staff/{id}/reactivate"), Some(&admin), json!({})).await;
        app.request("DELETE", &format!("/api/v1/staff/{id}/sessions"), Some(&admin), None).await;
        let reset = app.post(&format!("/api/v1/staff/{id}/password"), Some(&admin), json!({"password": "tạm thời đổi ngay"})).await;
        assert_eq!(reset.status, 200, "{}", reset.body);
        assert!(reset.body.get("password").is_none(), "a typed password is not echoed");
        let token = login(&app, "yte.bacha", "tạm thời đổi ngay").await["token"].as_str().unwrap().to_owned();
        let r = app
            .post("/api/v1/me/password", Some(&token), json!({"old_password": "tạm thời đổi ngay", "new_password": "ba con mèo trên mái nhà"}))
            .await;
        assert_eq!(r.status, 204);
        let audit = app.get("/api/v1/audit", Some(&admin)).await;
        let rows = audit.body.as_array().unwrap();
        let actions: Vec<&str> = rows.iter().take(5).map(|a| a["action"].as_str().unwrap()).collect();
        assert_eq!(
            actions,
            ["staff.password_change", "staff.reset_password", "staff.revoke_sessions", "staff.reactivate", "staff.deactivate"],
            "{}", app.backend
        );
        for row in rows.iter().take(5) {
            assert_eq!(row["subject"], format!("staff:{id}"));
            assert_eq!(row["outcome"], "allowed");
            assert_eq!(row["unit_code"], "02839");
        }
        assert_eq!(rows[1]["actor"], "admin.laocai");
        assert_eq!(rows[0]["actor"], "yte.bacha");
    })
    .await;
}
