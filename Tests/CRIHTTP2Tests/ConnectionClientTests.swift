import CRIHPACK
import CRIHTTP2
import Testing

/// Client-role connection behaviour against a scripted server.
@Suite struct ConnectionClientTests {
    @Test func everyPingIsAnsweredWithoutRateLimit() async throws {
        let (connection, peer) = try makeClientAndScriptedServer()
        defer { connection.close() }
        await peer.acceptHandshake()
        // grpc-go sends a PING with nearly every call: 1,000 in a row must all be answered. The
        // PINGs go out from another thread while the ACKs are read, as a real peer does: sending
        // them all before reading could fill both socket buffers and block both sides.
        let sender = sendPingsInBackground(peer, count: 1000)
        let last = await peer.expectFrame { frame in
            frame.payload == .ping(opaqueData: UInt64(999) << 8 | 0x42, ack: true)
        }
        await sender.value
        #expect(last != nil)
        #expect(!connection.isClosed)
    }

    @Test func continuationAndPaddingAreAccepted() async throws {
        let (connection, peer) = try makeClientAndScriptedServer()
        defer { connection.close() }
        await peer.acceptHandshake()
        let (stream, _) = try await connection.openStream(headers: requestHeaders, endStream: true)
        _ = await peer.expectFrame { if case .headers = $0.payload { return true } else { return false } }

        // HEADERS without END_HEADERS, then CONTINUATION with it (RFC 9113 § 6.10).
        let block = peer.headerBlock([
            HPACKHeader(name: ":status", value: "200"), HPACKHeader(name: "content-type", value: "application/grpc"),
        ])
        let split = block.count / 2
        var bytes = rawFrame(type: 0x1, flags: 0, streamID: stream.id, payload: Array(block[..<split]))
        bytes += rawFrame(type: 0x9, flags: 0x4, streamID: stream.id, payload: Array(block[split...]))
        // Padded DATA: pad length 3, then payload, then 3 octets of padding (RFC 9113 § 6.1).
        bytes += rawFrame(type: 0x0, flags: 0x8, streamID: stream.id, payload: [3, 10, 20, 30, 0, 0, 0])
        // Padded HEADERS (trailers) with END_STREAM and END_HEADERS.
        let trailers = peer.headerBlock([HPACKHeader(name: "grpc-status", value: "0")])
        bytes += rawFrame(type: 0x1, flags: 0x8 | 0x4 | 0x1, streamID: stream.id, payload: [2] + trailers + [0, 0])
        peer.sendBytes(bytes)

        guard case .headers(let headers, let endStream)? = try await stream.nextEvent() else {
            Issue.record("expected headers")
            return
        }
        #expect(headers.map(\.name) == [":status", "content-type"])
        #expect(!endStream)
        #expect(try await stream.nextEvent() == .data([10, 20, 30], endStream: false))
        #expect(try await stream.nextEvent() == .headers([HPACKHeader(name: "grpc-status", value: "0")], endStream: true))
        #expect(try await stream.nextEvent() == nil)
    }

    @Test func pushPromiseIsAConnectionError() async throws {
        let (connection, peer) = try makeClientAndScriptedServer()
        await peer.acceptHandshake()
        let (stream, _) = try await connection.openStream(headers: requestHeaders, endStream: true)
        let block = peer.headerBlock(requestHeaders)
        peer.sendBytes(rawFrame(type: 0x5, flags: 0x4, streamID: stream.id, payload: [0, 0, 0, 2] + block))
        // RFC 9113 § 8.4: we sent SETTINGS_ENABLE_PUSH = 0, so PUSH_PROMISE is a PROTOCOL_ERROR.
        let goAway = await peer.expectFrame { if case .goAway = $0.payload { return true } else { return false } }
        guard case .goAway(_, let code, _)? = goAway?.payload else {
            Issue.record("no GOAWAY")
            return
        }
        #expect(code == .protocolError)
        await #expect(throws: HTTP2StreamFailure(code: .connectionClosed, reason: "")) {
            try await stream.nextEvent()
        }
        #expect(connection.isClosed)
    }

    /// A client connection whose reader thread is stuck writing its PING ACK (the peer has stopped
    /// reading), with the connection's end requested meanwhile. The write is held on the reader
    /// thread, never on the concurrency pool, which the test still needs.
    private func closeDuringAHeldWrite(
        _ configuration: HTTP2ConnectionConfiguration
    ) async throws -> (HTTP2Connection, SocketPairTransport, ScriptedPeer) {
        let (local, remote) = SocketPairTransport.pair()
        let connection = HTTP2Connection(transport: local, role: .client, configuration: configuration)
        try connection.start()
        let peer = ScriptedPeer(transport: remote, actsAsServer: true)
        await peer.acceptHandshake()
        await peer.awaitSettingsAck()
        local.holdNextWrite()
        peer.send(HTTP2Frame(streamID: 0, payload: .ping(opaqueData: 7, ack: false)))
        #expect(await onThread { local.waitForHeldWrite() })
        connection.close()
        return (connection, local, peer)
    }

    /// Ending the connection while another thread is writing: that write goes on and delivers our
    /// GOAWAY too. Closing the transport at once used to cut the write off and lose the GOAWAY.
    @Test func closingDuringAWriteStillSendsTheGoAway() async throws {
        var configuration = HTTP2ConnectionConfiguration()
        configuration.goAwayGrace = .seconds(60)  // longer than the test: the write finishes first
        let (connection, local, peer) = try await closeDuringAHeldWrite(configuration)
        #expect(connection.isClosed)
        local.releaseHeldWrite()
        let ack = await peer.expectFrame { _ in true }
        #expect(ack?.payload == .ping(opaqueData: 7, ack: true))
        let goAway = await peer.expectFrame { _ in true }
        guard case .goAway(_, let code, _)? = goAway?.payload else {
            Issue.record("no GOAWAY: \(String(describing: goAway))")
            return
        }
        #expect(code == .noError)
        #expect(await onThread { local.waitUntilClosed(seconds: 5) })
    }

    /// The same with a write that never finishes and no write timeout: the transport is closed after
    /// the grace, which fails the write and frees the reader thread.
    @Test func aWriteStuckAtTheEndIsCutOffAfterTheGrace() async throws {
        var configuration = HTTP2ConnectionConfiguration()
        configuration.goAwayGrace = .milliseconds(20)
        configuration.writeTimeout = nil
        let (connection, local, _) = try await closeDuringAHeldWrite(configuration)
        #expect(connection.isClosed)
        #expect(await onThread { local.waitUntilClosed(seconds: 10) })
    }

    @Test func goAwayFailsStreamsAboveTheLastStreamIDAndRefusesNewOnes() async throws {
        let (connection, peer) = try makeClientAndScriptedServer()
        defer { connection.close() }
        await peer.acceptHandshake()
        let (first, _) = try await connection.openStream(headers: requestHeaders, endStream: true)
        let (second, _) = try await connection.openStream(headers: requestHeaders, endStream: true)
        peer.send(HTTP2Frame(streamID: 0, payload: .goAway(lastStreamID: first.id, errorCode: .noError, debugData: [])))
        let failure = await #expect(throws: HTTP2StreamFailure.self) { try await second.nextEvent() }
        #expect(failure?.code == .refusedByGoAway)
        #expect(failure?.isRetryable == true)
        await #expect(throws: HTTP2StreamFailure(code: .notAccepting, reason: "")) {
            try await connection.openStream(headers: requestHeaders, endStream: true)
        }
        // The stream below the last stream ID still completes.
        peer.send(
            HTTP2Frame(
                streamID: first.id,
                payload: .headers(HeadersPayload(headers: [HPACKHeader(name: ":status", value: "200")], endStream: true))))
        #expect(try await first.nextEvent() == .headers([HPACKHeader(name: ":status", value: "200")], endStream: true))
        #expect(try await first.nextEvent() == nil)
        // With nothing left, the connection closes itself.
        await connection.waitUntilClosed()
    }

    @Test func peerEndOfStreamFailsOpenStreamsPromptly() async throws {
        let (connection, peer) = try makeClientAndScriptedServer()
        await peer.acceptHandshake()
        let (stream, _) = try await connection.openStream(headers: requestHeaders, endStream: true)
        peer.transport.close()
        let failure = await #expect(throws: HTTP2StreamFailure.self) { try await stream.nextEvent() }
        #expect(failure?.code == .connectionClosed)
        #expect(connection.isClosed)
    }

    @Test func maxConcurrentStreamsQueuesNewStreams() async throws {
        let (connection, peer) = try makeClientAndScriptedServer()
        defer { connection.close() }
        await peer.acceptHandshake(settings: [HTTP2Setting(parameter: .maxConcurrentStreams, value: 1)])
        await peer.awaitSettingsAck()
        let (first, _) = try await connection.openStream(headers: requestHeaders, endStream: true)
        let second = Task { try await connection.openStream(headers: requestHeaders, endStream: true).stream.id }
        _ = await peer.expectFrame { $0.streamID == first.id }
        // Finishing the first stream frees the slot; only then do the second stream's HEADERS arrive.
        peer.send(
            HTTP2Frame(
                streamID: first.id,
                payload: .headers(HeadersPayload(headers: [HPACKHeader(name: ":status", value: "200")], endStream: true))))
        let next = await peer.expectFrame { if case .headers = $0.payload { return true } else { return false } }
        #expect(next?.streamID == first.id + 2)
        #expect(try await second.value == first.id + 2)
    }

    @Test func sendsOnlyWhatThePeerWindowAllowsAndAppliesSettingsDeltas() async throws {
        let (connection, peer) = try makeClientAndScriptedServer()
        defer { connection.close() }
        await peer.acceptHandshake(settings: [HTTP2Setting(parameter: .initialWindowSize, value: 0)])
        await peer.awaitSettingsAck()
        let body = [UInt8](repeating: 7, count: 250)
        let (stream, sent) = try await connection.openStream(headers: requestHeaders, data: body, endStream: true)
        #expect(sent == 0)
        let sender = Task { try await stream.sendData(body, from: sent, trailers: nil, endStream: true) }
        // RFC 9113 § 6.9.2: raising SETTINGS_INITIAL_WINDOW_SIZE opens existing streams by the delta.
        peer.send(
            HTTP2Frame(
                streamID: 0,
                payload: .settings(SettingsPayload(settings: [HTTP2Setting(parameter: .initialWindowSize, value: 100)]))))
        let firstData = await peer.expectFrame { if case .data = $0.payload { return true } else { return false } }
        guard case .data(let bytes, let endStream, _)? = firstData?.payload else {
            Issue.record("no DATA")
            return
        }
        #expect(bytes.count == 100 && !endStream)
        peer.send(HTTP2Frame(streamID: stream.id, payload: .windowUpdate(increment: 150)))
        let secondData = await peer.expectFrame { if case .data = $0.payload { return true } else { return false } }
        guard case .data(let rest, let end, _)? = secondData?.payload else {
            Issue.record("no second DATA")
            return
        }
        #expect(rest.count == 150 && end)
        try await sender.value
    }
}

/// Sends `count` PINGs from a detached task so the caller can read the ACKs meanwhile.
private func sendPingsInBackground(_ peer: ScriptedPeer, count: Int) -> Task<Void, Never> {
    Task.detached {
        for index in 0..<count {
            peer.send(HTTP2Frame(streamID: 0, payload: .ping(opaqueData: UInt64(index) << 8 | 0x42, ack: false)))
        }
    }
}
