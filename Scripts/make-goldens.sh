#!/usr/bin/env bash
# Encodes every Tests/CRIv1Tests/Fixtures/*.txtpb with protoc (the reference encoder, not ours) into a .binpb
# next to it. The golden tests then check our encoder and decoder against these bytes.
#
#   Scripts/make-goldens.sh           rewrite the .binpb files
#   Scripts/make-goldens.sh --check   re-encode into a temp dir; fail naming every stale or missing .binpb
#
# The message type is the file name up to the first dot (RunPodSandboxRequest.txtpb ->
# runtime.v1.RunPodSandboxRequest), unless the fixture starts with a `# message: <full.Name> <file.proto>` line,
# which names another message and a .proto in Fixtures/ (used for the "newer peer" unknown-field fixture).
#
# Debian's protoc (3.21) predates the `debug_redact` field option, so it encodes from a temporary copy of our
# schema with that option removed; the option does not affect the wire format.
set -euo pipefail
cd "$(dirname "$0")/.."

FIXTURES=Tests/CRIv1Tests/Fixtures
PROTO=Protos/cri/runtime/v1/api.proto
command -v protoc >/dev/null || { echo "make-goldens: protoc not found (apt-get install protobuf-compiler)" >&2; exit 1; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/schema" "$TMP/out"
sed -E 's/ \[debug_redact = true\]//' "$PROTO" > "$TMP/schema/api.proto"
if grep -q debug_redact "$TMP/schema/api.proto"; then
    echo "make-goldens: could not strip every debug_redact option" >&2
    exit 1
fi

for txtpb in "$FIXTURES"/*.txtpb; do
    base="$(basename "$txtpb" .txtpb)"
    header="$(head -n 1 "$txtpb")"
    if [[ "$header" =~ ^#\ message:\ ([A-Za-z0-9_.]+)\ ([A-Za-z0-9_.-]+\.proto)$ ]]; then
        message="${BASH_REMATCH[1]}"
        include="$FIXTURES"
        schema="$FIXTURES/${BASH_REMATCH[2]}"
    else
        message="runtime.v1.${base%%.*}"
        include="$TMP/schema"
        schema="$TMP/schema/api.proto"
    fi
    # protoc warns about deprecated fields in the text input; show its output only when it fails.
    if ! protoc --encode="$message" -I "$include" "$schema" < "$txtpb" > "$TMP/out/$base.binpb" 2> "$TMP/stderr"; then
        echo "make-goldens: protoc failed on $txtpb:" >&2
        cat "$TMP/stderr" >&2
        exit 1
    fi
done

if [[ "${1:-}" == "--check" ]]; then
    stale=()
    for f in "$TMP/out"/*.binpb; do
        cmp -s "$f" "$FIXTURES/$(basename "$f")" || stale+=("$FIXTURES/$(basename "$f")")
    done
    for f in "$FIXTURES"/*.binpb; do
        [[ -e "$f" ]] || continue
        [[ -e "$TMP/out/$(basename "$f")" ]] || stale+=("$f (no matching .txtpb)")
    done
    if (( ${#stale[@]} )); then
        echo "protoc goldens are stale; run Scripts/make-goldens.sh. Stale files:" >&2
        printf '  %s\n' "${stale[@]}" >&2
        exit 1
    fi
    echo "goldens in $FIXTURES are fresh ($(protoc --version))"
    exit 0
fi

cp "$TMP/out"/*.binpb "$FIXTURES/"
echo "wrote $(ls "$TMP/out" | wc -l) goldens to $FIXTURES with $(protoc --version)"
