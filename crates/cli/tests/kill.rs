//! SPEC §11: no acknowledged write is lost if the process is killed at any moment. A burst of
//! check-ins runs against `phongdich serve`, the process gets SIGKILL in the middle of it, and
//! every check-in the server had answered 201 must be in the store afterwards — on SQLite and,
//! when `PHONGDICH_TEST_DATABASE_URL` is set, on PostgreSQL.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use phongdich_domain::phone::PhoneNumber;
use phongdich_store::Store;
use serde_json::{json, Value};

/// Concurrent clients in the burst.
const CLIENTS: usize = 16;

/// The key-encryption key of the test database's deployment (Base64 of 32 bytes).
const TEST_KEK: &str = "cGhvbmdkaWNoLWtpbGwtdGVzdC1rZWstMzItYnl0ZXM=";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_checkins_survive_a_kill_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let acked = burst_then_kill(dir.path(), None).await;
    let store = Store::open_sqlite(&dir.path().join("phongdich.db"))
        .await
        .unwrap();
    assert_all_stored(&store, &acked).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_checkins_survive_a_kill_on_postgres() {
    let Ok(url) = std::env::var("PHONGDICH_TEST_DATABASE_URL") else {
        eprintln!("PHONGDICH_TEST_DATABASE_URL is not set: PostgreSQL part skipped");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let acked = burst_then_kill(dir.path(), Some(&url)).await;
    let store = Store::open_postgres(&url).await.unwrap();
    assert_all_stored(&store, &acked).await;
    store.close().await;
}

struct Acked {
    phone: String,
    visit_ids: Vec<i64>,
}

async fn assert_all_stored(store: &Store, acked: &Acked) {
    let phone = PhoneNumber::parse("phone", &acked.phone).unwrap();
    let citizen = store.citizen_by_phone(&phone).await.unwrap().unwrap();
    let stored: std::collections::HashSet<i64> = store
        .visit_ids(citizen.id)
        .await
        .unwrap()
        .into_iter()
        .collect();
    let lost: Vec<_> = acked
        .visit_ids
        .iter()
        .filter(|id| !stored.contains(id))
        .collect();
    assert!(
        acked.visit_ids.len() > 100,
        "the burst was too short to mean anything"
    );
    assert!(
        lost.is_empty(),
        "{} acknowledged check-ins lost: {lost:?}",
        lost.len()
    );
}

/// Starts the server, signs a citizen in, registers a venue, fires check-ins from several
/// clients, kills the server with SIGKILL mid-burst, and returns what was acknowledged.
async fn burst_then_kill(data: &std::path::Path, database_url: Option<&str>) -> Acked {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_phongdich"));
    cmd.args(["serve", "--addr", "127.0.0.1:0", "--data"])
        .arg(data);
    if let Some(url) = database_url {
        // Every run meets the keys an earlier run sealed in this database: it opens them with
        // the same key-encryption key, as every instance of one deployment does.
        cmd.args(["--database-url", url])
            .env("PHONGDICH_KEY_ENCRYPTION_KEY", TEST_KEK);
    }
    let mut child = cmd
        .env("PHONGDICH_LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    let base = loop {
        line.clear();
        assert!(
            out.read_line(&mut line).unwrap() > 0,
            "the server exited before serving"
        );
        if let Some(i) = line.find("http://") {
            break line[i..].trim().trim_end_matches('/').to_owned();
        }
    };
    std::thread::spawn(move || for _ in out.lines() {});

    let http = reqwest::Client::new();
    // A fresh number each run: a PostgreSQL database outlives the test.
    let phone = format!("0912{:06}", rand::random::<u32>() % 1_000_000);
    let r = http
        .post(format!("{base}/api/v1/auth/otp"))
        .json(&json!({"phone": phone}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let outbox = std::fs::read_to_string(data.join("sms-outbox.jsonl")).unwrap();
    let sms: Value = serde_json::from_str(outbox.lines().last().unwrap()).unwrap();
    let code: String = sms["text"]
        .as_str()
        .unwrap()
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap()
        .into();
    let session: Value = http
        .post(format!("{base}/api/v1/auth/otp/verify"))
        .json(&json!({"phone": phone, "code": code}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = session["token"].as_str().unwrap().to_owned();
    let venue: Value = http
        .post(format!("{base}/api/v1/venues"))
        .bearer_auth(&token)
        .json(&json!({"name": "Chợ Bắc Hà", "category": "market", "unit_code": "02839"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (code, sig) = phongdich_venue_qr::parse_link(venue["qr_url"].as_str().unwrap()).unwrap();
    let (code, sig) = (code.to_owned(), sig.to_owned());

    let acked = Arc::new(Mutex::new(Vec::new()));
    let mut clients = Vec::new();
    for c in 0..CLIENTS {
        let (http, base, token, code, sig, acked) = (
            http.clone(),
            base.clone(),
            token.clone(),
            code.clone(),
            sig.clone(),
            acked.clone(),
        );
        clients.push(tokio::spawn(async move {
            for n in 0.. {
                let body = json!({"client_id": format!("kill-{c:02}-{n:08}"), "venue_id": code, "sig": sig});
                let sent = http
                    .post(format!("{base}/api/v1/checkins"))
                    .bearer_auth(&token)
                    .json(&body)
                    .timeout(Duration::from_secs(5))
                    .send()
                    .await;
                let Ok(res) = sent else { break };
                if res.status() != 201 {
                    break;
                }
                let Ok(v) = res.json::<Value>().await else { break };
                let id = v["visits"][0]["id"].as_i64().unwrap();
                acked.lock().unwrap().push(id);
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    child.kill().unwrap(); // SIGKILL: no shutdown hook runs.
    child.wait().unwrap();
    for c in clients {
        let _ = c.await;
    }
    let visit_ids = acked.lock().unwrap().clone();
    Acked { phone, visit_ids }
}
