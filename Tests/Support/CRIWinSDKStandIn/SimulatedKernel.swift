#if !os(Windows)
import Glibc

/// Who may write to a simulated pipe.
public enum SimulatedPipeSecurity: Sendable {
    /// Everyone may read and write.
    case everyone
    /// containerd's default pipe security: administrators (and SYSTEM) get full access, everyone else read only,
    /// so a non-elevated client's `CreateFileW(GENERIC_READ | GENERIC_WRITE)` fails with ERROR_ACCESS_DENIED.
    case administratorsOnlyWrite
}

/// The simulated Win32 kernel behind the stand-in's functions: events, threads, and named pipes whose connected
/// instances are unix socket pairs, with the semantics go-winio and containerd rely on.
///
/// - `CreateNamedPipeW` adds a listening instance; a client's `CreateFileW` takes a listening instance or fails
///   with ERROR_PIPE_BUSY when every instance is taken, ERROR_FILE_NOT_FOUND when the name has no instance,
///   ERROR_ACCESS_DENIED when the pipe's security forbids the access asked for.
/// - `WaitNamedPipeW` waits for a listening instance (ERROR_SEM_TIMEOUT when none comes in time).
/// - Overlapped `ReadFile`/`WriteFile`/`ConnectNamedPipe` always return FALSE with ERROR_IO_PENDING and complete
///   later on a kernel thread, setting `OVERLAPPED.Internal`/`InternalHigh` and the event; `GetOverlappedResult`
///   reports them (ERROR_IO_INCOMPLETE while pending without bWait); `CancelIoEx` ends them with
///   ERROR_OPERATION_ABORTED. End of stream reads fail with ERROR_BROKEN_PIPE, writes to a closed peer with
///   ERROR_NO_DATA.
/// - Misuse a real kernel would punish later (closing a handle or reusing an OVERLAPPED while an operation on it is
///   pending) is recorded in ``violations``, and every handle is counted (``openHandleCount``), so tests can
///   assert the code under test cleans up.
public final class SimulatedKernel: @unchecked Sendable {
    /// The one kernel of the process, as on Windows.
    public static let shared = SimulatedKernel()

    // `OVERLAPPED.Internal` while the operation runs (STATUS_PENDING); once done it holds the Win32 error (0: ok).
    private static let statusPending: UInt64 = 0x103

    /// What an overlapped operation does.
    enum Direction { case read, write, connect }

    private final class Event {
        let manualReset: Bool
        var signalled: Bool
        init(manualReset: Bool, signalled: Bool) {
            self.manualReset = manualReset
            self.signalled = signalled
        }
    }

    private final class PipeEnd {
        enum State { case listening, connected }
        let key: String
        let isServer: Bool
        var state: State
        var fd: Int32
        var handleClosed = false
        var pending: Set<UInt> = []  // OVERLAPPED addresses
        init(key: String, isServer: Bool, state: State, fd: Int32) {
            self.key = key
            self.isServer = isServer
            self.state = state
            self.fd = fd
        }
    }

    private final class Operation {
        let direction: Direction
        let end: PipeEnd
        let overlapped: LPOVERLAPPED
        /// The read and write ends of a pipe that wakes the operation's kernel thread to cancel it; -1 for
        /// ConnectNamedPipe, which has no thread.
        let cancelFD: Int32
        let cancelWriteFD: Int32
        init(direction: Direction, end: PipeEnd, overlapped: LPOVERLAPPED, cancelFDs: (Int32, Int32)) {
            self.direction = direction
            self.end = end
            self.overlapped = overlapped
            (cancelFD, cancelWriteFD) = cancelFDs
        }
    }

    private final class PipeName {
        let maxInstances: Int
        var instances: [PipeEnd] = []
        var waiters = 0
        init(maxInstances: Int) { self.maxInstances = maxInstances }
    }

    private enum Object {
        case event(Event)
        case pipe(PipeEnd)
        case thread
        case find
    }

    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let changed: UnsafeMutablePointer<pthread_cond_t>
    private var objects: [UInt: Object] = [:]
    private var nextHandle: UInt = 0x1_0000
    private var pipes: [String: PipeName] = [:]
    private var operations: [UInt: Operation] = [:]
    private var security: [String: SimulatedPipeSecurity] = [:]
    private var elevated = false
    private var recordedViolations: [String] = []
    /// The attached console, if any (SimulatedKernel+Console.swift).
    var console: Console?

    private init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        changed = .allocate(capacity: 1)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(changed, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    // MARK: Test controls

    /// Sets the security of pipes named `name` (`\\.\pipe\NAME`), for instances created from now on and clients
    /// opening them.
    public func setSecurity(_ value: SimulatedPipeSecurity, forPipe name: String) {
        locked { security[Self.key(name)] = value }
    }

    /// Whether the calling process runs elevated (as an administrator); false by default.
    public var callerIsElevated: Bool {
        get { locked { elevated } }
        set { locked { elevated = newValue } }
    }

    /// Misuse recorded so far (see the type's documentation).
    public var violations: [String] { locked { recordedViolations } }

    /// Kernel objects currently open (events, pipe ends, threads, find handles).
    public var openHandleCount: Int { locked { objects.count } }

    /// Whether a server instance of `name` exists.
    public func pipeExists(_ name: String) -> Bool {
        locked { !(pipes[Self.key(name)]?.instances.isEmpty ?? true) }
    }

    /// Waits until no server instance of `name` is left (its server closed them all), at most `seconds`.
    public func awaitPipeGone(_ name: String, seconds: Int = 5) -> Bool {
        locked {
            let deadline = Self.deadline(milliseconds: UInt32(seconds * 1000))
            while !(pipes[Self.key(name)]?.instances.isEmpty ?? true) {
                if timedWait(until: deadline) { return false }
            }
            return true
        }
    }

    /// Waits until a client waits in `WaitNamedPipeW` for `name`, at most `seconds`; false if none did.
    public func awaitWaiter(onPipe name: String, seconds: Int = 10) -> Bool {
        locked {
            let deadline = Self.deadline(milliseconds: UInt32(seconds * 1000))
            while (pipes[Self.key(name)]?.waiters ?? 0) == 0 {
                if timedWait(until: deadline) { return false }
            }
            return true
        }
    }

    /// Waits until at most `count` handles are open, at most `seconds`; false if more stayed open.
    ///
    /// Objects released by another thread (a listener whose accept thread is just ending) close their handles a
    /// moment after the test's own work is done; this waits for that instead of guessing a delay.
    public func awaitOpenHandles(atMost count: Int, seconds: Int = 5) -> Bool {
        locked {
            let deadline = Self.deadline(milliseconds: UInt32(seconds * 1000))
            while objects.count > count {
                if timedWait(until: deadline) { return false }
            }
            return true
        }
    }

    /// Waits until an overlapped read or write is pending on a pipe named `name`, at most `seconds`.
    public func awaitPendingIO(onPipe name: String, seconds: Int = 10) -> Bool {
        locked {
            let key = Self.key(name)
            let deadline = Self.deadline(milliseconds: UInt32(seconds * 1000))
            while !operations.values.contains(where: { $0.end.key == key && $0.direction != .connect }) {
                if timedWait(until: deadline) { return false }
            }
            return true
        }
    }

    /// Breaks every connected instance of `name` as if the server process died: both ends see end of stream.
    public func breakConnections(onPipe name: String) {
        locked {
            for end in pipes[Self.key(name)]?.instances ?? [] where end.state == .connected && end.fd >= 0 {
                Glibc.shutdown(end.fd, Int32(SHUT_RDWR))
            }
        }
    }

    // MARK: Errors

    private static let errorKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// The calling thread's last error.
    static var lastError: DWORD {
        get { DWORD(truncatingIfNeeded: UInt(bitPattern: pthread_getspecific(errorKey))) }
        set { pthread_setspecific(errorKey, UnsafeRawPointer(bitPattern: UInt(newValue))) }
    }

    func fail<T>(_ error: Int32, _ value: T) -> T {
        Self.lastError = DWORD(error)
        return value
    }

    // MARK: Objects

    func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }

    private func register(_ object: Object) -> HANDLE {
        nextHandle += 4
        objects[nextHandle] = object
        return HANDLE(bitPattern: nextHandle)!
    }

    private func object(_ handle: HANDLE?) -> Object? {
        guard let handle else { return nil }
        return objects[UInt(bitPattern: handle)]
    }

    private static func key(_ name: String) -> String { name.lowercased() }

    private static func deadline(milliseconds: UInt32) -> timespec? {
        guard milliseconds != INFINITE else { return nil }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let nanoseconds = Int(now.tv_nsec) + Int(milliseconds % 1000) * 1_000_000
        return timespec(
            tv_sec: now.tv_sec + Int(milliseconds / 1000) + nanoseconds / 1_000_000_000,
            tv_nsec: nanoseconds % 1_000_000_000)
    }

    /// Waits for a change (the lock held); returns true when `deadline` passed.
    private func timedWait(until deadline: timespec?) -> Bool {
        guard var deadline else {
            pthread_cond_wait(changed, mutex)
            return false
        }
        return pthread_cond_timedwait(changed, mutex, &deadline) == ETIMEDOUT
    }

    func createEvent(manualReset: Bool, signalled: Bool) -> HANDLE? {
        locked { register(.event(Event(manualReset: manualReset, signalled: signalled))) }
    }

    func setEvent(_ handle: HANDLE?, to value: Bool) -> Bool {
        locked {
            guard case .event(let event)? = object(handle) else { return fail(ERROR_INVALID_HANDLE, false) }
            event.signalled = value
            pthread_cond_broadcast(changed)
            return true
        }
    }

    func waitForAny(_ handles: [HANDLE?], milliseconds: UInt32) -> UInt32 {
        locked {
            let deadline = Self.deadline(milliseconds: milliseconds)
            while true {
                for (index, handle) in handles.enumerated() {
                    guard case .event(let event)? = object(handle) else { return fail(ERROR_INVALID_HANDLE, WAIT_FAILED) }
                    if event.signalled {
                        if !event.manualReset { event.signalled = false }
                        return UInt32(index)
                    }
                }
                if milliseconds == 0 || timedWait(until: deadline) { return UInt32(WAIT_TIMEOUT) }
            }
        }
    }

    func closeHandle(_ handle: HANDLE?) -> Bool {
        locked {
            guard let handle, let object = objects.removeValue(forKey: UInt(bitPattern: handle)) else {
                return fail(ERROR_INVALID_HANDLE, false)
            }
            if case .pipe(let end) = object {
                end.handleClosed = true
                if !end.pending.isEmpty {
                    recordedViolations.append("CloseHandle on a pipe with \(end.pending.count) overlapped operation(s) pending")
                    for bits in end.pending { cancel(operations[bits]) }
                }
                if end.fd >= 0 {
                    Glibc.shutdown(end.fd, Int32(SHUT_RDWR))
                    if end.pending.isEmpty { closeDescriptor(end) }
                }
                if end.isServer, let pipe = pipes[end.key] {
                    pipe.instances.removeAll { $0 === end }
                    if pipe.instances.isEmpty && pipe.waiters == 0 { pipes[end.key] = nil }
                }
            }
            pthread_cond_broadcast(changed)
            return true
        }
    }

    private func closeDescriptor(_ end: PipeEnd) {
        close(end.fd)
        end.fd = -1
    }

    func beginThread(
        stackSize: Int, start: (@convention(c) (UnsafeMutableRawPointer?) -> UInt32)?, argument: UnsafeMutableRawPointer?
    ) -> UInt {
        guard let start else { return 0 }
        let handle = locked { register(.thread) }
        let started = spawnThread(stackSize: stackSize) { _ = start(argument) }
        guard started else {
            _ = closeHandle(handle)
            return 0
        }
        return UInt(bitPattern: handle)
    }

    // MARK: Named pipes

    private static let pipePrefix = #"\\.\pipe\"#

    func createNamedPipe(name: String, openMode: UInt32, pipeMode: UInt32, maxInstances: UInt32) -> HANDLE? {
        locked {
            guard name.lowercased().hasPrefix(Self.pipePrefix), name.count > Self.pipePrefix.count,
                (1...255).contains(maxInstances)
            else { return fail(ERROR_INVALID_NAME, INVALID_HANDLE_VALUE) }
            let key = Self.key(name)
            let pipe = pipes[key] ?? PipeName(maxInstances: maxInstances == 255 ? Int.max : Int(maxInstances))
            if !pipe.instances.isEmpty {
                if openMode & UInt32(FILE_FLAG_FIRST_PIPE_INSTANCE) != 0 { return fail(ERROR_ACCESS_DENIED, INVALID_HANDLE_VALUE) }
                if pipe.instances.count >= pipe.maxInstances { return fail(ERROR_PIPE_BUSY, INVALID_HANDLE_VALUE) }
            }
            pipes[key] = pipe
            let end = PipeEnd(key: key, isServer: true, state: .listening, fd: -1)
            pipe.instances.append(end)
            pthread_cond_broadcast(changed)
            return register(.pipe(end))
        }
    }

    func createFile(name: String, access: UInt32, disposition: UInt32, flags: UInt32) -> HANDLE? {
        locked {
            let key = Self.key(name)
            guard key.hasPrefix(Self.pipePrefix), let pipe = pipes[key], !pipe.instances.isEmpty else {
                return fail(ERROR_FILE_NOT_FOUND, INVALID_HANDLE_VALUE)
            }
            guard disposition == UInt32(OPEN_EXISTING) else { return fail(ERROR_INVALID_PARAMETER, INVALID_HANDLE_VALUE) }
            if access & GENERIC_WRITE != 0, security[key] == .administratorsOnlyWrite, !elevated {
                return fail(ERROR_ACCESS_DENIED, INVALID_HANDLE_VALUE)
            }
            guard let instance = pipe.instances.first(where: { $0.state == .listening }) else {
                return fail(ERROR_PIPE_BUSY, INVALID_HANDLE_VALUE)
            }
            var pair: [Int32] = [-1, -1]
            guard socketpair(AF_UNIX, Int32(Glibc.SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
                return fail(ERROR_INVALID_PARAMETER, INVALID_HANDLE_VALUE)
            }
            instance.fd = pair[0]
            instance.state = .connected
            for bits in instance.pending {
                if let operation = operations[bits], operation.direction == .connect { finish(operation, error: 0, count: 0) }
            }
            pthread_cond_broadcast(changed)
            return register(.pipe(PipeEnd(key: key, isServer: false, state: .connected, fd: pair[1])))
        }
    }

    func waitNamedPipe(name: String, milliseconds: UInt32) -> Bool {
        locked {
            let key = Self.key(name)
            guard let pipe = pipes[key], !pipe.instances.isEmpty else { return fail(ERROR_FILE_NOT_FOUND, false) }
            // NMPWAIT_USE_DEFAULT_WAIT (0): the server's default time-out, 50 ms when it gave none.
            let deadline = Self.deadline(milliseconds: milliseconds == 0 ? 50 : milliseconds)
            pipe.waiters += 1
            pthread_cond_broadcast(changed)
            defer {
                pipe.waiters -= 1
                if pipe.instances.isEmpty && pipe.waiters == 0 && pipes[key] === pipe { pipes[key] = nil }
            }
            while true {
                if pipe.instances.contains(where: { $0.state == .listening }) { return true }
                if pipe.instances.isEmpty { return fail(ERROR_FILE_NOT_FOUND, false) }
                if timedWait(until: deadline) { return fail(ERROR_SEM_TIMEOUT, false) }
            }
        }
    }

    func connectNamedPipe(_ handle: HANDLE?, _ overlapped: LPOVERLAPPED?) -> Bool {
        locked {
            guard case .pipe(let end)? = object(handle), end.isServer else { return fail(ERROR_INVALID_HANDLE, false) }
            guard let overlapped else { return fail(ERROR_INVALID_PARAMETER, false) }
            if end.state == .connected { return fail(ERROR_PIPE_CONNECTED, false) }
            guard begin(.connect, end, overlapped, cancelFDs: (-1, -1)) != nil else { return false }
            return fail(ERROR_IO_PENDING, false)
        }
    }

    func findFirstFile(name: String) -> HANDLE? {
        locked {
            guard let pipe = pipes[Self.key(name)], !pipe.instances.isEmpty else {
                return fail(ERROR_FILE_NOT_FOUND, INVALID_HANDLE_VALUE)
            }
            return register(.find)
        }
    }

    // MARK: Overlapped I/O

    /// Registers an operation (the lock held); nil after recording a violation.
    private func begin(
        _ direction: Direction, _ end: PipeEnd, _ overlapped: LPOVERLAPPED, cancelFDs: (Int32, Int32)
    ) -> Operation? {
        let bits = UInt(bitPattern: overlapped)
        guard operations[bits] == nil else {
            recordedViolations.append("an OVERLAPPED was reused while its operation was still pending")
            return fail(ERROR_INVALID_PARAMETER, nil)
        }
        overlapped.pointee.Internal = Self.statusPending
        overlapped.pointee.InternalHigh = 0
        // As Windows does: the event is reset when the operation starts.
        if case .event(let event)? = object(overlapped.pointee.hEvent) { event.signalled = false }
        let operation = Operation(direction: direction, end: end, overlapped: overlapped, cancelFDs: cancelFDs)
        operations[bits] = operation
        end.pending.insert(bits)
        pthread_cond_broadcast(changed)
        return operation
    }

    /// Completes `operation` (the lock held).
    private func finish(_ operation: Operation, error: Int32, count: Int) {
        let bits = UInt(bitPattern: operation.overlapped)
        guard operations[bits] === operation else { return }
        operations[bits] = nil
        operation.end.pending.remove(bits)
        if operation.cancelFD >= 0 {
            close(operation.cancelFD)
            close(operation.cancelWriteFD)
        }
        operation.overlapped.pointee.InternalHigh = UInt64(count)
        operation.overlapped.pointee.Internal = UInt64(UInt32(bitPattern: error))
        if case .event(let event)? = object(operation.overlapped.pointee.hEvent) { event.signalled = true }
        if operation.end.handleClosed && operation.end.pending.isEmpty && operation.end.fd >= 0 {
            closeDescriptor(operation.end)
        }
        pthread_cond_broadcast(changed)
    }

    /// Asks `operation` to end with ERROR_OPERATION_ABORTED (the lock held).
    private func cancel(_ operation: Operation?) {
        guard let operation else { return }
        if operation.direction == .connect {
            finish(operation, error: ERROR_OPERATION_ABORTED, count: 0)
        } else {
            var one: UInt8 = 1
            _ = write(operation.cancelWriteFD, &one, 1)
        }
    }

    func startIO(
        _ direction: Direction, _ handle: HANDLE?, _ buffer: UnsafeMutableRawPointer?, _ count: Int,
        _ transferred: LPDWORD?, _ overlapped: LPOVERLAPPED?
    ) -> Bool {
        if let done = consoleIO(direction, handle, buffer, count, transferred) { return done }
        let started: (Operation, Int32)? = locked { () -> (Operation, Int32)? in
            guard case .pipe(let end)? = object(handle), end.fd >= 0 else {
                if case .pipe? = object(handle) { return fail(ERROR_PIPE_LISTENING, nil) }
                return fail(ERROR_INVALID_HANDLE, nil)
            }
            // Our handles are all FILE_FLAG_OVERLAPPED: I/O without an OVERLAPPED is a bug there.
            guard let overlapped, buffer != nil || count == 0 else { return fail(ERROR_INVALID_PARAMETER, nil) }
            var cancel: [Int32] = [-1, -1]
            guard pipe(&cancel) == 0 else { return fail(ERROR_NOT_ENOUGH_MEMORY, nil) }
            for fd in cancel { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            guard let operation = begin(direction, end, overlapped, cancelFDs: (cancel[0], cancel[1])) else {
                close(cancel[0])
                close(cancel[1])
                return nil
            }
            return (operation, end.fd)
        }
        guard let (operation, fd) = started else { return false }
        let buffer = UInt(bitPattern: buffer)
        let running = spawnThread(stackSize: 64 * 1024) { [self] in
            let (error, done) = perform(direction, fd: fd, cancelFD: operation.cancelFD,
                                        buffer: UnsafeMutableRawPointer(bitPattern: buffer), count: count)
            locked { finish(operation, error: error, count: done) }
        }
        if !running { locked { finish(operation, error: ERROR_NOT_ENOUGH_MEMORY, count: 0) } }
        return fail(ERROR_IO_PENDING, false)
    }

    private var ERROR_PIPE_LISTENING: Int32 { 536 }
    private var ERROR_NOT_ENOUGH_MEMORY: Int32 { 8 }

    /// The blocking part of a read or write, on its kernel thread: (Win32 error, bytes transferred).
    private func perform(
        _ direction: Direction, fd: Int32, cancelFD: Int32, buffer: UnsafeMutableRawPointer?, count: Int
    ) -> (Int32, Int) {
        var done = 0
        if direction == .write && count == 0 { return (0, 0) }
        while true {
            var polled = [
                Glibc.pollfd(fd: fd, events: Int16(direction == .read ? POLLIN : POLLOUT), revents: 0),
                Glibc.pollfd(fd: cancelFD, events: Int16(POLLIN), revents: 0),
            ]
            if Glibc.poll(&polled, 2, -1) < 0 {
                if errno == EINTR { continue }
                return (ERROR_INVALID_HANDLE, done)
            }
            if polled[1].revents != 0 { return (ERROR_OPERATION_ABORTED, done) }
            if direction == .read {
                let received = Glibc.recv(fd, buffer, count, Int32(MSG_DONTWAIT))
                if received > 0 { return (0, received) }
                if received == 0 { return (ERROR_BROKEN_PIPE, 0) }
                if errno == EAGAIN || errno == EINTR { continue }
                return (ERROR_BROKEN_PIPE, 0)
            }
            let sent = Glibc.send(fd, buffer! + done, count - done, Int32(MSG_DONTWAIT) | Int32(MSG_NOSIGNAL))
            if sent > 0 {
                done += sent
                if done == count { return (0, done) }
                continue
            }
            if sent < 0 && (errno == EAGAIN || errno == EINTR) { continue }
            return (ERROR_NO_DATA, done)
        }
    }

    func overlappedResult(_ handle: HANDLE?, _ overlapped: LPOVERLAPPED?, _ transferred: LPDWORD?, wait: Bool) -> Bool {
        locked {
            guard case .pipe? = object(handle) else { return fail(ERROR_INVALID_HANDLE, false) }
            guard let overlapped else { return fail(ERROR_INVALID_PARAMETER, false) }
            while overlapped.pointee.Internal == Self.statusPending {
                if !wait { return fail(ERROR_IO_INCOMPLETE, false) }
                pthread_cond_wait(changed, mutex)
            }
            transferred?.pointee = DWORD(truncatingIfNeeded: overlapped.pointee.InternalHigh)
            let error = Int32(truncatingIfNeeded: overlapped.pointee.Internal)
            return error == 0 ? true : fail(error, false)
        }
    }

    func cancelIO(_ handle: HANDLE?, _ overlapped: LPOVERLAPPED?) -> Bool {
        locked {
            guard case .pipe(let end)? = object(handle) else { return fail(ERROR_INVALID_HANDLE, false) }
            let targets = end.pending.filter { overlapped == nil || $0 == UInt(bitPattern: overlapped) }
            guard !targets.isEmpty else { return fail(ERROR_NOT_FOUND, false) }
            for bits in targets { cancel(operations[bits]) }
            return true
        }
    }
}

/// Starts a detached pthread running `body`; false if it could not be created.
private func spawnThread(stackSize: Int, _ body: @escaping () -> Void) -> Bool {
    final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
    if stackSize > 0 { pthread_attr_setstacksize(&attributes, max(stackSize, 64 * 1024)) }
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    let status = pthread_create(&thread, &attributes, { argument in
        Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue().body()
        return nil
    }, box)
    if status != 0 { Unmanaged<Box>.fromOpaque(box).release() }
    return status == 0
}
#endif
