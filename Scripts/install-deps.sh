#!/usr/bin/env bash
# Installs the Debian packages the tests use as independent peers: protoc (golden bytes) and the
# gRPC C core for Python (interop). Idempotent; needs root. Skips packages already present.
set -euo pipefail

packages=(protobuf-compiler protobuf-compiler-grpc python3-grpcio python3-protobuf)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing ${missing[*]}; run as root or install them with apt-get" >&2
    exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
