import CRIHTTP2
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A test transport over a connected unix-socket file descriptor.
final class SocketTransport: HTTP2Transport {
    struct Failure: Error { var errno: Int32 }

    let fd: Int32
    private let closed = Mutex(false)

    init(fd: Int32) { self.fd = fd }

    deinit { Glibc.close(fd) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            if closed.withLock({ $0 }) { return 0 }
            throw Failure(errno: errno)
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer, deadline: ContinuousClock.Instant?) throws {
        var offset = 0
        while offset < bytes.count {
            let count = send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(errno: errno)
            }
            offset += count
        }
    }

    func close() {
        let first = closed.withLock { closed in
            defer { closed = true }
            return !closed
        }
        // shutdown, not close: a reader blocked on the descriptor returns 0 and the number is not reused.
        if first { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    /// A connected pair (AF_UNIX, SOCK_STREAM).
    static func pair() -> (SocketTransport, SocketTransport) {
        var fds: [Int32] = [0, 0]
        let result = socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds)
        precondition(result == 0, "socketpair failed")
        return (SocketTransport(fd: fds[0]), SocketTransport(fd: fds[1]))
    }

    /// Connects to a unix socket path.
    static func connect(path: String) throws -> SocketTransport {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(errno: errno) }
        var address = unixAddress(path)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let error = errno
            Glibc.close(fd)
            throw Failure(errno: error)
        }
        return SocketTransport(fd: fd)
    }

    static func unixAddress(_ path: String) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8.prefix(raw.count - 1))
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return address
    }
}

/// A listening unix socket for tests.
final class SocketListener: Sendable {
    let fd: Int32
    let path: String

    init(path: String) throws {
        self.path = path
        unlink(path)
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = SocketTransport.unixAddress(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, listen(fd, 128) == 0 else { throw SocketTransport.Failure(errno: errno) }
    }

    /// Blocks until a client connects; nil once closed.
    func accept() -> SocketTransport? {
        while true {
            let client = Glibc.accept(fd, nil, nil)
            if client >= 0 { return SocketTransport(fd: client) }
            if errno == EINTR { continue }
            return nil
        }
    }

    func close() {
        shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
        unlink(path)
    }
}
