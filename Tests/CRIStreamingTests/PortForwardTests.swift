import Testing

@testable import CRIStreaming

@Suite struct PortForwardTests {
    @Test(arguments: StreamingTransport.allCases) func forwardsToALocalEchoServer(transport: StreamingTransport) async throws {
        let echo = try EchoServer()
        defer { echo.close() }
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerPortForward()
        try await withPortForwardSession(url: url, ports: [echo.port], options: StreamingOptions(transport: transport)) { session in
            #expect(session.url.pathAndQuery.hasSuffix("?port=\(echo.port)"))
            #expect(session.transport == transport)
            let stream = try #require(session.stream(forPort: echo.port))
            let message = Array("hello through the pod".utf8) + (0..<70_000).map { UInt8(truncatingIfNeeded: $0) }
            try await stream.write(message)
            var received: [UInt8] = []
            for await chunk in stream.received {
                received += chunk
                if received.count >= message.count { break }
            }
            #expect(received == message)
            #expect(stream.errorMessage == nil)
        }
    }

    @Test(arguments: StreamingTransport.allCases) func twoPortsUseSeparateChannels(transport: StreamingTransport) async throws {
        let first = try EchoServer()
        let second = try EchoServer()
        defer {
            first.close()
            second.close()
        }
        let server = try StreamingServer()
        defer { server.shutDown() }
        try await withPortForwardSession(url: server.registerPortForward(), ports: [first.port, second.port], options: StreamingOptions(transport: transport)) {
            session in
            #expect(session.streams.map(\.port) == [first.port, second.port])
            for (index, stream) in session.streams.enumerated() {
                let message = Array("port \(index)".utf8)
                try await stream.write(message)
                var received: [UInt8] = []
                for await chunk in stream.received {
                    received += chunk
                    if received.count >= message.count { break }
                }
                #expect(received == message)
            }
        }
    }

    @Test(arguments: StreamingTransport.allCases) func unreachablePortReportsOnTheErrorChannel(transport: StreamingTransport) async throws {
        let port = try unusedLoopbackPort()
        let server = try StreamingServer()
        defer { server.shutDown() }
        try await withPortForwardSession(url: server.registerPortForward(), ports: [port], options: StreamingOptions(transport: transport)) { session in
            let stream = try #require(session.streams.first)
            // The server closes the session once every port is done, which ends the data sequence.
            for await _ in stream.received {}
            #expect(stream.errorMessage?.contains("error forwarding port \(port)") == true)
            #expect(session.protocolFailure == nil)
        }
    }

    @Test func serverRequiresPorts() async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        // Bypass the client's own check by asking for the session with the raw exec API (no port query).
        let error = await #expect(throws: StreamingError.self) {
            try await withStreamingSession(
                url: server.registerPortForward(), options: StreamingOptions(transport: .webSocket, protocols: [.v4])
            ) { _ in }
        }
        #expect(error?.httpStatus == 400)
        #expect(error?.message.contains("query parameter \"port\" is required") == true)
    }

    @Test func clientRejectsBadPortLists() async throws {
        await #expect(throws: StreamingError.self) {
            try await withPortForwardSession(url: "http://127.0.0.1:1/portforward/x", ports: []) { _ in }
        }
        await #expect(throws: StreamingError.self) {
            try await withPortForwardSession(url: "http://127.0.0.1:1/portforward/x", ports: [0]) { _ in }
        }
    }

    @Test(arguments: StreamingTransport.allCases) func registeredPortsWinLikeContainerd(transport: StreamingTransport) async throws {
        // containerd takes the ports from the PortForward RPC; the query the client adds is ignored.
        let echo = try EchoServer()
        defer { echo.close() }
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerPortForward(ports: [echo.port])
        try await withPortForwardSession(url: url, ports: [echo.port], options: StreamingOptions(transport: transport)) { session in
            try await session.streams[0].write([1, 2, 3])
            var received: [UInt8] = []
            for await chunk in session.streams[0].received {
                received += chunk
                if received.count >= 3 { break }
            }
            #expect(received == [1, 2, 3])
        }
    }

    @Test func announcedPortMismatchIsAProtocolViolation() async throws {
        let echo = try EchoServer()
        defer { echo.close() }
        let server = try StreamingServer()
        defer { server.shutDown() }
        // The server forwards the registered port, the client asked for another one: the port prefix gives it away.
        let url = server.registerPortForward(ports: [echo.port])
        let other = echo.port == 65535 ? echo.port - 1 : echo.port + 1
        try await withPortForwardSession(url: url, ports: [other], options: StreamingOptions(transport: .webSocket)) { session in
            for await _ in session.streams[0].received {}
            #expect(session.protocolFailure?.code == .protocolViolation)
            #expect(session.protocolFailure?.message.contains("announced port \(echo.port)") == true)
        }
    }

    @Test func spdyHalfCloseEndsThePodSideAndTheAnswerStillArrives() async throws {
        let echo = try EchoServer()
        defer { echo.close() }
        let server = try StreamingServer()
        defer { server.shutDown() }
        try await withPortForwardSession(url: server.registerPortForward(), ports: [echo.port]) { session in
            let stream = session.streams[0]
            let message = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            async let received = stream.received.collect()
            try await stream.write(message)
            #expect(try await stream.finishWriting())
            // The echo server sees end of stream, echoes everything and closes: the data stream ends with it all.
            #expect(await received == message)
        }
    }

    @Test func severalForwardedConnectionsCarryTheirOwnBytes() async throws {
        let echoes = try (0..<3).map { _ in try EchoServer() }
        defer { for echo in echoes { echo.close() } }
        let server = try StreamingServer()
        defer { server.shutDown() }
        try await withPortForwardSession(url: server.registerPortForward(), ports: echoes.map(\.port)) { session in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, stream) in session.streams.enumerated() {
                    group.addTask {
                        let message = Array(repeating: UInt8(index + 1), count: 100_000 * (index + 1))
                        async let received = stream.received.collect()
                        try await stream.write(message)
                        try await stream.finishWriting()
                        #expect(await received == message)
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    @Test func webSocketCannotHalfClose() async throws {
        let echo = try EchoServer()
        defer { echo.close() }
        let server = try StreamingServer()
        defer { server.shutDown() }
        let options = StreamingOptions(transport: .webSocket)
        try await withPortForwardSession(url: server.registerPortForward(), ports: [echo.port], options: options) {
            session in
            let halfClosed = try await session.streams[0].finishWriting()
            #expect(!halfClosed)
        }
    }
}
