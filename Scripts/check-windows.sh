#!/usr/bin/env bash
# The Windows check: no Windows toolchain runs here, so the Windows code is compiled on Linux against
# CRIWinSDKStandIn (Tests/Support/CRIWinSDKStandIn: the Win32 calls we use, as Swift imports them, over a
# simulated Win32 kernel) and its tests run over simulated named pipes.
#
# 1. `swift build --build-tests --traits CRI_WINDOWS_STANDIN` in its own scratch path (.build-windows, so the
#    normal build stays incremental): every `#if os(Windows) || CRI_WINDOWS_STANDIN` path is compiled, with
#    the same no-warning rule as the main build. A misspelt or missing Win32 call fails here.
# 2. The CRIWindowsTests suites, serially: the named-pipe transport, TCP over the simulated Winsock, CRIClient over a
#    simulated \\.\pipe\containerd-containerd against FakeCRIServer, the walkthrough's files and commands (exec over
#    Winsock TCP included), and attach and port-forward over Winsock TCP. A removed
#    call that changes behaviour (a CancelIoEx, a CloseHandle) fails here: the kernel records misuse and leaks.
#
# Exits non-zero on any failure. Settings: CRI_WINDOWS_SCRATCH (default .build-windows), CRI_WINDOWS_TIMEOUT
# (seconds for the test run, default 300).
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=${CRI_WINDOWS_SCRATCH:-.build-windows}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "check-windows: building every Windows path against the WinSDK stand-in ($scratch)"
status=0
swift build --build-tests --traits CRI_WINDOWS_STANDIN --scratch-path "$scratch" 2>&1 | tee "$log" || status=$?
if [ "$status" -ne 0 ]; then
    echo "check-windows: FAILED: the stand-in build failed (above)" >&2
    exit 1
fi
if grep -E "^$(pwd)/(Sources|Tests)/.*warning:" "$log"; then
    echo "check-windows: FAILED: the stand-in build has warnings (above)" >&2
    exit 1
fi

echo "check-windows: running the simulated named-pipe suites"
status=0
timeout "${CRI_WINDOWS_TIMEOUT:-300}" swift test --skip-build --no-parallel --traits CRI_WINDOWS_STANDIN \
    --scratch-path "$scratch" --filter CRIWindowsTests 2>&1 | tee "$log" || status=$?
# The suites exist only in the stand-in build: make sure they ran, so a wrong condition cannot pass by skipping.
for suite in "Named pipes over the simulated Win32 kernel" "CRIClient over a simulated Windows named pipe" \
    "The Windows walkthrough over a simulated pipe" "The Windows console" "TCP over the simulated Winsock" \
    "Attach and port-forward over simulated Winsock"; do
    if ! grep -qF "Suite \"$suite\" passed" "$log"; then
        echo "check-windows: FAILED: suite \"$suite\" did not pass" >&2
        status=1
    fi
done
if [ "$status" -ne 0 ]; then
    echo "check-windows: FAILED" >&2
    exit 1
fi
echo "check-windows: ok ($(grep -oE "Test run with [0-9]+ tests?" "$log" | tail -n 1 | sed 's/Test run with //') passed)"
