#!/usr/bin/env bash
# Every test of the project: formatting and lints, the Rust suites (SQLite always, PostgreSQL
# when PHONGDICH_TEST_DATABASE_URL is set), the browser test in headless Chromium, then the API
# contract run (scripts/contract.sh: the OpenAPI document validated, a demo fuzzed per role).
# `.ci/run` installs Chromium and starts PostgreSQL first; run that on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
phase() { echo "== $1 (at $((SECONDS - start)) s)"; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT

phase "cargo fmt --check"
cargo fmt --all -- --check
phase "cargo clippy"
cargo clippy --all-targets --locked -- -D warnings
if [ -z "${PHONGDICH_TEST_DATABASE_URL:-}" ]; then
    echo "note: PHONGDICH_TEST_DATABASE_URL is not set; the suites run on SQLite only"
fi
phase "cargo test"
cargo test --workspace --locked 2>&1 | tee -a "$log"
# `cargo test` built the binary (with the web app embedded) for the CLI tests; building it again
# with `-p phongdich` would resolve other features and recompile half the dependencies.
bin="${CARGO_TARGET_DIR:-$PWD/target}/debug/phongdich"
test -x "$bin" || cargo build --locked -p phongdich
phase "generated API types match the OpenAPI document"
# web/src/generated/api.d.ts is made from what the server serves; a change of the API without
# `scripts/gen-api-types.sh` (and a commit of its output) fails here.
PHONGDICH_BIN="$bin" scripts/gen-api-types.sh --check
phase "browser test (headless Chromium)"
(cd web && PHONGDICH_BIN="$bin" npm run --silent test:browser) 2>&1 | tee -a "$log"
phase "API contract (openapi-spec-validator, schemathesis)"
# The served document must be valid and the fuzzer must find no failure outside the reviewed
# allow-list (scripts/contract/allow.toml): either fails the run. PHONGDICH_CONTRACT_LENIENT=1
# reports schemathesis' failures without failing (a local run while a fix is under way).
# The seed is fixed here, so a CI run repeats the cases the last reviewed run passed (a run by
# hand draws a new one each time and explores further; PHONGDICH_CONTRACT_SEED overrides).
contract_log=$(mktemp)
if ! PHONGDICH_CONTRACT_SEED="${PHONGDICH_CONTRACT_SEED:-84301714}" scripts/contract.sh --bin "$bin" 2>&1 | tee "$contract_log"; then
    if ! grep -q ' 0 document error(s)' "$contract_log" || [ -z "${PHONGDICH_CONTRACT_LENIENT:-}" ]; then
        rm -f "$contract_log"
        exit 1
    fi
    echo "note: schemathesis failures above are reported, not fatal (PHONGDICH_CONTRACT_LENIENT is set)"
fi
rm -f "$contract_log"

passed=$(grep -Eo '[0-9]+ passed' "$log" | awk '{s+=$1} END {print s+0}')
failed=$(grep -Eo '[0-9]+ failed' "$log" | awk '{s+=$1} END {print s+0}')
node_pass=$(grep -Eo '^# pass [0-9]+' "$log" | awk '{s+=$3} END {print s+0}')
node_fail=$(grep -Eo '^# fail [0-9]+' "$log" | awk '{s+=$3} END {print s+0}')
echo "== done in $((SECONDS - start)) s"
echo "$((passed + node_pass)) passed, $((failed + node_fail)) failed"
