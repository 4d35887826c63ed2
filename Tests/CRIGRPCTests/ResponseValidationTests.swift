import CRIGRPC
import CRIHPACK
import CRIHTTP2
import CRITransport
import Synchronization
import Testing

/// A raw HTTP/2 server whose streams answer with scripted frames, to test how the client reads
/// responses that our own server never sends.
final class ScriptedResponder: Sendable {
    typealias Script = @Sendable (HTTP2Stream, _ requestHeaders: [HPACKHeader]) async throws -> Void
    let client: GRPCClient
    private let listener: any Listener
    private let directory: String

    init(_ script: @escaping Script) throws {
        directory = makeTemporaryDirectory()
        let path = directory + "/raw.sock"
        let listener = try listen(on: .unixSocket(path: path))
        self.listener = listener
        _ = spawnDetachedThread {
            while let stream = try? listener.accept() {
                let connection = HTTP2Connection(
                    transport: ByteStreamTransport(stream), role: .server, configuration: .server
                ) { stream in
                    Task {
                        // Read the whole request first.
                        var headers: [HPACKHeader] = []
                        while case .some(let event) = try? await stream.nextEvent() {
                            if case .headers(let block, _) = event, headers.isEmpty { headers = block }
                        }
                        try? await script(stream, headers)
                    }
                }
                try? connection.start()
            }
        }
        client = GRPCClient {
            ByteStreamTransport(try connect(to: .unixSocket(path: path), deadline: .now + .seconds(5)))
        }
    }

    func shutdown() {
        client.close()
        listener.close()
        removeTemporaryDirectory(directory)
    }
}

let okHeaders = [
    HPACKHeader(name: ":status", value: "200"), HPACKHeader(name: "content-type", value: "application/grpc"),
]

func expectStatus(
    _ code: RPCError.Code, messageContains: String = "", sourceLocation: SourceLocation = #_sourceLocation,
    _ script: @escaping ScriptedResponder.Script
) async throws {
    let responder = try ScriptedResponder(script)
    defer { responder.shutdown() }
    do {
        let response = try await responder.client.unary(path: "/p.S/M", request: [1])
        Issue.record("expected \(code), got a response of \(response.count) bytes", sourceLocation: sourceLocation)
    } catch {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        #expect(error.message.contains(messageContains), "\(error)", sourceLocation: sourceLocation)
    }
}

extension GRPCTests {
    @Suite struct ResponseValidationTests {
        @Test func requestHeadersAreExactlyTheSpecifiedOnes() async throws {
            let captured = Mutex<[HPACKHeader]>([])
            let responder = try ScriptedResponder { stream, headers in
                captured.withLock { $0 = headers }
                try await stream.send(
                    headers: okHeaders, data: [0, 0, 0, 0, 0], trailers: [HPACKHeader(name: "grpc-status", value: "0")])
            }
            defer { responder.shutdown() }
            var options = GRPCCallOptions(timeout: .seconds(2))
            options.metadata.add("X-Custom", "v")
            options.metadata.add("x-raw-bin", binary: [1, 2, 3])
            _ = try await responder.client.unary(path: "/runtime.v1.RuntimeService/Version", request: [], options: options)
            let headers = captured.withLock { $0 }.map { "\($0.name): \($0.value)" }
            #expect(
                headers == [
                    ":method: POST", ":scheme: http", ":path: /runtime.v1.RuntimeService/Version",
                    ":authority: localhost", "content-type: application/grpc", "te: trailers", "grpc-timeout: 2000000u",
                    "user-agent: swift-cri-grpc/0.1", "x-custom: v", "x-raw-bin: AQID",
                ])
        }

        @Test func trailersOnlyResponseCarriesTheStatus() async throws {
            try await expectStatus(.permissionDenied, messageContains: "no way") { stream, _ in
                try await stream.send(
                    headers: okHeaders + [
                        HPACKHeader(name: "grpc-status", value: "7"), HPACKHeader(name: "grpc-message", value: "no%20way"),
                    ], endStream: true)
            }
        }

        @Test(arguments: [(404, RPCError.Code.unimplemented), (503, .unavailable), (429, .unavailable), (401, .unauthenticated)])
        func httpStatusWithoutGRPCStatusIsMapped(status: Int, code: RPCError.Code) async throws {
            try await expectStatus(code) { stream, _ in
                try await stream.send(headers: [HPACKHeader(name: ":status", value: "\(status)")], endStream: true)
            }
        }

        @Test func httpErrorStatusWithABodyIsMapped() async throws {
            try await expectStatus(.unavailable) { stream, _ in
                try await stream.send(
                    headers: [HPACKHeader(name: ":status", value: "503"), HPACKHeader(name: "content-type", value: "text/plain")],
                    data: Array("busy".utf8), endStream: true)
            }
        }

        @Test func wrongContentTypeIsUnknown() async throws {
            try await expectStatus(.unknown, messageContains: "content-type") { stream, _ in
                try await stream.send(
                    headers: [HPACKHeader(name: ":status", value: "200"), HPACKHeader(name: "content-type", value: "text/html")],
                    data: Array("<html>".utf8), endStream: true)
            }
        }

        @Test func missingGRPCStatusIsUnknown() async throws {
            try await expectStatus(.unknown, messageContains: "grpc-status") { stream, _ in
                try await stream.send(headers: okHeaders, data: [0, 0, 0, 0, 1, 7], trailers: [HPACKHeader(name: "x", value: "y")])
            }
        }

        @Test func compressedMessageWithoutEncodingIsInternal() async throws {
            try await expectStatus(.internalError, messageContains: "compressed") { stream, _ in
                try await stream.send(
                    headers: okHeaders, data: [1, 0, 0, 0, 1, 7], trailers: [HPACKHeader(name: "grpc-status", value: "0")])
            }
        }

        @Test func streamEndingWithoutTrailersIsInternal() async throws {
            try await expectStatus(.internalError, messageContains: "trailers") { stream, _ in
                try await stream.send(headers: okHeaders, data: [0, 0, 0, 0, 1, 7], endStream: true)
            }
        }

        @Test func okStatusWithoutAMessageIsInternal() async throws {
            try await expectStatus(.internalError) { stream, _ in
                try await stream.send(headers: okHeaders, trailers: [HPACKHeader(name: "grpc-status", value: "0")])
            }
        }

        @Test func twoMessagesForAUnaryCallIsInternal() async throws {
            try await expectStatus(.internalError) { stream, _ in
                try await stream.send(
                    headers: okHeaders, data: [0, 0, 0, 0, 1, 7, 0, 0, 0, 0, 1, 8],
                    trailers: [HPACKHeader(name: "grpc-status", value: "0")])
            }
        }

        @Test func messageSpanningManyDataFramesIsJoined() async throws {
            let responder = try ScriptedResponder { stream, _ in
                let message = pattern(100_000)
                let framed = [0, 0, 1, 0x86, 0xa0] + message
                var offset = 0
                var first = true
                while offset < framed.count {
                    let end = min(framed.count, offset + 777)
                    try await stream.send(headers: first ? okHeaders : nil, data: Array(framed[offset..<end]))
                    first = false
                    offset = end
                }
                try await stream.send(trailers: [HPACKHeader(name: "grpc-status", value: "0")])
            }
            defer { responder.shutdown() }
            #expect(try await responder.client.unary(path: "/p.S/M", request: []) == pattern(100_000))
        }

        @Test func resetByServerMapsPerSpec() async throws {
            try await expectStatus(.unavailable) { stream, _ in stream.reset(.refusedStream) }
            try await expectStatus(.resourceExhausted) { stream, _ in stream.reset(.enhanceYourCalm) }
            try await expectStatus(.internalError) { stream, _ in stream.reset(.internalError) }
        }
    }
}
