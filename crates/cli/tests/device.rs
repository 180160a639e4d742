//! Exposure notification end to end with scripted phones (`phongdich device …`) against a real
//! `phongdich serve`: A and B meet for 20 minutes at 55 dB, C passes A for 2 minutes at 80 dB;
//! A is confirmed, gets a code by SMS and uploads; after the next export B is exposed on that
//! day as F1 and C is not; B reports as F1 and shares keys, and D, who met B, becomes F2; the
//! official of B's commune sees B's report.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};

const PASSWORD: &str = "mat-khau-thu-nghiem-dai";

fn phongdich() -> Command {
    Command::new(env!("CARGO_BIN_EXE_phongdich"))
}

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs a `device` subcommand; panics with its output when it fails.
fn device(args: &[&str]) -> String {
    let out = phongdich().arg("device").args(args).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "device {args:?} failed: {text}");
    text
}

/// Runs a `device` subcommand that must fail; returns its error text.
fn device_fails(args: &[&str]) -> String {
    let out = phongdich().arg("device").args(args).output().unwrap();
    assert!(!out.status.success(), "device {args:?} should have failed");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn status(dir: &Path) -> Value {
    let text = device(&["status", "--dir", dir.to_str().unwrap(), "--json"]);
    serde_json::from_str(text.trim()).unwrap()
}

fn serve(data: &Path) -> (Running, String) {
    let out = phongdich()
        .args(["admin", "create-staff", "--data"])
        .arg(data)
        .args([
            "--username",
            "yte.bacha",
            "--role",
            "health_official",
            "--unit",
            "02839",
            "--full-name",
            "Cán bộ Bắc Hà",
            "--password",
            PASSWORD,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut child = phongdich()
        .args(["serve", "--addr", "127.0.0.1:0", "--data"])
        .arg(data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let running = Running(child);
    let mut lines = BufReader::new(stdout).lines();
    let url = loop {
        let line = lines.next().expect("the server exited").unwrap();
        if let Some(at) = line.find("http://") {
            break line[at..].trim_end_matches('/').to_owned();
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (running, url)
}

#[tokio::test]
async fn two_phones_meet_the_case_uploads_and_the_contact_is_alerted() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("server");
    let (_server, url) = serve(&data);
    let outbox = data.join("sms-outbox.jsonl");
    let outbox = outbox.to_str().unwrap();
    let dir = |name: &str| tmp.path().join(name);
    let (a, b, c, d) = (dir("a"), dir("b"), dir("c"), dir("d"));
    let s = |p: &Path| p.to_str().unwrap().to_owned();

    // Yesterday 09:00 UTC: the whole story happens on a day whose keys are no longer in use,
    // so the embargo on today's key does not hold it back.
    let now = jiff::Timestamp::now();
    let midnight = now.as_second() / 86_400 * 86_400;
    let morning = jiff::Timestamp::from_second(midnight - 15 * 3600)
        .unwrap()
        .to_string();
    let yesterday = jiff::Timestamp::from_second(midnight - 86_400)
        .unwrap()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
        .to_string();

    for (p, phone, unit) in [
        (&a, "0912100001", "03006"),
        (&b, "0912100002", "02839"),
        (&c, "0912100003", "02839"),
        (&d, "0912100004", "02839"),
    ] {
        device(&[
            "register",
            "--dir",
            &s(p),
            "--server",
            &url,
            "--phone",
            phone,
            "--sms-outbox",
            outbox,
            "--unit",
            unit,
            "--at",
            &morning,
        ]);
    }
    device(&[
        "meet",
        "--dir",
        &s(&a),
        "--with",
        &s(&b),
        "--minutes",
        "20",
        "--attenuation",
        "55",
    ]);
    device(&["advance", "--dir", &s(&c), "--minutes", "40"]);
    device(&[
        "meet",
        "--dir",
        &s(&a),
        "--with",
        &s(&c),
        "--minutes",
        "2",
        "--attenuation",
        "80",
    ]);
    // Absurd attenuation is refused and changes nothing.
    let err = device_fails(&[
        "meet",
        "--dir",
        &s(&a),
        "--with",
        &s(&c),
        "--minutes",
        "5",
        "--attenuation",
        "200",
    ]);
    assert!(err.contains("attenuation"), "{err}");
    // B meets D in the afternoon.
    device(&["advance", "--dir", &s(&b), "--hours", "5"]);
    device(&[
        "meet",
        "--dir",
        &s(&b),
        "--with",
        &s(&d),
        "--minutes",
        "30",
        "--attenuation",
        "45",
    ]);

    // A is confirmed: the official issues a code, sent to A's phone by SMS.
    let http = reqwest::Client::new();
    let login: Value = http
        .post(format!("{url}/api/v1/auth/login"))
        .json(&json!({"username": "yte.bacha", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let official = login["token"].as_str().unwrap().to_owned();
    let issued = http
        .post(format!("{url}/api/v1/exposure/codes"))
        .bearer_auth(&official)
        .json(&json!({"unit_code": "02839", "phone": "0912100001"}))
        .send()
        .await
        .unwrap();
    assert_eq!(issued.status(), 201);
    device(&["upload", "--dir", &s(&a), "--sms-outbox", outbox]);
    // The code worked once: a second upload with it is refused.
    let err = device_fails(&["upload", "--dir", &s(&a), "--sms-outbox", outbox]);
    assert!(err.contains("already used"), "{err}");

    // The next export.
    let publish = |http: reqwest::Client, official: String, url: String| async move {
        let r = http
            .post(format!("{url}/api/v1/exposure/exports"))
            .bearer_auth(&official)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    };
    publish(http.clone(), official.clone(), url.clone()).await;
    let index = http
        .get(format!("{url}/en/exports/index.txt"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(index.lines().count(), 1, "{index}");

    for p in [&b, &c, &d] {
        device(&["sync", "--dir", &s(p)]);
    }
    let sb = status(&b);
    let alert = &sb["alert"];
    assert_eq!(alert["level"], "F1", "{sb}");
    assert_eq!(alert["date"], yesterday.as_str());
    assert_eq!(alert["minutes"], 20.0);
    assert_eq!(alert["min_attenuation_db"], 55);
    // 20 minutes in the near bucket (≤ 55 dB, weight 1.0), infectiousness standard (onset
    // unknown), confirmed test: 1200 weighted seconds against the 900 threshold.
    assert_eq!(alert["score"], 1200.0);
    assert!(sb["guidance"]["vi"].as_str().unwrap().contains("F1"));
    assert!(
        status(&c)["alert"].is_null(),
        "2 minutes at 80 dB is no close contact"
    );
    assert!(status(&d)["alert"].is_null(), "D met B, not A");

    // B reports as F1 and shares keys; the official of B's commune sees the report.
    device(&["report-f1", "--dir", &s(&b), "--share-keys"]);
    let reports: Value = http
        .get(format!("{url}/api/v1/exposure/f1-reports"))
        .bearer_auth(&official)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let rows = reports.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{reports}");
    assert_eq!(rows[0]["phone"], "+84912100002");
    assert_eq!(rows[0]["level"], "F1");
    assert_eq!(rows[0]["exposure_date"], yesterday.as_str());
    assert_eq!(rows[0]["case_unit"], "02839");

    // B uploads in turn: D, who met B, gets second-level (F2) guidance.
    device(&["upload", "--dir", &s(&b)]);
    publish(http.clone(), official.clone(), url.clone()).await;
    device(&["sync", "--dir", &s(&d)]);
    let sd = status(&d);
    assert_eq!(sd["alert"]["level"], "F2", "{sd}");
    assert!(sd["guidance"]["en"].as_str().unwrap().contains("F2"));
    // B's own status is unchanged by its own keys.
    device(&["sync", "--dir", &s(&b)]);
    assert_eq!(status(&b)["alert"]["level"], "F1");
}
