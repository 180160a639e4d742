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
