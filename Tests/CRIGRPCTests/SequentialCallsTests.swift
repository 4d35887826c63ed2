import CRIGRPC
import Testing

extension GRPCTests {
    /// Many sequential calls on one connection (the kubelet's polling pattern). Latency itself is
    /// measured by the benchmark package, not asserted in unit tests.
    @Suite struct SequentialCallsTests {
        @Test func twoThousandSequentialUnaryCallsOnOneConnection() async throws {
            let harness = TestHarness(handlers: TestHandlers.all())
            defer { harness.shutdown() }
            let request = pattern(200)
            for _ in 0..<2000 {
                let response = try await harness.client.unary(
                    path: TestHandlers.echo, request: request, options: GRPCCallOptions(timeout: .seconds(10)))
                #expect(response == request)
            }
        }
    }
}
