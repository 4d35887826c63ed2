import Testing

@testable import CRIStreaming

@Suite struct PortForwardTests {
    @Test func forwardsToALocalEchoServer() async throws {
        let echo = try EchoServer()
        defer { echo.close() }
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerPortForward()
        try await withPortForwardSession(url: url, ports: [echo.port]) { session in
            #expect(session.url.pathAndQuery.hasSuffix("?port=\(echo.port)"))
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

    @Test func twoPortsUseSeparateChannels() async throws {
        let first = try EchoServer()
        let second = try EchoServer()
        defer {
            first.close()
            second.close()
        }
        let server = try StreamingServer()
        defer { server.shutDown() }
        try await withPortForwardSession(url: server.registerPortForward(), ports: [first.port, second.port]) {
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

    @Test func unreachablePortReportsOnTheErrorChannel() async throws {
        let port = try unusedLoopbackPort()
        let server = try StreamingServer()
        defer { server.shutDown() }
        try await withPortForwardSession(url: server.registerPortForward(), ports: [port]) { session in
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
                url: server.registerPortForward(), options: StreamingOptions(protocols: [.v4])
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

    @Test func registeredPortsWinLikeContainerd() async throws {
        // containerd takes the ports from the PortForward RPC; the query the client adds is ignored.
        let echo = try EchoServer()
        defer { echo.close() }
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerPortForward(ports: [echo.port])
        try await withPortForwardSession(url: url, ports: [echo.port]) { session in
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
        try await withPortForwardSession(url: url, ports: [other]) { session in
            for await _ in session.streams[0].received {}
            #expect(session.protocolFailure?.code == .protocolViolation)
            #expect(session.protocolFailure?.message.contains("announced port \(echo.port)") == true)
        }
    }
}
