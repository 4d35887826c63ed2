#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ once and runs each for a while.
#
#   Scripts/fuzz.sh [seconds-per-target] [target...]
#
# seconds defaults to 30; targets default to all of them (fuzz-protobuf, fuzz-json, ...).
# Each target starts from Fuzz/Corpus/<target> plus Fuzz/FailCases/<target> (past crashers; read-only: new inputs
# go to a scratch copy) and runs with -max_total_time, a per-input -timeout and -rss_limit_mb. Exits non-zero on
# any crash, leak, timeout or OOM, printing the reproducer; rerun one with `<binary> <reproducer>`, and once fixed
# commit it to Fuzz/FailCases/<target>/ (CRIFuzzRegressionTests replays it on every `swift test`).
# Settings: FUZZ_JOBS targets at a time (default: the number of CPUs, at most 2: each fuzzer is one process on one
# core), FUZZ_TIMEOUT seconds per input (10), FUZZ_RSS_LIMIT_MB (2048), FUZZ_KEEP=1 keeps the scratch directory.
# Needs Linux and a Swift toolchain whose clang runtime ships libFuzzer (Swift 6.x on Linux does).
set -euo pipefail

seconds="${1:-30}"
shift || true
root="$(cd "$(dirname "$0")/.." && pwd)"
fuzz="$root/Fuzz"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(fuzz-protobuf fuzz-json fuzz-logline fuzz-hpack fuzz-http2-frames fuzz-grpc-deframer fuzz-grpc-client
        fuzz-websocket fuzz-streaming-http fuzz-endpoint fuzz-spdy-frames fuzz-inflate)
fi
timeout_per_input="${FUZZ_TIMEOUT:-10}"
rss_limit_mb="${FUZZ_RSS_LIMIT_MB:-2048}"
cpus=$(nproc 2>/dev/null || echo 1)
jobs="${FUZZ_JOBS:-$((cpus < 2 ? cpus : 2))}"

# -parse-as-library: libFuzzer's driver owns `main`.
build_flags=(-c release --package-path "$fuzz" -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
echo "== building Fuzz/ ($(date -u +%T))"
start=$(date +%s)
# ld.gold warns once per binary about an ASan-internal symbol; drop that noise, keep the build's status.
set +e
swift build "${build_flags[@]}" 2>&1 | grep -v "Cannot export local symbol '__asan_extra_spill_area'" >&2
build_status=${PIPESTATUS[0]}
set -e
[ "$build_status" -eq 0 ] || { echo "== build failed" >&2; exit "$build_status"; }
bin="$(swift build "${build_flags[@]}" --show-bin-path)"
echo "== built in $(( $(date +%s) - start ))s; ${#targets[@]} targets, ${seconds}s each, $jobs at a time"

work="$(mktemp -d "${TMPDIR:-/tmp}/swift-cri-fuzz.XXXXXX")"
# A Swift trap should reach libFuzzer's own crash handler (which saves the reproducer) directly: the Swift
# runtime's backtracer would otherwise inspect the crashed process first, and trips ASan doing so.
export SWIFT_BACKTRACE=enable=no

# Runs one target in $work/<target>/ and writes its one-line result there ("ok" or "FAILED" first).
run_target() {
    local target=$1
    local dir="$work/$target"
    local corpus="$dir/corpus" artifacts="$dir/artifacts/" log="$dir/log.txt"
    mkdir -p "$corpus" "$artifacts"
    cp "$fuzz/Corpus/$target/"* "$corpus/" 2>/dev/null || true
    cp "$fuzz/FailCases/$target/"* "$corpus/" 2>/dev/null || true
    local status=0
    "$bin/$target" "$corpus" \
        -max_total_time="$seconds" -timeout="$timeout_per_input" -rss_limit_mb="$rss_limit_mb" \
        -artifact_prefix="$artifacts" -print_final_stats=1 >"$log" 2>&1 || status=$?
    # The final stats libFuzzer prints: executions, speed, coverage.
    local runs speed cov
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo "?")
    local verdict=ok
    if [ "$status" -ne 0 ] || [ -n "$(find "$artifacts" -type f 2>/dev/null)" ]; then verdict=FAILED; fi
    echo "$verdict $target $runs $speed $cov $status" >"$dir/result"
}

# Prints a finished target's result (and, when it failed, the evidence).
report_target() {
    local target=$1
    local dir="$work/$target"
    local verdict name runs speed cov status
    read -r verdict name runs speed cov status <"$dir/result"
    printf '== %-20s %-6s %10s runs %8s exec/s  cov %-5s (exit %s)\n' "$target" "$verdict" "$runs" "$speed" "$cov" "$status"
    if [ "$verdict" != ok ]; then
        grep -E "ERROR: |SUMMARY: |Fatal error|#[0-9]+ 0x" "$dir/log.txt" | head -30 || true
        for file in $(find "$dir/artifacts" -type f 2>/dev/null); do
            echo "   reproducer: $file (run: $bin/$target $file)"
        done
        echo "   full log: $dir/log.txt"
    fi
}

# Up to $jobs targets at once; the results are printed in target order once all have finished.
pids=()
for target in "${targets[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
    echo "   $target: started ($(date -u +%T))"
    run_target "$target" &
    pids+=($!)
done
wait "${pids[@]}" 2>/dev/null || true

failed=()
total_runs=0
for target in "${targets[@]}"; do
    report_target "$target"
    read -r verdict _ runs _ <"$work/$target/result"
    [ "$verdict" = ok ] || failed+=("$target")
    [[ "$runs" =~ ^[0-9]+$ ]] && total_runs=$((total_runs + runs))
done

if [ ${#failed[@]} -ne 0 ]; then
    echo "== FAILED: ${failed[*]} (logs and reproducers in $work)"
    exit 1
fi
echo "== all ${#targets[@]} targets clean: $total_runs runs in total"
if [ "${FUZZ_KEEP:-0}" = 1 ]; then echo "== kept $work"; else rm -rf "$work"; fi
