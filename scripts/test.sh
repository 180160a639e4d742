#!/usr/bin/env bash
# Every test of the project: formatting and lints, the Rust suites (SQLite always, PostgreSQL
# when PHONGDICH_TEST_DATABASE_URL is set), then the browser test in headless Chromium.
# `.ci/run` installs Chromium and starts PostgreSQL first; run that on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --all-targets --locked -- -D warnings
if [ -z "${PHONGDICH_TEST_DATABASE_URL:-}" ]; then
    echo "note: PHONGDICH_TEST_DATABASE_URL is not set; the suites run on SQLite only"
fi
echo "== cargo test"
cargo test --workspace --locked 2>&1 | tee -a "$log"
echo "== browser test (headless Chromium)"
cargo build --locked -p phongdich
(cd web && PHONGDICH_BIN="$PWD/../target/debug/phongdich" npm run --silent test:browser) 2>&1 | tee -a "$log"

passed=$(grep -Eo '[0-9]+ passed' "$log" | awk '{s+=$1} END {print s+0}')
failed=$(grep -Eo '[0-9]+ failed' "$log" | awk '{s+=$1} END {print s+0}')
node_pass=$(grep -Eo '^# pass [0-9]+' "$log" | awk '{s+=$3} END {print s+0}')
node_fail=$(grep -Eo '^# fail [0-9]+' "$log" | awk '{s+=$3} END {print s+0}')
echo "$((passed + node_pass)) passed, $((failed + node_fail)) failed"
