#!/usr/bin/env bash
# Regenerates Benchmarks/Sources/PeerCRIv1/ — the peer's code for our CRI schema: swift-protobuf
# messages (protoc-gen-swift) and grpc-swift-2 client stubs (protoc-gen-grpc-swift-2). The output is
# committed; CI never runs this (building the plugins takes many minutes). Run it by hand when
# Protos/cri/runtime/v1/api.proto changes:
#
#   git clone --branch 2.4.1 https://github.com/grpc/grpc-swift-protobuf /tmp/gsp
#   swift build --package-path /tmp/gsp --product protoc-gen-swift
#   swift build --package-path /tmp/gsp --product protoc-gen-grpc-swift-2
#   Benchmarks/generate-peer-code.sh /tmp/gsp/.build/debug
#
# Argument: the directory holding both plugins (default: /tmp/gsp/.build/debug).
# Debian's protoc (3.21) predates the `debug_redact` field option, so this generates from a temporary
# copy of our schema with that option removed, as Scripts/make-goldens.sh does; the option does not
# change the generated code's wire behaviour.
set -euo pipefail
cd "$(dirname "$0")/.."

PLUGINS=${1:-/tmp/gsp/.build/debug}
PROTO=Protos/cri/runtime/v1/api.proto
OUT=Benchmarks/Sources/PeerCRIv1
for plugin in protoc-gen-swift protoc-gen-grpc-swift-2; do
    [[ -x "$PLUGINS/$plugin" ]] || { echo "generate-peer-code: no $plugin in $PLUGINS" >&2; exit 1; }
done
command -v protoc >/dev/null || { echo "generate-peer-code: protoc not found (apt-get install protobuf-compiler)" >&2; exit 1; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/schema/runtime/v1" "$TMP/out"
sed -E 's/ \[debug_redact = true\]//' "$PROTO" > "$TMP/schema/runtime/v1/api.proto"
if grep -q debug_redact "$TMP/schema/runtime/v1/api.proto"; then
    echo "generate-peer-code: could not strip every debug_redact option" >&2
    exit 1
fi

protoc -I "$TMP/schema" \
    --plugin=protoc-gen-swift="$PLUGINS/protoc-gen-swift" \
    --plugin=protoc-gen-grpc-swift-2="$PLUGINS/protoc-gen-grpc-swift-2" \
    --swift_out="$TMP/out" --swift_opt=Visibility=Public \
    --grpc-swift-2_out="$TMP/out" \
    --grpc-swift-2_opt=Visibility=Public,Client=true,Server=false \
    runtime/v1/api.proto

mkdir -p "$OUT"
rm -f "$OUT"/*.swift
cp "$TMP/out/runtime/v1/api.pb.swift" "$OUT/api.pb.swift"
cp "$TMP/out/runtime/v1/api.grpc.swift" "$OUT/api.grpc.swift"
echo "wrote $OUT/api.pb.swift and $OUT/api.grpc.swift ($(protoc --version))"
