import Testing

@testable import CRIStreaming

/// Exec and attach over SPDY/3.1 against ``StreamingServer`` (which answers like containerd) on loopback sockets.
@Suite struct SPDYExecTests {
    private func catHandler() -> StreamingServer.ExecHandler {
        { session in
            for await chunk in session.stdin { try session.writeStdout(chunk) }
            return 0
        }
    }

    @Test func stdinFinGivesTheCommandEOF() async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerExec(StreamingExecRequest(command: ["wc", "-l"], stdin: true)) { session in
            var lines = 0
            for await chunk in session.stdin { lines += chunk.filter { $0 == UInt8(ascii: "\n") }.count }
            try session.writeStdout(Array("\(lines)\n".utf8))
            return 0
        }
        let output = try await runStreamingCommand(url: url, stdin: Array("a\nb\n".utf8))
        #expect(output.transport == .spdy)
        #expect(output.negotiatedProtocol == .v4)
        #expect(output.stdinClosed)
        #expect(output.stdout.text == "2\n")
        #expect(output.exitStatus.exitCode == 0)
    }

    @Test func canCloseStdinIsKnownBeforeWriting() async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerExec(StreamingExecRequest(command: ["cat"], stdin: true), handler: catHandler())
        try await withStreamingSession(url: url, stdin: true) { session in
            #expect(session.canCloseStdin)
            let closed = try await session.closeStdin()
            #expect(closed)
            let status = try await session.exitStatus()
            #expect(status.exitCode == 0)
        }
        // WebSocket v4 (containerd's best over WebSocket) cannot.
        let webSocket = server.registerExec(StreamingExecRequest(command: ["true"], stdin: true)) { _ in 0 }
        try await withStreamingSession(url: webSocket, stdin: true, options: StreamingOptions(transport: .webSocket)) {
            session in
            #expect(session.negotiatedProtocol == .v4)
            #expect(!session.canCloseStdin)
            let status = try await session.exitStatus()
            #expect(status.exitCode == 0)
        }
    }

    /// Far more than the 64 KiB initial window: containerd's spdystream never sends WINDOW_UPDATE, so a client that
    /// waited for one would hang here.
    @Test(arguments: [false, true]) func megabytesOfStdinThroughCat(serverFlowControl: Bool) async throws {
        let server = try StreamingServer(configuration: StreamingServerConfiguration(spdyFlowControl: serverFlowControl))
        defer { server.shutDown() }
        let url = server.registerExec(StreamingExecRequest(command: ["cat"], stdin: true), handler: catHandler())
        let input = (0..<(4 * 1024 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 11) }
        let output = try await runStreamingCommand(url: url, stdin: input)
        #expect(output.stdinClosed)
        #expect(output.stdout.count == input.count)
        #expect(output.stdout == input)
    }

    @Test(arguments: [Int32(0), 1, 42]) func exitCodesFromTheV4Status(code: Int32) async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerExec(StreamingExecRequest(command: ["sh", "-c", "exit \(code)"])) { session in
            try session.writeStdout(Array("out".utf8))
            try session.writeStderr(Array("err".utf8))
            return code
        }
        let output = try await runStreamingCommand(url: url)
        #expect(output.exitStatus.exitCode == code)
        #expect(output.stdout.text == "out")
        #expect(output.stderr.text == "err")
    }

    @Test(arguments: [StreamProtocolVersion.v3, .v2, .v1]) func plainTextStatusBeforeV4(version: StreamProtocolVersion)
        async throws
    {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let options = StreamingOptions(protocols: [version])
        let success = server.registerExec(StreamingExecRequest(command: ["true"])) { session in
            try session.writeStdout(Array("fine".utf8))
            return 0
        }
        let output = try await runStreamingCommand(url: success, options: options)
        #expect(output.negotiatedProtocol == version)
        #expect(output.exitStatus.exitCode == 0)
        #expect(output.stdout.text == "fine")
        let failure = server.registerExec(StreamingExecRequest(command: ["false"])) { _ in 7 }
        let error = await #expect(throws: StreamingError.self) { try await runStreamingCommand(url: failure, options: options) }
        #expect(error?.code == .remoteFailure)
        #expect(error?.message.contains("command terminated with non-zero exit code: exit status 7") == true)
    }

    @Test func attachWithStdinEnds() async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerAttach(StreamingExecRequest(command: [], stdin: true), handler: catHandler())
        let output = try await runStreamingCommand(url: url, stdin: Array("x\n".utf8))
        #expect(output.stdout.text == "x\n")
        #expect(output.exitStatus.exitCode == 0)
    }

    @Test func resizeNeedsATtyAndV3() async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerExec(StreamingExecRequest(command: ["true"])) { _ in 0 }
        try await withStreamingSession(url: url) { session in
            let error = await #expect(throws: StreamingError.self) { try await session.resize(width: 80, height: 24) }
            #expect(error?.code == .unsupported)
            _ = try await session.exitStatus()
        }
    }

    @Test func v5OnlyOfferIsRefusedWithTheKubeletText() async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let url = server.registerExec(StreamingExecRequest(command: ["true"])) { _ in 0 }
        let error = await #expect(throws: StreamingError.self) {
            try await runStreamingCommand(url: url, options: StreamingOptions(protocols: [.v5]))
        }
        #expect(error?.code == .upgradeRejected)
        #expect(error?.httpStatus == 403)
        let token = try #require(url.split(separator: "/").last)
        #expect(error?.message.contains(token) == false)
        #expect(
            error?.message
                == "POST \(redacted(url)): HTTP 403 Forbidden: unable to negotiate protocol: client supports [v5.channel.k8s.io], "
                + "server accepts [v4.channel.k8s.io v3.channel.k8s.io v2.channel.k8s.io channel.k8s.io]")
    }

    @Test func v5WhenTheServerOffersIt() async throws {
        let server = try StreamingServer(configuration: .withV5)
        defer { server.shutDown() }
        let url = server.registerExec(StreamingExecRequest(command: ["true"], stdin: true)) { _ in 0 }
        let output = try await runStreamingCommand(url: url, stdin: [])
        #expect(output.negotiatedProtocol == .v5)
        #expect(output.stdinClosed)
    }

    @Test func slowStdoutConsumerStillGetsEverything() async throws {
        let server = try StreamingServer()
        defer { server.shutDown() }
        let payload = (0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        let url = server.registerExec(StreamingExecRequest(command: ["yes"])) { session in
            try session.writeStdout(payload)
            return 0
        }
        let output = try await runStreamingCommand(url: url, options: StreamingOptions(maxBufferedBytes: 4096))
        #expect(output.stdout == payload)
    }
}
