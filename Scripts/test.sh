#!/usr/bin/env bash
# The whole CI: install the peers, check generated code and goldens are fresh, build once (failing on any
# warning in our own code), run every test against that build, then the hardening steps. This script is the
# one place that decides what runs; each step prints a banner, its duration, and one result line at the end.
#
# Steps, cheapest and most informative first:
#   tests  the whole suite, serially, against the containerd lab     -> the closing "N passed, N failed" line
#   fuzz   Scripts/fuzz.sh 30: every libFuzzer target 30 s, two at a time; fails on a crash, leak or timeout
#   asan   the whole suite again, built with AddressSanitizer (+LeakSanitizer): zero reports allowed
#   tsan   the whole suite again, built with ThreadSanitizer: zero reports allowed
#   bench  Scripts/bench.sh --smoke: builds Benchmarks/ (ours and the grpc-swift-2 peer, debug) and runs every
#          cri-bench mode once with tiny counts, against FakeCRIServer and the lab's containerd; fails only if
#          one of ours fails. No timings are judged here: performance is Scripts/bench.sh's job.
# CRI_TEST_STEPS picks steps (default "tests fuzz asan tsan bench"; the checks and the debug build always run).
# A failing step does not stop the later ones (CI reports everything); the exit status is non-zero if any failed.
#
# The end-to-end tests (Tests/CRIEndToEndTests) need the containerd lab. As root, this script brings it up
# (Scripts/containerd-lab.sh up, while the checks and build run) and takes it down on exit, whatever the
# outcome; a lab that was already up is used and left running. The sanitizer runs use the lab too. In CI
# (CI=true) the lab is mandatory: CRI_E2E_REQUIRED=1 makes the suite fail, never skip, without it. Elsewhere,
# without root and without a running lab, the end-to-end tests are skipped with a reason.
# Settings: CRI_TEST_TIMEOUT (seconds for the main test run, default 900), CRI_SANITIZER_TIMEOUT (each
# sanitizer test run, default 1800), CRI_FUZZ_SECONDS (per target, default 30); the lab's own (CRI_LAB_DIR,
# ports, ...: see Scripts/containerd-lab.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

lab_dir=${CRI_LAB_DIR:-/tmp/cri-lab}
lab_dir=${lab_dir%/}
export CRI_LAB_ENV=$lab_dir/lab.env
ci=false
if [ "${CI:-}" = true ]; then
    ci=true
    export CRI_E2E_REQUIRED=1
fi
steps=" ${CRI_TEST_STEPS:-tests fuzz asan tsan bench} "
for step in $steps; do
    case $step in tests | fuzz | asan | tsan | bench) ;; *) echo "test.sh: unknown step '$step' in CRI_TEST_STEPS" >&2; exit 2 ;; esac
done
wants() { [[ $steps == *" $1 "* ]]; }

scratch=$(mktemp -d)
lab_pid= # the background `up`
lab_owned=false # whether this run brought the lab up (and so takes it down)
overall=0 # becomes 1 when a step fails
run_start=$SECONDS
: >"$scratch/times" # "step seconds" per line
: >"$scratch/results" # one result line per hardening step, printed before the closing line

banner() { printf '\n======== test.sh: %s (%s) ========\n' "$1" "$(date -u +%T)"; }
# Records that step $1 took the seconds since $2.
took() {
    local seconds=$((SECONDS - $2))
    echo "test.sh: $1 took ${seconds}s"
    echo "$1 $seconds" >>"$scratch/times"
}

finish() {
    local status=$?
    trap - EXIT
    set +e
    if [ -n "$lab_pid" ]; then wait "$lab_pid" 2>/dev/null; fi
    if [ "$status" -ne 0 ] && [ -f "$lab_dir/containerd.log" ]; then
        echo "test.sh: failed ($status); last lines of $lab_dir/containerd.log:" >&2
        tail -n 40 "$lab_dir/containerd.log" >&2
    fi
    if [ "$lab_owned" = true ]; then
        echo "test.sh: taking the containerd lab down" >&2
        Scripts/containerd-lab.sh down || status=1
    fi
    for transcript in "$scratch"/cri-e2e-transcript-*.txt; do
        if [ "$status" -ne 0 ] && [ -s "$transcript" ]; then
            echo "test.sh: failed; the cri CLI end-to-end transcript $(basename "$transcript") (last 400 lines):" >&2
            tail -n 400 "$transcript" >&2
        fi
    done
    if [ -s "$scratch/times" ]; then
        echo "test.sh: step times: $(awk '{printf "%s%s %ss", (NR > 1 ? ", " : ""), $1, $2}' "$scratch/times"); total $((SECONDS - run_start))s"
    fi
    cat "$scratch/results"
    # The closing line: the main run's tests passed and failed (printed last, after the lab is down).
    if [ -s "$scratch/summary" ]; then cat "$scratch/summary"; fi
    rm -rf "$scratch"
    exit "$status"
}
trap finish EXIT
trap "exit 130" INT # interrupted runs still take the lab down (through finish)
trap "exit 143" TERM

# Runs `swift test --skip-build --no-parallel "$@"` killed after $2 seconds, teeing to log $3; label $1.
# `timeout` signals only its child, so the child is a shell leading its own session that takes its whole
# process group (swift-test, the test binary, cri children) down with it. Returns the test run's status.
run_suite() {
    local label=$1 limit=$2 log=$3
    shift 3
    local status=0
    SUITE_LABEL=$label SUITE_LIMIT=$limit SUITE_LOG=$log timeout "$limit" setsid bash -c '
        trap "echo \"test.sh: the $SUITE_LABEL run did not finish within ${SUITE_LIMIT}s; killing it\" >&2; kill -KILL 0" TERM
        { swift test --skip-build --no-parallel "$@" 2>&1 | tee "$SUITE_LOG"; exit "${PIPESTATUS[0]}"; } & wait $!' \
        bash "$@" || status=$?
    return "$status"
}

# "N passed, N failed" from a test log (Swift Testing's own summary counts issues, not tests, when something
# fails); empty when the run never got to its summary.
count_tests() {
    local total failed
    total=$(grep -oE "Test run with [0-9]+ tests?" "$1" | tail -n 1 | grep -oE "[0-9]+") || return 0
    failed=$(grep -cE "^✘ Test .* failed after" "$1" || true)
    echo "$((total - failed)) passed, $failed failed"
}

Scripts/install-deps.sh
if [ "$(id -u)" -eq 0 ]; then
    if [ "$ci" = false ] && Scripts/containerd-lab.sh status >/dev/null 2>&1 && [ -f "$CRI_LAB_ENV" ]; then
        echo "test.sh: using the containerd lab already up at $lab_dir (left running)"
    else
        lab_owned=true
        # In the background: `up` (packages, images, containerd) overlaps the checks and the build.
        Scripts/containerd-lab.sh up >"$scratch/lab-up.log" 2>&1 &
        lab_pid=$!
    fi
elif [ "$ci" = true ]; then
    echo "test.sh: CI needs root for the containerd lab (the end-to-end tests are mandatory there)" >&2
    exit 1
fi

banner "checks: generated code and goldens"
start=$SECONDS
Scripts/generate.sh --check
Scripts/make-goldens.sh --check
Scripts/make-spdy-goldens.py --check
took checks "$start"

banner "build (debug, with tests)"
start=$SECONDS
swift build --build-tests 2>&1 | tee "$scratch/build.log"
if grep -E "^$(pwd)/(Sources|Tests)/.*warning:" "$scratch/build.log"; then
    echo "test.sh: the build has warnings (above)" >&2
    exit 1
fi
took build "$start"

if [ -n "$lab_pid" ]; then
    start=$SECONDS
    if ! wait "$lab_pid"; then
        lab_pid=
        cat "$scratch/lab-up.log" >&2
        echo "test.sh: Scripts/containerd-lab.sh up failed (above)" >&2
        exit 1
    fi
    lab_pid=
    echo "test.sh: containerd lab up ($(tail -n 2 "$scratch/lab-up.log" | head -n 1 | sed 's/^containerd-lab: //'))"
    [ $((SECONDS - start)) -eq 0 ] || took "lab-wait" "$start"
fi

# Tests run one at a time: several assert deadlines (a call ends within its deadline + 100 ms), and on a
# 2-core machine CPU-heavy suites running alongside would starve the timers they check. The CLI end-to-end
# transcript goes to the scratch dir and is printed if anything fails.
if wants tests; then
    banner "tests"
    start=$SECONDS
    status=0
    CRI_E2E_TRANSCRIPT=$scratch/cri-e2e-transcript-tests.txt \
        run_suite tests "${CRI_TEST_TIMEOUT:-900}" "$scratch/test.log" || status=$?
    took tests "$start"
    count_tests "$scratch/test.log" >"$scratch/summary"
    [ "$status" -eq 0 ] || overall=1
fi

if wants fuzz; then
    banner "fuzz: Scripts/fuzz.sh ${CRI_FUZZ_SECONDS:-30}"
    start=$SECONDS
    status=0
    Scripts/fuzz.sh "${CRI_FUZZ_SECONDS:-30}" 2>&1 | tee "$scratch/fuzz.log" || status=$?
    took fuzz "$start"
    [ "$status" -eq 0 ] || overall=1
    echo "fuzz: $(grep -E "^== (all .* clean|FAILED|build failed)" "$scratch/fuzz.log" | tail -n 1 | sed 's/^== //')" \
        >>"$scratch/results"
fi

# The suite again under a sanitizer: $1 = address|thread. Its own scratch path (.build-asan, .build-tsan), so
# the debug build stays incremental; the runtime's options make every report fail the run (also in `cri`
# children, which the CLI harnesses give the same options), and the log is searched for reports as well, so a
# report that does not change an exit status still fails the step.
sanitizer_step() {
    local sanitizer=$1 name pattern
    case $sanitizer in
        address) name=asan; pattern="ERROR: (AddressSanitizer|LeakSanitizer)" ;;
        thread) name=tsan; pattern="WARNING: ThreadSanitizer" ;;
    esac
    banner "$name: swift test --sanitize=$sanitizer"
    local start=$SECONDS status=0
    swift build --build-tests --sanitize="$sanitizer" --scratch-path ".build-$name" >"$scratch/$name-build.log" 2>&1 ||
        status=$?
    took "$name-build" "$start"
    if [ "$status" -ne 0 ]; then
        tail -n 50 "$scratch/$name-build.log"
        echo "$name: the build failed" >>"$scratch/results"
        overall=1
        return
    fi
    start=$SECONDS
    (
        # Sanitizers slow everything 2-15x: timing budgets in the tests scale by this (CRI_TEST_TIME_SCALE).
        export CRI_TEST_TIME_SCALE=${CRI_SANITIZER_TIME_SCALE:-4}
        export CRI_E2E_TRANSCRIPT=$scratch/cri-e2e-transcript-$name.txt
        if [ "$sanitizer" = thread ]; then
            # Makes TSan see the toolchain's Mutex slow paths (see the file for why); a runtime limitation,
            # not a suppression: races in our code are still reported.
            clang -shared -fPIC -O2 -Wall -Werror -o "$scratch/tsan-synchronization-mutex.so" \
                Scripts/sanitizers/tsan-synchronization-mutex.c
            export LD_PRELOAD=$scratch/tsan-synchronization-mutex.so
            # One toolchain false positive (continuations resumed early), explained in the file.
            export TSAN_OPTIONS="halt_on_error=0 exitcode=66 suppressions=$(pwd)/Scripts/sanitizers/tsan.supp"
        else
            export ASAN_OPTIONS="detect_leaks=1 halt_on_error=1 exitcode=67"
            # Leaks in the toolchain's libraries, each explained in the file.
            export LSAN_OPTIONS="exitcode=68 suppressions=$(pwd)/Scripts/sanitizers/lsan.supp print_suppressions=0"
        fi
        run_suite "$name" "${CRI_SANITIZER_TIMEOUT:-1800}" "$scratch/$name.log" \
            --sanitize="$sanitizer" --scratch-path ".build-$name"
    ) || status=$?
    took "$name-tests" "$start"
    local reports counts
    reports=$(grep -cE "$pattern" "$scratch/$name.log" || true)
    counts=$(count_tests "$scratch/$name.log")
    if [ "$status" -ne 0 ] || [ "$reports" -ne 0 ]; then
        overall=1
        if [ "$reports" -ne 0 ]; then
            echo "test.sh: $name: $reports reports; the first:"
            grep -m 1 -A 40 -E "$pattern" "$scratch/$name.log"
        fi
    fi
    echo "$name: ${counts:-no test summary (exit $status)}, $reports sanitizer reports (exit $status)" >>"$scratch/results"
}

if wants asan; then sanitizer_step address; fi
if wants tsan; then sanitizer_step thread; fi

if wants bench; then
    banner "bench: Scripts/bench.sh --smoke"
    start=$SECONDS
    status=0
    Scripts/bench.sh --smoke 2>&1 | tee "$scratch/bench.log" || status=$?
    took bench "$start"
    [ "$status" -eq 0 ] || overall=1
    echo "bench smoke: $([ "$status" -eq 0 ] && echo "every mode ran for ours" || echo "FAILED (exit $status)")" \
        >>"$scratch/results"
fi

exit "$overall"
