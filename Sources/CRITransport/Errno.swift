#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif os(Windows)
import ucrt
#endif

/// A POSIX error number, kept as the platform reported it.
///
/// The static members take their values from the platform headers (EAGAIN is 11 on Linux, 35 on Darwin).
package struct Errno: Error, Hashable, Sendable, CustomStringConvertible {
    /// The raw `errno` value.
    package var rawValue: Int32

    /// Wraps a raw `errno` value.
    package init(_ rawValue: Int32) { self.rawValue = rawValue }

    #if !os(Windows)
    /// The calling thread's current `errno`; read it immediately after the failing call.
    package static var current: Errno { Errno(errno) }

    /// EINTR: a signal interrupted the call; retry.
    package static var interrupted: Errno { Errno(EINTR) }
    /// EAGAIN / EWOULDBLOCK: a non-blocking call would block; poll, then retry.
    package static var wouldBlock: Errno { Errno(EAGAIN) }
    /// EINPROGRESS: a non-blocking connect continues in the background.
    package static var inProgress: Errno { Errno(EINPROGRESS) }
    /// ENOENT: no such file.
    package static var noSuchFile: Errno { Errno(ENOENT) }
    /// ECONNREFUSED: nobody listens.
    package static var connectionRefused: Errno { Errno(ECONNREFUSED) }
    /// ECONNRESET: the peer reset the connection.
    package static var connectionReset: Errno { Errno(ECONNRESET) }
    /// EPIPE: writing to a stream whose peer is gone.
    package static var brokenPipe: Errno { Errno(EPIPE) }
    /// EACCES: permission denied.
    package static var accessDenied: Errno { Errno(EACCES) }
    /// EADDRINUSE: the address is taken.
    package static var addressInUse: Errno { Errno(EADDRINUSE) }
    /// ENAMETOOLONG: a path is too long.
    package static var nameTooLong: Errno { Errno(ENAMETOOLONG) }
    /// ETIMEDOUT: the operation timed out in the kernel.
    package static var timedOut: Errno { Errno(ETIMEDOUT) }
    /// EBADF: not an open descriptor.
    package static var badDescriptor: Errno { Errno(EBADF) }
    /// EINVAL: invalid argument.
    package static var invalidArgument: Errno { Errno(EINVAL) }
    #endif

    /// The system's explanation and symbolic name, e.g. `No such file or directory (errno 2)`.
    package var description: String {
        #if canImport(Glibc) || canImport(Darwin)
        // strerror returns static strings for known codes in glibc ≥ 2.32 and on Darwin.
        if let text = strerror(rawValue) {
            return "\(String(cString: text)) (errno \(rawValue))"
        }
        #endif
        return "errno \(rawValue)"
    }

    /// How a caller should react to this failure.
    package var transportCode: TransportError.Code {
        #if os(Windows)
        // Sockets are not implemented on Windows yet, so no errno reaches this point there.
        return .ioFailure
        #else
        return switch rawValue {
        case ENOENT: .notFound
        case ECONNREFUSED: .connectionRefused
        case EACCES, EPERM: .permissionDenied
        case ENAMETOOLONG: .pathTooLong
        case EADDRINUSE: .addressInUse
        case ETIMEDOUT: .timedOut
        case EPIPE, ECONNRESET: .connectionReset
        default: .ioFailure
        }
        #endif
    }
}

/// A Win32 error code (`GetLastError()`), kept as such so pipe conditions like `ERROR_PIPE_BUSY` stay visible.
///
/// The values are fixed by Windows, so this type and its constants exist on every platform and the named-pipe
/// retry logic can be tested on Linux.
package struct Win32Error: Error, Hashable, Sendable, CustomStringConvertible {
    /// The raw `DWORD` value.
    package var rawValue: UInt32

    /// Wraps a raw `GetLastError()` value.
    package init(_ rawValue: UInt32) { self.rawValue = rawValue }

    /// ERROR_FILE_NOT_FOUND (2): no pipe by that name.
    package static let fileNotFound = Win32Error(2)
    /// ERROR_ACCESS_DENIED (5).
    package static let accessDenied = Win32Error(5)
    /// ERROR_INVALID_HANDLE (6).
    package static let invalidHandle = Win32Error(6)
    /// ERROR_BROKEN_PIPE (109): the other end closed the pipe.
    package static let brokenPipe = Win32Error(109)
    /// ERROR_SEM_TIMEOUT (121): WaitNamedPipe gave up before an instance became free.
    package static let semaphoreTimeout = Win32Error(121)
    /// ERROR_PIPE_BUSY (231): every instance of the pipe is connected; wait and retry.
    package static let pipeBusy = Win32Error(231)
    /// ERROR_NO_DATA (232): the pipe is being closed.
    package static let noData = Win32Error(232)
    /// ERROR_PIPE_NOT_CONNECTED (233): no process is on the other end.
    package static let pipeNotConnected = Win32Error(233)
    /// ERROR_PIPE_CONNECTED (535): a client connected between CreateNamedPipe and ConnectNamedPipe (success).
    package static let pipeConnected = Win32Error(535)
    /// ERROR_OPERATION_ABORTED (995): CancelIoEx cancelled the overlapped operation.
    package static let operationAborted = Win32Error(995)
    /// ERROR_IO_PENDING (997): the overlapped operation continues in the background.
    package static let ioPending = Win32Error(997)
    /// WSAEWOULDBLOCK (10035): a non-blocking socket call would wait (also a connect in progress).
    package static let wsaWouldBlock = Win32Error(10035)
    /// WSAEADDRINUSE (10048).
    package static let wsaAddressInUse = Win32Error(10048)
    /// WSAECONNABORTED (10053): the connection was aborted on this side.
    package static let wsaConnectionAborted = Win32Error(10053)
    /// WSAECONNRESET (10054): the peer reset the connection.
    package static let wsaConnectionReset = Win32Error(10054)
    /// WSAESHUTDOWN (10058): a send after `shutdown(SD_SEND)`.
    package static let wsaShutdown = Win32Error(10058)
    /// WSAETIMEDOUT (10060).
    package static let wsaTimedOut = Win32Error(10060)
    /// WSAECONNREFUSED (10061): nothing listens on that port.
    package static let wsaConnectionRefused = Win32Error(10061)
    /// WSANOTINITIALISED (10093): a Winsock call before WSAStartup.
    package static let wsaNotInitialised = Win32Error(10093)

    /// The symbolic name where known, always with the number.
    package var description: String {
        let name: String? =
            switch self {
            case .fileNotFound: "ERROR_FILE_NOT_FOUND"
            case .accessDenied: "ERROR_ACCESS_DENIED"
            case .invalidHandle: "ERROR_INVALID_HANDLE"
            case .brokenPipe: "ERROR_BROKEN_PIPE"
            case .semaphoreTimeout: "ERROR_SEM_TIMEOUT"
            case .pipeBusy: "ERROR_PIPE_BUSY"
            case .noData: "ERROR_NO_DATA"
            case .pipeNotConnected: "ERROR_PIPE_NOT_CONNECTED"
            case .pipeConnected: "ERROR_PIPE_CONNECTED"
            case .operationAborted: "ERROR_OPERATION_ABORTED"
            case .ioPending: "ERROR_IO_PENDING"
            case .wsaWouldBlock: "WSAEWOULDBLOCK"
            case .wsaAddressInUse: "WSAEADDRINUSE"
            case .wsaConnectionAborted: "WSAECONNABORTED"
            case .wsaConnectionReset: "WSAECONNRESET"
            case .wsaShutdown: "WSAESHUTDOWN"
            case .wsaTimedOut: "WSAETIMEDOUT"
            case .wsaConnectionRefused: "WSAECONNREFUSED"
            case .wsaNotInitialised: "WSANOTINITIALISED"
            default: nil
            }
        return name.map { "\($0) (Win32 error \(rawValue))" } ?? "Win32 error \(rawValue)"
    }

    /// How a caller should react to this failure.
    package var transportCode: TransportError.Code {
        switch self {
        case .fileNotFound: .notFound
        case .accessDenied: .permissionDenied
        case .semaphoreTimeout, .wsaTimedOut: .timedOut
        case .brokenPipe, .noData, .pipeNotConnected, .wsaConnectionReset, .wsaConnectionAborted, .wsaShutdown:
            .connectionReset
        case .wsaConnectionRefused: .connectionRefused
        case .wsaAddressInUse: .addressInUse
        case .operationAborted: .closed
        default: .ioFailure
        }
    }
}
