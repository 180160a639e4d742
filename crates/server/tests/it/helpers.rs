//! `spawn_app`: a server on port 0 over a fresh store, with typed request helpers.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use jiff::Timestamp;
use phongdich_domain::profile::Profile;
use phongdich_domain::units::OfficialList;
use phongdich_server::auth::staff_accounts::{create_staff, StaffForm};
use phongdich_server::clock::ManualClock;
use phongdich_server::secrets::Secrets;
use phongdich_server::signing_keys::SigningKeys;
use phongdich_server::sms::ConsoleSender;
use phongdich_server::{AppState, ServerConfig, StateParts};
use phongdich_store::Store;
use rand::Rng;
use serde_json::{json, Value};

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub clock: Arc<ManualClock>,
    pub store: Store,
    pub backend: &'static str,
    /// The server's state (for jobs the binary runs on a timer, such as retention).
    pub state: AppState,
    pub outbox: std::path::PathBuf,
}

pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl Reply {
    /// The `code` of the first field error, for validation answers.
    pub fn field_code(&self, field: &str) -> Option<&str> {
        self.body["errors"]
            .as_array()?
            .iter()
            .find(|e| e["field"] == field)?["code"]
            .as_str()
    }
}

impl TestApp {
    /// A published JWK set read back as a key ring (what an offline verifier does).
    pub async fn jwks(&self, path: &str) -> phongdich_health_pass::KeyRing {
        use phongdich_health_pass::{Jwk, JwkSet, KeyRing};
        let body = self.get(path, None).await.body;
        let keys = body["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| Jwk {
                kty: "OKP",
                crv: "Ed25519",
                alg: "EdDSA",
                key_use: "sig",
                kid: k["kid"].as_str().unwrap().to_owned(),
                x: k["x"].as_str().unwrap().to_owned(),
            })
            .collect();
        KeyRing::from_jwks(&JwkSet { keys }).unwrap()
    }

    pub async fn request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply {
            status,
            body,
            headers,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.request("GET", path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.request("POST", path, token, Some(body)).await
    }

    /// Posts a CSV file as a signed-in member of staff.
    pub async fn post_csv(&self, path: &str, token: &str, csv: &str) -> Reply {
        let res = self
            .client
            .post(format!("{}{path}", self.base))
            .bearer_auth(token)
            .header("content-type", "text/csv")
            .body(csv.to_owned())
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let body = serde_json::from_str(&res.text().await.unwrap()).unwrap_or(Value::Null);
        Reply {
            status,
            body,
            headers,
        }
    }

    /// Sends raw bytes with a content type (for malformed bodies).
    pub async fn post_raw(&self, path: &str, content_type: &str, body: Vec<u8>) -> Reply {
        let res = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let body = serde_json::from_str(&res.text().await.unwrap()).unwrap_or(Value::Null);
        Reply {
            status,
            body,
            headers,
        }
    }

    /// The newest code sent to `phone` (normalised), read from the console outbox.
    pub fn last_code(&self, phone: &str) -> String {
        let text = std::fs::read_to_string(&self.outbox).unwrap_or_default();
        let line = text
            .lines()
            .rev()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .find(|v| v["to"] == phone)
            .unwrap_or_else(|| panic!("no SMS to {phone}"));
        let sms = line["text"].as_str().unwrap();
        sms.split(|c: char| !c.is_ascii_digit())
            .find(|w| w.len() == 6)
            .unwrap()
            .to_owned()
    }

    pub fn sms_count(&self) -> usize {
        std::fs::read_to_string(&self.outbox)
            .unwrap_or_default()
            .lines()
            .count()
    }

    /// Signs a citizen in through the real code flow and returns the token.
    pub async fn citizen_token(&self, phone: &str) -> String {
        let r = self
            .post("/api/v1/auth/otp", None, json!({ "phone": phone }))
            .await;
        assert_eq!(r.status, 202, "{}", r.body);
        let e164 = phongdich_domain::phone::PhoneNumber::parse("p", phone).unwrap();
        let code = self.last_code(e164.as_str());
        let r = self
            .post(
                "/api/v1/auth/otp/verify",
                None,
                json!({ "phone": phone, "code": code }),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        r.body["token"].as_str().unwrap().to_owned()
    }

    /// Creates a staff account and signs it in; returns the token.
    pub async fn staff_token(&self, username: &str, role: &str, unit: &str) -> String {
        let password = "mat-khau-thu-nghiem".to_owned();
        let form = StaffForm {
            username: username.into(),
            password: password.clone(),
            full_name: format!("Cán bộ {username}"),
            role: role.into(),
            unit_code: unit.into(),
        };
        create_staff(&self.store, form, self.clock.now_ts())
            .await
            .unwrap();
        let r = self
            .post(
                "/api/v1/auth/login",
                None,
                json!({ "username": username, "password": password }),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        r.body["token"].as_str().unwrap().to_owned()
    }
}

pub trait Now {
    fn now_ts(&self) -> Timestamp;
}

impl Now for ManualClock {
    fn now_ts(&self) -> Timestamp {
        phongdich_server::clock::Clock::now(self)
    }
}

/// A config with generous rate limits, so only the rate-limit tests meet them.
pub fn relaxed() -> ServerConfig {
    ServerConfig {
        otp_requests_per_ip_per_minute: 10_000,
        staff_checkins_per_minute: 10_000,
        otp_requests_per_phone_per_hour: 1_000,
        logins_per_ip_per_minute: 10_000,
        sign_in_failures_per_username_and_address: 1_000,
        sign_in_failures_per_address: 1_000,
        code_failures_per_address: 10_000,
        feedback_per_citizen_per_day: 1_000,
        f1_reports_per_citizen_per_day: 1_000,
        ..ServerConfig::default()
    }
}

async fn start(
    store: Store,
    config: ServerConfig,
    backend: &'static str,
    dir: &std::path::Path,
) -> TestApp {
    start_until(store, config, backend, dir, std::future::pending())
        .await
        .0
}

/// A server on SQLite in `dir` that stops gracefully when `stop` completes; the handle ends
/// when the server has stopped.
pub async fn start_stoppable(
    dir: &std::path::Path,
    stop: impl Future<Output = ()> + Send + 'static,
) -> (TestApp, tokio::task::JoinHandle<std::io::Result<()>>) {
    let store = Store::open_sqlite(&dir.join("t.db")).await.unwrap();
    start_until(store, relaxed(), "sqlite", dir, stop).await
}

async fn start_until(
    store: Store,
    config: ServerConfig,
    backend: &'static str,
    dir: &std::path::Path,
    stop: impl Future<Output = ()> + Send + 'static,
) -> (TestApp, tokio::task::JoinHandle<std::io::Result<()>>) {
    store.ensure_units(OfficialList::Current2025).await.unwrap();
    let clock = Arc::new(ManualClock::new(
        Timestamp::from_second(1_800_000_000).unwrap(),
    ));
    let outbox = dir.join(format!("{backend}-sms-outbox.jsonl"));
    let state = AppState::new(StateParts {
        store: store.clone(),
        clock: clock.clone(),
        sms: ConsoleSender::new(outbox.clone()),
        secrets: Secrets::ephemeral(),
        config,
        profile: Profile::covid19_2021(),
        pass_keys: SigningKeys::ephemeral(),
        venue_keys: SigningKeys::ephemeral(),
        export_signer: None,
        vault: None,
        data_dir: Some(dir.to_path_buf()),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let server = tokio::spawn(phongdich_server::serve(listener, state.clone(), stop));
    let app = TestApp {
        state,
        base: format!("http://{addr}"),
        client: reqwest::Client::new(),
        clock,
        store,
        backend,
        outbox,
    };
    (app, server)
}

/// Runs `test` against a fresh server on SQLite and, when configured, on PostgreSQL.
pub async fn each_backend<F, Fut>(config: ServerConfig, test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite(&dir.path().join("t.db")).await.unwrap();
    test(start(store, config.clone(), "sqlite", dir.path()).await).await;

    if let Ok(url) = std::env::var("PHONGDICH_TEST_DATABASE_URL") {
        let schema = format!("s_{:016x}", rand::thread_rng().gen::<u64>());
        let store = Store::open_postgres_in_schema(&url, &schema).await.unwrap();
        test(start(store.clone(), config, "postgres", dir.path()).await).await;
        store.close().await;
        sqlx_drop(&url, &schema).await;
    }
    drop(dir);
}

async fn sqlx_drop(url: &str, schema: &str) {
    use sqlx::Connection;
    if let Ok(mut c) = sqlx::PgConnection::connect(url).await {
        let _ = sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
            .execute(&mut c)
            .await;
    }
}
