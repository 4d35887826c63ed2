import CRI
import CRIHPACK
import CRIHTTP2
import CRITesting
import CRITransport
import Foundation
import Synchronization
import Testing

/// A raw client connection to `endpoint` that has sent nothing yet.
func rawClient(to endpoint: String) throws -> RawPeer {
    let stream = try connect(to: Endpoint(parsing: endpoint), deadline: .now + .seconds(5))
    return RawPeer(stream: stream, actsAsServer: false)
}

/// The client preface plus an empty SETTINGS frame (RFC 9113 § 3.4).
func clientPreface(_ peer: RawPeer) -> [UInt8] {
    HTTP2ConnectionPreface.client + peer.encode([HTTP2Frame(streamID: 0, payload: .settings(SettingsPayload()))])
}

/// A Version request header block.
let versionRequestHeaders = [
    HPACKHeader(name: ":method", value: "POST"), HPACKHeader(name: ":scheme", value: "http"),
    HPACKHeader(name: ":path", value: "/runtime.v1.RuntimeService/Version"),
    HPACKHeader(name: ":authority", value: "localhost"),
    HPACKHeader(name: "content-type", value: "application/grpc"), HPACKHeader(name: "te", value: "trailers"),
]

/// What a drain thread saw from the server.
final class ServerFrames: Sendable {
    private let state = Mutex((refused: 0, goAway: HTTP2ErrorCode?.none, ended: false))
    var refused: Int { state.withLock { $0.refused } }
    var goAway: HTTP2ErrorCode? { state.withLock { $0.goAway } }
    var ended: Bool { state.withLock { $0.ended } }

    /// Reads `peer`'s frames on a new thread until the connection ends.
    func drain(_ peer: RawPeer) {
        Thread {
            while let frame = peer.nextFrame() {
                self.state.withLock { state in
                    switch frame.payload {
                    case .rstStream(let code) where code == .refusedStream: state.refused += 1
                    case .goAway(_, let code, _): state.goAway = code
                    default: break
                    }
                }
            }
            self.state.withLock { $0.ended = true }
        }.start()
    }
}

/// One line per abuse scenario for the hardening table (docs/hardening.md): what the server did and how long
/// the scenario took, including the well-behaved clients served meanwhile.
func report(_ scenario: String, _ outcome: String, _ start: ContinuousClock.Instant) {
    print("HOSTILE-ABUSE | \(scenario) | \(outcome); another client served | \(start.duration(to: .now))")
}

/// A well-behaved client on its own connection gets an answer.
func expectServerAnswers(_ endpoint: String) async throws {
    var options = CRIClientOptions()
    options.timeout = .seconds(5)
    let version = try await withCRIClient(endpoint: endpoint, options: options) { cri in try await cri.version() }
    #expect(version.runtimeName == "fake-cri")
}

/// Runs `body` against a fresh fake runtime and checks afterwards that the server side released every
/// descriptor the abusive connection and the checking clients used.
func withFakeServerCheckingDescriptors(_ name: String, _ body: (FakeCRIServer) async throws -> Void) async throws {
    try await warmUpOnce()
    let before = openFileDescriptors()
    let countBefore = openFileDescriptorCount()
    try await withFakeCRIServer { server in try await body(server) }
    let released = await eventually { openFileDescriptorCount() <= countBefore }
    if !released {
        let added = openFileDescriptors().filter { before[$0.key] != $0.value }
        Issue.record("\(name): \(countBefore) descriptors before, \(openFileDescriptorCount()) after; new: \(added)")
    }
}

extension CRIHostile {
    @Suite struct ServerAbuseTests {
        @Test func garbageInsteadOfThePreface() async throws {
            try await withFakeServerCheckingDescriptors("garbageInsteadOfThePreface") { server in
                let peer = try rawClient(to: server.endpoint)
                let frames = ServerFrames()
                frames.drain(peer)
                let start = ContinuousClock.now
                peer.write(Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8) + [UInt8](repeating: 0xee, count: 64))
                let closed = await eventually(within: .seconds(5)) { frames.ended }
                #expect(closed, "the server keeps a connection that did not start with the preface")
                try await expectServerAnswers(server.endpoint)
                report("HTTP/1.1 request instead of the preface", "connection closed: \(closed)", start)
                peer.close()
            }
        }

        @Test func resetFlood() async throws {
            try await withFakeServerCheckingDescriptors("resetFlood") { server in
                let peer = try rawClient(to: server.endpoint)
                let frames = ServerFrames()
                frames.drain(peer)
                var bytes = clientPreface(peer)
                // More resets than the server's limit (10,000 per 10 s, HTTP2ConnectionConfiguration.server).
                for index in 0..<12_000 {
                    let id = UInt32(index * 2 + 1)
                    bytes += peer.encode([
                        HTTP2Frame(streamID: id, payload: .headers(HeadersPayload(headers: versionRequestHeaders))),
                        HTTP2Frame(streamID: id, payload: .rstStream(.cancel)),
                    ])
                }
                let sendAll = bytes
                let start = ContinuousClock.now
                _ = await onThread { peer.write(sendAll) }
                let closed = await eventually(within: .seconds(10)) { frames.ended }
                #expect(closed, "the server kept a connection that reset 12,000 streams")
                #expect(frames.goAway == .enhanceYourCalm)
                try await expectServerAnswers(server.endpoint)
                report("12,000 HEADERS + RST_STREAM pairs", "GOAWAY \(frames.goAway.map { "\($0)" } ?? "none"), closed: \(closed)", start)
                peer.close()
            }
        }

        @Test func tooManyConcurrentStreams() async throws {
            try await withFakeServerCheckingDescriptors("tooManyConcurrentStreams") { server in
                let peer = try rawClient(to: server.endpoint)
                let frames = ServerFrames()
                frames.drain(peer)
                var bytes = clientPreface(peer)
                // Open streams without ending them: 100 more than the server's 1,000.
                for index in 0..<1100 {
                    bytes += peer.encode([
                        HTTP2Frame(
                            streamID: UInt32(index * 2 + 1),
                            payload: .headers(HeadersPayload(headers: versionRequestHeaders)))
                    ])
                }
                let sendAll = bytes
                let start = ContinuousClock.now
                _ = await onThread { peer.write(sendAll) }
                let refused = await eventually(within: .seconds(10)) { frames.refused >= 100 || frames.ended }
                #expect(refused && frames.refused >= 100, "refused \(frames.refused) streams")
                try await expectServerAnswers(server.endpoint)
                report("1,100 open streams (limit 1,000)", "\(frames.refused) RST_STREAM(REFUSED_STREAM)", start)
                peer.close()
            }
        }

        @Test func slowloris() async throws {
            try await withFakeServerCheckingDescriptors("slowloris") { server in
                let peer = try rawClient(to: server.endpoint)
                // The preface and four octets of a nine-octet frame header, then nothing.
                let start = ContinuousClock.now
                peer.write(clientPreface(peer) + [0, 0, 8, 0x6])
                try await expectServerAnswers(server.endpoint)
                try await expectServerAnswers(server.endpoint)
                report("preface + 4 of 9 frame-header octets, then silence", "the partial frame waits", start)
                peer.close()
            }
        }
    }
}
