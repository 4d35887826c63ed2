/// A failed RPC: a gRPC status code, a message, the method, and the peer's trailing metadata.
///
/// Equality and hashing use ``code`` only, so callers write `error.code == .notFound`.
package struct RPCError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A gRPC status code (doc/statuscodes.md); an open set so unknown values stay representable.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The wire value of `grpc-status`.
        package var rawValue: Int
        /// Wraps a wire value.
        package init(rawValue: Int) { self.rawValue = rawValue }

        /// Not an error.
        package static let ok = Code(rawValue: 0)
        /// The call was cancelled, typically by the caller.
        package static let cancelled = Code(rawValue: 1)
        /// An error without a better code (also: a response without `grpc-status`).
        package static let unknown = Code(rawValue: 2)
        /// The client sent an invalid argument.
        package static let invalidArgument = Code(rawValue: 3)
        /// The deadline passed before the call completed.
        package static let deadlineExceeded = Code(rawValue: 4)
        /// A requested entity was not found.
        package static let notFound = Code(rawValue: 5)
        /// The entity the client tried to create already exists.
        package static let alreadyExists = Code(rawValue: 6)
        /// The caller may not perform the operation.
        package static let permissionDenied = Code(rawValue: 7)
        /// A resource ran out, e.g. a message exceeded a size limit.
        package static let resourceExhausted = Code(rawValue: 8)
        /// The system is not in a state the operation requires.
        package static let failedPrecondition = Code(rawValue: 9)
        /// The operation was aborted, e.g. by a concurrency conflict.
        package static let aborted = Code(rawValue: 10)
        /// The operation went past the valid range.
        package static let outOfRange = Code(rawValue: 11)
        /// The method is not implemented or not supported.
        package static let unimplemented = Code(rawValue: 12)
        /// An internal invariant broke (also: a response that could not be decoded).
        package static let internalError = Code(rawValue: 13)
        /// The service is unavailable; the call may be retried.
        package static let unavailable = Code(rawValue: 14)
        /// Unrecoverable data loss or corruption.
        package static let dataLoss = Code(rawValue: 15)
        /// The request lacks valid credentials.
        package static let unauthenticated = Code(rawValue: 16)

        private static let names = [
            "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
            "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
            "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
        ]

        package var description: String {
            Self.names.indices.contains(rawValue) ? Self.names[rawValue] : "CODE_\(rawValue)"
        }
    }

    /// The status code.
    package var code: Code
    /// The status message (the peer's `grpc-message`, percent-decoded, or our own sentence).
    package var message: String
    /// The method path, e.g. `/runtime.v1.RuntimeService/Version`; empty when unknown.
    package var path: String
    /// The trailing metadata the peer sent with the status.
    package var trailingMetadata: GRPCMetadata
    /// The lower-level error behind this one (a transport or HTTP/2 failure), if any.
    package var cause: (any Error & Sendable)?

    /// Creates an error.
    package init(
        code: Code, message: String, path: String = "", trailingMetadata: GRPCMetadata = GRPCMetadata(),
        cause: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.message = message
        self.path = path
        self.trailingMetadata = trailingMetadata
        self.cause = cause
    }

    package static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    package func hash(into hasher: inout Hasher) { hasher.combine(code) }

    package var description: String {
        var text = "\(code): \(message)"
        if !path.isEmpty { text += " (\(path))" }
        if let cause { text += " [cause: \(cause)]" }
        return text
    }

    @inline(never)
    static func resourceExhausted(_ what: String, size: Int, limit: Int, path: String) -> Self {
        RPCError(
            code: .resourceExhausted,
            message: "\(what) of \(size) bytes exceeds the limit of \(limit) bytes", path: path)
    }

    @inline(never)
    static func internalError(_ message: String, path: String = "") -> Self {
        RPCError(code: .internalError, message: message, path: path)
    }
}
