import CRIGRPC
import CRIHTTP2
import Testing

extension GRPCTests {
    @Suite struct StreamingAndLimitsTests {
        @Test func serverStreamingDeliversEveryMessage() async throws {
            let harness = TestHarness(handlers: TestHandlers.all())
            defer { harness.shutdown() }
            let received = try await harness.client.serverStreaming(path: TestHandlers.stream, request: [50]) { responses in
                var all: [[UInt8]] = []
                for try await message in responses { all.append(message) }
                return all
            }
            #expect(received.count == 50)
            for (index, message) in received.enumerated() {
                #expect(message == pattern(index * 100, seed: UInt8(index)))
            }
        }

        @Test func serverAbortingMidStreamReportsItsStatusAfterTheMessages() async throws {
            let harness = TestHarness(handlers: TestHandlers.all())
            defer { harness.shutdown() }
            var received: [[UInt8]] = []
            do {
                try await harness.client.serverStreaming(path: TestHandlers.abort, request: []) { responses in
                    for try await message in responses { received.append(message) }
                }
                Issue.record("expected an error")
            } catch let error as RPCError {
                #expect(error.code == .aborted)
                #expect(error.message == "stopped mid-stream")
            }
            #expect(received == [[1], [2]])
        }

        @Test func fifteenMebibytesEachWayThroughFlowControl() async throws {
            let harness = TestHarness(handlers: TestHandlers.all())
            defer { harness.shutdown() }
            let request = pattern(15 << 20, seed: 7)
            let response = try await harness.client.unary(path: TestHandlers.echo, request: request)
            #expect(response.count == request.count)
            #expect(sameBytes(response, request))
        }

        @Test func bigTransfersInBothDirectionsAtOnceDoNotDeadlock() async throws {
            let harness = TestHarness(handlers: TestHandlers.all())
            defer { harness.shutdown() }
            let client = harness.client
            // Several uploads and downloads of megabytes share one connection, so both sockets fill
            // while both readers owe control frames.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<4 {
                    group.addTask {
                        let request = pattern(6 << 20, seed: UInt8(index))
                        let response = try await client.unary(path: TestHandlers.echo, request: request)
                        #expect(sameBytes(response, request))
                    }
                    group.addTask {
                        let count = try await client.serverStreaming(path: TestHandlers.stream, request: [200]) { responses in
                            var count = 0
                            for try await _ in responses { count += 1 }
                            return count
                        }
                        #expect(count == 200)
                    }
                }
                try await group.waitForAll()
            }
            #expect(harness.connectionCount == 1)
        }

        @Test func requestOverTheSendLimitFailsBeforeSending() async throws {
            var configuration = GRPCClientConfiguration()
            configuration.maxSendMessageSize = 1000
            let harness = TestHarness(handlers: TestHandlers.all(), clientConfiguration: configuration)
            defer { harness.shutdown() }
            _ = try await harness.client.unary(path: TestHandlers.echo, request: pattern(1000))
            do {
                _ = try await harness.client.unary(path: TestHandlers.echo, request: pattern(1001))
                Issue.record("expected RESOURCE_EXHAUSTED")
            } catch {
                #expect(error.code == .resourceExhausted)
                #expect(error.message.contains("1001") && error.message.contains("1000"))
            }
        }

        @Test func responseOverTheReceiveLimitIsResourceExhausted() async throws {
            var configuration = GRPCClientConfiguration()
            configuration.maxReceiveMessageSize = 16 << 20
            let harness = TestHarness(handlers: TestHandlers.all(), clientConfiguration: configuration)
            defer { harness.shutdown() }
            // The server accepts larger requests so only the client's receive limit is hit.
            var options = GRPCCallOptions()
            options.maxSendMessageSize = 32 << 20
            let exact = try await harness.client.unary(path: TestHandlers.echo, request: pattern(16 << 20), options: options)
            #expect(exact.count == 16 << 20)
            options.maxReceiveMessageSize = 1000
            do {
                _ = try await harness.client.unary(path: TestHandlers.echo, request: pattern(1001), options: options)
                Issue.record("expected RESOURCE_EXHAUSTED")
            } catch {
                #expect(error.code == .resourceExhausted)
                #expect(error.message.contains("1001") && error.message.contains("1000"))
            }
            // The connection is still usable.
            #expect(try await harness.client.unary(path: TestHandlers.echo, request: [9]) == [9])
        }

        @Test func requestOverTheServerReceiveLimitIsResourceExhausted() async throws {
            var server = GRPCServerConfiguration()
            server.maxReceiveMessageSize = 1000
            let harness = TestHarness(handlers: TestHandlers.all(), serverConfiguration: server)
            defer { harness.shutdown() }
            #expect(try await harness.client.unary(path: TestHandlers.echo, request: pattern(1000)).count == 1000)
            await #expect(throws: RPCError(code: .resourceExhausted, message: "")) {
                try await harness.client.unary(path: TestHandlers.echo, request: pattern(1001))
            }
        }

        @Test func responseOverTheServerSendLimitIsResourceExhausted() async throws {
            var server = GRPCServerConfiguration()
            server.maxSendMessageSize = 1000
            let harness = TestHarness(handlers: TestHandlers.all(), serverConfiguration: server)
            defer { harness.shutdown() }
            await #expect(throws: RPCError(code: .resourceExhausted, message: "")) {
                try await harness.client.unary(path: TestHandlers.echo, request: pattern(1001))
            }
        }

        @Test(arguments: [1, 16])
        func tinyWindowsStillDeliver(window: Int) async throws {
            var client = GRPCClientConfiguration()
            client.http2.initialStreamWindowSize = window
            var server = GRPCServerConfiguration()
            server.http2.initialStreamWindowSize = window
            let harness = TestHarness(handlers: TestHandlers.all(), serverConfiguration: server, clientConfiguration: client)
            defer { harness.shutdown() }
            let request = pattern(window == 1 ? 300 : 5000, seed: 3)
            #expect(try await harness.client.unary(path: TestHandlers.echo, request: request) == request)
        }
    }
}
