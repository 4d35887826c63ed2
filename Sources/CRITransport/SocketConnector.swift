#if !os(Windows)
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens client sockets: unix domain sockets by path and TCP connections by host and port.
enum SocketConnector {
    /// Connects to the unix socket at `path`.
    ///
    /// A missing file fails at once with ``TransportError/Code/notFound`` (ENOENT), a file nobody listens on with
    /// ``TransportError/Code/connectionRefused``; both messages name the path.
    static func connectUnix(
        path: String,
        deadline: ContinuousClock.Instant?,
        syscalls: Syscalls = .live
    ) throws(TransportError) -> SocketStream {
        let label = "unix socket \(quoted(path))"
        let operation = "connect to \(label)"
        let address = try SocketAddress.unix(path: path, operation: operation)
        let fd = try socket(family: AF_UNIX, operation: operation)
        do {
            try syscalls.connectBlocking(fd, to: address, deadline: deadline, label: operation)
        } catch {
            Posix.close(fd)
            throw withRuntimeHint(error)
        }
        return SocketStream(fd: fd, label: label, syscalls: syscalls)
    }

    /// Connects to `host:port`, trying each resolved address in order; TCP_NODELAY is set on the result.
    ///
    /// - Note: a host name is resolved with getaddrinfo, which blocks and is not bounded by `deadline`; `localhost`
    ///   and IP literals resolve locally.
    static func connectTCP(
        host: String,
        port: UInt16,
        deadline: ContinuousClock.Instant?,
        syscalls: Syscalls = .live
    ) throws(TransportError) -> SocketStream {
        let label = "TCP connection to \(Endpoint.tcp(host: host, port: port).canonicalURL)"
        let operation = "connect to \(Endpoint.tcp(host: host, port: port).canonicalURL)"
        let addresses: [SocketAddress]
        switch Posix.resolve(host: host, port: port, passive: false) {
        case .success(let resolved): addresses = resolved
        case .failure(let failure):
            throw TransportError(
                code: .notFound,
                message: "\(operation): cannot resolve \(quoted(host)): \(failure.message)"
            )
        }
        var lastError = TransportError(code: .notFound, message: "\(operation): \(quoted(host)) has no addresses")
        for address in addresses {
            let attempt = "\(operation) (\(address.numericHost))"
            do throws(TransportError) {
                let fd = try socket(family: address.family, operation: attempt)
                do throws(TransportError) {
                    if case .failure(let error) = Posix.setNoDelay(fd) { throw TransportError.system(attempt, error) }
                    try syscalls.connectBlocking(fd, to: address, deadline: deadline, label: attempt)
                } catch {
                    Posix.close(fd)
                    throw error
                }
                return SocketStream(fd: fd, label: label, syscalls: syscalls)
            } catch {
                lastError = withRuntimeHint(error)
                // A passed deadline applies to every remaining address too.
                if error.code == .timedOut { break }
            }
        }
        throw lastError
    }

    static func socket(family: Int32, operation: @autoclosure () -> String) throws(TransportError) -> Int32 {
        switch Posix.streamSocket(family: family) {
        case .success(let fd): return fd
        case .failure(let error): throw .system(operation(), error)
        }
    }

    /// crictl users mostly meet these two when the runtime is not running; say so.
    private static func withRuntimeHint(_ error: TransportError) -> TransportError {
        guard error.code == .notFound || error.code == .connectionRefused else { return error }
        var hinted = error
        hinted.message += "; is the container runtime running?"
        return hinted
    }
}
#endif
