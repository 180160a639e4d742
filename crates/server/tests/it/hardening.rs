//! Issue 15, classes 10 and 11: browser hardening headers on every kind of answer (the HTML
//! document, API JSON, errors), every framework-made error as problem+json with a stable code
//! and both languages, a CSV upload that is not UTF-8, and a refused sign-in whose typed
//! username never reaches the log.

use std::sync::{Arc, Mutex};

use phongdich_server::ServerConfig;
use serde_json::{json, Value};

use crate::helpers::{each_backend, relaxed, Reply, TestApp};

const SA_PA: &str = "03006";

fn header<'a>(r: &'a Reply, name: &str) -> &'a str {
    r.headers
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}

fn assert_hardened(r: &Reply, what: &str) {
    let csp = header(r, "content-security-policy");
    for part in [
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "connect-src 'self'",
    ] {
        assert!(csp.contains(part), "{what}: {part} missing from {csp}");
    }
    // Inline style attributes (Leaflet's markers, SVG charts) are allowed; no inline script and
    // no inline <style> element ever is.
    for d in csp.split(';').map(str::trim) {
        if d.contains("unsafe-inline") {
            assert_eq!(d, "style-src-attr 'unsafe-inline'", "{what}: {csp}");
        }
    }
    assert!(!csp.contains("unsafe-eval"), "{what}: {csp}");
    assert_eq!(header(r, "x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header(r, "x-frame-options"), "DENY", "{what}");
    assert_eq!(header(r, "referrer-policy"), "no-referrer", "{what}");
    assert!(
        header(r, "permissions-policy").contains("microphone=()"),
        "{what}"
    );
}

async fn raw(app: &TestApp, method: &str, path: &str) -> Reply {
    app.request(method, path, None, None).await
}

#[tokio::test]
async fn every_answer_carries_the_hardening_headers() {
    each_backend(relaxed(), |app| async move {
        // The web app's document (the page itself, or the "not built" page in API-only builds).
        let page = raw(&app, "GET", "/").await;
        assert!(header(&page, "content-type").starts_with("text/html"));
        assert_hardened(&page, "html");
        let permissions = header(&page, "permissions-policy");
        assert!(permissions.contains("camera=(self)"), "{permissions}");
        assert!(permissions.contains("geolocation=(self)"), "{permissions}");

        let api = raw(&app, "GET", "/api/v1/units").await;
        assert_eq!(api.status, 200);
        assert_hardened(&api, "api json");
        assert!(header(&api, "permissions-policy").contains("camera=()"));

        let error = raw(&app, "GET", "/api/v1/no-such-thing").await;
        assert_eq!(error.status, 404);
        assert_hardened(&error, "error");
        assert!(header(&error, "permissions-policy").contains("camera=()"));

        // Plain HTTP public address (the default): no HSTS, or a field laptop is locked out.
        assert!(!page.headers.contains_key("strict-transport-security"));
    })
    .await;
}

#[tokio::test]
async fn https_public_url_sends_hsts_and_the_tile_server_is_allowed_for_images() {
    let config = ServerConfig {
        public_url: Some("https://phongdich.laocai.gov.vn".into()),
        map_tile_url: Some("https://{s}.tile.example.org/{z}/{x}/{y}.png".into()),
        ..relaxed()
    };
    each_backend(config, |app| async move {
        let r = raw(&app, "GET", "/healthz").await;
        assert!(header(&r, "strict-transport-security").starts_with("max-age="));
        let csp = header(&r, "content-security-policy");
        assert!(
            csp.contains("img-src 'self' data: blob: https://*.tile.example.org"),
            "{csp}"
        );
        assert_eq!(
            header(&r, "referrer-policy"),
            "strict-origin-when-cross-origin"
        );
    })
    .await;
}

fn assert_problem(r: &Reply, status: u16, code: &str, what: &str) {
    assert_eq!(r.status, status, "{what}: {}", r.body);
    assert_eq!(
        header(r, "content-type"),
        "application/problem+json",
        "{what}"
    );
    assert_eq!(r.body["code"], code, "{what}: {}", r.body);
    assert_eq!(r.body["status"], status, "{what}");
    assert!(
        r.body["message"]["vi"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{what}"
    );
    assert!(
        r.body["message"]["en"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{what}"
    );
    assert!(r.body["type"].as_str().unwrap().ends_with(code), "{what}");
}

#[tokio::test]
async fn framework_errors_are_problem_details_with_stable_codes() {
    each_backend(relaxed(), |app| async move {
        let official = app.staff_token("yte.sapa", "health_official", SA_PA).await;
        // A known address with a method it does not have.
        let r = raw(&app, "DELETE", "/api/v1/units").await;
        assert_problem(&r, 405, "method_not_allowed", "405");
        assert!(header(&r, "allow").contains("GET"));
        let r = raw(&app, "PUT", "/healthz").await;
        assert_problem(&r, 405, "method_not_allowed", "405 outside /api");
        // Unknown API addresses, inside and outside /api/v1: never the web app's page.
        for path in [
            "/api/v1/nope",
            "/api/v2/units",
            "/api",
            "/api/v1/venues/x/y/z",
        ] {
            assert_problem(&raw(&app, "GET", path).await, 404, "not_found", path);
        }
        // Path and query that do not parse.
        let r = app
            .get("/api/v1/citizens/not-a-number", Some(&official))
            .await;
        assert_problem(&r, 400, "malformed_request", "path");
        let r = app.get("/api/v1/units/search?q=sa&limit=many", None).await;
        assert_problem(&r, 400, "malformed_request", "query");
        // JSON: broken, wrong type, too large.
        let r = app
            .post_raw(
                "/api/v1/auth/login",
                "application/json",
                b"{\"user".to_vec(),
            )
            .await;
        assert_problem(&r, 400, "malformed_request", "json syntax");
        let r = app
            .post_raw("/api/v1/auth/login", "text/plain", b"x".to_vec())
            .await;
        assert_problem(&r, 415, "json_expected", "json type");
        let r = app
            .post_raw(
                "/api/v1/auth/login",
                "application/json",
                vec![b' '; 200 * 1024],
            )
            .await;
        assert_problem(&r, 413, "body_too_large", "json size");
        // A CSV body over its route's limit (read as bytes, not through the JSON extractor).
        let res = app
            .client
            .post(format!("{}/api/v1/venues/import", app.base))
            .bearer_auth(&official)
            .header("content-type", "text/csv")
            .body(vec![b'a'; 5 * 1024 * 1024])
            .send()
            .await
            .unwrap();
        let r = Reply {
            status: res.status().as_u16(),
            headers: res.headers().clone(),
            body: res.json::<Value>().await.unwrap_or(Value::Null),
        };
        assert_problem(&r, 413, "body_too_large", "csv size");
    })
    .await;
}

#[tokio::test]
async fn a_csv_that_is_not_utf8_is_refused_with_its_line() {
    each_backend(relaxed(), |app| async move {
        let official = app.staff_token("yte.sapa", "health_official", SA_PA).await;
        // "Chợ Sa Pa" in Windows-1258 on line 2: 0xE6 / 0xF5 are not valid UTF-8 here.
        let mut csv = b"name,category,unit_code,address,lat,lon,phone\n".to_vec();
        csv.extend_from_slice(b"Ch\xf5 Sa Pa,market,03006,Sa Pa,22.33,103.84,\n");
        let res = app
            .client
            .post(format!("{}/api/v1/venues/import", app.base))
            .bearer_auth(&official)
            .header("content-type", "text/csv")
            .body(csv)
            .send()
            .await
            .unwrap();
        let r = Reply {
            status: res.status().as_u16(),
            headers: res.headers().clone(),
            body: res.json::<Value>().await.unwrap_or(Value::Null),
        };
        assert_problem(&r, 422, "validation", "non-UTF-8 CSV");
        assert_eq!(r.field_code("line 2"), Some("csv_not_utf8"), "{}", r.body);
        assert!(r.body["errors"][0]["message"]["vi"].is_string());
        // The same file in UTF-8 gets past the encoding check (to the rows' own checks).
        let r = app
            .post_csv(
                "/api/v1/venues/import",
                &official,
                "name,category,unit_code,address,lat,lon,phone\nChợ Sa Pa,market,03006,Sa Pa,22.33,103.84,\n",
            )
            .await;
        assert_ne!(r.field_code("line 2"), Some("csv_not_utf8"), "{}", r.body);
    })
    .await;
}

/// A log sink shared with the server running on this test's thread.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn a_refused_sign_in_never_logs_the_typed_username() {
    let logs = Captured::default();
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .finish();
    // The server runs on this (current-thread) runtime, so its log lines come here.
    let _guard = tracing::subscriber::set_default(subscriber);
    each_backend(relaxed(), |app| async move {
        app.staff_token("yte.sapa", "health_official", SA_PA).await;
        // Someone typed their password into the username box.
        let typed = "MatKhauBiMat-2021!";
        let r = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({"username": typed, "password": "x"}),
            )
            .await;
        assert_eq!(r.status, 401);
        let r = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({"username": "yte.sapa", "password": "wrong-password"}),
            )
            .await;
        assert_eq!(r.status, 401);
    })
    .await;
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("staff sign-in refused"), "{text}");
    let lowered = text.to_lowercase();
    assert!(
        !lowered.contains("matkhaubimat"),
        "typed username in the log: {text}"
    );
    assert!(!text.contains("yte.sapa"), "username in the log: {text}");
}
