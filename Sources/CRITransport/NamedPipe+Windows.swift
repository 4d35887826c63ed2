// Compiled on Windows, and on Linux against the WinSDK stand-in and its simulated kernel (CRI_WINDOWS_STANDIN;
// Scripts/check-windows.sh builds and tests it that way), so every call here is checked in CI.
#if os(Windows) || CRI_WINDOWS_STANDIN
import Synchronization
#if os(Windows)
import WinSDK
#else
import CRIWinSDKStandIn
#endif

// Named pipes are opened with FILE_FLAG_OVERLAPPED so that every wait can also watch a "closed" event and a
// deadline: a synchronous ReadFile could only be interrupted with CancelSynchronousIo on the reading thread.
// Handles are stored as their bit patterns (UInt) so the classes are Sendable without @unchecked.

// Spelled out because the SDK defines these through casts or enum arithmetic the Swift importer may skip.
private let waitObject0: DWORD = 0  // WAIT_OBJECT_0
private let infinite: DWORD = 0xFFFF_FFFF  // INFINITE and NMPWAIT_WAIT_FOREVER
private let securityIdentification: DWORD = 0x0001_0000  // SECURITY_IDENTIFICATION = SecurityIdentification << 16

/// The real `CreateFileW` / `WaitNamedPipeW` pair for ``openNamedPipe(path:deadline:opener:now:)``.
struct Win32PipeOpener: NamedPipeOpener {
    func open(path: String) -> Result<UInt, Win32Error> {
        let handle = path.withCString(encodedAs: UTF16.self) { name in
            CreateFileW(
                name,
                DWORD(GENERIC_READ) | DWORD(GENERIC_WRITE),
                0,
                nil,
                DWORD(OPEN_EXISTING),
                // SECURITY_IDENTIFICATION: the server may learn who we are but not act as us.
                DWORD(FILE_FLAG_OVERLAPPED) | DWORD(SECURITY_SQOS_PRESENT) | securityIdentification,
                nil
            )
        }
        guard let handle, handle != INVALID_HANDLE_VALUE else { return .failure(Win32Error(GetLastError())) }
        return .success(UInt(bitPattern: handle))
    }

    func waitForInstance(path: String, milliseconds: UInt32?) -> Result<Void, Win32Error> {
        let waited = path.withCString(encodedAs: UTF16.self) { name in
            WaitNamedPipeW(name, milliseconds ?? infinite)
        }
        return waited ? .success(()) : .failure(Win32Error(GetLastError()))
    }
}

/// The outcome of waiting for an overlapped operation.
private enum OverlappedWait {
    case completed(DWORD)
    case failed(Win32Error)
    case timedOut
    case closed
}

/// A pipe handle shared by a reader, a writer and a closer, with one OVERLAPPED (and event) per direction.
private final class PipeHandle: Sendable {
    private struct State {
        var users = 0
        var closeRequested = false
        var released = false
    }

    let bits: UInt
    let closeEventBits: UInt
    let readOverlappedBits: UInt
    let writeOverlappedBits: UInt
    private let state = Mutex(State())

    init(handle: UInt) throws(TransportError) {
        bits = handle
        // Manual-reset, so every current and future wait sees it once set.
        guard let closeEvent = CreateEventW(nil, true, false, nil) else {
            throw .win32("create event", Win32Error(GetLastError()))
        }
        closeEventBits = UInt(bitPattern: closeEvent)
        readOverlappedBits = try Self.makeOverlapped()
        writeOverlappedBits = try Self.makeOverlapped()
    }

    /// An OVERLAPPED at a stable heap address: the kernel writes to it until the operation completes, so it must
    /// not be a Swift local whose address is only valid during one call.
    private static func makeOverlapped() throws(TransportError) -> UInt {
        guard let event = CreateEventW(nil, true, false, nil) else {
            throw .win32("create event", Win32Error(GetLastError()))
        }
        let overlapped = UnsafeMutablePointer<OVERLAPPED>.allocate(capacity: 1)
        overlapped.initialize(to: OVERLAPPED())
        overlapped.pointee.hEvent = event
        return UInt(bitPattern: overlapped)
    }

    var handle: HANDLE { HANDLE(bitPattern: bits)! }  // Safe: a successful CreateFileW/CreateNamedPipeW is non-null.
    var isClosing: Bool { state.withLock { $0.closeRequested } }

    func with<Result>(
        _ operation: @autoclosure () -> String,
        _ body: (HANDLE) throws(TransportError) -> Result
    ) throws(TransportError) -> Result {
        let admitted = state.withLock { state in
            guard !state.closeRequested else { return false }
            state.users += 1
            return true
        }
        guard admitted else { throw .closed(operation()) }
        defer { leave() }
        return try body(handle)
    }

    func close() {
        let first = state.withLock { state in
            guard !state.closeRequested else { return false }
            state.closeRequested = true
            state.users += 1
            return true
        }
        guard first else { return }
        SetEvent(HANDLE(bitPattern: closeEventBits))
        leave()
    }

    private func leave() {
        let release = state.withLock { state in
            state.users -= 1
            guard state.users == 0, state.closeRequested, !state.released else { return false }
            state.released = true
            return true
        }
        if release { releaseAll() }
    }

    private func releaseAll() {
        CloseHandle(handle)
        CloseHandle(HANDLE(bitPattern: closeEventBits))
        for bits in [readOverlappedBits, writeOverlappedBits] {
            let overlapped = UnsafeMutablePointer<OVERLAPPED>(bitPattern: bits)!  // Safe: allocated in init.
            CloseHandle(overlapped.pointee.hEvent)
            overlapped.deallocate()
        }
    }

    deinit {
        let released = state.withLock { $0.released }
        if !released { releaseAll() }
    }

    /// Starts nothing; waits for the overlapped operation `overlapped` on this handle to finish, the close event, or
    /// the timeout. On close or timeout the operation is cancelled and its cancellation awaited, so the OVERLAPPED
    /// is free again when this returns.
    func wait(_ overlapped: UnsafeMutablePointer<OVERLAPPED>, milliseconds: DWORD) -> OverlappedWait {
        var events: [HANDLE?] = [overlapped.pointee.hEvent, HANDLE(bitPattern: closeEventBits)]
        let signalled = WaitForMultipleObjects(2, &events, false, milliseconds)
        var transferred: DWORD = 0
        if signalled == waitObject0 {
            guard GetOverlappedResult(handle, overlapped, &transferred, false) else {
                return .failed(Win32Error(GetLastError()))
            }
            return .completed(transferred)
        }
        CancelIoEx(handle, overlapped)
        _ = GetOverlappedResult(handle, overlapped, &transferred, true)
        return signalled == waitObject0 + 1 ? .closed : .timedOut
    }
}

/// A ``ByteStream`` over a connected named pipe (client or server end).
final class NamedPipeStream: ByteStream {
    private let pipe: PipeHandle
    private let label: String

    init(handle: UInt, path: String) throws(TransportError) {
        self.pipe = try PipeHandle(handle: handle)
        self.label = "named pipe \(quoted(path))"
    }

    /// Opens `path` as a client, retrying while the server is busy until `deadline`.
    static func connect(path: String, deadline: ContinuousClock.Instant?) throws(TransportError) -> NamedPipeStream {
        let handle = try openNamedPipe(path: path, deadline: deadline, opener: Win32PipeOpener())
        do throws(TransportError) {
            return try NamedPipeStream(handle: handle, path: path)
        } catch {
            CloseHandle(HANDLE(bitPattern: handle))
            throw error
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TransportError) -> Int {
        let operation = "read from \(label)"
        return try pipe.with(operation) { handle throws(TransportError) -> Int in
            let overlapped = UnsafeMutablePointer<OVERLAPPED>(bitPattern: pipe.readOverlappedBits)!  // Safe: allocated.
            ResetEvent(overlapped.pointee.hEvent)
            let count = DWORD(clamping: buffer.count)
            if !ReadFile(handle, buffer.baseAddress, count, nil, overlapped) {
                let error = Win32Error(GetLastError())
                if error == .brokenPipe { return 0 }
                guard error == .ioPending else { throw .win32(operation, error) }
            }
            switch pipe.wait(overlapped, milliseconds: infinite) {
            case .completed(let transferred): return Int(transferred)
            case .failed(.brokenPipe), .closed: return 0
            case .failed(let error): throw .win32(operation, error)
            case .timedOut: throw .timedOut(operation)
            }
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer, deadline: ContinuousClock.Instant?) throws(TransportError) {
        let operation = "write to \(label)"
        try pipe.with(operation) { handle throws(TransportError) in
            // Safe: allocated in PipeHandle.init and freed only after the last user leaves.
            let overlapped = UnsafeMutablePointer<OVERLAPPED>(bitPattern: pipe.writeOverlappedBits)!
            var offset = 0
            while offset < bytes.count {
                var milliseconds = infinite
                if let deadline {
                    let remaining = ContinuousClock.now.duration(to: deadline)
                    guard remaining > .zero else { throw .timedOut(operation) }
                    let (seconds, attoseconds) = remaining.components
                    milliseconds = DWORD(
                        clamping: min(seconds, 4_000_000) * 1000 + attoseconds / 1_000_000_000_000_000 + 1
                    )
                }
                ResetEvent(overlapped.pointee.hEvent)
                let chunk = DWORD(clamping: bytes.count - offset)
                if !WriteFile(handle, bytes.baseAddress! + offset, chunk, nil, overlapped) {  // Safe: count > 0.
                    let error = Win32Error(GetLastError())
                    guard error == .ioPending else { throw .win32(operation, error) }
                }
                switch pipe.wait(overlapped, milliseconds: milliseconds) {
                case .completed(let transferred): offset += Int(transferred)
                case .failed(let error): throw .win32(operation, error)
                case .timedOut: throw .timedOut("\(operation) (\(offset) of \(bytes.count) bytes written)")
                case .closed: throw .closed(operation)
                }
            }
        }
    }

    /// Byte-mode named pipes have no half-close, so this does nothing; the peer sees end of stream on `close()`.
    /// (FlushFileBuffers is no substitute: on a pipe it blocks until the peer has read everything.)
    func shutdownWrite() {}

    func close() {
        pipe.close()
    }
}

/// A named pipe server: one pipe instance per connection, the next instance created before the current one is
/// handed out so the name never disappears between accepts (clients would see ERROR_FILE_NOT_FOUND).
final class NamedPipeListener: Listener {
    let localEndpoint: Endpoint
    private let path: String
    private let closeEventBits: UInt
    private struct State {
        var nextInstance: UInt?
        var closed = false
    }
    private let state = Mutex(State())

    init(path: String) throws(TransportError) {
        self.path = path
        self.localEndpoint = .namedPipe(path: path)
        guard let closeEvent = CreateEventW(nil, true, false, nil) else {
            throw .win32("listen on named pipe \(quoted(path))", Win32Error(GetLastError()))
        }
        closeEventBits = UInt(bitPattern: closeEvent)
        // FILE_FLAG_FIRST_PIPE_INSTANCE: fail (ERROR_ACCESS_DENIED) if another server already owns the name.
        let first = try Self.createInstance(path: path, first: true)
        state.withLock { $0.nextInstance = first }
    }

    private static func createInstance(path: String, first: Bool) throws(TransportError) -> UInt {
        var openMode = DWORD(PIPE_ACCESS_DUPLEX) | DWORD(FILE_FLAG_OVERLAPPED)
        if first { openMode |= DWORD(FILE_FLAG_FIRST_PIPE_INSTANCE) }
        let handle = path.withCString(encodedAs: UTF16.self) { name in
            CreateNamedPipeW(
                name,
                openMode,
                DWORD(PIPE_TYPE_BYTE) | DWORD(PIPE_READMODE_BYTE) | DWORD(PIPE_WAIT)
                    | DWORD(PIPE_REJECT_REMOTE_CLIENTS),
                DWORD(PIPE_UNLIMITED_INSTANCES),
                64 * 1024,
                64 * 1024,
                0,
                nil
            )
        }
        guard let handle, handle != INVALID_HANDLE_VALUE else {
            let error = Win32Error(GetLastError())
            if first && error == .accessDenied {
                throw TransportError(
                    code: .addressInUse,
                    message: "listen on named pipe \(quoted(path)): another server already listens there",
                    win32Error: error
                )
            }
            throw .win32("listen on named pipe \(quoted(path))", error)
        }
        return UInt(bitPattern: handle)
    }

    func accept() throws(TransportError) -> any ByteStream {
        let operation = "accept on named pipe \(quoted(path))"
        let instance: UInt = try {
            () throws(TransportError) -> UInt in
            let taken: UInt?? = state.withLock { state in
                if state.closed { return .none }
                defer { state.nextInstance = nil }
                return .some(state.nextInstance)
            }
            guard let taken else { throw .closed(operation) }
            if let taken { return taken }
            return try Self.createInstance(path: path, first: false)
        }()
        guard let handle = HANDLE(bitPattern: instance) else { throw .closed(operation) }
        guard let event = CreateEventW(nil, true, false, nil) else {
            CloseHandle(handle)
            throw .win32(operation, Win32Error(GetLastError()))
        }
        defer { CloseHandle(event) }
        let overlapped = UnsafeMutablePointer<OVERLAPPED>.allocate(capacity: 1)
        overlapped.initialize(to: OVERLAPPED())
        overlapped.pointee.hEvent = event
        defer { overlapped.deallocate() }
        var connected = ConnectNamedPipe(handle, overlapped)
        if !connected {
            let error = Win32Error(GetLastError())
            switch error {
            case .pipeConnected:
                connected = true  // The client arrived between CreateNamedPipe and ConnectNamedPipe.
            case .ioPending:
                var events: [HANDLE?] = [event, HANDLE(bitPattern: closeEventBits)]
                let signalled = WaitForMultipleObjects(2, &events, false, infinite)
                var transferred: DWORD = 0
                if signalled == waitObject0 {
                    connected = GetOverlappedResult(handle, overlapped, &transferred, false)
                } else {
                    CancelIoEx(handle, overlapped)
                    _ = GetOverlappedResult(handle, overlapped, &transferred, true)
                }
            default:
                break
            }
            if !connected {
                let failure = Win32Error(GetLastError())
                CloseHandle(handle)
                if state.withLock({ $0.closed }) { throw .closed(operation) }
                throw .win32(operation, failure)
            }
        }
        // Keep the name present for the next client before handing this instance out.
        if let next = try? Self.createInstance(path: path, first: false) {
            let keep = state.withLock { state in
                guard !state.closed, state.nextInstance == nil else { return false }
                state.nextInstance = next
                return true
            }
            if !keep { CloseHandle(HANDLE(bitPattern: next)) }
        }
        do throws(TransportError) {
            return try NamedPipeStream(handle: instance, path: path)
        } catch {
            CloseHandle(handle)
            throw error
        }
    }

    func close() {
        let pending: UInt?? = state.withLock { state in
            guard !state.closed else { return .none }
            state.closed = true
            defer { state.nextInstance = nil }
            return .some(state.nextInstance)
        }
        guard let pending else { return }
        SetEvent(HANDLE(bitPattern: closeEventBits))
        if let pending { CloseHandle(HANDLE(bitPattern: pending)) }
        // The close event is deliberately leaked only until deinit: a racing accept may still wait on it.
    }

    deinit {
        close()
        CloseHandle(HANDLE(bitPattern: closeEventBits))
    }
}
#endif
