//! Builds the web front end (`web/`) so its assets can be embedded in the binary.
//!
//! Runs `npm ci` when `web/node_modules` is missing and `npm run build` whenever the front end's
//! sources change. Set `PHONGDICH_SKIP_WEB_BUILD=1` to embed whatever `web/dist` holds.

use std::path::Path;
use std::process::Command;

fn main() {
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web");
    for watched in [
        "src",
        "index.html",
        "api-docs",
        "package.json",
        "package-lock.json",
        "vite.config.ts",
        "public",
    ] {
        println!("cargo:rerun-if-changed={}", web.join(watched).display());
    }
    println!("cargo:rerun-if-env-changed=PHONGDICH_SKIP_WEB_BUILD");
    let dist = web.join("dist");
    if std::env::var_os("PHONGDICH_SKIP_WEB_BUILD").is_some() {
        std::fs::create_dir_all(&dist).expect("create web/dist");
        return;
    }
    if !web.join("node_modules").exists() {
        run(&web, &["ci", "--no-audit", "--no-fund"]);
    }
    run(&web, &["run", "build"]);
}

fn run(dir: &Path, args: &[&str]) {
    let status = Command::new("npm").args(args).current_dir(dir).status().unwrap_or_else(|e| {
        panic!("could not run npm (install Node.js 20+ and npm, or set PHONGDICH_SKIP_WEB_BUILD=1): {e}")
    });
    assert!(
        status.success(),
        "`npm {}` failed in {}",
        args.join(" "),
        dir.display()
    );
}
