public import BenchSupport

/// The grpc-swift-2 side of the call modes; the same loops and report as ours.
public enum PeerCalls {
    /// Runs `arguments.mode` (`version`, `list`, `big-list`, `concurrent`, `oneshot`) against
    /// `endpoint` and prints its JSON line.
    /// - Returns: what was measured (the caller looks at its failures).
    /// - Throws: when the peer cannot even make its warm-up call.
    public static func run(_ arguments: BenchArguments, endpoint: String) async throws -> Measurement {
        let mode = arguments.mode
        if mode == "oneshot" {
            // A whole program's worth: make a client, connect, one Version, shut down.
            let measurement = try await Loops.once {
                let runtime = try PeerRuntime(endpoint: endpoint)
                do {
                    _ = try await runtime.version()
                } catch {
                    await runtime.shutdown()
                    throw error
                }
                await runtime.shutdown()
            }
            report(impl: "grpc-swift", mode: mode, measurement)
            return measurement
        }
        let runtime = try PeerRuntime(endpoint: endpoint)
        do {
            let measurement: Measurement
            var extras: [(String, String)] = []
            switch mode {
            case "version":
                measurement = try await Loops.sequential(n: arguments.n(default: 2000)) { _ = try await runtime.version() }
            case "list", "big-list":
                var count = 0
                measurement = try await Loops.sequential(n: arguments.n(default: mode == "list" ? 2000 : 20)) {
                    count = try await runtime.listContainers()
                }
                extras.append(("containers", String(count)))
            case "concurrent":
                measurement = try await Loops.concurrent(callers: arguments.concurrency, perCaller: arguments.perCaller) {
                    _ = try await runtime.version()
                }
                extras.append(("conc", String(arguments.concurrency)))
            default:
                BenchArguments.usage("grpc-swift has no call mode \(mode)")
            }
            extras.append(("reconnects", String(runtime.reconnects)))
            report(impl: "grpc-swift", mode: mode, measurement, extras: extras)
            await runtime.shutdown()
            return measurement
        } catch {
            await runtime.shutdown()
            throw error
        }
    }
}
