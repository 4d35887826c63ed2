/// Why a stream (or the attempt to open one) ended without a normal end of stream.
///
/// Equality is by ``code`` only, so tests and callers compare kinds (`failure.code == .resetByPeer`).
package struct HTTP2StreamFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure; an open set.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private let raw: UInt8
        private init(_ raw: UInt8) { self.raw = raw }

        /// The peer reset the stream (RST_STREAM); ``HTTP2StreamFailure/http2Code`` says why.
        package static let resetByPeer = Code(0)
        /// The connection ended (end of file, I/O error, protocol error, GOAWAY with an error).
        package static let connectionClosed = Code(1)
        /// The peer's GOAWAY named a last stream below this one: the peer never processed it, so
        /// the request may be retried on a new connection (RFC 9113 § 6.8).
        package static let refusedByGoAway = Code(2)
        /// The connection takes no new streams (GOAWAY sent or received, closing, or stream IDs
        /// exhausted); nothing was sent, so a new connection may be used.
        package static let notAccepting = Code(3)
        /// We reset the stream ourselves (cancellation, deadline, or a local decision).
        package static let locallyReset = Code(4)
        /// The peer broke the protocol on this stream (we reset it).
        package static let protocolViolation = Code(5)

        package var description: String {
            switch raw {
            case 0: "resetByPeer"
            case 1: "connectionClosed"
            case 2: "refusedByGoAway"
            case 3: "notAccepting"
            case 4: "locallyReset"
            default: "protocolViolation"
            }
        }
    }

    /// The kind of failure.
    package var code: Code
    /// The HTTP/2 error code carried by RST_STREAM or GOAWAY, when there was one.
    package var http2Code: HTTP2ErrorCode?
    /// A sentence for logs.
    package var reason: String

    /// Creates a failure.
    package init(code: Code, http2Code: HTTP2ErrorCode? = nil, reason: String) {
        self.code = code
        self.http2Code = http2Code
        self.reason = reason
    }

    /// Whether the peer certainly did not process the stream, so a new attempt is safe.
    package var isRetryable: Bool {
        code == .refusedByGoAway || code == .notAccepting || (code == .resetByPeer && http2Code == .refusedStream)
    }

    package static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    package func hash(into hasher: inout Hasher) { hasher.combine(code) }

    package var description: String {
        if let http2Code { return "\(code) (HTTP/2 error 0x\(String(http2Code.rawValue, radix: 16))): \(reason)" }
        return "\(code): \(reason)"
    }

    @inline(never)
    static func resetByPeer(_ code: HTTP2ErrorCode) -> Self {
        Self(code: .resetByPeer, http2Code: code, reason: "stream reset by peer")
    }

    @inline(never)
    static func connectionClosed(_ reason: String, http2Code: HTTP2ErrorCode? = nil) -> Self {
        Self(code: .connectionClosed, http2Code: http2Code, reason: reason)
    }

    @inline(never)
    static func notAccepting(_ reason: String) -> Self { Self(code: .notAccepting, reason: reason) }
}
