import Testing

@testable import CRIStreaming

@Suite struct WebSocketConnectionTests {
    /// A connection in `role` over an in-memory pair, the raw peer, and the connection's messages and ending.
    struct Harness {
        let connection: WebSocketConnection
        let peer: RawPeer
        let messages: AsyncStream<[UInt8]>
        let endings: AsyncStream<String>

        init(role: WebSocketConnection.Role, maxMessageSize: Int = 1024, closeTimeout: Duration = .seconds(5)) throws {
            let (local, remote) = makeMemoryStreamPair()
            connection = WebSocketConnection(
                stream: local, role: role, label: "test", maxMessageSize: maxMessageSize,
                writeTimeout: .seconds(5), closeTimeout: closeTimeout
            )
            peer = RawPeer(stream: remote, masking: role == .client ? .required : .forbidden)
            let (messages, messageSink) = AsyncStream.makeStream(of: [UInt8].self)
            let (endings, endingSink) = AsyncStream.makeStream(of: String.self)
            self.messages = messages
            self.endings = endings
            try connection.start(
                initialBytes: [],
                handlers: .init(
                    message: { _, payload in messageSink.yield(payload) },
                    end: { ending in
                        switch ending {
                        case .closeFrame(let code, let reason):
                            endingSink.yield("close \(code?.rawValue ?? 0) \(reason)")
                        case .endOfStream: endingSink.yield("end of stream")
                        case .failed(let error): endingSink.yield("failed \(error.code) \(error.closeCode ?? 0)")
                        }
                        messageSink.finish()
                        endingSink.finish()
                    }
                ))
        }

        func ending() async -> String? {
            var iterator = endings.makeAsyncIterator()
            return await iterator.next()
        }

        /// A server-to-client frame (unmasked) or client-to-server frame (masked), to feed the connection.
        func frame(_ opcode: WebSocketOpcode, _ payload: [UInt8], fin: Bool = true) -> [UInt8] {
            WebSocketFrameEncoder.encode(
                WebSocketFrame(fin: fin, opcode: opcode, payload: payload),
                maskingKey: peer.masking == .required ? nil : (9, 8, 7, 6)
            )
        }
    }

    @Test func clientAnswersPingWithMaskedPong() async throws {
        let harness = try Harness(role: .client)
        try harness.peer.send(harness.frame(.ping, Array("are you there".utf8)))
        // The peer's decoder requires masking, so this also proves the pong is masked.
        #expect(await harness.peer.nextEvent() == .pong(Array("are you there".utf8)))
        harness.connection.abort()
    }

    @Test func serverAnswersPingWithUnmaskedPong() async throws {
        let harness = try Harness(role: .server)
        try harness.peer.send(harness.frame(.ping, [1, 2, 3]))
        #expect(await harness.peer.nextEvent() == .pong([1, 2, 3]))
        harness.connection.abort()
    }

    @Test func deliversReassembledMessages() async throws {
        let harness = try Harness(role: .client)
        try harness.peer.send(
            harness.frame(.binary, [1], fin: false) + harness.frame(.ping, []) + harness.frame(.continuation, [2]))
        var iterator = harness.messages.makeAsyncIterator()
        #expect(await iterator.next() == [1, 2])
        harness.connection.abort()
    }

    @Test func peerCloseIsEchoedAndEndsTheConnection() async throws {
        let harness = try Harness(role: .client)
        try harness.peer.send(
            harness.frame(.close, WebSocketFrameEncoder.closePayload(code: .goingAway, reason: "bye")))
        #expect(await harness.peer.nextEvent() == .close(code: .goingAway, reason: ""))
        #expect(await harness.ending() == "close 1001 bye")
        #expect(throws: StreamingError.self) { try harness.connection.sendBinary([1]) }
    }

    @Test func localCloseHandshake() async throws {
        let harness = try Harness(role: .client)
        harness.connection.close()
        #expect(await harness.peer.nextEvent() == .close(code: .normalClosure, reason: ""))
        // RFC 6455 § 5.5.1: no data frames after a close frame.
        let error = #expect(throws: StreamingError.self) { try harness.connection.sendBinary([1]) }
        #expect(error?.code == .connectionClosed)
        try harness.peer.send(
            harness.frame(.close, WebSocketFrameEncoder.closePayload(code: .normalClosure, reason: "")))
        #expect(await harness.ending() == "close 1000 ")
    }

    @Test func unansweredCloseDropsTheStreamAfterTheTimeout() async throws {
        let harness = try Harness(role: .client, closeTimeout: .milliseconds(50))
        harness.connection.close()
        #expect(await harness.ending() == "end of stream")
    }

    @Test func maskedServerFrameFailsWith1002() async throws {
        let harness = try Harness(role: .client)
        try harness.peer.send(
            WebSocketFrameEncoder.encode(WebSocketFrame(opcode: .binary, payload: [1]), maskingKey: (1, 2, 3, 4)))
        #expect(
            await harness.peer.nextEvent()
                == .close(code: .protocolError, reason: "WebSocket: masked frame from the server"))
        #expect(await harness.ending() == "failed protocolViolation 1002")
    }

    @Test func unmaskedClientFrameFailsWith1002() async throws {
        let harness = try Harness(role: .server)
        try harness.peer.send(
            WebSocketFrameEncoder.encode(WebSocketFrame(opcode: .binary, payload: [1]), maskingKey: nil))
        guard case .close(let code, _)? = await harness.peer.nextEvent() else {
            Issue.record("expected a close frame")
            return
        }
        #expect(code == .protocolError)
        #expect(await harness.ending() == "failed protocolViolation 1002")
    }

    @Test func oversizedMessageFailsWith1009() async throws {
        let harness = try Harness(role: .client, maxMessageSize: 10)
        try harness.peer.send(harness.frame(.binary, [UInt8](repeating: 0, count: 11)))
        guard case .close(let code, _)? = await harness.peer.nextEvent() else {
            Issue.record("expected a close frame")
            return
        }
        #expect(code == .messageTooBig)
        #expect(await harness.ending() == "failed messageTooLarge 1009")
    }

    @Test func endOfStreamWithoutClose() async throws {
        let harness = try Harness(role: .client)
        harness.peer.stream.shutdownWrite()
        #expect(await harness.ending() == "end of stream")
    }

    @Test func abortReportsCancellation() async throws {
        let harness = try Harness(role: .client)
        harness.connection.abort()
        #expect(await harness.ending() == "failed cancelled 0")
    }
}
