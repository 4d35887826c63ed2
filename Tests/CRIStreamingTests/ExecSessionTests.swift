import Testing

@testable import CRIStreaming

@Suite struct ExecSessionTests {
    @Test func stdoutAndStderrAreSeparatedAndExitCodeZero() async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerExec(StreamingExecRequest(command: ["sh", "-c", "echo out; echo err >&2"])) {
            session in
            #expect(session.command == ["sh", "-c", "echo out; echo err >&2"])
            try session.writeStdout(Array("out\n".utf8))
            try session.writeStderr(Array("err\n".utf8))
            return 0
        }
        let output = try await runStreamingCommand(url: url)
        #expect(output.stdout.text == "out\n")
        #expect(output.stderr.text == "err\n")
        #expect(output.exitStatus.exitCode == 0)
        #expect(output.exitStatus.succeeded)
        #expect(output.negotiatedProtocol == .v5)
    }

    @Test func nonZeroExitCode() async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerExec(StreamingExecRequest(command: ["sh", "-c", "exit 3"])) { _ in 3 }
        let status = try await withStreamingSession(url: url) { session in
            try await session.exitStatus()
        }
        #expect(status.exitCode == 3)
        #expect(!status.succeeded)
        #expect(status.message?.contains("non-zero exit code") == true)
    }

    @Test func v5StdinCloseGivesTheCommandEOF() async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerExec(StreamingExecRequest(command: ["cat"], stdin: true)) { session in
            for await chunk in session.stdin { try session.writeStdout(chunk) }
            return 0
        }
        // Larger than one message and than the read chunk, so splitting and reassembly are exercised.
        let input = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let output = try await runStreamingCommand(url: url, stdin: input)
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
        try await withStreamingSession(url: url, stdin: true) { session in
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
            try await runStreamingCommand(url: url, options: StreamingOptions(protocols: [.v5]))
        }
        #expect(error?.code == .upgradeRejected)
        #expect(error?.httpStatus == 403)
        #expect(error?.message.contains(url) == true)
        #expect(error?.message.contains("requested protocol(s) are not supported") == true)
    }

    @Test func unknownTokenIs404NamingTheURL() async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.baseURL + "/exec/no-such-token"
        let error = await #expect(throws: StreamingError.self) { try await runStreamingCommand(url: url) }
        #expect(error?.code == .upgradeRejected)
        #expect(error?.httpStatus == 404)
        #expect(error?.message.contains(url) == true)
        #expect(error?.message.contains("404 page not found") == true)
    }

    @Test func tokensWorkOnce() async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerExec(StreamingExecRequest(command: ["true"])) { _ in 0 }
        #expect(try await runStreamingCommand(url: url).exitStatus.exitCode == 0)
        let error = await #expect(throws: StreamingError.self) { try await runStreamingCommand(url: url) }
        #expect(error?.httpStatus == 404)
    }

    @Test func serverDroppingTheConnectionIsATypedError() async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerExec(StreamingExecRequest(command: ["crash"])) { session in
            try session.writeStdout(Array("partial".utf8))
            session.abortConnection()
            return 0
        }
        try await withStreamingSession(url: url) { session in
            async let stdout = session.stdout.collect()
            let error = await #expect(throws: StreamingError.self) { try await session.exitStatus() }
            #expect(error?.code == .connectionClosed)
            #expect(error?.message.contains(url) == true)
            #expect(await stdout.text == "partial")
        }
    }

    @Test func handlerFailureIsARemoteFailure() async throws {
        struct Boom: Error, CustomStringConvertible { var description: String { "executable file not found" } }
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerExec(StreamingExecRequest(command: ["nope"])) { _ in throw Boom() }
        let error = await #expect(throws: StreamingError.self) { try await runStreamingCommand(url: url) }
        #expect(error?.code == .remoteFailure)
        #expect(error?.message.contains("executable file not found") == true)
    }

    @Test func resizeReachesTheHandler() async throws {
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
        try await withStreamingSession(url: url, stdin: true, tty: true) { session in
            try await session.resize(width: 132, height: 43)
            async let stdout = session.stdout.collect()
            #expect(try await session.exitStatus().exitCode == 0)
            #expect(await stdout.text == "132x43")
        }
    }

    @Test func attachUsesItsOwnPath() async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerAttach(StreamingExecRequest(command: [])) { session in
            try session.writeStdout(Array("attached".utf8))
            return 0
        }
        #expect(url.contains("/attach/"))
        let output = try await runStreamingCommand(url: url)
        #expect(output.stdout.text == "attached")
        // An attach token is not an exec token.
        let other = server.registerAttach(StreamingExecRequest(command: [])) { _ in 0 }
        let error = await #expect(throws: StreamingError.self) {
            try await runStreamingCommand(url: other.split(separator: "/attach/").joined(separator: "/exec/"))
        }
        #expect(error?.httpStatus == 404)
    }

    @Test func relativeURLIsResolvedAgainstTheBase() async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerExec(StreamingExecRequest(command: ["true"])) { _ in 0 }
        let path = String(url.dropFirst(server.baseURL.count))
        let output = try await runStreamingCommand(url: path, options: StreamingOptions(baseURL: server.baseURL))
        #expect(output.exitStatus.exitCode == 0)
    }

    @Test func refusedConnectionNamesTheURL() async throws {
        let url = "http://127.0.0.1:\(try unusedLoopbackPort())/exec/x"
        let error = await #expect(throws: StreamingError.self) { try await runStreamingCommand(url: url) }
        #expect(error?.code == .connectionFailed)
        #expect(error?.message.contains(url) == true)
    }

    @Test func silentServerTimesOut() async throws {
        let silent = try SilentServer()
        defer { silent.close() }
        let url = "http://127.0.0.1:\(silent.port)/exec/x"
        let error = await #expect(throws: StreamingError.self) {
            try await runStreamingCommand(url: url, options: StreamingOptions(handshakeTimeout: .milliseconds(300)))
        }
        #expect(error?.code == .timedOut)
    }

    @Test func writingStdinWithoutStdinIsRejected() async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerExec(StreamingExecRequest(command: ["true"])) { _ in 0 }
        try await withStreamingSession(url: url) { session in
            let error = await #expect(throws: StreamingError.self) { try await session.writeStdin([1]) }
            #expect(error?.code == .unsupported)
            _ = try await session.exitStatus()
        }
    }

    @Test func leavingTheScopeEarlyEndsTheSession() async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let ended = AsyncStream<Void>.makeStream()
        let url = server.registerExec(StreamingExecRequest(command: ["cat"], stdin: true)) { session in
            for await _ in session.stdin {}
            ended.continuation.yield()
            return 0
        }
        let session = try await withStreamingSession(url: url, stdin: true) { $0 }
        // The scope closed the connection: the server's stdin ended, and the session reports cancellation.
        var iterator = ended.stream.makeAsyncIterator()
        _ = await iterator.next()
        let error = await #expect(throws: StreamingError.self) { try await session.exitStatus() }
        #expect(error?.code == .cancelled)
    }

    @Test func cancellingTheWaitEndsTheSession() async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerExec(StreamingExecRequest(command: ["cat"], stdin: true)) { session in
            for await _ in session.stdin {}
            return 0
        }
        try await withStreamingSession(url: url, stdin: true) { session in
            let waiter = Task { try await session.exitStatus() }
            waiter.cancel()
            let result = await waiter.result
            #expect(throws: StreamingError(code: .cancelled, message: "")) { try result.get() }
        }
    }

    @Test func slowConsumerGetsEveryByteThroughBackPressure() async throws {
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
        let output = try await runStreamingCommand(url: url, options: StreamingOptions(maxBufferedBytes: 1024))
        #expect(output.stdout == payload)
    }

    @Test func serverPrefersV5AndHonoursAV4OnlyClient() async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let handler: StreamingServer.ExecHandler = { session in
            try session.writeStdout(Array(session.negotiatedProtocol.rawValue.utf8))
            return 0
        }
        let reversed = try await runStreamingCommand(
            url: server.registerExec(StreamingExecRequest(command: ["x"]), handler: handler),
            options: StreamingOptions(protocols: [.v4, .v5])
        )
        #expect(reversed.negotiatedProtocol == .v5)
        #expect(reversed.stdout.text == "v5.channel.k8s.io")
        let v4Only = try await runStreamingCommand(
            url: server.registerExec(StreamingExecRequest(command: ["x"]), handler: handler),
            options: StreamingOptions(protocols: [.v4])
        )
        #expect(v4Only.negotiatedProtocol == .v4)
        #expect(v4Only.stdout.text == "v4.channel.k8s.io")
    }

    @Test func bare403HintsAtSubprotocols() async throws {
        let server = try CannedResponseServer(response: "HTTP/1.1 403 Forbidden\r\n\r\n")
        defer { server.close() }
        let url = "http://127.0.0.1:\(server.port)/exec/abc"
        let error = await #expect(throws: StreamingError.self) {
            try await runStreamingCommand(url: url, options: StreamingOptions(protocols: [.v5]))
        }
        #expect(error?.httpStatus == 403)
        #expect(
            error?.message
                == "GET \(url): HTTP 403 Forbidden (the server may accept none of the offered subprotocols: v5.channel.k8s.io)"
        )
    }

    @Test func refusalBodyWithoutContentLengthIsReadToTheEnd() async throws {
        // Go's websocket server writes its handshake error after the blank line and closes, without Content-Length.
        let server = try CannedResponseServer(
            response: "HTTP/1.1 400 Bad Request\r\n\r\nmissing \"Sec-WebSocket-Key\"\n")
        defer { server.close() }
        let error = await #expect(throws: StreamingError.self) {
            try await runStreamingCommand(url: "http://127.0.0.1:\(server.port)/exec/abc")
        }
        #expect(error?.httpStatus == 400)
        #expect(error?.message.hasSuffix("HTTP 400 Bad Request: missing \"Sec-WebSocket-Key\"") == true)
    }
}
