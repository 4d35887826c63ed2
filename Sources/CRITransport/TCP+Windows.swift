// TCP over Winsock 2, for the runtime's streaming server (exec, attach, port-forward dial `http://127.0.0.1:PORT`)
// and the fake runtime's own StreamingServer. Compiled on Windows, and on Linux against the WinSDK stand-in, whose
// simulated Winsock keeps Winsock's error model over real loopback sockets (Scripts/check-windows.sh).
#if os(Windows) || CRI_WINDOWS_STANDIN
#if os(Windows)
import WinSDK
#else
import CRIWinSDKStandIn
#endif

// Spelled out because the SDK defines them through casts or function-like macros the Swift importer skips.
private let invalidSocket: SOCKET = ~0  // INVALID_SOCKET: (SOCKET)(~0)
private let fionbio = Int32(bitPattern: 0x8004_667E)  // FIONBIO: _IOW('f', 126, u_long)
private let winsockVersion: WORD = 0x0202  // MAKEWORD(2, 2)

/// How long one WSAPoll waits before the waiter looks at its socket's "closing" flag again. Windows has no wake
/// pipe and does not promise that `shutdown` wakes a WSAPoll on another thread, so a `close()` takes effect within
/// this time; it also bounds a connect on Windows releases whose WSAPoll does not report a refused connect (fixed
/// in Windows 10 2004), since every slice also reads SO_ERROR.
private let pollSliceMilliseconds: Int32 = 50

/// Winsock calls shared by ``WinsockStream`` and ``WinsockListener``.
enum Winsock {
    /// The calling thread's `WSAGetLastError()`; WSA codes are Win32 error codes (GetLastError returns them too).
    static func lastError() -> Win32Error { Win32Error(UInt32(bitPattern: WSAGetLastError())) }

    /// A non-blocking IPv4 stream socket, with a WSAStartup reference the socket's owner returns with
    /// ``release(_:)``: WSAStartup is counted, so each socket holding one keeps Winsock up exactly as long as needed.
    static func makeSocket(_ operation: String) throws(TransportError) -> SOCKET {
        var data = WSADATA()
        let started = WSAStartup(winsockVersion, &data)
        guard started == 0 else { throw .win32("\(operation): WSAStartup", Win32Error(UInt32(bitPattern: started))) }
        let created = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP.rawValue)
        guard created != invalidSocket else {
            let error = lastError()
            WSACleanup()
            throw .win32(operation, error)
        }
        do throws(TransportError) {
            try setNonBlocking(created, operation)
        } catch {
            release(created)
            throw error
        }
        return created
    }

    static func setNonBlocking(_ socket: SOCKET, _ operation: @autoclosure () -> String) throws(TransportError) {
        var on: u_long = 1
        guard ioctlsocket(socket, fionbio, &on) == 0 else { throw .win32(operation(), lastError()) }
    }

    /// Sets a boolean (`BOOL`-sized) socket option.
    static func setFlag(_ socket: SOCKET, level: Int32, name: Int32) -> Bool {
        var on: Int32 = 1
        return withUnsafeBytes(of: &on) { bytes in
            setsockopt(socket, level, name, bytes.baseAddress!.assumingMemoryBound(to: CChar.self), 4) == 0
        }
    }

    /// Closes `socket` and returns its WSAStartup reference.
    static func release(_ socket: SOCKET) {
        closesocket(socket)
        WSACleanup()
    }

    /// The IPv4 address for `host` in network byte order: a dotted literal, or `localhost` as 127.0.0.1 (resolved
    /// here, so no resolver call is needed). Nil for anything else.
    static func ipv4(_ host: String) -> UInt32? {
        if host == "localhost" { return UInt32(0x7F00_0001).bigEndian }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCII), let byte = UInt8(part) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value.bigEndian
    }

    static func address(_ host: String, _ port: UInt16, _ operation: String) throws(TransportError) -> sockaddr_in {
        guard let ipv4 = ipv4(host) else {
            throw TransportError(
                code: .unsupported,
                message: "\(operation): on Windows only IPv4 addresses and localhost are implemented, not \(quoted(host))"
            )
        }
        var address = sockaddr_in()
        address.sin_family = ADDRESS_FAMILY(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.S_un.S_addr = ipv4
        return address
    }

    static func withSockaddr<T>(_ address: sockaddr_in, _ body: (UnsafePointer<sockaddr>, Int32) -> T) -> T {
        withUnsafePointer(to: address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, Int32(MemoryLayout<sockaddr_in>.size)) }
        }
    }

    /// The outcome of ``wait(_:events:deadline:isClosing:operation:)``.
    enum Wait { case ready, timedOut, closing }

    /// Waits in WSAPoll slices until `socket` is ready for `events` (POLLRDNORM or POLLWRNORM), the deadline
    /// passes or `isClosing()` turns true. An error or hang-up counts as ready: the next call reports it.
    static func wait(
        _ socket: SOCKET,
        events: Int32,
        deadline: ContinuousClock.Instant?,
        isClosing: () -> Bool,
        operation: @autoclosure () -> String
    ) throws(TransportError) -> Wait {
        while true {
            if isClosing() { return .closing }
            var slice = pollSliceMilliseconds
            if let deadline {
                let left = deadline - .now
                if left <= .zero { return .timedOut }
                let milliseconds = left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000
                slice = Int32(clamping: min(Int64(slice), max(1, milliseconds)))
            }
            var entry = WSAPOLLFD()
            entry.fd = socket
            entry.events = Int16(events)
            let ready = WSAPoll(&entry, 1, slice)
            if ready == SOCKET_ERROR {
                let error = lastError()
                if error.rawValue == UInt32(WSAEINTR) { continue }
                throw .win32(operation(), error)
            }
            if ready > 0 { return .ready }
        }
    }

    /// Connects to `host:port` (IPv4), TCP_NODELAY set, bounded by `deadline`.
    static func connectTCP(host: String, port: UInt16, deadline: ContinuousClock.Instant?) throws(TransportError)
        -> WinsockStream
    {
        let endpoint = Endpoint.tcp(host: host, port: port).canonicalURL
        let operation = "connect to \(endpoint)"
        let address = try address(host, port, operation)
        let socket = try makeSocket(operation)
        do throws(TransportError) {
            _ = setFlag(socket, level: IPPROTO_TCP.rawValue, name: TCP_NODELAY)
            let result = withSockaddr(address) { connect(socket, $0, $1) }
            if result == SOCKET_ERROR {
                let error = lastError()
                // A non-blocking connect in progress reports WSAEWOULDBLOCK, not EINPROGRESS as POSIX does.
                guard error.rawValue == UInt32(WSAEWOULDBLOCK) else { throw hinted(.win32(operation, error)) }
                try awaitConnected(socket, deadline: deadline, operation: operation)
            }
        } catch {
            release(socket)
            throw error
        }
        return WinsockStream(socket: socket, label: "TCP connection to \(endpoint)")
    }

    private static func awaitConnected(
        _ socket: SOCKET,
        deadline: ContinuousClock.Instant?,
        operation: String
    ) throws(TransportError) {
        while true {
            // One slice at a time, reading SO_ERROR after each: see pollSliceMilliseconds.
            let slice = ContinuousClock.now + .milliseconds(Int64(pollSliceMilliseconds))
            let outcome = try wait(
                socket, events: POLLWRNORM, deadline: deadline.map { min($0, slice) } ?? slice, isClosing: { false },
                operation: operation)
            var pending: Int32 = 0
            var length = Int32(4)
            let read = withUnsafeMutableBytes(of: &pending) { bytes in
                getsockopt(socket, SOL_SOCKET, SO_ERROR, bytes.baseAddress!.assumingMemoryBound(to: CChar.self), &length)
            }
            guard read == 0 else { throw .win32(operation, lastError()) }
            if pending != 0 { throw hinted(.win32(operation, Win32Error(UInt32(bitPattern: pending)))) }
            if outcome == .ready { return }
            if let deadline, ContinuousClock.now >= deadline { throw .timedOut(operation) }
        }
    }

    /// As on POSIX: a refused connection mostly means the runtime (or its streaming server) is not running.
    private static func hinted(_ error: TransportError) -> TransportError {
        guard error.code == .connectionRefused else { return error }
        var hinted = error
        hinted.message += "; is the container runtime running?"
        return hinted
    }

    /// Listens on `host:port` (IPv4); port 0 picks an ephemeral port, readable from ``Listener/localEndpoint``.
    static func listenTCP(host: String, port: UInt16) throws(TransportError) -> WinsockListener {
        let operation = "listen on \(Endpoint.tcp(host: host, port: port).canonicalURL)"
        let address = try address(host, port, operation)
        let socket = try makeSocket(operation)
        let boundPort: UInt16
        do throws(TransportError) {
            // No SO_REUSEADDR: on Windows it lets another socket steal a bound port (SO_EXCLUSIVEADDRUSE semantics
            // are the default that keeps ours).
            _ = setFlag(socket, level: IPPROTO_TCP.rawValue, name: TCP_NODELAY)
            guard withSockaddr(address, { bind(socket, $0, $1) }) == 0 else { throw .win32(operation, lastError()) }
            guard listen(socket, SOMAXCONN) == 0 else { throw .win32(operation, lastError()) }
            var local = sockaddr_in()
            var length = Int32(MemoryLayout<sockaddr_in>.size)
            let named = withUnsafeMutablePointer(to: &local) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
            }
            guard named == 0 else { throw .win32(operation, lastError()) }
            boundPort = UInt16(bigEndian: local.sin_port)
        } catch {
            release(socket)
            throw error
        }
        return WinsockListener(socket: socket, localEndpoint: .tcp(host: host, port: boundPort))
    }
}

/// A ``ByteStream`` over a connected, non-blocking Winsock TCP socket.
final class WinsockStream: ByteStream {
    /// Closes the socket (and returns its WSAStartup reference) once no call is using it, so no call ever runs on
    /// a closed, possibly reused, SOCKET value.
    private let handle: DescriptorGuard<SOCKET>
    /// Names the connection in messages, e.g. `TCP connection to http://127.0.0.1:10010`.
    let label: String

    init(socket: SOCKET, label: String) {
        handle = DescriptorGuard(fd: socket, release: Winsock.release)
        self.label = label
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TransportError) -> Int {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return 0 }
        let operation = "read from \(label)"
        return try handle.withDescriptor(operation) { socket throws(TransportError) in
            while true {
                let count = recv(socket, base.assumingMemoryBound(to: CChar.self), Int32(clamping: buffer.count), 0)
                if count >= 0 { return Int(count) }
                let error = Winsock.lastError()
                // A failure caused by our own close() is the end of the stream, not an I/O error.
                if handle.isClosing { return 0 }
                guard error.rawValue == UInt32(WSAEWOULDBLOCK) else { throw .win32(operation, error) }
                let outcome = try Winsock.wait(
                    socket, events: POLLRDNORM, deadline: nil, isClosing: { handle.isClosing }, operation: operation)
                if outcome == .closing { return 0 }
            }
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer, deadline: ContinuousClock.Instant?) throws(TransportError) {
        let operation = "write to \(label)"
        try handle.withDescriptor(operation) { socket throws(TransportError) in
            var offset = 0
            while offset < bytes.count, let base = bytes.baseAddress {
                let chunk = Int32(clamping: bytes.count - offset)
                let sent = send(socket, (base + offset).assumingMemoryBound(to: CChar.self), chunk, 0)
                if sent >= 0 {
                    offset += Int(sent)
                    continue
                }
                let error = Winsock.lastError()
                if handle.isClosing { throw .closed(operation) }
                guard error.rawValue == UInt32(WSAEWOULDBLOCK) else { throw .win32(operation, error) }
                switch try Winsock.wait(
                    socket, events: POLLWRNORM, deadline: deadline, isClosing: { handle.isClosing }, operation: operation)
                {
                case .ready: continue
                case .timedOut: throw .timedOut(operation)
                case .closing: throw .closed(operation)
                }
            }
        }
    }

    func waitForData(timeout: Duration) throws(TransportError) -> Bool? {
        let operation = "read from \(label)"
        do throws(TransportError) {
            return try handle.withDescriptor(operation) { socket throws(TransportError) in
                let outcome = try Winsock.wait(
                    socket, events: POLLRDNORM, deadline: .now + timeout, isClosing: { handle.isClosing },
                    operation: operation)
                // Closing: the next read reports the end of the stream.
                return outcome != .timedOut
            }
        } catch {
            if handle.isClosing { return true }
            throw error
        }
    }

    func shutdownWrite() {
        try? handle.withDescriptor("shut down \(label)") { socket in _ = shutdown(socket, SD_SEND) }
    }

    func close() {
        // Windows does not promise shutdown wakes a WSAPoll elsewhere; the waiters' slices see the flag anyway.
        handle.close { socket in _ = shutdown(socket, SD_BOTH) }
    }
}

/// A listening Winsock TCP socket; `accept` waits in WSAPoll slices so `close()` ends it within one slice.
final class WinsockListener: Listener {
    let localEndpoint: Endpoint
    private let handle: DescriptorGuard<SOCKET>
    private let label: String

    init(socket: SOCKET, localEndpoint: Endpoint) {
        handle = DescriptorGuard(fd: socket, release: Winsock.release)
        self.localEndpoint = localEndpoint
        label = "TCP listener \(localEndpoint.canonicalURL)"
    }

    func accept() throws(TransportError) -> any ByteStream {
        let operation = "accept on \(label)"
        return try handle.withDescriptor(operation) { socket throws(TransportError) -> any ByteStream in
            while true {
                switch try Winsock.wait(
                    socket, events: POLLRDNORM, deadline: nil, isClosing: { handle.isClosing }, operation: operation)
                {
                case .ready: break
                case .timedOut, .closing: throw .closed(operation)
                }
                var data = WSADATA()
                // The accepted socket holds its own WSAStartup reference, released when it closes.
                let started = WSAStartup(winsockVersion, &data)
                guard started == 0 else { throw .win32(operation, Win32Error(UInt32(bitPattern: started))) }
                let connection = winsockAccept(socket)
                if connection == invalidSocket {
                    let error = Winsock.lastError()
                    WSACleanup()
                    // The client gave up between WSAPoll and accept (WSAECONNRESET on Windows), or another thread
                    // took it: wait again.
                    if error.rawValue == UInt32(WSAEWOULDBLOCK) || error.rawValue == UInt32(WSAECONNRESET) { continue }
                    throw .win32(operation, error)
                }
                // Accepted sockets inherit the listener's non-blocking mode on Windows; TCP_NODELAY set explicitly.
                do throws(TransportError) {
                    try Winsock.setNonBlocking(connection, operation)
                } catch {
                    Winsock.release(connection)
                    throw error
                }
                _ = Winsock.setFlag(connection, level: IPPROTO_TCP.rawValue, name: TCP_NODELAY)
                return WinsockStream(socket: connection, label: "connection accepted on \(label)")
            }
        }
    }

    func close() {
        handle.close { _ in }
    }

    deinit {
        close()
    }
}

/// `accept(s, nil, nil)`; a function of its own because inside ``WinsockListener`` the name means its method.
private func winsockAccept(_ socket: SOCKET) -> SOCKET { accept(socket, nil, nil) }
#endif
