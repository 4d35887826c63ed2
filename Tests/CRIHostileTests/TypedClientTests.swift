import CRI
import CRIHTTP2
import Foundation
import Testing

extension CRIHostile {
    /// The typed client over the same hostile servers: the gRPC failures arrive as ``CRIError`` codes.
    @Suite struct TypedClientTests {
        func version(against script: @escaping @Sendable (RawPeer) -> Void) async throws -> CRIError? {
            let server = try HostileServer(script: script)
            defer { server.close() }
            var options = CRIClientOptions()
            options.timeout = hostileDeadline
            let start = ContinuousClock.now
            var failure: CRIError?
            do {
                _ = try await withCRIClient(endpoint: "unix://" + server.path, options: options) { cri in
                    try await cri.version()
                }
            } catch let error as CRIError {
                failure = error
            }
            let elapsed = start.duration(to: .now)
            #expect(elapsed <= hostileDeadline + hostileSlack)
            print("HOSTILE-TYPED | \(failure.map { "\($0.code)" } ?? "succeeded") | \(elapsed)")
            return failure
        }

        @Test func http500IsUnknown() async throws {
            let error = try await version { peer in
                guard let id = peer.acceptCall() else { return }
                peer.send(peer.responseHeaders(streamID: id, status: "500", contentType: "text/plain", endStream: true))
                peer.readUntilClosed()
            }
            #expect(error?.code == .unknown)
        }

        @Test func fourGiBPrefixIsResourceExhausted() async throws {
            let error = try await version { peer in
                guard let id = peer.acceptCall() else { return }
                peer.send(
                    peer.responseHeaders(streamID: id),
                    HTTP2Frame(streamID: id, payload: .data(bytes: [0, 0xff, 0xff, 0xff, 0xff], endStream: false, flowControlledLength: 5)))
                peer.readUntilClosed()
            }
            #expect(error?.code == .resourceExhausted)
        }

        @Test func silentServerIsDeadlineExceeded() async throws {
            let error = try await version { peer in peer.readUntilClosed() }
            #expect(error?.code == .deadlineExceeded)
        }
    }
}
