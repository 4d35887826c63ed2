#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ once and runs each for a while.
#
#   Scripts/fuzz.sh [seconds-per-target] [target...]
#
# seconds defaults to 30; targets default to all of them (fuzz-protobuf, fuzz-json, ...).
# Each target starts from Fuzz/Corpus/<target> (read-only: new inputs go to a scratch copy) and runs with
# -max_total_time, a per-input -timeout and -rss_limit_mb. Exits non-zero on any crash, leak, timeout or OOM,
# printing the reproducer; rerun one with `<binary> <reproducer>`.
# Needs Linux and a Swift toolchain whose clang runtime ships libFuzzer (Swift 6.x on Linux does).
set -euo pipefail

seconds="${1:-30}"
shift || true
root="$(cd "$(dirname "$0")/.." && pwd)"
fuzz="$root/Fuzz"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(fuzz-protobuf fuzz-json fuzz-logline fuzz-hpack fuzz-http2-frames fuzz-grpc-deframer
        fuzz-websocket fuzz-streaming-http fuzz-endpoint)
fi
timeout_per_input="${FUZZ_TIMEOUT:-10}"
rss_limit_mb="${FUZZ_RSS_LIMIT_MB:-2048}"

# -parse-as-library: libFuzzer's driver owns `main`. -enable-testing: the targets `@testable import` the
# package-internal decoders.
build_flags=(-c release --package-path "$fuzz"
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -enable-testing)
echo "== building Fuzz/ ($(date -u +%T))"
start=$(date +%s)
# ld.gold warns once per binary about an ASan-internal symbol; drop that noise, keep the build's status.
set +e
swift build "${build_flags[@]}" 2>&1 | grep -v "Cannot export local symbol '__asan_extra_spill_area'" >&2
build_status=${PIPESTATUS[0]}
set -e
[ "$build_status" -eq 0 ] || { echo "== build failed" >&2; exit "$build_status"; }
bin="$(swift build "${build_flags[@]}" --show-bin-path)"
echo "== built in $(( $(date +%s) - start ))s"

work="$(mktemp -d "${TMPDIR:-/tmp}/swift-cri-fuzz.XXXXXX")"
failed=()
for target in "${targets[@]}"; do
    corpus="$work/$target/corpus"
    artifacts="$work/$target/artifacts/"
    mkdir -p "$corpus" "$artifacts"
    cp "$fuzz/Corpus/$target/"* "$corpus/" 2>/dev/null || true
    log="$work/$target/log.txt"
    echo "== $target: ${seconds}s"
    status=0
    "$bin/$target" "$corpus" \
        -max_total_time="$seconds" -timeout="$timeout_per_input" -rss_limit_mb="$rss_limit_mb" \
        -artifact_prefix="$artifacts" -print_final_stats=1 >"$log" 2>&1 || status=$?
    # One line of throughput: the final stats libFuzzer prints.
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
    echo "   $runs runs, $speed exec/s, $cov, status $status"
    reproducers=$(find "$artifacts" -type f 2>/dev/null)
    if [ "$status" -ne 0 ] || [ -n "$reproducers" ]; then
        failed+=("$target")
        grep -E "ERROR: |SUMMARY: |Fatal error|#[0-9]+ 0x" "$log" | head -30 || true
        for file in $reproducers; do echo "   reproducer: $file (run: $bin/$target $file)"; done
        echo "   full log: $log"
    fi
done

if [ ${#failed[@]} -ne 0 ]; then
    echo "== FAILED: ${failed[*]} (logs and reproducers in $work)"
    exit 1
fi
echo "== all ${#targets[@]} targets clean"
rm -rf "$work"
