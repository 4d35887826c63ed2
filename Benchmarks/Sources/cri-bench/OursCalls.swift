import BenchSupport
import CRI

/// Our side of the call modes: every call through ``CRIClient`` from module CRI, one client (one
/// connection) per run, as an application would hold it.
enum OursCalls {
    /// Runs `arguments.mode` against `endpoint` and prints its JSON line.
    /// - Throws: ``CRIError`` when even the warm-up call fails.
    static func run(_ arguments: BenchArguments, endpoint: String) async throws -> Measurement {
        let mode = arguments.mode
        if mode == "oneshot" {
            // A whole program's worth: make a client, connect, one Version, close.
            let measurement = try await Loops.once {
                try await withCRIClient(endpoint: endpoint) { _ = try await $0.version() }
            }
            report(impl: "ours", mode: mode, measurement)
            return measurement
        }
        return try await withCRIClient(endpoint: endpoint) { cri in
            let measurement: Measurement
            var extras: [(String, String)] = []
            switch mode {
            case "version":
                measurement = try await Loops.sequential(n: arguments.n(default: 2000)) { _ = try await cri.version() }
            case "list", "big-list":
                var count = 0
                measurement = try await Loops.sequential(n: arguments.n(default: mode == "list" ? 2000 : 20)) {
                    count = try await cri.listContainers(filter: nil).count
                }
                extras.append(("containers", String(count)))
            case "concurrent":
                measurement = try await Loops.concurrent(callers: arguments.concurrency, perCaller: arguments.perCaller) {
                    _ = try await cri.version()
                }
                extras.append(("conc", String(arguments.concurrency)))
            default:
                BenchArguments.usage("ours has no call mode \(mode)")
            }
            report(impl: "ours", mode: mode, measurement, extras: extras)
            return measurement
        }
    }
}
