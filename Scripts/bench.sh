#!/usr/bin/env bash
# Benchmarks ours (CRIClient, CRIv1) against the peer (grpc-swift-2 + grpc-swift-nio-transport +
# swift-protobuf) with Benchmarks/'s cri-bench, and prints a markdown table of medians and ratios.
#
#   Scripts/bench.sh [--rounds R] [--long]   release build; R rounds (default 5) of every measurement,
#                                            ours and the peer interleaved (order alternating by round)
#   Scripts/bench.sh --smoke                 debug build; every mode once, tiny counts, both impls;
#                                            exits non-zero only if a mode fails for ours
#
# Servers, each its own process, each called by both clients: FakeCRIServer on a unix socket
# (`cri-bench --mode serve-fake`), one on TCP loopback, one seeded with the 10,000-container fixture
# (big-list); the grpcio server Benchmarks/grpcio_cri_server.py when /usr/bin/python3 has grpc; and
# containerd when the lab is up (Scripts/containerd-lab.sh status; endpoint from $CRI_LAB_DIR/lab.env).
# The issue-7 targets are judged against containerd, or against FakeCRIServer when the lab is down.
# --long adds 100,000 sequential Version calls on one connection per client (containerd if up).
# Exec streaming (ours only, no peer): 256 MiB through cat and 50 `exec sh -c true` round trips per round, over
# SPDY and WebSocket, against containerd (the fake, 16 MiB, when the lab is down); MB/s, ms and client CPU.
# Also builds the `cri` CLI in release and reports its stripped size, and times `cri version` as a
# whole process. Raw JSON lines are kept in $BENCH_RESULTS when that is set.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=5
smoke=false
long=false
while [ $# -gt 0 ]; do
    case $1 in
        --rounds) rounds=${2:?--rounds needs a number}; shift 2 ;;
        --smoke) smoke=true; shift ;;
        --long) long=true; shift ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "bench: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done

lab_dir=${CRI_LAB_DIR:-/tmp/cri-lab}
lab_dir=${lab_dir%/}
tmp=$(mktemp -d)
server_pids=()
ours_failed=()
finish() {
    local status=$?
    trap - EXIT
    for pid in "${server_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${server_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ -n "${BENCH_RESULTS:-}" ] && [ -f "$tmp/results.tsv" ]; then cp "$tmp/results.tsv" "$BENCH_RESULTS"; fi
    rm -rf "$tmp"
    exit "$status"
}
trap finish EXIT
trap "exit 130" INT
trap "exit 143" TERM

log() { echo "bench: $*" >&2; }

# --- build ---------------------------------------------------------------------------------
if [ "$smoke" = true ]; then
    config=debug
    run_timeout=300
else
    config=release
    run_timeout=900
fi
started=$SECONDS
log "building Benchmarks ($config)"
swift build -c "$config" --package-path Benchmarks
bin=$(swift build -c "$config" --package-path Benchmarks --show-bin-path)/cri-bench
log "Benchmarks built in $((SECONDS - started)) s"
cri=
cri_size=
if [ "$smoke" = false ]; then
    log "building cri (release)"
    swift build -c release --product cri
    cp "$(swift build -c release --show-bin-path)/cri" "$tmp/cri"
    strip "$tmp/cri"
    cri=$tmp/cri
    cri_size=$(stat -c %s "$cri")
fi

# --- servers -------------------------------------------------------------------------------
# start_server NAME COMMAND...: starts it with stdin from /dev/null (so it serves until killed),
# waits for its {"serving": ENDPOINT} line and sets endpoint[NAME].
declare -A endpoint
start_server() {
    local name=$1
    shift
    "$@" <"/dev/null" >"$tmp/$name.out" 2>"$tmp/$name.err" &
    local pid=$!
    server_pids+=("$pid")
    local i
    for ((i = 0; i < 1200; i++)); do
        if grep -q '"serving"' "$tmp/$name.out"; then
            endpoint[$name]=$(sed -n 's/.*"serving": *"\([^"]*\)".*/\1/p' "$tmp/$name.out" | head -n 1)
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    log "the $name server did not start:"
    cat "$tmp/$name.err" >&2
    return 1
}

if [ "$smoke" = true ]; then fixture_containers=1000; else fixture_containers=10000; fi
"$bin" --mode fixture --file "$tmp/fixture.bin" --containers "$fixture_containers" >"$tmp/fixture.json"
log "fixture: $(cat "$tmp/fixture.json")"

start_server fake "$bin" --mode serve-fake --endpoint "unix://$tmp/fake.sock"
start_server big "$bin" --mode serve-fake --endpoint "unix://$tmp/big.sock" --containers "$fixture_containers"
call_targets=(fake)
if [ "$smoke" = false ]; then
    start_server fake-tcp "$bin" --mode serve-fake --endpoint "tcp://127.0.0.1:0"
    call_targets+=(fake-tcp)
    if /usr/bin/python3 -c 'import grpc' 2>/dev/null; then
        start_server grpcio /usr/bin/python3 Benchmarks/grpcio_cri_server.py "unix://$tmp/grpcio.sock"
        call_targets+=(grpcio)
    else
        log "no grpcio server: /usr/bin/python3 has no grpc module (apt-get install python3-grpcio)"
    fi
fi
primary=fake
if Scripts/containerd-lab.sh status >/dev/null 2>&1 && [ -f "$lab_dir/lab.env" ]; then
    endpoint[containerd]=$(. "$lab_dir/lab.env" && echo "$CRI_LAB_ENDPOINT")
    call_targets+=(containerd)
    primary=containerd
    log "containerd lab is up: ${endpoint[containerd]}"
else
    log "the containerd lab is not up (Scripts/containerd-lab.sh up): targets are judged against FakeCRIServer"
fi
for target in "${call_targets[@]}" big; do log "$target: ${endpoint[$target]}"; done

# --- measuring -----------------------------------------------------------------------------
# run TARGET ROUND IMPL LABEL CRI-BENCH-ARGUMENTS...: one cri-bench process; its JSON line goes to
# the results, or an error record when it printed none.
run() {
    local target=$1 round=$2 impl=$3 label=$4
    shift 4
    local out status=0 line
    out=$(timeout "$run_timeout" "$bin" --impl "$impl" "$@" 2>"$tmp/run.err") || status=$?
    line=$(printf '%s\n' "$out" | grep '^{' | tail -n 1 || true)
    if [ -z "$line" ]; then
        local reason
        reason=$(head -c 300 "$tmp/run.err" | tr '\n"\\\t' "    ")
        line="{\"impl\":\"$impl\",\"mode\":\"$label\",\"n\":0,\"failures\":1,\"error\":\"exit $status: $reason\"}"
    fi
    printf '%s\t%s\t%s\n' "$target" "$round" "$line" >>"$tmp/results.tsv"
    printf '%-10s %s\n' "$target" "$line" >&2
    if [ "$impl" = ours ] && [ "$status" -ne 0 ]; then
        ours_failed+=("$target $label (exit $status)")
    fi
}

# pair TARGET ROUND LABEL ARGUMENTS...: ours and the peer, ours first in odd rounds.
pair() {
    local target=$1 round=$2 label=$3
    shift 3
    local first=ours second=grpc-swift
    if ((round % 2 == 0)); then first=grpc-swift; second=ours; fi
    run "$target" "$round" "$first" "$label" "$@"
    run "$target" "$round" "$second" "$label" "$@"
}

# oneshot TARGET ROUND N: whole processes (start, connect, one Version, exit), both impls, plus
# `cri version` for ours when the CLI was built.
oneshot() {
    local target=$1 round=$2 n=$3 ep=${endpoint[$1]}
    local impl
    for impl in ours grpc-swift; do
        run "$target" "$round" "$impl" oneshot-process --mode spawn --label oneshot-process --n "$n" -- \
            "$bin" --mode oneshot --impl "$impl" --endpoint "$ep"
    done
    if [ -n "$cri" ]; then
        run "$target" "$round" ours cri-version --mode spawn --label cri-version --n "$n" -- \
            "$cri" --runtime-endpoint "$ep" version
    fi
}

# streams TARGET ROUND BYTES N: exec throughput (BYTES through cat) and N exec round trips, over SPDY and
# WebSocket, ours only. WebSocket v4 cannot close stdin: its throughput run reads the known byte count back, then
# ends the session; against the fake it is left out (the fake's cat waits for the end of stdin).
streams() {
    local target=$1 round=$2 bytes=$3 n=$4 ep=${endpoint[$1]} transport
    local image=busybox
    if [ "$target" = containerd ]; then image=$(. "$lab_dir/lab.env" && echo "$CRI_LAB_BUSYBOX_IMAGE"); fi
    for transport in spdy websocket; do
        if [ "$target" != fake ] || [ "$transport" = spdy ]; then
            run "$target" "$round" ours "exec-throughput-$transport" --mode exec-throughput --endpoint "$ep" \
                --image "$image" --transport "$transport" --bytes "$bytes" --n 1
        fi
        run "$target" "$round" ours "exec-roundtrip-$transport" --mode exec-roundtrip --endpoint "$ep" \
            --image "$image" --transport "$transport" --n "$n"
    done
}

if [ "$smoke" = true ]; then
    started=$SECONDS
    pair codec 1 decode --mode decode --file "$tmp/fixture.bin" --n 2
    pair codec 1 encode --mode encode --file "$tmp/fixture.bin" --n 2
    pair fake-10k 1 big-list --mode big-list --endpoint "${endpoint[big]}" --n 1
    smoke_targets=(fake)
    if [ -n "${endpoint[containerd]:-}" ]; then smoke_targets+=(containerd); fi
    for target in "${smoke_targets[@]}"; do
        ep=${endpoint[$target]}
        pair "$target" 1 version --mode version --endpoint "$ep" --n 20
        pair "$target" 1 list --mode list --endpoint "$ep" --n 20
        pair "$target" 1 concurrent --mode concurrent --endpoint "$ep" --conc 4 --per 5
        pair "$target" 1 oneshot --mode oneshot --endpoint "$ep"
        oneshot "$target" 1 1
    done
    # Exec streaming, ours only (no peer streams CRI exec): tiny sizes. The fake's cat answers once stdin has
    # ended, which WebSocket v4 cannot say, so its WebSocket throughput needs containerd.
    streams fake 1 65536 3
    if [ -n "${endpoint[containerd]:-}" ]; then streams containerd 1 1048576 3; fi
    log "smoke: every mode ran for both impls in $((SECONDS - started)) s (after the build)"
    if grep -v '"impl":"ours"' "$tmp/results.tsv" | grep -q '"failures":[1-9]'; then
        log "smoke: the peer (grpc-swift) failed some calls (reported, not fatal):"
        grep -v '"impl":"ours"' "$tmp/results.tsv" | grep '"failures":[1-9]' >&2 || true
    fi
    if [ ${#ours_failed[@]} -gt 0 ]; then
        log "smoke FAILED for ours: ${ours_failed[*]}"
        exit 1
    fi
    log "smoke: ours passed every mode"
    exit 0
fi

started=$SECONDS
for ((round = 1; round <= rounds; round++)); do
    log "round $round of $rounds"
    pair codec "$round" decode --mode decode --file "$tmp/fixture.bin" --n 20
    pair codec "$round" encode --mode encode --file "$tmp/fixture.bin" --n 20
    for target in "${call_targets[@]}"; do
        ep=${endpoint[$target]}
        pair "$target" "$round" version --mode version --endpoint "$ep" --n 2000
        pair "$target" "$round" list --mode list --endpoint "$ep" --n 2000
        pair "$target" "$round" concurrent --mode concurrent --endpoint "$ep" --conc 64 --per 100
    done
    oneshot "$primary" "$round" 20
    if [ "$primary" = containerd ]; then streams containerd "$round" $((256 << 20)) 50; else streams fake "$round" $((16 << 20)) 50; fi
    pair fake-10k "$round" big-list --mode big-list --endpoint "${endpoint[big]}" --n 10
done
if [ "$long" = true ]; then
    log "long: 100,000 sequential Version calls per client against $primary"
    pair "$primary-long" 1 version --mode version --endpoint "${endpoint[$primary]}" --n 100000
fi
log "measured in $((SECONDS - started)) s"

echo
echo "swift-cri vs grpc-swift-2 $(date -u +%Y-%m-%d), $(nproc) cores, medians of $rounds rounds (Scripts/bench.sh$([ "$long" = true ] && echo ' --long'))"
echo
python3 Benchmarks/bench_table.py "$tmp/results.tsv" --primary "$primary" --cri-size "$cri_size"
if [ ${#ours_failed[@]} -gt 0 ]; then
    log "ours failed: ${ours_failed[*]}"
    exit 1
fi
