#if !os(Windows)
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Every POSIX call the transports make goes through this file. The calls whose failure modes the I/O loops must
// handle (EINTR, EAGAIN, partial transfers, timeouts) are closures in `Syscalls` so tests can script them; setup
// calls that only ever fail outright are plain wrappers in `Posix`. The module's own `connect(to:)`/`listen(on:)`
// shadow the C names, hence the `system…` spellings below.

/// The result of one system call: its value, or the `errno` captured immediately after it failed.
package typealias SyscallResult<Value> = Result<Value, Errno>

/// One entry of a `poll(2)` set, independent of the C `pollfd` layout so tests need not import the C library.
package struct PollDescriptor: Sendable {
    /// The descriptor to watch.
    package var fd: Int32
    /// The events to wait for (``readable``, ``writable``).
    package var events: Int16
    /// The events that occurred, filled in by poll.
    package var returnedEvents: Int16 = 0

    /// Watches `fd` for `events`.
    package init(fd: Int32, events: Int16) {
        self.fd = fd
        self.events = events
    }

    /// POLLIN: data (or end of stream) can be read, or a connection accepted.
    package static var readable: Int16 { Int16(POLLIN) }
    /// POLLOUT: buffer space is available for writing, or a connect finished.
    package static var writable: Int16 { Int16(POLLOUT) }
}

/// The blocking-relevant system calls, replaceable for tests (a scripted shim injects EINTR, EAGAIN, short writes
/// and clock jumps without a real socket).
package struct Syscalls: Sendable {
    /// `recv(fd, buffer)`: bytes read, 0 at end of stream.
    package var receive: @Sendable (_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> SyscallResult<Int>
    /// `send(fd, bytes)` without raising SIGPIPE: bytes written, possibly fewer than asked.
    package var send: @Sendable (_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> SyscallResult<Int>
    /// `poll(set, timeout)` with the timeout in milliseconds (-1 = forever): the number of ready entries.
    package var poll:
        @Sendable (_ set: UnsafeMutableBufferPointer<PollDescriptor>, _ timeoutMilliseconds: Int32) -> SyscallResult<
            Int32
        >
    /// `connect(fd, address)` on a non-blocking socket.
    package var connect: @Sendable (_ fd: Int32, _ address: SocketAddress) -> SyscallResult<Void>
    /// `getsockopt(SO_ERROR)`: the outcome of a background connect (0 = connected).
    package var pendingError: @Sendable (_ fd: Int32) -> SyscallResult<Int32>
    /// `accept` of a connection as a close-on-exec, non-blocking descriptor.
    package var accept: @Sendable (_ listeningFD: Int32) -> SyscallResult<Int32>
    /// The clock deadlines are measured against.
    package var now: @Sendable () -> ContinuousClock.Instant

    /// Creates a shim from closures; tests start from ``live`` and replace members.
    package init(
        receive: @escaping @Sendable (Int32, UnsafeMutableRawBufferPointer) -> SyscallResult<Int>,
        send: @escaping @Sendable (Int32, UnsafeRawBufferPointer) -> SyscallResult<Int>,
        poll: @escaping @Sendable (UnsafeMutableBufferPointer<PollDescriptor>, Int32) -> SyscallResult<Int32>,
        connect: @escaping @Sendable (Int32, SocketAddress) -> SyscallResult<Void>,
        pendingError: @escaping @Sendable (Int32) -> SyscallResult<Int32>,
        accept: @escaping @Sendable (Int32) -> SyscallResult<Int32>,
        now: @escaping @Sendable () -> ContinuousClock.Instant
    ) {
        self.receive = receive
        self.send = send
        self.poll = poll
        self.connect = connect
        self.pendingError = pendingError
        self.accept = accept
        self.now = now
    }

    /// The real system calls.
    package static let live = Syscalls(
        receive: { fd, buffer in
            let count = systemReceive(fd, buffer.baseAddress, buffer.count, 0)
            return count >= 0 ? .success(count) : .failure(.current)
        },
        send: { fd, bytes in
            let count = systemSend(fd, bytes.baseAddress, bytes.count, noSignalFlag)
            return count >= 0 ? .success(count) : .failure(.current)
        },
        poll: { set, timeout in
            withUnsafeTemporaryAllocation(of: pollfd.self, capacity: set.count) { fds in
                for index in set.indices {
                    fds[index] = pollfd(fd: set[index].fd, events: set[index].events, revents: 0)
                }
                let ready = systemPoll(fds.baseAddress, nfds_t(set.count), timeout)
                guard ready >= 0 else { return .failure(.current) }
                for index in set.indices { set[index].returnedEvents = fds[index].revents }
                return .success(ready)
            }
        },
        connect: { fd, address in
            address.withSockaddr { pointer, length in
                systemConnect(fd, pointer, length) == 0 ? .success(()) : .failure(.current)
            }
        },
        pendingError: { fd in
            var value: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            return getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &length) == 0 ? .success(value) : .failure(.current)
        },
        accept: { listeningFD in
            #if canImport(Glibc)
            if let accept4 = linuxAccept4 {
                let fd = accept4(listeningFD, nil, nil, Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue))
                return fd >= 0 ? .success(fd) : .failure(.current)
            }
            let fd = systemAccept(listeningFD, nil, nil)
            guard fd >= 0 else { return .failure(.current) }
            if case .failure(let error) = Posix.configureNewDescriptor(fd) {
                _ = systemClose(fd)
                return .failure(error)
            }
            return .success(fd)
            #else
            let fd = systemAccept(listeningFD, nil, nil)
            guard fd >= 0 else { return .failure(.current) }
            // Darwin has no accept4: there is a window where a concurrent fork+exec inherits the descriptor.
            if case .failure(let error) = Posix.configureNewDescriptor(fd) {
                _ = systemClose(fd)
                return .failure(error)
            }
            return .success(fd)
            #endif
        },
        now: { ContinuousClock.now }
    )
}

#if canImport(Glibc)
// Glibc declares accept4, pipe2 and pthread_setname_np only under _GNU_SOURCE, which the Swift importer does not
// define, so they are looked up at run time (all present since glibc 2.12). Each sets its flags atomically, which
// closes the fork+exec window that accept/pipe followed by fcntl(FD_CLOEXEC) would leave open.

private typealias Accept4 =
    @convention(c) (Int32, UnsafeMutablePointer<sockaddr>?, UnsafeMutablePointer<socklen_t>?, Int32) -> Int32
private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32
private typealias SetThreadName = @convention(c) (pthread_t, UnsafePointer<CChar>?) -> Int32

/// accept4(2): accept with SOCK_CLOEXEC | SOCK_NONBLOCK.
private let linuxAccept4: Accept4? = dlsym(nil, "accept4").map { unsafeBitCast($0, to: Accept4.self) }
/// pipe2(2): pipe with O_CLOEXEC | O_NONBLOCK.
private let linuxPipe2: Pipe2? = dlsym(nil, "pipe2").map { unsafeBitCast($0, to: Pipe2.self) }
/// pthread_setname_np(3), used by `startIOThread`.
let linuxSetThreadName: (@convention(c) (pthread_t, UnsafePointer<CChar>?) -> Int32)? =
    dlsym(nil, "pthread_setname_np").map { unsafeBitCast($0, to: SetThreadName.self) }
private let systemReceive = Glibc.recv
private let systemSend = Glibc.send
private let systemPoll = Glibc.poll
private let systemConnect = Glibc.connect
private let systemBind = Glibc.bind
private let systemListen = Glibc.listen
private let systemAccept = Glibc.accept
private let systemClose = Glibc.close
private let systemShutdown = Glibc.shutdown
private let systemSocket = Glibc.socket
/// Linux reports a vanished peer as EPIPE instead of killing the process with SIGPIPE when asked per call.
private let noSignalFlag = Int32(MSG_NOSIGNAL)
private let streamType = Int32(SOCK_STREAM.rawValue)
#else
private let systemReceive = Darwin.recv
private let systemSend = Darwin.send
private let systemPoll = Darwin.poll
private let systemConnect = Darwin.connect
private let systemBind = Darwin.bind
private let systemListen = Darwin.listen
private let systemAccept = Darwin.accept
private let systemClose = Darwin.close
private let systemShutdown = Darwin.shutdown
private let systemSocket = Darwin.socket
/// Darwin has no MSG_NOSIGNAL; SO_NOSIGPIPE is set on every socket instead (`configureNewDescriptor`).
private let noSignalFlag: Int32 = 0
private let streamType = SOCK_STREAM
#endif

/// Setup and teardown calls that either succeed or fail outright (EINTR is retried where POSIX allows it).
package enum Posix {
    /// A new close-on-exec, non-blocking stream socket of `family` (AF_UNIX, AF_INET, AF_INET6).
    static func streamSocket(family: Int32) -> SyscallResult<Int32> {
        #if canImport(Glibc)
        let fd = systemSocket(family, streamType | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        return fd >= 0 ? .success(fd) : .failure(.current)
        #else
        let fd = systemSocket(family, streamType, 0)
        guard fd >= 0 else { return .failure(.current) }
        if case .failure(let error) = configureNewDescriptor(fd) {
            _ = systemClose(fd)
            return .failure(error)
        }
        return .success(fd)
        #endif
    }

    /// Close-on-exec, non-blocking (and on Darwin no SIGPIPE), for descriptors created without those flags.
    static func configureNewDescriptor(_ fd: Int32) -> SyscallResult<Void> {
        guard fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 else { return .failure(.current) }
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else { return .failure(.current) }
        #if canImport(Darwin)
        var one: Int32 = 1
        guard setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            return .failure(.current)
        }
        #endif
        return .success(())
    }

    /// Disables Nagle's algorithm: gRPC writes whole frames and waits for replies, so delaying small writes only
    /// adds latency.
    static func setNoDelay(_ fd: Int32) -> SyscallResult<Void> {
        var one: Int32 = 1
        let result = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return result == 0 ? .success(()) : .failure(.current)
    }

    /// SO_REUSEADDR, so a restarted TCP server can bind while old connections sit in TIME_WAIT.
    static func setReuseAddress(_ fd: Int32) -> SyscallResult<Void> {
        var one: Int32 = 1
        let result = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        return result == 0 ? .success(()) : .failure(.current)
    }

    static func bind(_ fd: Int32, _ address: SocketAddress) -> SyscallResult<Void> {
        address.withSockaddr { pointer, length in
            systemBind(fd, pointer, length) == 0 ? .success(()) : .failure(.current)
        }
    }

    static func listen(_ fd: Int32, backlog: Int32) -> SyscallResult<Void> {
        systemListen(fd, backlog) == 0 ? .success(()) : .failure(.current)
    }

    /// The address the socket is bound to (reads back the port chosen for port 0).
    static func localAddress(_ fd: Int32) -> SyscallResult<SocketAddress> {
        var address = SocketAddress()
        let ok = address.withMutableSockaddr { pointer, length in getsockname(fd, pointer, length) == 0 }
        return ok ? .success(address) : .failure(.current)
    }

    /// SHUT_RD, SHUT_WR or SHUT_RDWR.
    static func shutdown(_ fd: Int32, _ how: ShutdownDirection) {
        // Errors (ENOTCONN after the peer left) leave nothing to do.
        _ = systemShutdown(fd, how.rawValue)
    }

    /// Closes `fd`. Not retried on EINTR: Linux and Darwin release the descriptor even then, so a retry could
    /// close a descriptor another thread just opened.
    static func close(_ fd: Int32) {
        _ = systemClose(fd)
    }

    /// A close-on-exec, non-blocking pipe used to wake a thread blocked in poll: (read end, write end).
    static func wakePipe() -> SyscallResult<(read: Int32, write: Int32)> {
        var fds: [Int32] = [-1, -1]
        #if canImport(Glibc)
        if let pipe2 = linuxPipe2 {
            guard pipe2(&fds, O_CLOEXEC | O_NONBLOCK) == 0 else { return .failure(.current) }
            return .success((fds[0], fds[1]))
        }
        #endif
        guard pipe(&fds) == 0 else { return .failure(.current) }
        for fd in fds {
            let flags = fcntl(fd, F_GETFL)
            guard fcntl(fd, F_SETFD, FD_CLOEXEC) == 0, flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else {
                let error = Errno.current
                _ = systemClose(fds[0])
                _ = systemClose(fds[1])
                return .failure(error)
            }
        }
        return .success((fds[0], fds[1]))
    }

    /// Writes one byte to a wake pipe; a full pipe already wakes its reader, so EAGAIN is fine.
    static func signal(wakePipe fd: Int32) {
        var byte: UInt8 = 1
        while write(fd, &byte, 1) < 0 && Errno.current == .interrupted {}
    }

    /// What kind of file is at `path`, if anything (follows symlinks, as connect does).
    static func fileIdentity(atPath path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileIdentity(
            device: UInt64(info.st_dev),
            inode: UInt64(info.st_ino),
            isSocket: (info.st_mode & S_IFMT) == S_IFSOCK
        )
    }

    static func chmod(_ path: String, _ mode: UInt16) -> SyscallResult<Void> {
        systemChmod(path, mode_t(mode)) == 0 ? .success(()) : .failure(.current)
    }

    static func rename(_ from: String, _ to: String) -> SyscallResult<Void> {
        systemRename(from, to) == 0 ? .success(()) : .failure(.current)
    }

    static func unlink(_ path: String) {
        _ = systemUnlink(path)
    }

    /// getaddrinfo for a stream socket: the candidate addresses for `host` and `port`, in resolver order.
    static func resolve(host: String, port: UInt16, passive: Bool) -> Result<[SocketAddress], ResolveFailure> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = streamType
        hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else {
            let text = gai_strerror(status).map { String(cString: $0) } ?? "error \(status)"
            return .failure(ResolveFailure(message: text))
        }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var entry = list
        while let current = entry {
            if let address = current.pointee.ai_addr {
                addresses.append(SocketAddress(copying: address, length: current.pointee.ai_addrlen))
            }
            entry = current.pointee.ai_next
        }
        return .success(addresses)
    }
}

#if canImport(Glibc)
private let systemChmod = Glibc.chmod
private let systemRename = Glibc.rename
private let systemUnlink = Glibc.unlink
#else
private let systemChmod = Darwin.chmod
private let systemRename = Darwin.rename
private let systemUnlink = Darwin.unlink
#endif

/// Which half of a socket `shutdown(2)` stops.
struct ShutdownDirection {
    var rawValue: Int32
    #if canImport(Glibc)
    static let write = ShutdownDirection(rawValue: Int32(SHUT_WR))
    static let both = ShutdownDirection(rawValue: Int32(SHUT_RDWR))
    #else
    static let write = ShutdownDirection(rawValue: SHUT_WR)
    static let both = ShutdownDirection(rawValue: SHUT_RDWR)
    #endif
}

/// Identifies a file so a listener removes only the socket it created, not one a successor put in its place.
struct FileIdentity: Equatable {
    var device: UInt64
    var inode: UInt64
    var isSocket: Bool
}

/// A getaddrinfo failure, with gai_strerror's explanation (it has no errno).
struct ResolveFailure: Error {
    var message: String
}
#endif
