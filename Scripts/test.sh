#!/usr/bin/env bash
# The whole test suite: install the peers, check generated code and goldens are fresh, build once
# (failing on any warning in our own code), then run every test against that build.
#
# The end-to-end tests (Tests/CRIEndToEndTests) need the containerd lab. As root, this script
# brings it up (Scripts/containerd-lab.sh up, while the checks and build run) and takes it down
# on exit, whatever the outcome; a lab that was already up is used and left running. In CI (CI=true) the
# lab is mandatory: CRI_E2E_REQUIRED=1 makes the suite fail, never skip, without it. Elsewhere,
# without root and without a running lab, the end-to-end tests are skipped with a reason.
# Settings: the lab's own (CRI_LAB_DIR, ports, ...: see Scripts/containerd-lab.sh).
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

scratch=$(mktemp -d)
lab_pid= # the background `up`
lab_owned=false # whether this run brought the lab up (and so takes it down)

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
    if [ "$status" -ne 0 ] && [ -s "$scratch/cri-e2e-transcript.txt" ]; then
        echo "test.sh: failed; the cri CLI end-to-end transcript (last 400 lines):" >&2
        tail -n 400 "$scratch/cri-e2e-transcript.txt" >&2
    fi
    if [ -s "$scratch/summary" ]; then cat "$scratch/summary"; fi
    rm -rf "$scratch"
    exit "$status"
}
trap finish EXIT
trap "exit 130" INT # interrupted runs still take the lab down (through finish)
trap "exit 143" TERM

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

Scripts/generate.sh --check
Scripts/make-goldens.sh --check

start=$SECONDS
swift build --build-tests 2>&1 | tee "$scratch/build.log"
if grep -E "^$(pwd)/(Sources|Tests)/.*warning:" "$scratch/build.log"; then
    echo "test.sh: the build has warnings (above)" >&2
    exit 1
fi
echo "test.sh: build took $((SECONDS - start))s"

if [ -n "$lab_pid" ]; then
    if ! wait "$lab_pid"; then
        lab_pid=
        cat "$scratch/lab-up.log" >&2
        echo "test.sh: Scripts/containerd-lab.sh up failed (above)" >&2
        exit 1
    fi
    lab_pid=
    echo "test.sh: containerd lab up ($(tail -n 2 "$scratch/lab-up.log" | head -n 1 | sed 's/^containerd-lab: //'))"
fi

# Tests run one at a time: several assert deadlines (a call ends within its deadline + 100 ms),
# and on a 2-core machine CPU-heavy suites running alongside would starve the timers they check.
# The CLI end-to-end transcript goes to the scratch dir and is printed if anything fails.
export CRI_E2E_TRANSCRIPT=$scratch/cri-e2e-transcript.txt

# A hung test must not hold CI for its whole time budget: after CRI_TEST_TIMEOUT seconds (default
# 900) the test run is killed. `timeout` signals only its child, so the child is a shell leading its
# own session that takes its whole process group (swift-test and the test binary) down with it.
limit=${CRI_TEST_TIMEOUT:-900}
start=$SECONDS
status=0
export CRI_TEST_TIMEOUT=$limit
export CRI_TEST_LOG=$scratch/test.log
timeout "$limit" setsid bash -c '
    trap "echo \"test.sh: the tests did not finish within \${CRI_TEST_TIMEOUT}s; killing them\" >&2; kill -KILL 0" TERM
    { swift test --skip-build --no-parallel 2>&1 | tee "$CRI_TEST_LOG"; exit "${PIPESTATUS[0]}"; } & wait $!' \
    || status=$?
echo "test.sh: tests took $((SECONDS - start))s"
# One plain closing line for whoever reads the log: tests passed and failed (Swift Testing's own
# summary counts issues, not tests, when something fails).
if total=$(grep -oE "Test run with [0-9]+ tests?" "$CRI_TEST_LOG" | tail -n 1 | grep -oE "[0-9]+"); then
    failed=$(grep -cE "^✘ Test .* failed after" "$CRI_TEST_LOG" || true)
    # Printed last, after the lab is down (see finish).
    echo "$((total - failed)) passed, $failed failed" >"$scratch/summary"
fi
exit "$status"
