import BenchSupport
import CRI
import CRITesting
import PeerBench

/// The modes that call a runtime: against `--endpoint`, or an in-process ``FakeCRIServer`` (seeded
/// with `--containers`, default 10,000 for big-list) when none is given.
enum CallModes {
    /// Runs the mode with the chosen implementation; returns the exit status.
    static func run(_ arguments: BenchArguments) async -> Int32 {
        do {
            let measurement: Measurement
            if let endpoint = arguments.endpoint {
                measurement = try await run(arguments, endpoint: endpoint)
            } else {
                let runtime = FakeRuntime()
                let seed = arguments.containers ?? (arguments.mode == "big-list" ? 10_000 : 0)
                if seed > 0 { await runtime.seed(containers: Fixture.listContainersResponse(count: seed).containers) }
                measurement = try await withFakeCRIServer(runtime: runtime) { server in
                    try await run(arguments, endpoint: server.endpoint)
                }
            }
            return measurement.failures > 0 ? 3 : 0
        } catch {
            printError("cri-bench: \(arguments.impl) \(arguments.mode): \(error)")
            return 1
        }
    }

    private static func run(_ arguments: BenchArguments, endpoint: String) async throws -> Measurement {
        arguments.impl == "ours"
            ? try await OursCalls.run(arguments, endpoint: endpoint)
            : try await PeerCalls.run(arguments, endpoint: endpoint)
    }
}
