import CRIGRPC
import Testing

extension GRPCTests {
    @Suite struct LatencyProbeTests {
        /// Sequential unary calls on one connection: prints the mean latency (the figure the kubelet
        /// hot path cares about) and checks only a loose bound, since debug builds are slow.
        @Test func sequentialUnaryLatency() async throws {
            let harness = TestHarness(handlers: TestHandlers.all())
            defer { harness.shutdown() }
            let request = pattern(200)
            _ = try await harness.client.unary(path: TestHandlers.echo, request: request)
            let count = 2000
            let start = ContinuousClock.now
            for _ in 0..<count {
                _ = try await harness.client.unary(
                    path: TestHandlers.echo, request: request, options: GRPCCallOptions(timeout: .seconds(10)))
            }
            let mean = (ContinuousClock.now - start) / count
            print("sequential unary mean latency: \(mean)")
            #expect(mean < .milliseconds(5))
        }
    }
}
