"""Turns the JSON lines Scripts/bench.sh collected into the markdown table of medians and ratios.

    python3 bench_table.py RESULTS [--primary containerd|fake] [--cri-size BYTES]

RESULTS has one measurement a line, `TARGET<TAB>ROUND<TAB>JSON`, where JSON is a cri-bench line
(or {"impl":..,"mode":..,"error":..} for a run that produced none). Each cell is the median over
rounds; ratios are ours/peer of those medians. The targets are issue 7's; they apply to the
`--primary` server (containerd when the lab is up) and to the codec, big-list and size rows.
"""
import argparse
import collections
import json
import statistics

PEER = "grpc-swift"
# (metric label, target name, mode, field, scale, unit, kind of goal, goal) — kind: "max-ratio"
# (ours/peer at most goal), "min-ratio" (at least goal), "max-ours" (ours at most goal, absolute).
CALL_ROWS = [
    ("Version p50", "version", "p50_us", 1, "µs", "max-ratio", 0.5),
    ("Version client CPU/call", "version", "cpu_us_per_call", 1, "µs", "max-ours", 60),
    ("ListContainers p50", "list", "p50_us", 1, "µs", "max-ratio", 0.5),
    ("ListContainers client CPU/call", "list", "cpu_us_per_call", 1, "µs", "max-ours", 60),
    ("64 concurrent callers, one connection", "concurrent", "calls_per_s", 1, "calls/s", "min-ratio", 3.0),
    ("whole process: start, one Version, exit", "oneshot-process", "p50_us", 1e-3, "ms", None, None),
    ("whole process: `cri version` vs peer oneshot", "cri-version", "p50_us", 1e-3, "ms", "max-ratio", 1.0),
]
# Exec streaming (issue 15), ours only: no peer here streams CRI exec sessions. (label, mode, field, scale, unit)
STREAM_ROWS = [
    ("exec stdin→stdout throughput through cat, SPDY", "exec-throughput-spdy", "mb_per_s", 1, "MB/s"),
    ("… client CPU per MB, SPDY", "exec-throughput-spdy", "cpu_us_per_mb", 1e-3, "ms"),
    ("exec stdin→stdout throughput through cat, WebSocket v4 (read back the count, then end)",
     "exec-throughput-websocket", "mb_per_s", 1, "MB/s"),
    ("… client CPU per MB, WebSocket", "exec-throughput-websocket", "cpu_us_per_mb", 1e-3, "ms"),
    ("exec round trip (`sh -c true`: Exec RPC, dial, exit status), SPDY, p50", "exec-roundtrip-spdy", "p50_us", 1e-3,
     "ms"),
    ("… client CPU per exec, SPDY", "exec-roundtrip-spdy", "cpu_us_per_call", 1e-3, "ms"),
    ("exec round trip, WebSocket v4, p50", "exec-roundtrip-websocket", "p50_us", 1e-3, "ms"),
    ("… client CPU per exec, WebSocket", "exec-roundtrip-websocket", "cpu_us_per_call", 1e-3, "ms"),
]
TARGET_ORDER = ["containerd", "fake", "fake-tcp", "grpcio"]
TARGET_NAMES = {
    "containerd": "containerd 1.6",
    "fake": "FakeCRIServer (unix)",
    "fake-tcp": "FakeCRIServer (TCP loopback)",
    "grpcio": "grpcio server",
    "fake-10k": "FakeCRIServer, 10k containers",
    "codec": "in memory",
}


def load(path):
    runs = collections.defaultdict(list)  # (target, impl, mode) -> [record]
    for line in open(path, encoding="utf-8"):
        target, _round, text = line.rstrip("\n").split("\t", 2)
        record = json.loads(text)
        runs[(target, record["impl"], record["mode"])].append(record)
    return runs


def median(records, field):
    values = [r[field] for r in records if field in r and "error" not in r and r.get("n", 0) > r.get("failures", 0)]
    return statistics.median(values) if values else None


def number(value, scale, unit):
    if value is None:
        return "—"
    value *= scale
    if unit == "calls/s":
        return f"{value:,.0f} calls/s"
    if unit == "MB":
        return f"{value:.2f} MB"
    if unit == "ms" and value < 10:
        return f"{value:.2f} ms"
    return f"{value:,.1f} {unit}" if value < 100 else f"{value:,.0f} {unit}"


def judge(kind, goal, ours, peer):
    """(target text, met text)."""
    if kind is None:
        return "—", "—"
    if kind == "max-ours":
        text = f"ours ≤ {goal} µs"
        return text, ("—" if ours is None else "yes" if ours <= goal else "**no**")
    if ours is None or peer is None or peer == 0:
        text = f"≤ {goal}x" if kind == "max-ratio" else f"≥ {goal}x"
        return text, "—"
    ratio = ours / peer
    if kind == "max-ratio":
        return f"≤ {goal}x", "yes" if ratio <= goal else "**no**"
    return f"≥ {goal}x", "yes" if ratio >= goal else "**no**"


def ratio_text(ours, peer):
    if ours is None or peer is None or peer == 0:
        return "—"
    return f"{ours / peer:.2f}x"


def failures(runs, target, impl):
    total = calls = 0
    for (t, i, mode), records in runs.items():
        if t == target and i == impl and mode not in ("oneshot-process", "cri-version"):
            for r in records:
                total += r.get("failures", 0) + (1 if "error" in r else 0)
                calls += r.get("n", 0)
    return total, calls


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("--primary", default="containerd")
    parser.add_argument("--cri-size", type=int)
    args = parser.parse_args()
    runs = load(args.results)
    targets = sorted({t for (t, _, _) in runs}, key=lambda t: TARGET_ORDER.index(t) if t in TARGET_ORDER else 99)
    rows = []

    def add(label, target, ours, peer, scale, unit, kind, goal, peer_text=None):
        target_text, met = judge(kind, goal, ours, peer)
        rows.append((label, TARGET_NAMES.get(target, target), number(ours, scale, unit),
                     peer_text or number(peer, scale, unit), ratio_text(ours, peer), target_text, met))

    for target in targets:
        if target not in TARGET_ORDER:
            continue
        for label, mode, field, scale, unit, kind, goal in CALL_ROWS:
            ours_mode = mode
            peer_mode = "oneshot-process" if mode == "cri-version" else mode
            ours = median(runs.get((target, "ours", ours_mode), []), field)
            peer = median(runs.get((target, PEER, peer_mode), []), field)
            if ours is None and peer is None:
                continue
            primary = target == args.primary
            add(label, target, ours, peer, scale, unit, kind if primary else None, goal)
    for label, mode, kind, goal in [("big-list: ListContainers of 10,000 (7.8 MB), p50", "big-list", "max-ratio", round(1 / 1.5, 2))]:
        ours = median(runs.get(("fake-10k", "ours", mode), []), "p50_us")
        peer = median(runs.get(("fake-10k", PEER, mode), []), "p50_us")
        if ours is not None or peer is not None:
            add(label, "fake-10k", ours, peer, 1e-3, "ms", kind, goal)
    for label, mode, goal in [("decode 10,000-container ListContainersResponse, p50", "decode", 0.2),
                              ("encode the same, p50", "encode", 0.25)]:
        ours = median(runs.get(("codec", "ours", mode), []), "p50_us")
        peer = median(runs.get(("codec", PEER, mode), []), "p50_us")
        if ours is not None or peer is not None:
            add(label, "codec", ours, peer, 1e-3, "ms", "max-ratio", goal)
    if args.cri_size:
        size = args.cri_size / 1e6
        rows.append(("stripped `cri` binary", "—", f"{size:.2f} MB", "—", "—", "< 10 MB",
                     "yes" if args.cri_size < 10_000_000 else "**no**"))
    for (target, impl, mode), records in sorted(runs.items()):
        if not target.endswith("-long") or impl != "ours":
            continue
        ours_failed = sum(r.get("failures", 0) for r in records)
        ours_calls = sum(r.get("n", 0) for r in records)
        peer_records = runs.get((target, PEER, mode), [])
        peer_failed = sum(r.get("failures", 0) for r in peer_records)
        peer_calls = sum(r.get("n", 0) for r in peer_records)
        server = target[: -len("-long")]
        rows.append((f"{ours_calls:,} sequential Version calls, one connection: failed calls",
                     TARGET_NAMES.get(server, server), str(ours_failed),
                     f"{peer_failed} of {peer_calls:,}" if peer_records else "—", "—", "ours 0",
                     "yes" if ours_failed == 0 and ours_calls >= 100_000 and server == "containerd" else "**no**"))
    for target in targets:
        for label, mode, field, scale, unit in STREAM_ROWS:
            ours = median(runs.get((target, "ours", mode), []), field)
            if ours is not None:
                size = median(runs.get((target, "ours", mode), []), "bytes")
                text = label + (f", {size / 2**20:,.0f} MiB" if size and field == "mb_per_s" else "")
                rows.append((text, TARGET_NAMES.get(target, target), number(ours, scale, unit), "no peer", "—", "—",
                             "—"))
    for target in targets:
        if target.endswith("-long"):
            continue
        ours_failed, ours_calls = failures(runs, target, "ours")
        peer_failed, peer_calls = failures(runs, target, PEER)
        if ours_failed or peer_failed:
            rows.append(("failed calls, all call modes and rounds", TARGET_NAMES.get(target, target),
                         f"{ours_failed} of {ours_calls:,}", f"{peer_failed} of {peer_calls:,}", "—", "—", "—"))

    print("| metric | server | ours (median) | grpc-swift-2 (median) | ratio ours/peer | target | met? |")
    print("|---|---|---:|---:|---:|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
