#!/usr/bin/env bash
# Regenerates Sources/CRIv1 from Protos/cri/runtime/v1/api.proto with our own generator (cri-generate), and the
# per-RPC surfaces: Sources/CRI/Client/CRIClient+RPCs.swift and Sources/CRITesting/FakeRuntimeServing.swift
# (policy per RPC: Sources/CRICodeGen/RPCSurfaceTable.swift).
#
#   Scripts/generate.sh           rewrite Sources/CRIv1
#   Scripts/generate.sh --check   regenerate into a temp dir; fail (exit 1) naming every stale or missing file
set -euo pipefail
cd "$(dirname "$0")/.."

PROTO=Protos/cri/runtime/v1/api.proto
OUT=Sources/CRIv1
CLIENT=Sources/CRI/Client
FAKE=Sources/CRITesting
SURFACES=("$CLIENT/CRIClient+RPCs.swift" "$FAKE/FakeRuntimeServing.swift")

swift build --product cri-generate >/dev/null
BIN="$(swift build --show-bin-path)/cri-generate"

if [[ "${1:-}" == "--check" ]]; then
    TMP="$(mktemp -d)"
    trap 'rm -rf "$TMP"' EXIT
    mkdir "$TMP/surfaces"
    "$BIN" --proto "$PROTO" --out "$TMP" --client-out "$TMP/surfaces" --fake-out "$TMP/surfaces" >/dev/null
    stale=()
    for f in "${SURFACES[@]}"; do
        cmp -s "$TMP/surfaces/$(basename "$f")" "$f" || stale+=("$f")
    done
    for f in "$TMP"/*.swift; do
        name="$(basename "$f")"
        cmp -s "$f" "$OUT/$name" || stale+=("$OUT/$name")
    done
    for f in "$OUT"/*.swift; do
        [[ -e "$TMP/$(basename "$f")" ]] || stale+=("$f (no longer generated)")
    done
    if (( ${#stale[@]} )); then
        echo "generated code is stale; run Scripts/generate.sh. Stale files:" >&2
        printf '  %s\n' "${stale[@]}" >&2
        exit 1
    fi
    echo "Sources/CRIv1 and ${SURFACES[*]} are up to date with $PROTO"
    exit 0
fi

"$BIN" --proto "$PROTO" --out "$OUT" --client-out "$CLIENT" --fake-out "$FAKE"
