import CRIHPACK
import CRIHTTP2
import Synchronization
import Testing

/// A server connection wired to a scripted client that has sent its preface and SETTINGS.
func makeServerAndScriptedClient(
    configuration: HTTP2ConnectionConfiguration
) async throws -> (HTTP2Connection, ScriptedPeer) {
    let (local, remote) = SocketPairTransport.pair()
    let connection = HTTP2Connection(transport: local, role: .server, configuration: configuration) { _ in }
    try connection.start()
    let peer = ScriptedPeer(transport: remote, actsAsServer: false)
    peer.sendBytes(HTTP2ConnectionPreface.client)
    peer.send(HTTP2Frame(streamID: 0, payload: .settings(SettingsPayload())))
    return (connection, peer)
}

@Suite struct ConnectionServerTests {
    @Test func streamsBeyondMaxConcurrentStreamsAreRefused() async throws {
        var configuration = HTTP2ConnectionConfiguration.server
        configuration.maxConcurrentStreams = 1
        let (connection, peer) = try await makeServerAndScriptedClient(configuration: configuration)
        defer { connection.close() }
        let settings = await peer.expectFrame { if case .settings = $0.payload { return true } else { return false } }
        guard case .settings(let payload)? = settings?.payload else {
            Issue.record("no SETTINGS")
            return
        }
        #expect(payload.settings.contains(HTTP2Setting(parameter: .maxConcurrentStreams, value: 1)))
        peer.send(HTTP2Frame(streamID: 1, payload: .headers(HeadersPayload(headers: requestHeaders))))
        peer.send(HTTP2Frame(streamID: 3, payload: .headers(HeadersPayload(headers: requestHeaders))))
        // RFC 9113 § 5.1.2: REFUSED_STREAM for streams beyond the advertised limit.
        let reset = await peer.expectFrame { if case .rstStream = $0.payload { return true } else { return false } }
        #expect(reset == HTTP2Frame(streamID: 3, payload: .rstStream(.refusedStream)))
    }

    @Test func resetFloodClosesTheConnectionWithEnhanceYourCalm() async throws {
        var configuration = HTTP2ConnectionConfiguration.server
        configuration.resetFloodLimit = 10
        let (connection, peer) = try await makeServerAndScriptedClient(configuration: configuration)
        for index in 0..<11 {
            let id = UInt32(index * 2 + 1)
            peer.send(
                HTTP2Frame(streamID: id, payload: .headers(HeadersPayload(headers: requestHeaders))),
                HTTP2Frame(streamID: id, payload: .rstStream(.cancel)))
        }
        let goAway = await peer.expectFrame { if case .goAway = $0.payload { return true } else { return false } }
        guard case .goAway(let last, let code, _)? = goAway?.payload else {
            Issue.record("no GOAWAY")
            return
        }
        #expect(code == .enhanceYourCalm)
        #expect(last == 21)
        await connection.waitUntilClosed()
    }

    @Test func gracefulShutdownSendsGoAwayAndRefusesLaterStreams() async throws {
        let streams = Mutex<[HTTP2Stream]>([])
        let (local, remote) = SocketPairTransport.pair()
        let connection = HTTP2Connection(transport: local, role: .server, configuration: .server) { stream in
            streams.withLock { $0.append(stream) }
        }
        try connection.start()
        let peer = ScriptedPeer(transport: remote, actsAsServer: false)
        peer.sendBytes(HTTP2ConnectionPreface.client)
        peer.send(
            HTTP2Frame(streamID: 0, payload: .settings(SettingsPayload())),
            HTTP2Frame(streamID: 1, payload: .headers(HeadersPayload(headers: requestHeaders, endStream: true))))
        await peer.awaitSettingsAck()
        let shutdown = Task { await connection.shutdownGracefully() }
        let goAway = await peer.expectFrame { if case .goAway = $0.payload { return true } else { return false } }
        #expect(goAway?.payload == .goAway(lastStreamID: 1, errorCode: .noError, debugData: []))
        // A stream opened after our GOAWAY is refused, so the client can retry it elsewhere.
        peer.send(HTTP2Frame(streamID: 3, payload: .headers(HeadersPayload(headers: requestHeaders, endStream: true))))
        let reset = await peer.expectFrame { if case .rstStream = $0.payload { return true } else { return false } }
        #expect(reset == HTTP2Frame(streamID: 3, payload: .rstStream(.refusedStream)))
        // The in-flight stream finishes, then the connection closes.
        let stream = try #require(streams.withLock { $0.first })
        try await stream.send(headers: [HPACKHeader(name: ":status", value: "200")], endStream: true)
        await shutdown.value
        #expect(connection.isClosed)
        // The streams hold the connection, whose onStream holds this list: break the cycle (LeakSanitizer).
        streams.withLock { $0.removeAll() }
    }
}
