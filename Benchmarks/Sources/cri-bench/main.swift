import BenchSupport
import PeerBench

#if canImport(Glibc)
    import Glibc
#endif

// cri-bench: one measurement per run, printed as one JSON line
// {"impl":..,"mode":..,"n":..,"p50_us":..,"p99_us":..,"calls_per_s":..,"cpu_us_per_call":..,"failures":..}.
// Ours is measured through CRIClient and CRIv1 (Ours*.swift); the peer, grpc-swift-2 with
// swift-protobuf, through module PeerBench. Scripts/bench.sh runs both, interleaved, and tabulates.
//
// Exit status: 0 measured; 1 the mode could not run at all; 2 bad arguments; 3 measured, but some
// calls failed (the JSON line says how many).

let arguments = BenchArguments(CommandLine.arguments)
switch arguments.mode {
case "fixture":
    exit(FixtureMode.write(arguments))
case "decode", "encode":
    exit(CodecModes.run(arguments))
case "version", "list", "big-list", "concurrent", "oneshot":
    exit(await CallModes.run(arguments))
case "exec-throughput", "exec-roundtrip":
    exit(await StreamModes.run(arguments))
case "serve-fake":
    exit(await ServeFake.run(arguments))
case "spawn":
    guard !arguments.command.isEmpty else { BenchArguments.usage("spawn needs a command after --") }
    let measurement = Spawn.measure(n: arguments.n(default: 20), command: arguments.command)
    report(impl: arguments.impl, mode: arguments.label, measurement)
    exit(measurement.samples.isEmpty ? 1 : measurement.failures > 0 ? 3 : 0)
default:
    BenchArguments.usage("unknown mode \(arguments.mode)")
}
