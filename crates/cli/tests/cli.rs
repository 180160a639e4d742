//! The binary's stable contract (SPEC §1, §10), exercised as a user or a script would.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn phongdich() -> Command {
    Command::new(env!("CARGO_BIN_EXE_phongdich"))
}

/// Kills the server when the test ends, pass or fail.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_for_file(path: &Path) -> Value {
    let start = Instant::now();
    loop {
        if let Ok(text) = std::fs::read_to_string(path) {
            if let Ok(v) = serde_json::from_str(&text) {
                return v;
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{} never appeared",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

async fn get_json(http: &reqwest::Client, url: &str, token: Option<&str>) -> Value {
    let mut req = http.get(url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap().json().await.unwrap()
}

async fn post_json(http: &reqwest::Client, url: &str, body: &Value) -> Value {
    http.post(url)
        .json(body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[test]
fn every_command_has_help() {
    for args in [
        &["--help"][..],
        &["serve", "--help"],
        &["demo", "--help"],
        &["migrate", "--help"],
        &["admin", "--help"],
        &["admin", "create-staff", "--help"],
        &["admin", "units", "--help"],
        &["admin", "deactivate", "--help"],
        &["admin", "reset-password", "--help"],
    ] {
        let out = phongdich().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Usage"), "{args:?}: {text}");
    }
    let out = phongdich().arg("serve").arg("--bogus").output().unwrap();
    assert!(!out.status.success());
}

#[tokio::test]
async fn demo_seeds_serves_and_writes_its_logins() {
    let dir = tempfile::tempdir().unwrap();
    let child = phongdich()
        .args(["demo", "--addr", "127.0.0.1:0", "--data"])
        .arg(dir.path())
        .env("PHONGDICH_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut server = Running(child);
    let demo = wait_for_file(&dir.path().join("demo.json"));
    let url = demo["url"]
        .as_str()
        .unwrap()
        .trim_end_matches('/')
        .to_owned();

    let mut printed = String::new();
    let mut out = BufReader::new(server.0.stdout.take().unwrap());
    while !printed.contains("sms-outbox.jsonl") {
        let mut line = String::new();
        if out.read_line(&mut line).unwrap() == 0 {
            break;
        }
        printed.push_str(&line);
    }
    assert!(printed.contains(&url), "the URL is printed: {printed}");

    let roles: Vec<&str> = demo["staff"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["role"].as_str().unwrap())
        .collect();
    for role in [
        "health_official",
        "venue_staff",
        "facility_staff",
        "unit_reporter",
        "checkpoint_staff",
        "admin",
    ] {
        assert!(roles.contains(&role), "demo has a {role}");
    }
    assert!(demo["citizens"].as_array().unwrap().len() >= 5);
    let venues = demo["venues"].as_array().unwrap();
    assert_eq!(venues.len(), 12, "a venue of every category");

    let http = reqwest::Client::new();
    let health: Value = get_json(&http, &format!("{url}/healthz"), None).await;
    assert_eq!(health["status"], "ok");

    // Confirmed cases' keys are published as a signed export listed in the index (SPEC §10).
    let index = http
        .get(format!("{url}/en/exports/index.txt"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let first = index.lines().next().expect("the index lists an export");
    let zip = http
        .get(format!("{url}/en/exports/{first}"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let pem = http
        .get(format!("{url}/api/v1/exposure/export-key"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let key =
        <p256::ecdsa::VerifyingKey as p256::pkcs8::DecodePublicKey>::from_public_key_pem(&pem)
            .unwrap();
    let (_, keys) = phongdich_exposure::export::read_export(&zip, &key).unwrap();
    assert!(keys.len() >= 1000, "padded export with the cases' keys");
    let official = demo["staff"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["username"] == "yte.laocai")
        .unwrap();
    let login: Value = post_json(
        &http,
        &format!("{url}/api/v1/auth/login"),
        &serde_json::json!({"username": official["username"], "password": official["password"]}),
    )
    .await;
    let token = login["token"].as_str().expect("the printed login works");
    let listed: Value = get_json(&http, &format!("{url}/api/v1/venues"), Some(token)).await;
    let mut categories: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["category"].as_str().unwrap())
        .collect();
    categories.sort();
    categories.dedup();
    assert_eq!(categories.len(), 12, "{listed}");
    let exposures: Value = get_json(&http, &format!("{url}/api/v1/exposures"), Some(token)).await;
    assert_eq!(
        exposures.as_array().unwrap().len(),
        1,
        "one exposure window"
    );
    assert!(exposures[0]["alerted"].as_i64().unwrap() > 0, "{exposures}");

    // The demo outbreak: a case whose chain has F1s and F2s from venues, Bluetooth and
    // interviews, F1s in quarantine, and zones on the map.
    let cases: Value = get_json(&http, &format!("{url}/api/v1/cases"), Some(token)).await;
    let case = cases[0]["id"].as_i64().expect("a demo case");
    let detail: Value = get_json(&http, &format!("{url}/api/v1/cases/{case}"), Some(token)).await;
    assert!(detail["counts"][0].as_u64().unwrap() > 0, "{detail}");
    assert!(detail["counts"][1].as_u64().unwrap() > 0, "{detail}");
    let mut sources: Vec<&str> = detail["chain"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| {
            m["sources"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap())
        })
        .collect();
    sources.sort();
    sources.dedup();
    assert_eq!(sources, ["interview", "proximity", "venue"]);
    let quarantine: Value = get_json(&http, &format!("{url}/api/v1/quarantine"), Some(token)).await;
    assert!(!quarantine.as_array().unwrap().is_empty());
    let zones: Value = get_json(&http, &format!("{url}/api/v1/zones"), None).await;
    assert!(zones.as_array().map_or(0, Vec::len) >= 4, "{zones}");

    // The map: every layer of the list has something to draw, facilities in several colours,
    // and Bắc Hà's level follows the outbreak's community case.
    let layers: Value = get_json(&http, &format!("{url}/api/v1/map/layers"), None).await;
    assert_eq!(layers.as_array().unwrap().len(), 8);
    for layer in layers.as_array().unwrap() {
        let path = layer["url"].as_str().unwrap();
        let collection: Value = get_json(&http, &format!("{url}{path}"), None).await;
        let features = collection["features"].as_array().unwrap();
        assert!(!features.is_empty(), "layer {} is empty", layer["id"]);
    }
    let facilities: Value = get_json(
        &http,
        &format!("{url}/api/v1/map/layers/facility-safety.geojson"),
        None,
    )
    .await;
    let mut colours: Vec<&str> = facilities["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["colour"].as_str().unwrap())
        .collect();
    colours.sort();
    colours.dedup();
    assert_eq!(colours, ["green", "grey", "red", "yellow"]);
    let levels: Value = get_json(
        &http,
        &format!("{url}/api/v1/map/area-levels?unit=15"),
        None,
    )
    .await;
    let bac_ha = levels["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == "02839")
        .expect("Bắc Hà has a level");
    assert_eq!(bac_ha["level"], 2, "{bac_ha}");

    // The campaign: units ahead and behind, and some late.
    let campaigns: Value = get_json(&http, &format!("{url}/api/v1/campaigns"), Some(token)).await;
    let id = campaigns[0]["id"].as_i64().expect("a demo campaign");
    let dashboard: Value =
        get_json(&http, &format!("{url}/api/v1/campaigns/{id}"), Some(token)).await;
    let units = dashboard["units"].as_array().unwrap();
    assert!(units.iter().any(|u| u["behind"] == true), "{dashboard}");
    assert!(units
        .iter()
        .any(|u| u["behind"] == false && u["late"] == false));
    assert!(dashboard["late"].as_u64().unwrap() >= 1);
    let feed = http
        .get(format!("{url}/feeds/risky-venues.jws"))
        .send()
        .await
        .unwrap();
    assert_eq!(feed.status(), 200);
    let citizens: Value = get_json(
        &http,
        &format!("{url}/api/v1/citizens?limit=500"),
        Some(token),
    )
    .await;
    assert_eq!(
        citizens.as_array().unwrap().len(),
        300,
        "a few hundred citizens, all in Lào Cai"
    );
    let with_family = citizens
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["family_count"].as_i64().unwrap() > 0)
        .count();
    assert!(
        with_family > 100,
        "{with_family} citizens have family members"
    );

    // Every citizen listed in demo.json has a current declaration, hence a health pass.
    let phone = demo["citizens"][0]["phone"].as_str().unwrap();
    let sent = http
        .post(format!("{url}/api/v1/auth/otp"))
        .json(&serde_json::json!({"phone": phone}))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 202);
    let outbox = std::fs::read_to_string(dir.path().join("sms-outbox.jsonl")).unwrap();
    let sms: Value = serde_json::from_str(outbox.lines().last().unwrap()).unwrap();
    let code: String = sms["text"]
        .as_str()
        .unwrap()
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap()
        .into();
    let session = post_json(
        &http,
        &format!("{url}/api/v1/auth/otp/verify"),
        &serde_json::json!({"phone": phone, "code": code}),
    )
    .await;
    let pass = get_json(
        &http,
        &format!("{url}/api/v1/me/health-pass"),
        session["token"].as_str(),
    )
    .await;
    assert!(pass["pass"].as_str().unwrap().starts_with("PD1:"), "{pass}");
    let declarations: Value = get_json(
        &http,
        &format!("{url}/api/v1/declarations?limit=1000"),
        Some(token),
    )
    .await;
    let kinds: std::collections::HashSet<&str> = declarations
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.len(),
        4,
        "the demo has every kind of declaration: {kinds:?}"
    );
    let missed: Value = get_json(
        &http,
        &format!("{url}/api/v1/declarations/missed-updates"),
        Some(token),
    )
    .await;
    assert!(
        !missed.as_array().unwrap().is_empty(),
        "some arrivals missed yesterday's update"
    );

    // The web app is embedded and served at the root.
    let page = http.get(format!("{url}/")).send().await.unwrap();
    assert!(page.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    drop(server);

    // A second start on the same folder keeps the data and the logins.
    let child = phongdich()
        .args(["demo", "--addr", "127.0.0.1:0", "--data"])
        .arg(dir.path())
        .stdout(Stdio::null())
        .env("PHONGDICH_LOG", "warn")
        .spawn()
        .unwrap();
    let _again = Running(child);
    std::thread::sleep(Duration::from_millis(200));
    let start = Instant::now();
    loop {
        let again = wait_for_file(&dir.path().join("demo.json"));
        if again["url"] != demo["url"] {
            assert_eq!(again["staff"], demo["staff"]);
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the restarted demo never rewrote demo.json"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn admin_commands_manage_units_and_staff() {
    let dir = tempfile::tempdir().unwrap();
    let out = phongdich()
        .args(["admin", "units", "--search", "Bac Ha", "--data"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success());
    assert!(text.lines().next().unwrap().contains("Xã Bắc Hà"), "{text}");

    let out = phongdich()
        .args([
            "admin",
            "create-staff",
            "--username",
            "yte.bacha",
            "--role",
            "health_official",
            "--unit",
            "02839",
            "--full-name",
            "Giàng Seo Phử",
            "--data",
        ])
        .arg(dir.path())
        .env_remove("PHONGDICH_NEW_PASSWORD")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("temporary password: "));

    let out = phongdich()
        .args([
            "admin",
            "create-staff",
            "--username",
            "Bad Name",
            "--role",
            "king",
            "--unit",
            "02839",
            "--full-name",
            "X",
            "--password",
            "short",
            "--data",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    for field in ["username", "role", "password"] {
        assert!(err.contains(field), "{field} is named: {err}");
    }
    let rotate = || {
        phongdich()
            .args(["admin", "rotate-keys", "--data"])
            .arg(dir.path())
            .output()
            .unwrap()
    };
    let first = String::from_utf8(rotate().stdout).unwrap();
    let second = String::from_utf8(rotate().stdout).unwrap();
    assert!(
        first.contains("new signing key") && first != second,
        "{first} / {second}"
    );
    assert!(
        second.contains("keys trusted: 3"),
        "the retired key still verifies: {second}"
    );
    let out = phongdich()
        .args(["admin", "units", "--parent", "424242", "--data"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[test]
fn bad_configuration_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let out = phongdich()
        .args(["migrate", "--database-url", "mysql://x", "--data"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("postgres://"));
    std::fs::write(dir.path().join("phongdich.toml"), "adress = \"typo\"\n").unwrap();
    let out = phongdich()
        .args(["migrate", "--data"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8(out.stderr).unwrap().contains("adress"));
}

/// `bench venue-fanout --json` ends with the SPEC §10 line (a small run: this checks the
/// contract and that the run alerts every visitor, not the speed).
#[test]
fn benchmarks_end_with_the_contract_json_line() {
    let out = phongdich()
        .args([
            "bench",
            "venue-fanout",
            "--visits",
            "300",
            "--runs",
            "2",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let last: Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    for key in [
        "name",
        "value",
        "unit",
        "reference",
        "reference_unit",
        "ratio",
    ] {
        assert!(last.get(key).is_some(), "{key} missing in {last}");
    }
    assert_eq!(last["name"], "venue-fanout");
    assert_eq!(last["alerts"], 300);
    assert!(text.contains("200 ms"), "the reference is printed: {text}");

    let out = phongdich()
        .args(["bench", "export", "--keys", "3000", "--runs", "2", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let last: Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(last["name"], "export");
    assert_eq!(last["keys"], 3000);
    assert_eq!(last["reference"], 1000.0);
    assert!(last["value"].as_f64().unwrap() > 0.0);

    let out = phongdich()
        .args([
            "bench",
            "trace",
            "--people",
            "2000",
            "--contacts",
            "20000",
            "--cases",
            "10",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let last: Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(last["name"], "trace");
    assert_eq!(last["contacts"], 20000);
    assert!(
        last["mean_f1"].as_f64().unwrap() > 0.0,
        "cases have contacts: {last}"
    );
}

/// `venues posters` writes one PDF page per venue of the unit.
#[test]
fn venue_posters_come_out_as_one_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let migrated = phongdich()
        .args(["migrate", "--data", data])
        .output()
        .unwrap();
    assert!(migrated.status.success());
    let out = dir.path().join("posters.pdf");
    let none = phongdich()
        .args([
            "venues", "posters", "--data", data, "--unit", "02839", "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        !none.status.success(),
        "no venues is an error, not an empty file"
    );
    assert!(String::from_utf8_lossy(&none.stderr).contains("no venues"));
    assert!(!out.exists());

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = phongdich_store::Store::open_sqlite(&dir.path().join("phongdich.db"))
            .await
            .unwrap();
        for (i, unit) in ["02839", "02839", "03006"].iter().enumerate() {
            let venue = phongdich_store::NewVenue {
                code: format!("V0000000{i}"),
                name: format!("Chợ số {i}"),
                category: "market".into(),
                unit_code: (*unit).into(),
                street: String::new(),
                position: None,
                owner_citizen_id: None,
                created_at: jiff::Timestamp::now(),
            };
            store.create_venue(&venue).await.unwrap();
        }
        store.close().await;
    });
    let made = phongdich()
        .args([
            "venues", "posters", "--data", data, "--unit", "02839", "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(String::from_utf8_lossy(&made.stdout).starts_with("2 áp phích"));
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF"));
}

/// `exposure derive` reproduces the Exposure Notification v1.2 test vector (SPEC §10).
#[test]
fn exposure_derive_matches_the_published_test_vector() {
    let out = phongdich()
        .args([
            "exposure",
            "derive",
            "--tek",
            "75c734c6dd1a782de7a965da5eb93125",
            "--interval",
            "2642976",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["rpik"], "185ad91db69ec7dd048960f1f3ba6175");
    assert_eq!(v["aemk"], "d57c46af7a1d83965b9bed8bd152936a");
    let rpis = v["rpis"].as_array().unwrap();
    assert_eq!(rpis.len(), 144);
    assert_eq!(rpis[0], "8be6cd371c5c891604bfbe49df845096");
    assert_eq!(rpis[1], "3c9a1de5dd6b02afa7fded7b570b3e56");
    assert_eq!(rpis[143], "f431b62ecf443102ce4ed0407de54bd4");
    let bad = phongdich()
        .args(["exposure", "derive", "--tek", "75c7", "--interval", "1"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("32 hexadecimal digits"));
}

/// `openapi` prints the document the server serves (the web app's types are generated from it).
#[test]
fn openapi_prints_the_served_document() {
    let out = phongdich().arg("openapi").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    let served: Value = serde_json::from_str(&phongdich_server::openapi_json()).unwrap();
    assert_eq!(printed, served);
    assert!(printed["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(printed["paths"]["/api/v1/auth/otp"]["post"].is_object());
}

/// Runs `phongdich admin <args> --data DIR` and returns (success, stdout, stderr).
fn admin(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = phongdich()
        .arg("admin")
        .args(args)
        .arg("--data")
        .arg(dir)
        .env_remove("PHONGDICH_NEW_PASSWORD")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The temporary password a command printed.
fn temporary_password(stdout: &str) -> String {
    stdout
        .lines()
        .find_map(|l| l.split_once("temporary password: "))
        .map(|(_, p)| p.trim().to_owned())
        .unwrap_or_else(|| panic!("no temporary password printed: {stdout}"))
}

#[tokio::test]
async fn admin_lifecycle_commands_deactivate_reset_and_revoke_on_a_running_server() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = admin(
        dir.path(),
        &[
            "create-staff",
            "--username",
            "yte.bacha",
            "--role",
            "health_official",
            "--unit",
            "02839",
            "--full-name",
            "Giàng Seo Phử",
            "--password",
            "mat-khau-thu-nghiem",
        ],
    );
    assert!(ok, "{err}");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let child = phongdich()
        .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--data"])
        .arg(dir.path())
        .env("PHONGDICH_LOG", "warn")
        .spawn()
        .unwrap();
    let _server = Running(child);
    let http = reqwest::Client::new();
    let start = Instant::now();
    while http.get(format!("{url}/healthz")).send().await.is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "server never answered"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let login = |password: String| {
        let http = http.clone();
        let url = url.clone();
        async move {
            let body = serde_json::json!({"username": "yte.bacha", "password": password});
            let r = http
                .post(format!("{url}/api/v1/auth/login"))
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap())
        }
    };
    let me = |token: String| {
        let http = http.clone();
        let url = url.clone();
        async move {
            let r = http
                .get(format!("{url}/api/v1/me"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            r.status().as_u16()
        }
    };
    let token = |v: &Value| v["token"].as_str().unwrap().to_owned();

    let (status, first) = login("mat-khau-thu-nghiem".into()).await;
    assert_eq!(
        (status, first["must_change_password"].as_bool()),
        (200, Some(false)),
        "a typed password is not forced"
    );
    let (ok, out, err) = admin(dir.path(), &["revoke-sessions", "--username", "yte.bacha"]);
    assert!(ok && out.contains("1 phiên"), "{out}{err}");
    assert_eq!(me(token(&first)).await, 401);

    let (_, second) = login("mat-khau-thu-nghiem".into()).await;
    let (ok, out, err) = admin(dir.path(), &["deactivate", "--username", "yte.bacha"]);
    assert!(ok && out.contains("deactivated"), "{out}{err}");
    assert_eq!(
        me(token(&second)).await,
        401,
        "a deactivated account's session stops at once"
    );
    assert_eq!(login("mat-khau-thu-nghiem".into()).await.0, 401);
    let (ok, _, err) = admin(dir.path(), &["reactivate", "--username", "yte.bacha"]);
    assert!(ok, "{err}");
    let (status, third) = login("mat-khau-thu-nghiem".into()).await;
    assert_eq!(status, 200);

    let (ok, out, err) = admin(dir.path(), &["reset-password", "--username", "yte.bacha"]);
    assert!(ok, "{err}");
    assert_eq!(me(token(&third)).await, 401, "a reset ends every session");
    let (status, forced) = login(temporary_password(&out)).await;
    assert_eq!(
        (status, forced["must_change_password"].as_bool()),
        (200, Some(true))
    );

    let (ok, _, err) = admin(
        dir.path(),
        &[
            "reset-password",
            "--username",
            "yte.bacha",
            "--password",
            "password123456",
        ],
    );
    assert!(
        !ok && err.contains("password"),
        "a weak temporary password is refused: {err}"
    );
    let (ok, _, err) = admin(dir.path(), &["deactivate", "--username", "ghost"]);
    assert!(!ok && err.contains("ghost"), "{err}");

    // Without --password the generated password must be changed at first sign-in.
    let (ok, out, err) = admin(
        dir.path(),
        &[
            "create-staff",
            "--username",
            "yte.sapa",
            "--role",
            "health_official",
            "--unit",
            "03006",
            "--full-name",
            "Lý Thị Mai",
        ],
    );
    assert!(ok, "{err}");
    let body = serde_json::json!({"username": "yte.sapa", "password": temporary_password(&out)});
    let r: Value = post_json(&http, &format!("{url}/api/v1/auth/login"), &body).await;
    assert_eq!(r["must_change_password"], true);
}

#[test]
fn an_instance_with_another_key_encryption_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let kek = |k: &str| {
        phongdich()
            .args(["admin", "rotate-keys", "--data"])
            .arg(dir.path())
            .env("PHONGDICH_KEY_ENCRYPTION_KEY", k)
            .output()
            .unwrap()
    };
    let new_kek = || {
        let out = phongdich().args(["admin", "new-kek"]).output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    };
    let (first, second) = (new_kek(), new_kek());
    assert_ne!(first, second);
    assert!(kek(&first).status.success());
    let refused = kek(&second);
    assert!(!refused.status.success());
    let err = String::from_utf8(refused.stderr).unwrap();
    assert!(err.contains("key_encryption_key"), "{err}");
    assert!(
        kek(&first).status.success(),
        "the right key still opens them"
    );
    let bad = kek("not base64");
    assert!(!bad.status.success());
}
