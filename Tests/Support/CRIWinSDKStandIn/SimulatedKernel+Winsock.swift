#if !os(Windows)
import Dispatch
import Glibc
import Synchronization

/// The simulated Winsock behind the stand-in's socket functions: each `SOCKET` is a real Linux socket (a loopback
/// TCP socket is a loopback TCP socket), and what is simulated is Winsock's contract and error model.
///
/// - Every call before a successful `WSAStartup` (or after the matching `WSACleanup`) fails with
///   WSANOTINITIALISED; `WSAStartup` is counted, as Windows counts it, and ``startupCount`` lets tests check the
///   code under test balances it.
/// - Failures return `INVALID_SOCKET` or `SOCKET_ERROR` and set the thread's last error (`WSAGetLastError`) to the
///   WSA code Windows reports: a pending non-blocking `connect` is WSAEWOULDBLOCK (not EINPROGRESS), a refused one
///   WSAECONNREFUSED, a send after `shutdown(SD_SEND)` WSAESHUTDOWN.
/// - `SOCKET` values are handles of their own, not the Linux descriptors, so a closed or made-up socket fails with
///   WSAENOTSOCK; sockets start blocking and `ioctlsocket(FIONBIO)` switches them; accepted sockets inherit the
///   listener's mode, as on Windows.
/// - `WSAPoll` refuses requested events outside POLLRDNORM/POLLRDBAND/POLLPRI/POLLWRNORM/POLLWRBAND with WSAEINVAL,
///   as Windows does (POLLIN and POLLOUT are fine: they are made of those).
public final class SimulatedWinsock: Sendable {
    /// The one Winsock of the process.
    public static let shared = SimulatedWinsock()

    private struct Socket {
        var fd: Int32
        var nonBlocking = false
        var sendShutDown = false
    }

    private struct State {
        var startups = 0
        var sockets: [SOCKET: Socket] = [:]
        var nextSocket: SOCKET = 0x100
        var activePolls = 0
    }

    private let state = Mutex(State())
    /// Signalled on every change a test may wait for (a socket closed, a WSACleanup, a WSAPoll starting); waiters
    /// re-check their condition, so extra signals are harmless.
    private let changed = DispatchSemaphore(value: 0)

    private init() {}

    // MARK: Test controls

    /// WSAStartup calls not yet matched by WSACleanup.
    public var startupCount: Int { state.withLock { $0.startups } }

    /// Sockets currently open.
    public var openSocketCount: Int { state.withLock { $0.sockets.count } }

    /// Waits until no socket is open and every WSAStartup is matched by a WSACleanup, at most `seconds`; false if
    /// that did not happen. A server released by another thread (an accept loop seeing its listener close) returns
    /// its sockets a moment after the test's own work is done; this waits for that instead of guessing a delay.
    public func awaitIdle(seconds: Int = 5) -> Bool {
        awaitCondition(seconds: seconds) { $0.sockets.isEmpty && $0.startups == 0 }
    }

    /// Waits until some thread is blocked in WSAPoll, at most `seconds`.
    public func awaitBlockedPoll(seconds: Int = 10) -> Bool {
        awaitCondition(seconds: seconds) { $0.activePolls > 0 }
    }

    private func awaitCondition(seconds: Int, _ condition: (State) -> Bool) -> Bool {
        let deadline = DispatchTime.now() + .seconds(seconds)
        while !state.withLock({ condition($0) }) {
            if changed.wait(timeout: deadline) == .timedOut { return state.withLock { condition($0) } }
        }
        return true
    }

    // MARK: The calls

    func startup(version: UInt16, data: UnsafeMutablePointer<WSAData>?) -> Int32 {
        // Winsock 2.2 is what every current Windows provides; a request below 1.1 is WSAVERNOTSUPPORTED.
        guard version & 0xFF >= 1 else { return 10092 }  // WSAVERNOTSUPPORTED
        guard let data else { return WSAEFAULT }
        data.pointee.wVersion = 0x0202
        data.pointee.wHighVersion = 0x0202
        state.withLock { $0.startups += 1 }
        return 0
    }

    func cleanup() -> Int32 {
        let ok = state.withLock { state -> Bool in
            guard state.startups > 0 else { return false }
            state.startups -= 1
            return true
        }
        changed.signal()
        return ok ? 0 : fail(WSANOTINITIALISED, SOCKET_ERROR)
    }

    func socket(family: Int32, type: Int32, protocol: Int32) -> SOCKET {
        guard isStarted else { return fail(WSANOTINITIALISED, invalidSocket) }
        guard family == AF_INET else { return fail(WSAEAFNOSUPPORT, invalidSocket) }
        guard type == SOCK_STREAM, `protocol` == 0 || `protocol` == IPPROTO_TCP.rawValue else {
            return fail(WSAEINVAL, invalidSocket)
        }
        let fd = Glibc.socket(Glibc.AF_INET, Int32(Glibc.SOCK_STREAM.rawValue) | Int32(Glibc.SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return fail(Self.wsaCode(errno), invalidSocket) }
        return state.withLock { state in
            let value = state.nextSocket
            state.nextSocket += 4
            state.sockets[value] = Socket(fd: fd)
            return value
        }
    }

    func connect(_ s: SOCKET, _ name: UnsafePointer<sockaddr>?, _ length: Int32) -> Int32 {
        guard let socket = lookUp(s) else { return SOCKET_ERROR }
        guard let name, length >= MemoryLayout<sockaddr_in>.size else { return fail(WSAEFAULT, SOCKET_ERROR) }
        let result = UnsafeRawPointer(name).withMemoryRebound(to: Glibc.sockaddr.self, capacity: 1) {
            Glibc.connect(socket.fd, $0, socklen_t(MemoryLayout<Glibc.sockaddr_in>.size))
        }
        return result == 0 ? 0 : fail(Self.wsaCode(errno), SOCKET_ERROR)
    }

    func bind(_ s: SOCKET, _ name: UnsafePointer<sockaddr>?, _ length: Int32) -> Int32 {
        guard let socket = lookUp(s) else { return SOCKET_ERROR }
        guard let name, length >= MemoryLayout<sockaddr_in>.size else { return fail(WSAEFAULT, SOCKET_ERROR) }
        let result = UnsafeRawPointer(name).withMemoryRebound(to: Glibc.sockaddr.self, capacity: 1) {
            Glibc.bind(socket.fd, $0, socklen_t(MemoryLayout<Glibc.sockaddr_in>.size))
        }
        return result == 0 ? 0 : fail(Self.wsaCode(errno), SOCKET_ERROR)
    }

    func listen(_ s: SOCKET, _ backlog: Int32) -> Int32 {
        guard let socket = lookUp(s) else { return SOCKET_ERROR }
        // SOMAXCONN on Windows is 0x7fffffff, "a reasonable maximum"; Linux clamps it the same way.
        return Glibc.listen(socket.fd, backlog) == 0 ? 0 : fail(Self.wsaCode(errno), SOCKET_ERROR)
    }

    func accept(_ s: SOCKET, _ address: UnsafeMutablePointer<sockaddr>?, _ length: UnsafeMutablePointer<Int32>?)
        -> SOCKET
    {
        guard let listener = lookUp(s) else { return invalidSocket }
        let fd = Glibc.accept(listener.fd, nil, nil)
        guard fd >= 0 else { return fail(Self.wsaCode(errno), invalidSocket) }
        // Linux's accept does not pass O_NONBLOCK on; Windows's does.
        if listener.nonBlocking { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        if let address, let length, length.pointee >= MemoryLayout<sockaddr_in>.size {
            var peer = Glibc.sockaddr_in()
            var peerLength = socklen_t(MemoryLayout<Glibc.sockaddr_in>.size)
            _ = withUnsafeMutableBytes(of: &peer) {
                getpeername(fd, $0.baseAddress!.assumingMemoryBound(to: Glibc.sockaddr.self), &peerLength)
            }
            UnsafeMutableRawPointer(address).copyMemory(from: &peer, byteCount: MemoryLayout<sockaddr_in>.size)
            length.pointee = Int32(MemoryLayout<sockaddr_in>.size)
        }
        return state.withLock { state in
            let value = state.nextSocket
            state.nextSocket += 4
            state.sockets[value] = Socket(fd: fd, nonBlocking: listener.nonBlocking)
            return value
        }
    }

    func send(_ s: SOCKET, _ buffer: UnsafePointer<CChar>?, _ length: Int32, _ flags: Int32) -> Int32 {
        guard let socket = lookUp(s) else { return SOCKET_ERROR }
        guard length >= 0, flags == 0 else { return fail(WSAEINVAL, SOCKET_ERROR) }
        // MSG_NOSIGNAL: Windows has no SIGPIPE; a send to a closed peer only fails.
        let sent = Glibc.send(socket.fd, buffer, Int(length), Int32(MSG_NOSIGNAL))
        guard sent >= 0 else {
            let code = errno == EPIPE ? (socket.sendShutDown ? WSAESHUTDOWN : WSAECONNRESET) : Self.wsaCode(errno)
            return fail(code, SOCKET_ERROR)
        }
        return Int32(sent)
    }

    func recv(_ s: SOCKET, _ buffer: UnsafeMutablePointer<CChar>?, _ length: Int32, _ flags: Int32) -> Int32 {
        guard let socket = lookUp(s) else { return SOCKET_ERROR }
        guard length >= 0, flags == 0 else { return fail(WSAEINVAL, SOCKET_ERROR) }
        let received = Glibc.recv(socket.fd, buffer, Int(length), 0)
        return received >= 0 ? Int32(received) : fail(Self.wsaCode(errno), SOCKET_ERROR)
    }

    func shutdown(_ s: SOCKET, _ how: Int32) -> Int32 {
        guard let socket = lookUp(s) else { return SOCKET_ERROR }
        let linuxHow: Int32
        switch how {
        case 0: linuxHow = Int32(SHUT_RD)
        case SD_SEND: linuxHow = Int32(SHUT_WR)
        case SD_BOTH: linuxHow = Int32(SHUT_RDWR)
        default: return fail(WSAEINVAL, SOCKET_ERROR)
        }
        guard Glibc.shutdown(socket.fd, linuxHow) == 0 else { return fail(Self.wsaCode(errno), SOCKET_ERROR) }
        if how != 0 { state.withLock { $0.sockets[s]?.sendShutDown = true } }
        return 0
    }

    func close(_ s: SOCKET) -> Int32 {
        guard isStarted else { return fail(WSANOTINITIALISED, SOCKET_ERROR) }
        guard let socket = state.withLock({ $0.sockets.removeValue(forKey: s) }) else {
            return fail(WSAENOTSOCK, SOCKET_ERROR)
        }
        Glibc.close(socket.fd)
        changed.signal()
        return 0
    }

    func setOption(_ s: SOCKET, _ level: Int32, _ name: Int32, _ value: UnsafePointer<CChar>?, _ length: Int32) -> Int32 {
        guard let socket = lookUp(s) else { return SOCKET_ERROR }
        guard let value, length >= 4 else { return fail(WSAEFAULT, SOCKET_ERROR) }
        let option: (level: Int32, name: Int32)
        switch (level, name) {
        case (SOL_SOCKET, SO_REUSEADDR): option = (Glibc.SOL_SOCKET, Glibc.SO_REUSEADDR)
        case (IPPROTO_TCP.rawValue, TCP_NODELAY): option = (Int32(Glibc.IPPROTO_TCP), Glibc.TCP_NODELAY)
        default: return fail(10042, SOCKET_ERROR)  // WSAENOPROTOOPT: the simulation knows only these two
        }
        var flag = UnsafeRawPointer(value).loadUnaligned(as: Int32.self)
        let result = Glibc.setsockopt(socket.fd, option.level, option.name, &flag, socklen_t(4))
        return result == 0 ? 0 : fail(Self.wsaCode(errno), SOCKET_ERROR)
    }

    func getOption(
        _ s: SOCKET, _ level: Int32, _ name: Int32, _ value: UnsafeMutablePointer<CChar>?,
        _ length: UnsafeMutablePointer<Int32>?
    ) -> Int32 {
        guard let socket = lookUp(s) else { return SOCKET_ERROR }
        guard let value, let length, length.pointee >= 4 else { return fail(WSAEFAULT, SOCKET_ERROR) }
        guard level == SOL_SOCKET, name == SO_ERROR else { return fail(10042, SOCKET_ERROR) }  // WSAENOPROTOOPT
        var error: Int32 = 0
        var size = socklen_t(4)
        guard Glibc.getsockopt(socket.fd, Glibc.SOL_SOCKET, Glibc.SO_ERROR, &error, &size) == 0 else {
            return fail(Self.wsaCode(errno), SOCKET_ERROR)
        }
        // Windows reports the pending error as a WSA code.
        UnsafeMutableRawPointer(value).storeBytes(of: error == 0 ? 0 : Self.wsaCode(error), as: Int32.self)
        length.pointee = 4
        return 0
    }

    func localAddress(_ s: SOCKET, _ name: UnsafeMutablePointer<sockaddr>?, _ length: UnsafeMutablePointer<Int32>?)
        -> Int32
    {
        guard let socket = lookUp(s) else { return SOCKET_ERROR }
        guard let name, let length, length.pointee >= MemoryLayout<sockaddr_in>.size else {
            return fail(WSAEFAULT, SOCKET_ERROR)
        }
        var size = socklen_t(MemoryLayout<Glibc.sockaddr_in>.size)
        let result = UnsafeMutableRawPointer(name).withMemoryRebound(to: Glibc.sockaddr.self, capacity: 1) {
            Glibc.getsockname(socket.fd, $0, &size)
        }
        guard result == 0 else { return fail(Self.wsaCode(errno), SOCKET_ERROR) }
        length.pointee = Int32(size)
        return 0
    }

    func ioctl(_ s: SOCKET, _ command: Int32, _ argument: UnsafeMutablePointer<UInt32>?) -> Int32 {
        guard let socket = lookUp(s) else { return SOCKET_ERROR }
        guard command == Int32(bitPattern: 0x8004_667E) else { return fail(WSAEINVAL, SOCKET_ERROR) }  // FIONBIO only
        guard let argument else { return fail(WSAEFAULT, SOCKET_ERROR) }
        let nonBlocking = argument.pointee != 0
        let flags = fcntl(socket.fd, F_GETFL)
        guard fcntl(socket.fd, F_SETFL, nonBlocking ? flags | O_NONBLOCK : flags & ~O_NONBLOCK) == 0 else {
            return fail(Self.wsaCode(errno), SOCKET_ERROR)
        }
        state.withLock { $0.sockets[s]?.nonBlocking = nonBlocking }
        return 0
    }

    func poll(_ sockets: UnsafeMutablePointer<pollfd>?, _ count: Int, _ timeout: Int32) -> Int32 {
        guard isStarted else { return fail(WSANOTINITIALISED, SOCKET_ERROR) }
        guard let sockets, count > 0 else { return fail(WSAEINVAL, SOCKET_ERROR) }
        let allowed = Int16(POLLRDNORM | 0x0200 | 0x0400 | POLLWRNORM | 0x0020)  // RDNORM, RDBAND, PRI, WRNORM, WRBAND
        var linux = [Glibc.pollfd]()
        for index in 0..<count {
            let entry = sockets[index]
            guard entry.events & ~allowed == 0 else { return fail(WSAEINVAL, SOCKET_ERROR) }
            var events: Int16 = 0
            if entry.events & Int16(POLLRDNORM | 0x0200 | 0x0400) != 0 { events |= Int16(Glibc.POLLIN) }
            if entry.events & Int16(POLLWRNORM | 0x0020) != 0 { events |= Int16(Glibc.POLLOUT) }
            // An unknown socket gets POLLNVAL back, as on Windows; -1 makes Linux ignore the entry.
            let fd = state.withLock { $0.sockets[entry.fd]?.fd } ?? -1
            linux.append(Glibc.pollfd(fd: fd, events: events, revents: 0))
        }
        state.withLock { $0.activePolls += 1 }
        changed.signal()
        var ready: Int32
        repeat {
            ready = Glibc.poll(&linux, nfds_t(count), timeout)
        } while ready < 0 && errno == EINTR
        state.withLock { $0.activePolls -= 1 }
        guard ready >= 0 else { return fail(Self.wsaCode(errno), SOCKET_ERROR) }
        var reported: Int32 = 0
        for index in 0..<count {
            let got = linux[index].revents
            var revents: Int16 = 0
            if linux[index].fd < 0 { revents = Int16(POLLNVAL) }
            if got & Int16(Glibc.POLLIN) != 0 { revents |= Int16(POLLRDNORM) & sockets[index].events }
            if got & Int16(Glibc.POLLOUT) != 0 { revents |= Int16(POLLWRNORM) & sockets[index].events }
            if got & Int16(Glibc.POLLERR) != 0 { revents |= Int16(POLLERR) }
            if got & Int16(Glibc.POLLHUP) != 0 { revents |= Int16(POLLHUP) }
            sockets[index].revents = revents
            if revents != 0 { reported += 1 }
        }
        return reported
    }

    // MARK: Helpers

    /// `INVALID_SOCKET`, `(SOCKET)(~0)`.
    private var invalidSocket: SOCKET { ~0 }

    private var isStarted: Bool { state.withLock { $0.startups > 0 } }

    /// The socket behind `s`, or nil with the last error set (WSANOTINITIALISED, WSAENOTSOCK).
    private func lookUp(_ s: SOCKET) -> Socket? {
        let (started, socket) = state.withLock { ($0.startups > 0, $0.sockets[s]) }
        guard started else { return fail(WSANOTINITIALISED, nil) }
        guard let socket else { return fail(WSAENOTSOCK, nil) }
        return socket
    }

    private func fail<T>(_ code: Int32, _ value: T) -> T {
        SimulatedKernel.lastError = DWORD(bitPattern: code)
        return value
    }

    private var WSAEFAULT: Int32 { 10014 }

    /// The WSA code Windows reports where Linux reports `error`.
    static func wsaCode(_ error: Int32) -> Int32 {
        switch error {
        case EINTR: WSAEINTR
        case EINVAL: WSAEINVAL
        case EMFILE, ENFILE: WSAEMFILE
        case EAGAIN, EINPROGRESS: WSAEWOULDBLOCK
        case EBADF, ENOTSOCK: WSAENOTSOCK
        case EAFNOSUPPORT: WSAEAFNOSUPPORT
        case EADDRINUSE: WSAEADDRINUSE
        case EADDRNOTAVAIL: WSAEADDRNOTAVAIL
        case ENETUNREACH: WSAENETUNREACH
        case ECONNABORTED: WSAECONNABORTED
        case ECONNRESET, EPIPE: WSAECONNRESET
        case ENOTCONN: WSAENOTCONN
        case ETIMEDOUT: WSAETIMEDOUT
        case ECONNREFUSED: WSAECONNREFUSED
        case EHOSTUNREACH: WSAEHOSTUNREACH
        case EALREADY: 10037  // WSAEALREADY
        case EISCONN: 10056  // WSAEISCONN
        default: WSAEINVAL
        }
    }
}
#endif
