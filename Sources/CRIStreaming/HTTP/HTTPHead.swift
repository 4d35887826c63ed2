package import CRITransport

/// The start line and header fields of an HTTP/1.1 request or response (RFC 9112 § 2), as far as the WebSocket
/// upgrade needs them.
package struct HTTPHead: Sendable {
    /// The start line's three parts: method, target, version (request) or version, status, reason (response).
    package var startLine: [String]
    /// Header fields in order, names as sent.
    package var fields: [(name: String, value: String)]

    /// The first value of header `name` (case-insensitive), trimmed.
    package func value(_ name: String) -> String? {
        let lowered = name.lowercased()
        return fields.first { $0.name.lowercased() == lowered }?.value
    }

    /// All comma-separated tokens of every `name` header, trimmed, in order (RFC 9110 § 5.6.1 lists).
    package func tokens(_ name: String) -> [String] {
        let lowered = name.lowercased()
        return fields.filter { $0.name.lowercased() == lowered }.flatMap { field in
            field.value.split(separator: ",").map { $0.trimmingASCIIWhitespace() }.filter { !$0.isEmpty }
        }
    }

    /// Whether header `name` lists `token` (case-insensitive), as `Connection: keep-alive, Upgrade` does.
    package func hasToken(_ name: String, _ token: String) -> Bool {
        tokens(name).contains { $0.lowercased() == token.lowercased() }
    }

    /// Parses a head from `bytes`, which must end right after the blank line.
    package init(parsing bytes: ArraySlice<UInt8>) throws(StreamingError) {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .badHead("header block is not UTF-8") }
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last == "" { lines.removeLast() }
        guard let first = lines.first else { throw .badHead("empty header block") }
        let parts = first.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2 else { throw .badHead("malformed start line \(quotedURL(first))") }
        startLine = parts
        fields = []
        for line in lines.dropFirst() {
            // RFC 9112 § 5.2: obsolete line folding may be rejected.
            guard let first = line.first, first != " ", first != "\t" else { throw .badHead("folded header line") }
            guard let colon = line.firstIndex(of: ":") else { throw .badHead("header line without a colon") }
            fields.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingASCIIWhitespace()))
        }
    }

    /// Reads from `stream` until a blank line ends the head; returns the head and the bytes read past it.
    ///
    /// Blocks the calling thread; run it on an I/O thread.
    /// - Throws: ``StreamingError``: ``StreamingError/Code/connectionClosed`` if the stream ends first,
    ///   ``StreamingError/Code/invalidHandshake`` past `limit` bytes.
    package static func read(
        from stream: any ByteStream,
        limit: Int = 16 * 1024,
        what: String
    ) throws(StreamingError) -> (head: HTTPHead, leftover: [UInt8]) {
        var received: [UInt8] = []
        var scanFrom = 0
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count: Int
            do throws(TransportError) {
                count = try stream.read(into: &chunk)
            } catch {
                throw StreamingError.transport(error, "reading \(what)")
            }
            guard count > 0 else {
                throw StreamingError(
                    code: .connectionClosed, message: "\(what): connection closed before the header block ended")
            }
            received.append(contentsOf: chunk[..<count])
            // Look for CRLF CRLF, starting 3 bytes back in case it straddles reads.
            var index = max(0, scanFrom - 3)
            while index + 3 < received.count {
                if received[index] == 13, received[index + 1] == 10, received[index + 2] == 13,
                    received[index + 3] == 10
                {
                    let head = try HTTPHead(parsing: received[..<(index + 4)])
                    return (head, Array(received[(index + 4)...]))
                }
                index += 1
            }
            scanFrom = received.count
            guard received.count <= limit else {
                throw StreamingError(
                    code: .invalidHandshake, message: "\(what): header block longer than \(limit) bytes")
            }
        }
    }
}

extension HTTPHead {
    /// Checks that a response to the upgrade request `request` (`GET <url>`) is `101 Switching Protocols`.
    ///
    /// - Throws: ``StreamingError``: ``StreamingError/Code/invalidHandshake`` for a start line that is not HTTP/1.x,
    ///   ``StreamingError/Code/upgradeRejected`` with ``StreamingError/httpStatus`` for any other status.
    package func requireSwitchingProtocols(request: String) throws(StreamingError) {
        let status = startLine.count >= 2 ? Int(startLine[1]) : nil
        guard startLine[0].hasPrefix("HTTP/1."), let status else {
            throw StreamingError(
                code: .invalidHandshake,
                message: "\(request): not an HTTP/1.1 response: \(startLine.joined(separator: " "))")
        }
        guard status == 101 else {
            let reason = startLine.count > 2 ? " " + startLine[2] : ""
            throw StreamingError(code: .upgradeRejected, message: "\(request): HTTP \(status)\(reason)", httpStatus: status)
        }
    }
}

extension StreamingError {
    @inline(never)
    static func badHead(_ reason: String) -> StreamingError {
        StreamingError(code: .invalidHandshake, message: "malformed HTTP header block: \(reason)")
    }

    /// Wraps a transport failure, keeping it as ``underlying``.
    @inline(never)
    package static func transport(_ error: TransportError, _ operation: String) -> StreamingError {
        let code: Code =
            switch error.code {
            case .timedOut: .timedOut
            case .closed: .cancelled
            default: .connectionClosed
            }
        var result = StreamingError(code: code, message: "\(operation): \(error.message)")
        result.underlying = error
        return result
    }
}
