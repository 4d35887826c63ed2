import Testing

@testable import CRIStreaming

@Suite struct ExecSessionTests {
    @Test(arguments: StreamingTransport.allCases) func stdoutAndStderrAreSeparatedAndExitCodeZero(transport: StreamingTransport) async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerExec(StreamingExecRequest(command: ["sh", "-c", "echo out; echo err >&2"])) {
            session in
            #expect(session.command == ["sh", "-c", "echo out; echo err >&2"])
            try session.writeStdout(Array("out\n".utf8))
            try session.writeStderr(Array("err\n".utf8))
            return 0
        }
        let output = try await runStreamingCommand(url: url, options: StreamingOptions(transport: transport))
        #expect(output.stdout.text == "out\n")
        #expect(output.stderr.text == "err\n")
        #expect(output.exitStatus.exitCode == 0)
        #expect(output.exitStatus.succeeded)
        // The default server answers like containerd: v4 on both transports.
        #expect(output.negotiatedProtocol == .v4)
        #expect(output.transport == transport)
    }

    @Test(arguments: StreamingTransport.allCases) func nonZeroExitCode(transport: StreamingTransport) async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerExec(StreamingExecRequest(command: ["sh", "-c", "exit 3"])) { _ in 3 }
        let status = try await withStreamingSession(url: url, options: StreamingOptions(transport: transport)) { session in
            try await session.exitStatus()
        }
        #expect(status.exitCode == 3)
        #expect(!status.succeeded)
        #expect(status.message?.contains("non-zero exit code") == true)
    }

    @Test func v5StdinCloseGivesTheCommandEOF() async throws {
        let server = try StreamingServer(configuration: .withV5)
        defer { server.shutDown() }
        let url = server.registerExec(StreamingExecRequest(command: ["cat"], stdin: true)) { session in
            for await chunk in session.stdin { try session.writeStdout(chunk) }
            return 0
        }
        // Larger than one message and than the read chunk, so splitting and reassembly are exercised.
        let input = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let output = try await runStreamingCommand(url: url, stdin: input, options: StreamingOptions(transport: .webSocket))
        #expect(output.stdinClosed)
        #expect(output.stdout == input)
        #expect(output.exitStatus.exitCode == 0)
    }

    @Test func v4OnlyServerWorksWithoutStdinClose() async throws {
        let server = try StreamingServer(configuration: .v4Only)
        defer { server.shutDown() }
        // Like `head -c 5`: reads a known amount of stdin, never waits for EOF.
        let url = server.registerExec(StreamingExecRequest(command: ["head", "-c", "5"], stdin: true)) { session in
            var received: [UInt8] = []
            for await chunk in session.stdin {
                received += chunk
                if received.count >= 5 { break }
            }
            try session.writeStdout(received.prefix(5))
            return 0
        }
        try await withStreamingSession(url: url, stdin: true, options: StreamingOptions(transport: .webSocket)) { session in
            #expect(session.negotiatedProtocol == .v4)
            async let stdout = session.stdout.collect()
            try await session.writeStdin(Array("hello".utf8))
            #expect(try await session.closeStdin() == false)
            let status = try await session.exitStatus()
            #expect(status.exitCode == 0)
            #expect(await stdout.text == "hello")
        }
    }

    @Test func v5OnlyClientIsRefusedByV4OnlyServer() async throws {
        // crictl's `--transport websocket` against containerd 1.6/1.7.
        let server = try StreamingServer(configuration: .v4Only)
        defer { server.shutDown() }
        let url = server.registerExec(StreamingExecRequest(command: ["true"])) { _ in 0 }
        let error = await #expect(throws: StreamingError.self) {
            try await runStreamingCommand(url: url, options: StreamingOptions(transport: .webSocket, protocols: [.v5]))
        }
        #expect(error?.code == .upgradeRejected)
        #expect(error?.httpStatus == 403)
        #expect(error?.message.contains(redacted(url)) == true)
        // Go's websocket server refuses bare; the client says what it offered.
        #expect(error?.message.contains("none of the offered subprotocols: v5.channel.k8s.io") == true)
    }

    @Test(arguments: StreamingTransport.allCases) func unknownTokenIs404NamingTheURL(transport: StreamingTransport) async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.baseURL + "/exec/no-such-token"
        let error = await #expect(throws: StreamingError.self) { try await runStreamingCommand(url: url, options: StreamingOptions(transport: transport)) }
        #expect(error?.code == .upgradeRejected)
        #expect(error?.httpStatus == 404)
        #expect(error?.message.contains(redacted(url)) == true)
        #expect(error?.message.contains("404 page not found") == true)
    }

    @Test(arguments: StreamingTransport.allCases) func tokensWorkOnce(transport: StreamingTransport) async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerExec(StreamingExecRequest(command: ["true"])) { _ in 0 }
        #expect(try await runStreamingCommand(url: url, options: StreamingOptions(transport: transport)).exitStatus.exitCode == 0)
        let error = await #expect(throws: StreamingError.self) { try await runStreamingCommand(url: url, options: StreamingOptions(transport: transport)) }
        #expect(error?.httpStatus == 404)
    }

    @Test(arguments: StreamingTransport.allCases) func serverDroppingTheConnectionIsATypedError(transport: StreamingTransport) async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerExec(StreamingExecRequest(command: ["crash"])) { session in
            try session.writeStdout(Array("partial".utf8))
            session.abortConnection()
            return 0
        }
        try await withStreamingSession(url: url, options: StreamingOptions(transport: transport)) { session in
            async let stdout = session.stdout.collect()
            let error = await #expect(throws: StreamingError.self) { try await session.exitStatus() }
            #expect(error?.code == .connectionClosed)
            #expect(error?.message.contains(redacted(url)) == true)
            #expect(await stdout.text == "partial")
        }
    }

    @Test(arguments: StreamingTransport.allCases) func handlerFailureIsARemoteFailure(transport: StreamingTransport) async throws {
        struct Boom: Error, CustomStringConvertible { var description: String { "executable file not found" } }
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerExec(StreamingExecRequest(command: ["nope"])) { _ in throw Boom() }
        let error = await #expect(throws: StreamingError.self) { try await runStreamingCommand(url: url, options: StreamingOptions(transport: transport)) }
        #expect(error?.code == .remoteFailure)
        #expect(error?.message.contains("executable file not found") == true)
    }

    @Test(arguments: StreamingTransport.allCases) func resizeReachesTheHandler(transport: StreamingTransport) async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerExec(StreamingExecRequest(command: ["sh"], stdin: true, tty: true)) { session in
            #expect(session.request.tty && !session.request.stderr)
            for await size in session.resizeEvents {
                try session.writeStdout(Array("\(size.width)x\(size.height)".utf8))
                break
            }
            return 0
        }
        try await withStreamingSession(url: url, stdin: true, tty: true, options: StreamingOptions(transport: transport)) { session in
            try await session.resize(width: 132, height: 43)
            async let stdout = session.stdout.collect()
            #expect(try await session.exitStatus().exitCode == 0)
            #expect(await stdout.text == "132x43")
        }
    }

    @Test(arguments: StreamingTransport.allCases) func attachUsesItsOwnPath(transport: StreamingTransport) async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerAttach(StreamingExecRequest(command: [])) { session in
            try session.writeStdout(Array("attached".utf8))
            return 0
        }
        #expect(url.contains("/attach/"))
        let output = try await runStreamingCommand(url: url, options: StreamingOptions(transport: transport))
        #expect(output.stdout.text == "attached")
        // An attach token is not an exec token.
        let other = server.registerAttach(StreamingExecRequest(command: [])) { _ in 0 }
        let error = await #expect(throws: StreamingError.self) {
            try await runStreamingCommand(
                url: other.split(separator: "/attach/").joined(separator: "/exec/"), options: StreamingOptions(transport: transport))
        }
        #expect(error?.httpStatus == 404)
    }

    @Test(arguments: StreamingTransport.allCases) func relativeURLIsResolvedAgainstTheBase(transport: StreamingTransport) async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerExec(StreamingExecRequest(command: ["true"])) { _ in 0 }
        let path = String(url.dropFirst(server.baseURL.count))
        let output = try await runStreamingCommand(url: path, options: StreamingOptions(transport: transport, baseURL: server.baseURL))
        #expect(output.exitStatus.exitCode == 0)
    }

    @Test(arguments: StreamingTransport.allCases) func refusedConnectionNamesTheURL(transport: StreamingTransport) async throws {
        let url = "http://127.0.0.1:\(try unusedLoopbackPort())/exec/x"
        let error = await #expect(throws: StreamingError.self) { try await runStreamingCommand(url: url, options: StreamingOptions(transport: transport)) }
        #expect(error?.code == .connectionFailed)
        #expect(error?.message.contains(redacted(url)) == true)
    }

    @Test(arguments: StreamingTransport.allCases) func silentServerTimesOut(transport: StreamingTransport) async throws {
        let silent = try SilentServer()
        defer { silent.close() }
        let url = "http://127.0.0.1:\(silent.port)/exec/x"
        let error = await #expect(throws: StreamingError.self) {
            try await runStreamingCommand(url: url, options: StreamingOptions(transport: transport, handshakeTimeout: .milliseconds(300)))
        }
        #expect(error?.code == .timedOut)
    }

    @Test(arguments: StreamingTransport.allCases) func writingStdinWithoutStdinIsRejected(transport: StreamingTransport) async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerExec(StreamingExecRequest(command: ["true"])) { _ in 0 }
        try await withStreamingSession(url: url, options: StreamingOptions(transport: transport)) { session in
            let error = await #expect(throws: StreamingError.self) { try await session.writeStdin([1]) }
            #expect(error?.code == .unsupported)
            _ = try await session.exitStatus()
        }
    }

    @Test(arguments: StreamingTransport.allCases) func leavingTheScopeEarlyEndsTheSession(transport: StreamingTransport) async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let ended = AsyncStream<Void>.makeStream()
        let url = server.registerExec(StreamingExecRequest(command: ["cat"], stdin: true)) { session in
            for await _ in session.stdin {}
            ended.continuation.yield()
            return 0
        }
        let session = try await withStreamingSession(url: url, stdin: true, options: StreamingOptions(transport: transport)) { $0 }
        // The scope closed the connection: the server's stdin ended, and the session reports cancellation.
        var iterator = ended.stream.makeAsyncIterator()
        _ = await iterator.next()
        let error = await #expect(throws: StreamingError.self) { try await session.exitStatus() }
        #expect(error?.code == .cancelled)
    }

    @Test(arguments: StreamingTransport.allCases) func cancellingTheWaitEndsTheSession(transport: StreamingTransport) async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerExec(StreamingExecRequest(command: ["cat"], stdin: true)) { session in
            for await _ in session.stdin {}
            return 0
        }
        try await withStreamingSession(url: url, stdin: true, options: StreamingOptions(transport: transport)) { session in
            let waiter = Task { try await session.exitStatus() }
            waiter.cancel()
            let result = await waiter.result
            #expect(throws: StreamingError(code: .cancelled, message: "")) { try result.get() }
        }
    }

    @Test(arguments: StreamingTransport.allCases) func slowConsumerGetsEveryByteThroughBackPressure(transport: StreamingTransport) async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let payload = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        let url = server.registerExec(StreamingExecRequest(command: ["yes"])) { session in
            var start = 0
            while start < payload.count {
                try session.writeStdout(payload[start..<min(payload.count, start + 10_000)])
                start += 10_000
            }
            return 0
        }
        // A 1 KiB buffer: the reader thread must block and resume many times.
        let output = try await runStreamingCommand(url: url, options: StreamingOptions(transport: transport, maxBufferedBytes: 1024))
        #expect(output.stdout == payload)
    }

    @Test func serverPrefersV5AndHonoursAV4OnlyClient() async throws {
        let server = try StreamingServer(configuration: .withV5)
        defer { server.shutDown() }
        let handler: StreamingServer.ExecHandler = { session in
            try session.writeStdout(Array(session.negotiatedProtocol.rawValue.utf8))
            return 0
        }
        let reversed = try await runStreamingCommand(
            url: server.registerExec(StreamingExecRequest(command: ["x"]), handler: handler),
            options: StreamingOptions(transport: .webSocket, protocols: [.v4, .v5])
        )
        #expect(reversed.negotiatedProtocol == .v5)
        #expect(reversed.stdout.text == "v5.channel.k8s.io")
        let v4Only = try await runStreamingCommand(
            url: server.registerExec(StreamingExecRequest(command: ["x"]), handler: handler),
            options: StreamingOptions(transport: .webSocket, protocols: [.v4])
        )
        #expect(v4Only.negotiatedProtocol == .v4)
        #expect(v4Only.stdout.text == "v4.channel.k8s.io")
    }

    @Test func bare403HintsAtSubprotocols() async throws {
        let server = try CannedResponseServer(response: "HTTP/1.1 403 Forbidden\r\n\r\n")
        defer { server.close() }
        let url = "http://127.0.0.1:\(server.port)/exec/abc"
        let error = await #expect(throws: StreamingError.self) {
            try await runStreamingCommand(url: url, options: StreamingOptions(transport: .webSocket, protocols: [.v5]))
        }
        #expect(error?.httpStatus == 403)
        #expect(
            error?.message
                == "GET \(redacted(url)): HTTP 403 Forbidden (the server may accept none of the offered subprotocols: v5.channel.k8s.io)"
        )
    }

    @Test(arguments: StreamingTransport.allCases) func refusalBodyWithoutContentLengthIsReadToTheEnd(transport: StreamingTransport) async throws {
        // Go's websocket server writes its handshake error after the blank line and closes, without Content-Length.
        let server = try CannedResponseServer(
            response: "HTTP/1.1 400 Bad Request\r\n\r\nmissing \"Sec-WebSocket-Key\"\n")
        defer { server.close() }
        let error = await #expect(throws: StreamingError.self) {
            try await runStreamingCommand(
                url: "http://127.0.0.1:\(server.port)/exec/abc", options: StreamingOptions(transport: transport))
        }
        #expect(error?.httpStatus == 400)
        #expect(error?.message.hasSuffix("HTTP 400 Bad Request: missing \"Sec-WebSocket-Key\"") == true)
    }

    @Test func defaultServerAnswersWebSocketLikeContainerd() async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        func refusal(_ offered: [StreamProtocolVersion]) async -> StreamingError? {
            let url = server.registerExec(StreamingExecRequest(command: ["true"])) { _ in 0 }
            return await #expect(throws: StreamingError.self) {
                try await runStreamingCommand(url: url, options: StreamingOptions(transport: .webSocket, protocols: offered))
            }
        }
        // v5 only (crictl --transport websocket): a bare 403, so the client can only guess why.
        let v5 = await refusal([.v5])
        #expect(v5?.httpStatus == 403)
        #expect(v5?.message.hasSuffix("(the server may accept none of the offered subprotocols: v5.channel.k8s.io)") == true)
        // The base64 variants are refused explicitly rather than spoken.
        let base64 = await refusal([StreamProtocolVersion(rawValue: "v4.base64.channel.k8s.io")])
        #expect(base64?.httpStatus == 403)
        // v5 then v4 gets v4; channel.k8s.io alone is accepted too.
        let url = server.registerExec(StreamingExecRequest(command: ["true"], stdin: true)) { _ in 0 }
        let output = try await runStreamingCommand(url: url, stdin: [], options: StreamingOptions(transport: .webSocket))
        #expect(output.negotiatedProtocol == .v4)
        // v4 over WebSocket cannot end stdin (the reason SPDY is the default).
        #expect(!output.stdinClosed)
    }
}
