import CRITransport

@testable import CRIStreaming

/// A TCP echo server on 127.0.0.1 (system-chosen port) for port-forward tests.
final class EchoServer: Sendable {
    let listener: any Listener
    let port: UInt16

    init() throws {
        listener = try listen(on: .tcp(host: "127.0.0.1", port: 0))
        guard case .tcp(_, let port) = listener.localEndpoint.kind else {
            throw StreamingError(code: .connectionFailed, message: "no port")
        }
        self.port = port
        try startIOThread(name: "test-echo") { [listener] in
            try? listener.acceptConnections { stream in
                do {
                    try startIOThread(name: "test-echo-conn") {
                        var chunk = [UInt8](repeating: 0, count: 4096)
                        while let count = try? stream.read(into: &chunk), count > 0 {
                            guard (try? stream.write(Array(chunk[..<count]), deadline: nil)) != nil else { break }
                        }
                        stream.close()
                    }
                } catch {
                    stream.close()
                }
            }
        }
    }

    func close() { listener.close() }
}

/// A TCP server on 127.0.0.1 that accepts connections and never answers (handshake timeout tests).
final class SilentServer: Sendable {
    let listener: any Listener
    let port: UInt16

    init() throws {
        listener = try listen(on: .tcp(host: "127.0.0.1", port: 0))
        guard case .tcp(_, let port) = listener.localEndpoint.kind else {
            throw StreamingError(code: .connectionFailed, message: "no port")
        }
        self.port = port
        try startIOThread(name: "test-silent") { [listener] in
            var held: [any ByteStream] = []
            try? listener.acceptConnections { held.append($0) }
            for stream in held { stream.close() }
        }
    }

    func close() { listener.close() }
}

/// A port on 127.0.0.1 with nothing listening: bound once, then closed.
func unusedLoopbackPort() throws -> UInt16 {
    let listener = try listen(on: .tcp(host: "127.0.0.1", port: 0))
    defer { listener.close() }
    guard case .tcp(_, let port) = listener.localEndpoint.kind else {
        throw StreamingError(code: .connectionFailed, message: "no port")
    }
    return port
}

extension Array where Element == UInt8 {
    var text: String { String(decoding: self, as: UTF8.self) }
}

/// A server that answers every request with fixed bytes and closes, like Go's websocket server refusing a
/// subprotocol with a bare `403` (no headers, no body).
final class CannedResponseServer: Sendable {
    let listener: any Listener
    let port: UInt16

    init(response: String) throws {
        listener = try listen(on: .tcp(host: "127.0.0.1", port: 0))
        guard case .tcp(_, let port) = listener.localEndpoint.kind else {
            throw StreamingError(code: .connectionFailed, message: "no port")
        }
        self.port = port
        try startIOThread(name: "test-canned") { [listener] in
            try? listener.acceptConnections { stream in
                _ = try? HTTPHead.read(from: stream, what: "canned")
                try? stream.write(Array(response.utf8), deadline: nil)
                stream.close()
            }
        }
    }

    func close() { listener.close() }
}

/// How messages name a streaming URL: its token replaced (see ``StreamingURL/description``).
func redacted(_ url: String) -> String {
    (try? StreamingURL(parsing: url).description) ?? url
}
