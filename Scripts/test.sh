#!/usr/bin/env bash
# The whole test suite: install the peers, check generated code and goldens are fresh, build once
# (failing on any warning in our own code), then run every test against that build.
set -euo pipefail
cd "$(dirname "$0")/.."

Scripts/install-deps.sh
Scripts/generate.sh --check
Scripts/make-goldens.sh --check

log=$(mktemp)
trap 'rm -f "$log"' EXIT
swift build --build-tests 2>&1 | tee "$log"
if grep -E "^$(pwd)/(Sources|Tests)/.*warning:" "$log"; then
    echo "test.sh: the build has warnings (above)" >&2
    exit 1
fi
swift test --skip-build
