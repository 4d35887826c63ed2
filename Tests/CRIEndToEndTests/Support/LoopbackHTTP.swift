import CRITransport
import Foundation

/// The smallest HTTP/1.0 client that can fetch a page a container serves on 127.0.0.1 (host
/// network). Loopback only, by construction: the host is fixed.
enum LoopbackHTTP {
    /// A TCP port on 127.0.0.1 that was free a moment ago (the kernel picked it).
    static func freePort() throws -> UInt16 {
        let listener = try listen(on: .tcp(host: "127.0.0.1", port: 0))
        defer { listener.close() }
        guard case .tcp(_, let port) = listener.localEndpoint.kind else {
            throw LoopbackHTTPError(message: "listener has no TCP port: \(listener.localEndpoint)")
        }
        return port
    }

    /// `GET path` from 127.0.0.1:`port`; returns the status line and the body. Blocking I/O runs
    /// on its own thread, off the concurrency pool.
    static func get(port: UInt16, path: String = "/") async throws -> (statusLine: String, body: String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try getBlocking(port: port, path: path) })
            }
        }
    }

    private static func getBlocking(port: UInt16, path: String) throws -> (statusLine: String, body: String) {
        let stream = try connect(to: .tcp(host: "127.0.0.1", port: port), deadline: .now + .seconds(5))
        defer { stream.close() }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n".utf8)
        try request.withUnsafeBytes { try stream.write($0, deadline: .now + .seconds(5)) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while response.count < 1 << 20 {
            let count = try buffer.withUnsafeMutableBytes { try stream.read(into: $0) }
            if count == 0 { break }
            response += buffer[..<count]
        }
        let text = String(decoding: response, as: UTF8.self)
        guard let headEnd = text.range(of: "\r\n\r\n") else {
            throw LoopbackHTTPError(message: "no HTTP head in \(response.count) bytes: \(text.prefix(200))")
        }
        let statusLine = text[..<headEnd.lowerBound].split(separator: "\r\n").first.map(String.init) ?? ""
        return (statusLine, String(text[headEnd.upperBound...]))
    }
}

/// A loopback fetch failed.
struct LoopbackHTTPError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
