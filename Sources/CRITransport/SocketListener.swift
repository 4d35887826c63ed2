#if !os(Windows)
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A listening unix or TCP socket.
///
/// `accept` polls the listening socket together with a wake pipe; `close()` writes to the pipe, which wakes every
/// blocked `accept` on every platform (shutdown of a listening socket wakes accept on Linux only).
final class SocketListener: Listener {
    let localEndpoint: Endpoint
    private let descriptor: DescriptorGuard<Int32>
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let syscalls: Syscalls
    private let label: String
    private let isTCP: Bool
    /// The socket file this listener created, removed on close unless something else has replaced it.
    private let socketFile: (path: String, identity: FileIdentity)?

    private init(
        fd: Int32,
        localEndpoint: Endpoint,
        label: String,
        isTCP: Bool,
        socketFile: (path: String, identity: FileIdentity)?,
        wakePipe pipe: (read: Int32, write: Int32),
        syscalls: Syscalls
    ) {
        self.wakeRead = pipe.read
        self.wakeWrite = pipe.write
        self.descriptor = DescriptorGuard(fd: fd) { fd in
            Posix.close(fd)
            Posix.close(pipe.read)
            Posix.close(pipe.write)
        }
        self.localEndpoint = localEndpoint
        self.label = label
        self.isTCP = isTCP
        self.socketFile = socketFile
        self.syscalls = syscalls
    }

    func accept() throws(TransportError) -> any ByteStream {
        let operation = "accept on \(label)"
        return try descriptor.withDescriptor(operation) { fd throws(TransportError) -> any ByteStream in
            var set = [
                PollDescriptor(fd: fd, events: PollDescriptor.readable),
                PollDescriptor(fd: wakeRead, events: PollDescriptor.readable),
            ]
            while true {
                switch set.withUnsafeMutableBufferPointer({ syscalls.poll($0, -1) }) {
                case .success, .failure(.interrupted): break
                case .failure(let error): throw .system(operation, error)
                }
                if descriptor.isClosing { throw .closed(operation) }
                switch syscalls.accept(fd) {
                case .success(let connection):
                    // TCP_NODELAY is inherited from the listener on Linux but not everywhere; set it explicitly.
                    if isTCP { _ = Posix.setNoDelay(connection) }
                    return SocketStream(fd: connection, label: "connection accepted on \(label)", syscalls: syscalls)
                case .failure(.interrupted), .failure(.wouldBlock), .failure(Errno(ECONNABORTED)):
                    // The client gave up between poll and accept, or another thread took it: wait again.
                    continue
                case .failure(let error):
                    throw .system(operation, error)
                }
            }
        }
    }

    func close() {
        descriptor.close { _ in
            if let socketFile, Posix.fileIdentity(atPath: socketFile.path) == socketFile.identity {
                Posix.unlink(socketFile.path)
            }
            Posix.signal(wakePipe: wakeWrite)
        }
    }

    deinit {
        close()
    }

    /// Listens on the unix socket `path`, replacing a stale socket file atomically.
    ///
    /// As kubelet's `CreateListener` does, the socket is bound under a temporary name in the same directory and
    /// renamed into place, so clients never see a half-set-up file and a stale socket never blocks startup. The
    /// file is made mode 0600 before `listen`, so nobody can connect through a looser mode. Unlike kubelet, a
    /// non-socket file at `path` is left alone and reported as ``TransportError/Code/addressInUse``.
    static func listenUnix(path: String, syscalls: Syscalls = .live) throws(TransportError) -> SocketListener {
        let label = "unix socket \(quoted(path))"
        let operation = "listen on \(label)"
        _ = try SocketAddress.unix(path: path, operation: operation)
        // The rename below replaces whatever is at `path`; that is the point for a stale socket, but a regular file
        // or directory there is a configuration mistake that must not be clobbered.
        if let existing = Posix.fileIdentity(atPath: path), !existing.isSocket {
            throw TransportError(
                code: .addressInUse,
                message: "\(operation): \(quoted(path)) exists and is not a socket; refusing to replace it"
            )
        }
        let directory = path.lastIndex(of: "/").map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let fd = try SocketConnector.socket(family: AF_UNIX, operation: operation)
        var temporaryPath = ""
        var wakePipe: (read: Int32, write: Int32)?
        do throws(TransportError) {
            // A few attempts in case a concurrent listener picked the same random name.
            for attempt in 1...8 {
                let suffix = String(UInt32.random(in: .min ... .max), radix: 16)
                temporaryPath = (directory == "/" ? "" : directory) + "/.cri-" + suffix
                let address = try SocketAddress.unix(
                    path: temporaryPath,
                    operation: "\(operation) (via \(quoted(temporaryPath)))"
                )
                switch Posix.bind(fd, address) {
                case .success: break
                case .failure(.addressInUse) where attempt < 8: continue
                case .failure(let error): throw .system(operation, error)
                }
                break
            }
            if case .failure(let error) = Posix.chmod(temporaryPath, 0o600) { throw .system(operation, error) }
            if case .failure(let error) = Posix.listen(fd, backlog: SOMAXCONN) { throw .system(operation, error) }
            wakePipe = try makeWakePipe(operation)
            if case .failure(let error) = Posix.rename(temporaryPath, path) { throw .system(operation, error) }
        } catch {
            if !temporaryPath.isEmpty { Posix.unlink(temporaryPath) }
            Posix.close(fd)
            if let wakePipe {
                Posix.close(wakePipe.read)
                Posix.close(wakePipe.write)
            }
            throw error
        }
        guard let pipe = wakePipe else { fatalError("unreachable: the do block sets wakePipe or throws") }
        // Read right after the rename; the listener removes the file on close only if it is still this one.
        let identity = Posix.fileIdentity(atPath: path) ?? FileIdentity(device: 0, inode: 0, isSocket: false)
        return SocketListener(
            fd: fd,
            localEndpoint: .unixSocket(path: path),
            label: label,
            isTCP: false,
            socketFile: (path, identity),
            wakePipe: pipe,
            syscalls: syscalls
        )
    }

    private static func makeWakePipe(_ operation: String) throws(TransportError) -> (read: Int32, write: Int32) {
        switch Posix.wakePipe() {
        case .success(let fds): return fds
        case .failure(let error): throw .system(operation, error)
        }
    }

    /// Listens on `host:port`; port 0 picks an ephemeral port, readable from ``localEndpoint``.
    static func listenTCP(host: String, port: UInt16, syscalls: Syscalls = .live) throws(TransportError)
        -> SocketListener
    {
        let operation = "listen on \(Endpoint.tcp(host: host, port: port).canonicalURL)"
        let address: SocketAddress
        switch Posix.resolve(host: host, port: port, passive: true) {
        case .success(let addresses) where !addresses.isEmpty: address = addresses[0]
        case .success: throw TransportError(code: .notFound, message: "\(operation): \(quoted(host)) has no addresses")
        case .failure(let failure):
            throw TransportError(
                code: .notFound,
                message: "\(operation): cannot resolve \(quoted(host)): \(failure.message)"
            )
        }
        let fd = try SocketConnector.socket(family: address.family, operation: operation)
        let boundPort: UInt16
        let pipe: (read: Int32, write: Int32)
        do throws(TransportError) {
            if case .failure(let error) = Posix.setReuseAddress(fd) { throw .system(operation, error) }
            if case .failure(let error) = Posix.setNoDelay(fd) { throw .system(operation, error) }
            if case .failure(let error) = Posix.bind(fd, address) { throw .system(operation, error) }
            if case .failure(let error) = Posix.listen(fd, backlog: SOMAXCONN) { throw .system(operation, error) }
            switch Posix.localAddress(fd) {
            case .success(let local): boundPort = local.port ?? port
            case .failure(let error): throw .system(operation, error)
            }
            pipe = try makeWakePipe(operation)
        } catch {
            Posix.close(fd)
            throw error
        }
        let local = Endpoint.tcp(host: host, port: boundPort)
        return SocketListener(
            fd: fd,
            localEndpoint: local,
            label: "TCP listener \(local.canonicalURL)",
            isTCP: true,
            socketFile: nil,
            wakePipe: pipe,
            syscalls: syscalls
        )
    }
}
#endif
