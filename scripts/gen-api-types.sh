#!/usr/bin/env bash
# Makes the web app's API types, web/src/generated/api.d.ts, from the server's OpenAPI document
# with the openapi-typescript pinned in web/codegen/package-lock.json.
#
#   scripts/gen-api-types.sh                  # document from `cargo run -p phongdich -- openapi`
#   scripts/gen-api-types.sh openapi.json     # from a saved document (`-` reads stdin)
#   scripts/gen-api-types.sh --check [FILE]   # change nothing; fail when the committed file differs
#
# PHONGDICH_BIN=path/to/phongdich takes the document from that binary instead of cargo.
set -euo pipefail
cd "$(dirname "$0")/.."

check=false
if [ "${1:-}" = "--check" ]; then
    check=true
    shift
fi
out=web/src/generated/api.d.ts
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

doc="$work/openapi.json"
if [ $# -gt 0 ] && [ "$1" = "-" ]; then
    cat >"$doc"
elif [ $# -gt 0 ]; then
    cp "$1" "$doc"
elif [ -n "${PHONGDICH_BIN:-}" ]; then
    "$PHONGDICH_BIN" openapi >"$doc"
else
    cargo run --quiet --locked -p phongdich -- openapi >"$doc"
fi

if [ ! -x web/codegen/node_modules/.bin/openapi-typescript ]; then
    (cd web/codegen && npm ci --no-audit --no-fund --loglevel=error)
fi
web/codegen/node_modules/.bin/openapi-typescript "$doc" --alphabetize --output "$work/api.d.ts" >/dev/null

if $check; then
    if ! diff -u "$out" "$work/api.d.ts" >"$work/diff"; then
        head -n 200 "$work/diff"
        echo "error: $out is not what the server's OpenAPI document gives; run scripts/gen-api-types.sh and commit it" >&2
        exit 1
    fi
    echo "$out matches the OpenAPI document"
else
    mkdir -p "$(dirname "$out")"
    mv "$work/api.d.ts" "$out"
    echo "wrote $out"
fi
