import CRIGRPC
import CRIHTTP2
import Testing

extension GRPCTests {
    @Suite struct UnaryTests {
        @Test func unaryRoundTrip() async throws {
            let harness = TestHarness(handlers: TestHandlers.all())
            defer { harness.shutdown() }
            let response = try await harness.client.unary(path: TestHandlers.echo, request: [1, 2, 3])
            #expect(response == [1, 2, 3])
            let empty = try await harness.client.unary(path: TestHandlers.echo, request: [])
            #expect(empty == [])
            #expect(harness.connectionCount == 1)
        }

        @Test func unknownMethodIsUnimplemented() async throws {
            let harness = TestHarness(handlers: TestHandlers.all())
            defer { harness.shutdown() }
            await #expect(throws: RPCError(code: .unimplemented, message: "")) {
                try await harness.client.unary(path: "/test.Nope/Nothing", request: [])
            }
        }

        @Test func errorStatusWithNonASCIIAndPercentRoundTrips() async throws {
            let harness = TestHarness(handlers: TestHandlers.all())
            defer { harness.shutdown() }
            let message = "nicht gefunden: 100% kaputt — ü 日本 %41"
            do {
                _ = try await harness.client.unary(path: TestHandlers.fail, request: Array(message.utf8))
                Issue.record("expected an error")
            } catch {
                #expect(error.code == .notFound)
                #expect(error.message == message)
                #expect(error.path == TestHandlers.fail)
            }
        }

        @Test func customMetadataIncludingBinary() async throws {
            let harness = TestHarness(handlers: TestHandlers.all())
            defer { harness.shutdown() }
            var options = GRPCCallOptions()
            options.metadata.add("x-text", "hello world")
            options.metadata.add("x-data-bin", binary: [0, 1, 2, 250, 255])
            let response = try await harness.client.unaryResponse(path: TestHandlers.metadata, request: [], options: options)
            #expect(response.initialMetadata["echo-text"] == "hello world")
            #expect(response.trailingMetadata.binary("echo-bin") == [0, 1, 2, 250, 255])
        }

        @Test func headerListOverTheServerLimitFailsOnlyThatCall() async throws {
            var server = GRPCServerConfiguration()
            server.http2.maxHeaderListSize = 1000
            let harness = TestHarness(handlers: TestHandlers.all(), serverConfiguration: server)
            defer { harness.shutdown() }
            var options = GRPCCallOptions()
            options.metadata.add("x-big", String(repeating: "a", count: 2000))
            await #expect(throws: RPCError(code: .internalError, message: "")) {
                try await harness.client.unary(path: TestHandlers.echo, request: [1], options: options)
            }
            #expect(try await harness.client.unary(path: TestHandlers.echo, request: [2]) == [2])
            #expect(harness.connectionCount == 1)
        }

        @Test func thousandConcurrentCallsOnOneConnection() async throws {
            let harness = TestHarness(handlers: TestHandlers.all())
            defer { harness.shutdown() }
            let client = harness.client
            let results = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<1000 {
                    group.addTask {
                        let request = pattern(index % 300, seed: UInt8(index % 256))
                        return try await client.unary(path: TestHandlers.echo, request: request) == request
                    }
                }
                var ok = 0
                for try await result in group where result { ok += 1 }
                return ok
            }
            #expect(results == 1000)
            #expect(harness.connectionCount == 1)
        }
    }
}
