/// A transport failure: an endpoint that does not parse, a connect or listen that fails, an I/O error or timeout.
///
/// Equality and hashing use ``code`` only, so tests write `#expect(error.code == .notFound)`; the sentence in
/// ``message`` names the endpoint or path involved, and the platform's own error number is kept as such
/// (``errno`` on POSIX, ``win32Error`` on Windows — never folded into one another).
package struct TransportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure; an open set so new kinds do not break callers.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Backing: Hashable, Sendable {
            case invalidEndpoint, unsupported, notFound, connectionRefused, permissionDenied, pathTooLong
            case addressInUse, timedOut, closed, connectionReset, ioFailure
        }

        private let backing: Backing

        private init(_ backing: Backing) { self.backing = backing }

        /// The endpoint string does not parse (empty, unknown scheme, relative path, missing port…).
        package static let invalidEndpoint = Code(.invalidEndpoint)
        /// The endpoint is valid but this platform cannot reach it (named pipes off Windows).
        package static let unsupported = Code(.unsupported)
        /// The socket file or pipe does not exist (ENOENT, ERROR_FILE_NOT_FOUND).
        package static let notFound = Code(.notFound)
        /// Nobody is listening (ECONNREFUSED, or a stale socket file).
        package static let connectionRefused = Code(.connectionRefused)
        /// The caller may not open the socket or pipe (EACCES, EPERM, ERROR_ACCESS_DENIED).
        package static let permissionDenied = Code(.permissionDenied)
        /// The unix socket path does not fit in `sockaddr_un.sun_path`.
        package static let pathTooLong = Code(.pathTooLong)
        /// Another socket already listens on the address (EADDRINUSE).
        package static let addressInUse = Code(.addressInUse)
        /// The deadline passed before the connect or write finished.
        package static let timedOut = Code(.timedOut)
        /// The stream or listener was closed locally.
        package static let closed = Code(.closed)
        /// The peer went away while we were writing (EPIPE, ECONNRESET, ERROR_BROKEN_PIPE, ERROR_NO_DATA).
        package static let connectionReset = Code(.connectionReset)
        /// Any other operating-system failure; see ``TransportError/errno`` or ``TransportError/win32Error``.
        package static let ioFailure = Code(.ioFailure)

        /// The code's name, as written after the dot.
        package var description: String {
            switch backing {
            case .invalidEndpoint: "invalidEndpoint"
            case .unsupported: "unsupported"
            case .notFound: "notFound"
            case .connectionRefused: "connectionRefused"
            case .permissionDenied: "permissionDenied"
            case .pathTooLong: "pathTooLong"
            case .addressInUse: "addressInUse"
            case .timedOut: "timedOut"
            case .closed: "closed"
            case .connectionReset: "connectionReset"
            case .ioFailure: "ioFailure"
            }
        }
    }

    /// What went wrong, for programs.
    package var code: Code
    /// What went wrong, for people: names the endpoint, path or operation and the system's explanation.
    package var message: String
    /// The POSIX error number behind the failure, if there was one.
    package var errno: Errno?
    /// The Win32 error code behind the failure, if there was one.
    package var win32Error: Win32Error?

    /// Creates an error; prefer the factories, which keep message shapes consistent.
    package init(code: Code, message: String, errno: Errno? = nil, win32Error: Win32Error? = nil) {
        self.code = code
        self.message = message
        self.errno = errno
        self.win32Error = win32Error
    }

    /// `code: message`, the form logs and test failures show.
    package var description: String { "\(code): \(message)" }

    /// Errors are equal when their codes are; the message is detail, not identity.
    package static func == (lhs: TransportError, rhs: TransportError) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only, matching `==`.
    package func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

extension TransportError {
    /// An endpoint string that does not parse; the message quotes the string as given.
    @inline(never)
    package static func invalidEndpoint(_ endpoint: String, _ reason: String) -> TransportError {
        TransportError(code: .invalidEndpoint, message: "invalid endpoint \(quoted(endpoint)): \(reason)")
    }

    /// A failed system call during `operation` (e.g. `connect to unix socket "/run/x.sock"`), classified by errno.
    @inline(never)
    package static func system(_ operation: String, _ errno: Errno) -> TransportError {
        TransportError(code: errno.transportCode, message: "\(operation): \(errno)", errno: errno)
    }

    /// A failed Win32 call during `operation`, classified by the Win32 code (kept as such, not mapped to errno).
    @inline(never)
    package static func win32(_ operation: String, _ error: Win32Error) -> TransportError {
        TransportError(code: error.transportCode, message: "\(operation): \(error)", win32Error: error)
    }

    /// The deadline passed during `operation`.
    @inline(never)
    package static func timedOut(_ operation: String) -> TransportError {
        TransportError(code: .timedOut, message: "\(operation): deadline exceeded")
    }

    /// The stream or listener was already closed when `operation` started (or was woken by `close()`).
    @inline(never)
    package static func closed(_ operation: String) -> TransportError {
        TransportError(code: .closed, message: "\(operation): closed")
    }
}

/// `"text"` in double quotes, as kubelet/crictl messages quote values (`protocol "http" not supported`).
///
/// Unlike Go's `%q`, backslashes are not doubled, so a pipe path shows as `"\\.\pipe\x"` and can be copied;
/// quotes and control characters are escaped.
@inline(never)
package func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\n": result += "\\n"
        case "\t": result += "\\t"
        case "\0": result += "\\x00"
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}
