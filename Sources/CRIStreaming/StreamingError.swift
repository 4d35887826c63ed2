/// A failure of an exec, attach or port-forward stream: the URL, the HTTP upgrade, the SPDY/3.1 or WebSocket
/// framing, the Kubernetes channel protocol, or the connection underneath.
///
/// Equality and hashing use ``code`` only, so tests write `#expect(error.code == .upgradeRejected)`;
/// ``message`` names the URL and carries the detail for people.
public struct StreamingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure: an open set, so new kinds are not breaking changes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Backing: Hashable, Sendable {
            case invalidURL, connectionFailed, upgradeRejected, invalidHandshake, protocolViolation
            case messageTooLarge, connectionClosed, remoteFailure, timedOut, cancelled, unsupported
        }

        private let backing: Backing

        private init(_ backing: Backing) { self.backing = backing }

        /// The streaming URL does not parse, or is relative without a base.
        public static let invalidURL = Code(.invalidURL)
        /// The TCP connection to the streaming server could not be made (refused, unresolvable…).
        public static let connectionFailed = Code(.connectionFailed)
        /// The server answered the upgrade with an HTTP status other than 101 (see ``StreamingError/httpStatus``).
        public static let upgradeRejected = Code(.upgradeRejected)
        /// The 101 response (or, server side, the request) broke RFC 6455 § 4 or the SPDY/3.1 upgrade: wrong accept
        /// key, missing headers, a subprotocol we did not offer.
        public static let invalidHandshake = Code(.invalidHandshake)
        /// The peer broke RFC 6455 or SPDY/3.1 framing (bad zlib, reused stream ids, flow-control windows) or the
        /// Kubernetes channel protocol.
        public static let protocolViolation = Code(.protocolViolation)
        /// A WebSocket message (close code 1009), SPDY frame or SPDY header block larger than the configured limit.
        public static let messageTooLarge = Code(.messageTooLarge)
        /// The connection ended (close frame, end of stream or reset) before the exit status arrived.
        public static let connectionClosed = Code(.connectionClosed)
        /// The runtime reported a failure that is not an exit code (a `metav1.Status` Failure without an
        /// `ExitCode` cause); ``StreamingError/message`` carries its message.
        public static let remoteFailure = Code(.remoteFailure)
        /// A handshake or write deadline passed.
        public static let timedOut = Code(.timedOut)
        /// The session was closed locally (its scope ended) or the calling task was cancelled.
        public static let cancelled = Code(.cancelled)
        /// The negotiated protocol cannot do what was asked.
        public static let unsupported = Code(.unsupported)

        /// The code's name, as written after the dot.
        public var description: String {
            switch backing {
            case .invalidURL: "invalidURL"
            case .connectionFailed: "connectionFailed"
            case .upgradeRejected: "upgradeRejected"
            case .invalidHandshake: "invalidHandshake"
            case .protocolViolation: "protocolViolation"
            case .messageTooLarge: "messageTooLarge"
            case .connectionClosed: "connectionClosed"
            case .remoteFailure: "remoteFailure"
            case .timedOut: "timedOut"
            case .cancelled: "cancelled"
            case .unsupported: "unsupported"
            }
        }
    }

    /// What went wrong, for programs.
    public var code: Code
    /// What went wrong, for people; names the URL where one is known.
    public var message: String
    /// The HTTP status of a refused upgrade (403, 404…), else nil.
    public var httpStatus: Int?
    /// The WebSocket close code this failure maps to (RFC 6455 § 7.4.1), when it came from framing.
    public var closeCode: UInt16?
    /// The lower-level error behind this one (a transport failure), if any.
    public var underlying: (any Error & Sendable)?

    /// Creates an error; prefer the factories, which keep message shapes consistent.
    public init(code: Code, message: String, httpStatus: Int? = nil, closeCode: UInt16? = nil) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.closeCode = closeCode
    }

    /// `code: message`, the form logs and test failures show.
    public var description: String { "\(code): \(message)" }

    /// Errors are equal when their codes are; the message is detail, not identity.
    public static func == (lhs: StreamingError, rhs: StreamingError) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only, matching `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

extension StreamingError {
    /// A WebSocket framing violation; `closeCode` is what we send before closing (RFC 6455 § 7.4.1).
    @inline(never)
    package static func framing(_ reason: String, closeCode: UInt16 = WebSocketCloseCode.protocolError.rawValue)
        -> StreamingError
    {
        StreamingError(code: .protocolViolation, message: "WebSocket: \(reason)", closeCode: closeCode)
    }

    /// A message over the configured size limit (close code 1009).
    @inline(never)
    package static func tooLarge(_ size: UInt64, limit: Int) -> StreamingError {
        StreamingError(
            code: .messageTooLarge,
            message: "WebSocket: message of \(size) bytes exceeds the limit of \(limit) bytes",
            closeCode: WebSocketCloseCode.messageTooBig.rawValue
        )
    }

    /// A violation of the Kubernetes channel protocol on an established session.
    @inline(never)
    package static func channelProtocol(_ url: String, _ reason: String) -> StreamingError {
        StreamingError(code: .protocolViolation, message: "\(url): \(reason)")
    }

    /// The session ended (or was ended) before the exit status arrived.
    @inline(never)
    package static func closedWithoutStatus(_ url: String, _ detail: String) -> StreamingError {
        StreamingError(
            code: .connectionClosed, message: "\(url): connection ended before the exit status arrived (\(detail))")
    }
}
