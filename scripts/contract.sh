#!/usr/bin/env bash
# The API contract run (issue 16): validate the served OpenAPI document with
# openapi-spec-validator, then fuzz a demo server with schemathesis anonymously, as a citizen and
# as each staff role, each on a fresh copy of the seeded demo. Fails on any failure not in the
# reviewed allow-list scripts/contract/allow.toml; prints a per-role summary.
#
#   scripts/contract.sh [--bin target/debug/phongdich] [--seconds 300] [--roles anonymous,admin]
#                       [--seed N] [--notes FILE]
#   scripts/contract.sh --install      # only create the virtual environment (.ci/run)
#
# The tools (scripts/contract/requirements.txt, pinned) live in a virtual environment, by
# default $HOME/.cache/phongdich-contract-venv (PHONGDICH_CONTRACT_VENV); it is created, or
# reinstalled when the pins change, on first use. PHONGDICH_CONTRACT_SECONDS sets the fuzzing
# budget shared by the roles (default 300).
set -euo pipefail
cd "$(dirname "$0")/.."

venv=${PHONGDICH_CONTRACT_VENV:-$HOME/.cache/phongdich-contract-venv}
requirements=scripts/contract/requirements.txt
stamp="$venv/.phongdich-requirements"
if ! [ -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$stamp"; then
    echo "== contract: installing $(grep -v '^#' "$requirements" | tr '\n' ' ')into $venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$stamp"
fi
if [ "${1:-}" = "--install" ]; then
    exit 0
fi

exec "$venv/bin/python" scripts/contract/fuzz.py "$@"
