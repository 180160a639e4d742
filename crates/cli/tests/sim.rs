//! `phongdich sim`: the SPEC §10 well-mixed contract and a tiny sweep writing its files, run
//! as a script would.

use std::process::Command;

use serde_json::Value;

fn phongdich() -> Command {
    Command::new(env!("CARGO_BIN_EXE_phongdich"))
}

fn json_of(args: &[&str]) -> Value {
    let out = phongdich().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    serde_json::from_str(stdout.lines().last().unwrap()).unwrap()
}

#[test]
fn well_mixed_json_contract_and_seed() {
    let args = [
        "sim",
        "run",
        "--mode",
        "well-mixed",
        "--r0",
        "2",
        "--population",
        "20000",
        "--seed",
        "5",
        "--json",
    ];
    let v = json_of(&args);
    let attack = v["attack_rate"].as_f64().unwrap();
    // z = 1 − exp(−2z) → 0.797.
    assert!((attack - 0.797).abs() < 0.03, "{v}");
    assert_eq!(json_of(&args), v, "same seed, same output");
}

#[test]
fn bad_input_fails_before_running() {
    for args in [
        vec![
            "sim",
            "run",
            "--mode",
            "well-mixed",
            "--r0",
            "-1",
            "--population",
            "100",
        ],
        vec!["sim", "run", "--adoption", "1.5", "--population", "100"],
        vec![
            "sim",
            "run",
            "--province",
            "Atlantis",
            "--population",
            "100",
        ],
        vec!["sim", "sweep", "--adoption", "0.2,2", "--population", "100"],
    ] {
        let out = phongdich().args(&args).output().unwrap();
        assert!(!out.status.success(), "{args:?} should fail");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("error"), "{args:?}: {err}");
    }
}

#[test]
fn tiny_sweep_writes_csv_and_charts() {
    let dir = tempfile::tempdir().unwrap();
    let out = phongdich()
        .args([
            "sim",
            "sweep",
            "--province",
            "Lào Cai",
            "--adoption",
            "0.4,0.8",
            "--population",
            "3000",
            "--days",
            "30",
            "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("Lào Cai") && table.contains("80%"),
        "{table}"
    );

    let csv = std::fs::read_to_string(dir.path().join("sweep.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert!(header.contains(&"recall_proximity") && header.contains(&"averted"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 2);
    for row in &rows {
        assert_eq!(row.len(), header.len());
        let infections: f64 = row[2].parse().unwrap();
        assert!(infections >= 0.0);
    }
    for chart in ["sweep.svg", "curves.svg"] {
        let svg = std::fs::read_to_string(dir.path().join(chart)).unwrap();
        assert!(
            svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
            "{chart}"
        );
    }
    for chart in ["sweep.png", "curves.png"] {
        let png = std::fs::read(dir.path().join(chart)).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{chart}");
    }
}

/// Kills the server when the test ends, passing or not.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `phongdich demo` on a free port in `data`; returns it once it serves.
fn demo(data: &std::path::Path) -> Running {
    use std::io::{BufRead, BufReader};
    let mut child = phongdich()
        .args(["demo", "--addr", "127.0.0.1:0", "--data"])
        .arg(data)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let running = Running(child);
    let mut lines = BufReader::new(stdout).lines();
    loop {
        let line = lines.next().expect("the demo exited").unwrap();
        // demo.json is written before the welcome that prints the URL.
        if line.contains("http://") {
            break;
        }
    }
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    running
}

/// A small province whose app users are real phones on a running demo server: cases get codes
/// from the demo's health official and upload, the server publishes, phones download and
/// match; at least one contact is alerted, with the time it took and the recall measured.
#[test]
fn http_mode_alerts_contacts_through_a_running_server() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("demo");
    let _server = demo(&data);
    let demo_json = data.join("demo.json");
    let run = |extra: &[&str]| {
        phongdich()
            .args(["sim", "run", "--mode", "http", "--demo-json"])
            .arg(&demo_json)
            .args(extra)
            .output()
            .unwrap()
    };
    let out = run(&[
        "--population",
        "300",
        "--days",
        "8",
        "--adoption",
        "0.9",
        "--initial",
        "30",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let v: Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert!(v["uploads"].as_u64().unwrap() >= 1, "{v}");
    assert!(v["exports_published"].as_u64().unwrap() >= 1, "{v}");
    assert!(v["alerts"].as_u64().unwrap() >= 1, "{v}");
    // Wall-clock seconds from the code request to the phone's alert: positive, and small on
    // an idle loopback server.
    let median = v["latency_median_s"].as_f64().unwrap();
    let longest = v["latency_max_s"].as_f64().unwrap();
    assert!(median > 0.0 && median <= longest && longest < 60.0, "{v}");
    // Alerts land on true close contacts, and the real phones agree with the simulator's own
    // scoring of the same readings on most of what it predicts.
    assert!(v["true_f1_alerted"].as_u64().unwrap() >= 1, "{v}");
    let recall = v["recall"].as_f64().unwrap();
    assert!(recall > 0.0 && recall <= 1.0, "{v}");
    let predicted = v["fast_path_predicted"].as_u64().unwrap();
    let agreed = v["fast_path_agreed"].as_u64().unwrap();
    assert!(agreed * 10 >= predicted * 7, "{v}");

    // A wrong password and an unreachable server fail with an error that says which.
    let out = phongdich()
        .args(["sim", "run", "--mode", "http", "--server"])
        .arg(v["server"].as_str().unwrap())
        .args(["--username", "yte.laocai", "--password", "sai-mat-khau-roi"])
        .args(["--population", "50", "--days", "2"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("signing in as yte.laocai"),
        "{err}"
    );
    let out = phongdich()
        .args([
            "sim",
            "run",
            "--mode",
            "http",
            "--server",
            "http://127.0.0.1:9",
        ])
        .args(["--username", "a", "--password", "b", "--population", "50"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("cannot reach the server"),
        "{err}"
    );
    // Too many people for real phones is refused before anything runs.
    let out = run(&["--population", "5000"]);
    assert!(!out.status.success());
}
