//! Limits that hold under concurrency and across clients (issue 15, class 3): many parallel
//! requests from several loopback source addresses (127.0.0.2, 127.0.0.3, …; the server sees
//! them as different clients), and the failed-sign-in rule that cannot lock the owner out.

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use futures::future::join_all;
use jiff::SignedDuration;
use phongdich_server::client_addr::address_key;
use phongdich_server::ServerConfig;
use serde_json::{json, Value};

use crate::helpers::{each_backend, relaxed, TestApp};

/// A client whose connections leave from 127.0.0.`last`.
fn client_at(last: u8) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, last)))
        .build()
        .unwrap()
}

/// Posts `body` to `path` through `client`, with optional bearer token and forwarded-for.
async fn post_via(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    token: Option<&str>,
    forwarded_for: Option<&str>,
    body: Value,
) -> (u16, Value) {
    let mut req = client.post(format!("{}{path}", app.base)).json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(f) = forwarded_for {
        req = req.header("x-forwarded-for", f);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let body = res.json().await.unwrap_or(Value::Null);
    (status, body)
}

/// Fires `n` posts at once, spread over the clients at 127.0.0.2..=`2 + clients - 1`; returns
/// each answer's status and body.
async fn parallel(
    app: &TestApp,
    n: usize,
    clients: u8,
    path: &str,
    token: Option<&str>,
    body: impl Fn(usize) -> Value,
) -> Vec<(u16, Value)> {
    let pool: Vec<reqwest::Client> = (0..clients).map(|i| client_at(2 + i)).collect();
    join_all((0..n).map(|i| {
        let client = &pool[i % pool.len()];
        post_via(app, client, path, token, None, body(i))
    }))
    .await
}

fn field_code(body: &Value) -> Option<&str> {
    body["errors"][0]["code"].as_str()
}

fn count(answers: &[(u16, Value)], status: u16) -> usize {
    answers.iter().filter(|(s, _)| *s == status).count()
}

async fn login_via(
    app: &TestApp,
    client: &reqwest::Client,
    forwarded_for: Option<&str>,
    username: &str,
    password: &str,
) -> u16 {
    post_via(
        app,
        client,
        "/api/v1/auth/login",
        None,
        forwarded_for,
        json!({"username": username, "password": password}),
    )
    .await
    .0
}

const PASSWORD: &str = "mat-khau-thu-nghiem";

#[tokio::test]
async fn parallel_wrong_codes_get_five_comparisons_in_all() {
    each_backend(relaxed(), |app| async move {
        let r = app
            .post("/api/v1/auth/otp", None, json!({"phone": "0912100001"}))
            .await;
        assert_eq!(r.status, 202);
        let right = app.last_code("+84912100001");
        let wrong = if right == "000000" {
            "111111"
        } else {
            "000000"
        };
        let answers = parallel(
            &app,
            50,
            5,
            "/api/v1/auth/otp/verify",
            None,
            |_| json!({"phone": "0912100001", "code": wrong}),
        )
        .await;
        let counted = answers
            .iter()
            .filter(|(_, b)| field_code(b) == Some("code_wrong"))
            .count();
        let locked = answers
            .iter()
            .filter(|(_, b)| field_code(b) == Some("code_locked"))
            .count();
        eprintln!(
            "{}: parallel wrong codes counted: {counted} of 50 (locked: {locked})",
            app.backend
        );
        assert_eq!((counted, locked), (5, 45), "{}", app.backend);
        let stored = app
            .store
            .otp(&phongdich_domain::phone::PhoneNumber::parse("p", "0912100001").unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.state.failed_attempts, 5);
        // The right code is dead too.
        let r = app
            .post(
                "/api/v1/auth/otp/verify",
                None,
                json!({"phone": "0912100001", "code": right}),
            )
            .await;
        assert_eq!(r.field_code("code"), Some("code_locked"), "{}", r.body);
    })
    .await;
}

#[tokio::test]
async fn parallel_code_requests_send_one_code_and_the_phone_has_an_hourly_limit() {
    let config = ServerConfig {
        otp_requests_per_phone_per_hour: 2,
        ..relaxed()
    };
    each_backend(config, |app| async move {
        let before = app.sms_count();
        let answers = parallel(
            &app,
            50,
            5,
            "/api/v1/auth/otp",
            None,
            |_| json!({"phone": "0912100002"}),
        )
        .await;
        assert_eq!(
            (count(&answers, 202), count(&answers, 429)),
            (1, 49),
            "{}",
            app.backend
        );
        assert_eq!(app.sms_count(), before + 1, "one code sent");
        // Past the resend delay a second code goes; a third within the hour does not.
        app.clock.advance(SignedDuration::from_secs(61));
        let r = app
            .post("/api/v1/auth/otp", None, json!({"phone": "0912100002"}))
            .await;
        assert_eq!(r.status, 202);
        app.clock.advance(SignedDuration::from_secs(61));
        let r = app
            .post("/api/v1/auth/otp", None, json!({"phone": "0912100002"}))
            .await;
        assert_eq!(r.status, 429, "{}", r.body);
        let wait: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((3400..=3600).contains(&wait), "waits for the hour: {wait}");
        app.clock.advance(SignedDuration::from_hours(1));
        let r = app
            .post("/api/v1/auth/otp", None, json!({"phone": "0912100002"}))
            .await;
        assert_eq!(r.status, 202);
    })
    .await;
}

#[tokio::test]
async fn parallel_reports_and_feedback_stop_at_the_daily_limit() {
    let config = ServerConfig {
        risk_reports_per_citizen_per_day: 3,
        feedback_per_citizen_per_day: 2,
        f1_reports_per_citizen_per_day: 4,
        ..relaxed()
    };
    each_backend(config, |app| async move {
        let citizen = app.citizen_token("0912100003").await;
        let answers = parallel(&app, 50, 5, "/api/v1/risk-reports", Some(&citizen), |i| {
            json!({"category": "gathering", "unit_code": "03006", "lat": 22.3357, "lon": 103.8442,
                   "address": "Quảng trường", "text": format!("Tụ tập đông người {i}")})
        })
        .await;
        assert_eq!(
            (count(&answers, 201), count(&answers, 429)),
            (3, 47),
            "risk reports, {}",
            app.backend
        );

        let official = app
            .staff_token("yte.sapa", "health_official", "03006")
            .await;
        let r = app
            .post(
                "/api/v1/facilities",
                Some(&official),
                json!({"name": "Trường THCS Sa Pa", "facility_type": "school", "unit_code": "03006",
                       "address": "Tổ 1", "lat": 22.3364, "lon": 103.8438}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let school = r.body["id"].as_i64().unwrap();
        let path = format!("/api/v1/facilities/{school}/feedback");
        let answers = parallel(
            &app,
            50,
            5,
            &path,
            Some(&citizen),
            |i| json!({"text": format!("Không có nước rửa tay {i}")}),
        )
        .await;
        assert_eq!(
            (count(&answers, 201), count(&answers, 429)),
            (2, 48),
            "feedback, {}",
            app.backend
        );
        // A day later the limits start again.
        app.clock.advance(SignedDuration::from_hours(25));
        let again = app
            .post(&path, Some(&citizen), json!({"text": "Vẫn không có nước"}))
            .await;
        assert_eq!(again.status, 201, "{}", again.body);

        // F1 reports are counted before their keys are looked up: parallel reports with
        // made-up keys cannot probe past the limit.
        app.request(
            "PATCH",
            "/api/v1/me",
            Some(&citizen),
            Some(json!({"full_name": "Hoàng Thị Lan", "unit_code": "03006"})),
        )
        .await;
        let answers = parallel(
            &app,
            50,
            5,
            "/api/v1/exposure/f1-reports",
            Some(&citizen),
            |i| {
                json!({"exposure_date": "2027-01-15", "score": 1200.0, "minutes": 20.0,
                       "matched_keys": [hex::encode([i as u8; 16])]})
            },
        )
        .await;
        let looked_up = answers
            .iter()
            .filter(|(_, b)| field_code(b) == Some("matched_keys_unknown"))
            .count();
        assert_eq!(
            (looked_up, count(&answers, 429)),
            (4, 46),
            "F1 reports, {}: {:?}",
            app.backend,
            answers.iter().map(|a| a.0).collect::<Vec<_>>()
        );
    })
    .await;
}

#[tokio::test]
async fn parallel_family_additions_stop_at_the_limit() {
    each_backend(relaxed(), |app| async move {
        let citizen = app.citizen_token("0912100004").await;
        let answers = parallel(&app, 50, 5, "/api/v1/me/family", Some(&citizen), |i| {
            json!({"full_name": format!("Lò Văn {i}"), "birth_year": 2016, "relation": "child"})
        })
        .await;
        assert_eq!(
            count(&answers, 201),
            usize::try_from(phongdich_store::MAX_FAMILY_MEMBERS).unwrap(),
            "{}",
            app.backend
        );
    })
    .await;
}

#[tokio::test]
async fn one_exposure_code_gives_one_token_and_one_token_one_upload() {
    each_backend(relaxed(), |app| async move {
        let official = app
            .staff_token("yte.bacha", "health_official", "02839")
            .await;
        let r = app
            .post(
                "/api/v1/exposure/codes",
                Some(&official),
                json!({"unit_code": "02839"}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let code = r.body["code"].as_str().unwrap().to_owned();
        let answers = parallel(&app, 30, 5, "/api/v1/exposure/verify", None, |_| {
            json!({"code": code})
        })
        .await;
        assert_eq!(
            (count(&answers, 200), count(&answers, 409)),
            (1, 29),
            "{}",
            app.backend
        );
        let token = answers
            .iter()
            .find(|(s, _)| *s == 200)
            .and_then(|(_, b)| b["token"].as_str())
            .unwrap()
            .to_owned();
        // Today's UTC day of the test clock, in 10-minute intervals.
        let today = 1_800_000_000 / 600 / 144 * 144;
        let keys: Vec<Value> = (0..3)
            .map(|d| {
                json!({"key": base64_key(0x40 + d), "rolling_start_number": today - 144 * i64::from(d),
                       "rolling_period": 144})
            })
            .collect();
        let answers = parallel(&app, 30, 5, "/api/v1/exposure/keys", None, |_| {
            json!({"token": token, "keys": keys})
        })
        .await;
        assert_eq!(
            (count(&answers, 201), count(&answers, 409)),
            (1, 29),
            "{}: {:?}",
            app.backend,
            answers.iter().find(|a| a.0 != 201 && a.0 != 409)
        );
    })
    .await;
}

fn base64_key(byte: u8) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode([byte; 16])
}

#[tokio::test]
async fn wrong_codes_are_limited_per_address_across_codes() {
    let config = ServerConfig {
        code_failures_per_address: 3,
        ..relaxed()
    };
    each_backend(config, |app| async move {
        let (a, b) = (client_at(2), client_at(3));
        for i in 0..3 {
            let (s, _) = post_via(
                &app,
                &a,
                "/api/v1/exposure/verify",
                None,
                None,
                json!({"code": format!("{i:08}")}),
            )
            .await;
            assert_eq!(s, 422, "{}", app.backend);
        }
        let (s, _) = post_via(
            &app,
            &a,
            "/api/v1/exposure/verify",
            None,
            None,
            json!({"code": "00000009"}),
        )
        .await;
        assert_eq!(s, 429);
        // The sign-in codes share the address's count; another address is not affected.
        let (s, _) = post_via(
            &app,
            &a,
            "/api/v1/auth/otp/verify",
            None,
            None,
            json!({"phone": "0912100005", "code": "123456"}),
        )
        .await;
        assert_eq!(s, 429);
        let (s, _) = post_via(
            &app,
            &b,
            "/api/v1/exposure/verify",
            None,
            None,
            json!({"code": "00000009"}),
        )
        .await;
        assert_eq!(s, 422);
    })
    .await;
}

/// Today: 22 wrong passwords from 22 addresses made the right password answer 429.
#[tokio::test]
async fn wrong_passwords_from_22_addresses_do_not_lock_the_owner_out() {
    let config = ServerConfig {
        sign_in_delay_max_ms: 3000,
        ..ServerConfig::default()
    };
    each_backend(config, |app| async move {
        // The owner signs in from 127.0.0.2 (their office), which makes that address known.
        let office = client_at(2);
        app.staff_token("yte.owner", "health_official", "02839")
            .await;
        assert_eq!(
            login_via(&app, &office, None, "yte.owner", PASSWORD).await,
            200
        );
        let pool: Vec<reqwest::Client> = (10..32).map(client_at).collect();
        let wrong = join_all(
            pool.iter()
                .map(|c| login_via(&app, c, None, "yte.owner", "doan-mat-khau-sai")),
        )
        .await;
        assert!(
            wrong.iter().all(|s| *s == 401),
            "{}: {wrong:?}",
            app.backend
        );

        // From the known address: in at once.
        let start = Instant::now();
        assert_eq!(
            login_via(&app, &office, None, "yte.owner", PASSWORD).await,
            200
        );
        let known = start.elapsed();
        // From a new address: slowed down, never refused.
        let start = Instant::now();
        assert_eq!(
            login_via(&app, &client_at(60), None, "yte.owner", PASSWORD).await,
            200
        );
        let unknown = start.elapsed();
        assert!(unknown >= Duration::from_millis(3000), "{unknown:?}");
        assert!(known < Duration::from_millis(3000), "{known:?}");
    })
    .await;
}

#[tokio::test]
async fn a_username_and_address_pair_is_refused_after_five_failures() {
    let config = ServerConfig {
        logins_per_ip_per_minute: 10_000,
        ..ServerConfig::default()
    };
    each_backend(config, |app| async move {
        app.staff_token("yte.pair", "health_official", "02839")
            .await;
        let (a, b) = (client_at(2), client_at(3));
        for _ in 0..5 {
            assert_eq!(
                login_via(&app, &a, None, "yte.pair", "sai-mat-khau").await,
                401
            );
        }
        // Even the right password is refused from that address for the window …
        assert_eq!(login_via(&app, &a, None, "yte.pair", PASSWORD).await, 429);
        // … but not from another one.
        assert_eq!(login_via(&app, &b, None, "yte.pair", PASSWORD).await, 200);
        app.clock.advance(SignedDuration::from_mins(15));
        assert_eq!(login_via(&app, &a, None, "yte.pair", PASSWORD).await, 200);

        // A success clears the pair's failures.
        for _ in 0..4 {
            assert_eq!(
                login_via(&app, &a, None, "yte.pair", "sai-mat-khau").await,
                401
            );
        }
        assert_eq!(login_via(&app, &a, None, "yte.pair", PASSWORD).await, 200);
        for _ in 0..5 {
            assert_eq!(
                login_via(&app, &a, None, "yte.pair", "sai-mat-khau").await,
                401
            );
        }
        assert_eq!(
            login_via(&app, &a, None, "yte.pair", "sai-mat-khau").await,
            429
        );

        // Fifty guesses at once from one address: five are judged.
        let c = client_at(4);
        let answers =
            join_all((0..50).map(|_| login_via(&app, &c, None, "yte.pair", "sai-mat-khau"))).await;
        let judged = answers.iter().filter(|s| **s == 401).count();
        let refused = answers.iter().filter(|s| **s == 429).count();
        assert_eq!((judged, refused), (5, 45), "{}", app.backend);
    })
    .await;
}

#[tokio::test]
async fn an_address_is_refused_after_failures_across_usernames() {
    let config = ServerConfig {
        logins_per_ip_per_minute: 10_000,
        sign_in_failures_per_address: 8,
        ..ServerConfig::default()
    };
    each_backend(config, |app| async move {
        let (a, b) = (client_at(2), client_at(3));
        for i in 0..8 {
            assert_eq!(
                login_via(&app, &a, None, &format!("u{i}"), "sai-mat-khau").await,
                401
            );
        }
        assert_eq!(login_via(&app, &a, None, "u8", "sai-mat-khau").await, 429);
        assert_eq!(login_via(&app, &b, None, "u8", "sai-mat-khau").await, 401);
    })
    .await;
}

#[tokio::test]
async fn ipv6_addresses_are_keyed_by_their_64() {
    let a = address_key("2001:db8:1:2::1".parse().unwrap());
    assert_eq!(a, "2001:db8:1:2::/64");
    assert_eq!(
        a,
        address_key("2001:db8:1:2:ffff:ffff:ffff:ffff".parse().unwrap())
    );
    assert_ne!(a, address_key("2001:db8:1:3::1".parse().unwrap()));
    assert_eq!(address_key("192.0.2.1".parse().unwrap()), "192.0.2.1");
    assert_ne!(
        address_key("192.0.2.1".parse().unwrap()),
        address_key("192.0.2.2".parse().unwrap())
    );
}

#[tokio::test]
async fn forwarded_for_is_believed_only_from_a_trusted_proxy() {
    let config = ServerConfig {
        logins_per_ip_per_minute: 10_000,
        sign_in_failures_per_username_and_address: 2,
        trusted_proxies: vec!["127.0.0.2/32".parse().unwrap()],
        ..ServerConfig::default()
    };
    each_backend(config, |app| async move {
        let (proxy, stranger) = (client_at(2), client_at(3));
        // An untrusted peer cannot pick a new address per guess: the header is ignored.
        let mut s = Vec::new();
        for i in 0..3 {
            let xff = format!("198.51.100.{i}");
            s.push(login_via(&app, &stranger, Some(&xff), "yte.proxy", "sai").await);
        }
        assert_eq!(s, [401, 401, 429], "{}", app.backend);
        // Behind the trusted proxy each forwarded client is itself.
        let mut s = Vec::new();
        for i in 0..4 {
            let xff = format!("198.51.100.{i}");
            s.push(login_via(&app, &proxy, Some(&xff), "yte.proxy", "sai").await);
        }
        assert_eq!(s, [401, 401, 401, 401]);
        // The rightmost untrusted hop counts: a client writing a different leftmost hop is
        // still the same client.
        let mut s = Vec::new();
        for i in 0..3 {
            let xff = format!("10.9.9.{i}, 203.0.113.9");
            s.push(login_via(&app, &proxy, Some(&xff), "yte.proxy", "sai").await);
        }
        assert_eq!(s, [401, 401, 429]);
        // Addresses of one IPv6 /64 are one client.
        let mut s = Vec::new();
        for i in 1..4 {
            let xff = format!("2001:db8:1:2::{i}");
            s.push(login_via(&app, &proxy, Some(&xff), "yte.proxy", "sai").await);
        }
        assert_eq!(s, [401, 401, 429]);
    })
    .await;
}
