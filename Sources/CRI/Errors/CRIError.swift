/// The error every ``CRIClient`` call throws: the gRPC status code, the runtime's message, and which
/// RPC on which endpoint failed.
///
/// Equality and hashing use ``code`` only, so `#expect(throws: CRIError(code: .notFound))` works
/// whatever the message. The ``description`` has everything a person needs to act:
/// `RemoveContainer on unix:///run/containerd/containerd.sock: NOT_FOUND: container "abc" not found`.
public struct CRIError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A gRPC status code (the contract CRI runtimes express errors in), plus client-side kinds.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The gRPC status number for gRPC codes; client-side kinds use numbers from 1000.
        public let rawValue: Int

        /// Wraps a raw code.
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// The operation was cancelled (by the caller's task).
        public static let cancelled = Code(rawValue: 1)
        /// An error the runtime did not classify.
        public static let unknown = Code(rawValue: 2)
        /// The request was invalid.
        public static let invalidArgument = Code(rawValue: 3)
        /// The call's deadline passed.
        public static let deadlineExceeded = Code(rawValue: 4)
        /// The pod, container or image does not exist (CRI's "already gone").
        public static let notFound = Code(rawValue: 5)
        /// The object exists already (e.g. a pod name reserved twice).
        public static let alreadyExists = Code(rawValue: 6)
        /// The caller lacks permission.
        public static let permissionDenied = Code(rawValue: 7)
        /// A limit was hit (message size, quota).
        public static let resourceExhausted = Code(rawValue: 8)
        /// The object is not in a state that allows the operation.
        public static let failedPrecondition = Code(rawValue: 9)
        /// The operation was aborted.
        public static let aborted = Code(rawValue: 10)
        /// A value was out of range.
        public static let outOfRange = Code(rawValue: 11)
        /// The runtime does not implement the RPC.
        public static let unimplemented = Code(rawValue: 12)
        /// An internal error, including a response this client could not decode.
        public static let internalError = Code(rawValue: 13)
        /// The runtime could not be reached (missing socket, refused, connection lost).
        public static let unavailable = Code(rawValue: 14)
        /// Unrecoverable data loss.
        public static let dataLoss = Code(rawValue: 15)
        /// Missing or bad credentials.
        public static let unauthenticated = Code(rawValue: 16)
        /// The runtime answered, but the answer lacks what CRI requires (an empty ID, a missing
        /// Version field...): the kubelet rejects such answers too.
        public static let invalidResponse = Code(rawValue: 1000)
        /// An exec, attach or port-forward stream failed after its RPC succeeded: the runtime's streaming server
        /// refused the upgrade, broke the protocol, or ended the stream without an exit status. The
        /// ``CRIError/cause`` holds the streaming layer's error.
        public static let streamingFailed = Code(rawValue: 1001)

        /// The gRPC name (`NOT_FOUND`), or a lowercase name for client-side kinds.
        public var description: String {
            switch rawValue {
            case 0: "OK"
            case 1: "CANCELLED"
            case 2: "UNKNOWN"
            case 3: "INVALID_ARGUMENT"
            case 4: "DEADLINE_EXCEEDED"
            case 5: "NOT_FOUND"
            case 6: "ALREADY_EXISTS"
            case 7: "PERMISSION_DENIED"
            case 8: "RESOURCE_EXHAUSTED"
            case 9: "FAILED_PRECONDITION"
            case 10: "ABORTED"
            case 11: "OUT_OF_RANGE"
            case 12: "UNIMPLEMENTED"
            case 13: "INTERNAL"
            case 14: "UNAVAILABLE"
            case 15: "DATA_LOSS"
            case 16: "UNAUTHENTICATED"
            case 1000: "invalid response"
            case 1001: "streaming failed"
            default: "code \(rawValue)"
            }
        }
    }

    /// What kind of failure.
    public var code: Code
    /// The runtime's message (percent-decoded), or this client's own sentence.
    public var message: String
    /// The RPC that failed, e.g. `RunPodSandbox`; nil when not tied to one call.
    public var method: String?
    /// The endpoint the call went to, as configured (e.g. `unix:///run/containerd/containerd.sock`).
    public var endpoint: String?
    /// The lower-level error this one wraps (a transport or protocol error), for debugging.
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    public init(
        code: Code,
        message: String = "",
        method: String? = nil,
        endpoint: String? = nil,
        cause: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.message = message
        self.method = method
        self.endpoint = endpoint
        self.cause = cause
    }

    /// True for ``Code/notFound``: the object is already gone (the kubelet ignores this on stop/remove).
    public var isNotFound: Bool { code == .notFound }
    /// True for ``Code/unimplemented``: the runtime lacks the RPC (older runtimes lack newer RPCs).
    public var isUnimplemented: Bool { code == .unimplemented }
    /// True for ``Code/deadlineExceeded``.
    public var isDeadlineExceeded: Bool { code == .deadlineExceeded }
    /// True for ``Code/unavailable``: the runtime could not be reached.
    public var isUnavailable: Bool { code == .unavailable }

    /// `Method on endpoint: CODE: message`.
    public var description: String {
        var text = ""
        if let method { text += method }
        if let endpoint { text += (text.isEmpty ? "" : " on ") + endpoint }
        if !text.isEmpty { text += ": " }
        text += code.description
        if !message.isEmpty { text += ": " + message }
        return text
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
