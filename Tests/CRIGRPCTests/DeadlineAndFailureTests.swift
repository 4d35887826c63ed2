import CRIGRPC
import CRIHPACK
import CRIHTTP2
import CRITransport
import Testing

extension GRPCTests {
    @Suite struct DeadlineAndFailureTests {
        @Test func serverThatNeverAnswersHitsTheDeadline() async throws {
            let gate = Gate()
            let harness = TestHarness(handlers: TestHandlers.all(hangGate: gate))
            defer {
                gate.open()
                harness.shutdown()
            }
            // Connect first so the measurement covers only the call.
            #expect(try await harness.client.unary(path: TestHandlers.echo, request: [3]) == [3])
            let start = ContinuousClock.now
            do {
                _ = try await harness.client.unary(
                    path: TestHandlers.hang, request: [], options: GRPCCallOptions(timeout: .milliseconds(200)))
                Issue.record("expected DEADLINE_EXCEEDED")
            } catch {
                #expect(error.code == .deadlineExceeded)
            }
            let elapsed = ContinuousClock.now - start
            #expect(elapsed >= .milliseconds(200))
            #expect(elapsed < .milliseconds(300))
            // The connection survives the reset stream.
            #expect(try await harness.client.unary(path: TestHandlers.echo, request: [4]) == [4])
        }

        @Test func deadlineAlsoEndsAWaitForAStreamSlot() async throws {
            let gate = Gate()
            let entered = Gate()
            var server = GRPCServerConfiguration()
            server.http2.maxConcurrentStreams = 1
            let harness = TestHarness(
                handlers: TestHandlers.all(hangGate: gate, hangEntered: entered), serverConfiguration: server)
            defer {
                gate.open()
                harness.shutdown()
            }
            let client = harness.client
            let occupying = Task { try await client.unary(path: TestHandlers.hang, request: []) }
            await entered.wait()
            let start = ContinuousClock.now
            await #expect(throws: RPCError(code: .deadlineExceeded, message: "")) {
                try await client.unary(
                    path: TestHandlers.echo, request: [1], options: GRPCCallOptions(timeout: .milliseconds(200)))
            }
            #expect(ContinuousClock.now - start < .milliseconds(300))
            gate.open()
            #expect(try await occupying.value == [1])
            #expect(try await client.unary(path: TestHandlers.echo, request: [2]) == [2])
        }

        @Test func serverHonoursGRPCTimeout() async throws {
            let gate = Gate()
            let harness = TestHarness(handlers: TestHandlers.all(hangGate: gate))
            defer {
                gate.open()
                harness.shutdown()
            }
            // A raw HTTP/2 client without a local deadline: only the server's timer can end the call.
            let transport = ByteStreamTransport(
                try connect(to: .unixSocket(path: harness.directory + "/server0.sock"), deadline: .now + .seconds(5)))
            let connection = HTTP2Connection(transport: transport, role: .client)
            try connection.start()
            defer { connection.close() }
            let start = ContinuousClock.now
            let headers = [
                HPACKHeader(name: ":method", value: "POST"), HPACKHeader(name: ":scheme", value: "http"),
                HPACKHeader(name: ":path", value: TestHandlers.hang), HPACKHeader(name: ":authority", value: "localhost"),
                HPACKHeader(name: "content-type", value: "application/grpc"), HPACKHeader(name: "te", value: "trailers"),
                HPACKHeader(name: "grpc-timeout", value: "100m"),
            ]
            let (stream, _) = try await connection.openStream(headers: headers, data: [0, 0, 0, 0, 0], endStream: true)
            var status: String?
            while let event = try await stream.nextEvent() {
                if case .headers(let block, true) = event {
                    status = block.first { $0.name == "grpc-status" }?.value
                }
            }
            #expect(status == "4")
            let elapsed = ContinuousClock.now - start
            #expect(elapsed >= .milliseconds(100) && elapsed < .milliseconds(200))
        }

        @Test func taskCancellationEndsTheCallWithCancelled() async throws {
            let gate = Gate()
            let entered = Gate()
            let harness = TestHarness(handlers: TestHandlers.all(hangGate: gate, hangEntered: entered))
            defer {
                gate.open()
                harness.shutdown()
            }
            let client = harness.client
            let call = Task { () async throws(RPCError) -> [UInt8] in
                try await client.unary(path: TestHandlers.hang, request: [])
            }
            await entered.wait()
            call.cancel()
            let result = await call.result
            #expect(throws: RPCError(code: .cancelled, message: "")) { try result.get() }
            #expect(try await harness.client.unary(path: TestHandlers.echo, request: [5]) == [5])
        }

        @Test func serverDyingMidCallFailsWithUnavailableAndTheNextCallReconnects() async throws {
            let gate = Gate()
            let entered = Gate()
            let harness = TestHarness(handlers: TestHandlers.all(hangGate: gate, hangEntered: entered))
            defer {
                gate.open()
                harness.shutdown()
            }
            let client = harness.client
            let call = Task { () async throws(RPCError) -> [UInt8] in
                try await client.unary(path: TestHandlers.hang, request: [])
            }
            await entered.wait()
            harness.killServerConnections()
            let result = await call.result
            #expect(throws: RPCError(code: .unavailable, message: "")) { try result.get() }
            #expect(try await harness.client.unary(path: TestHandlers.echo, request: [6]) == [6])
            #expect(harness.connectionCount == 2)
        }

        @Test func exhaustedStreamIDsMoveNewCallsToANewConnection() async throws {
            var configuration = GRPCClientConfiguration()
            configuration.http2.firstLocalStreamID = 0x7fff_fffd
            let harness = TestHarness(handlers: TestHandlers.all(), clientConfiguration: configuration)
            defer { harness.shutdown() }
            for index in 0..<3 {
                #expect(try await harness.client.unary(path: TestHandlers.echo, request: [UInt8(index)]) == [UInt8(index)])
            }
            // Streams 0x7ffffffd and 0x7fffffff used the first connection; the third call needed a new one.
            #expect(harness.connectionCount == 2)
        }

        @Test func goAwayLetsTheInFlightCallFinishAndNewCallsUseANewConnection() async throws {
            let gate = Gate()
            let entered = Gate()
            let harness = TestHarness(
                handlers: TestHandlers.all(hangGate: gate, hangEntered: entered), serverCount: 2)
            defer { harness.shutdown() }
            let client = harness.client
            let call = Task { () async throws(RPCError) -> [UInt8] in
                try await client.unary(path: TestHandlers.hang, request: [])
            }
            await entered.wait()
            let shutdown = Task { await harness.servers[0].shutdownGracefully() }
            // New calls go to a new connection (the second server) once GOAWAY has arrived; a call that
            // raced the GOAWAY is refused by the old server and retried transparently.
            #expect(try await harness.client.unary(path: TestHandlers.echo, request: [7]) == [7])
            // GOAWAY travels asynchronously; bounded so a lost GOAWAY fails instead of hanging.
            var calls = 0
            while harness.connectionCount < 2 && calls < 10_000 {
                #expect(try await harness.client.unary(path: TestHandlers.echo, request: [7]) == [7])
                calls += 1
            }
            #expect(harness.connectionCount == 2)
            gate.open()
            #expect(try await call.value == [1])
            await shutdown.value
            #expect(harness.connectionCount == 2)
        }
    }
}
