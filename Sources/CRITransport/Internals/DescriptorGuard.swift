import Synchronization

/// Owns a file descriptor (or, on Windows, a `SOCKET`) shared by a reader thread, a writer and a closer.
///
/// `close()` from any thread must wake a blocked read, but must not `close(2)` the descriptor while another thread
/// is still inside a call on it: the number could be reused by an unrelated `open` and the blocked thread would
/// then read someone else's file. So closing first runs a wake-up action (shutdown, a wake pipe) and the real
/// `close(2)` (`closesocket`) happens when the last in-flight operation leaves.
final class DescriptorGuard<Descriptor: Sendable>: Sendable {
    private struct State {
        var fd: Descriptor
        var users = 0
        var closeRequested = false
        var released = false
    }

    private let state: Mutex<State>
    private let release: @Sendable (Descriptor) -> Void

    /// Guards `fd`; `release` runs once, after close was requested and no operation is in flight.
    init(fd: Descriptor, release: @escaping @Sendable (Descriptor) -> Void) {
        self.state = Mutex(State(fd: fd))
        self.release = release
    }

    /// Whether `close()` was called.
    var isClosing: Bool { state.withLock { $0.closeRequested } }

    /// Runs `body` with the descriptor kept open for its whole duration.
    ///
    /// - Throws: ``TransportError/Code/closed`` (with `operation` in the message) if close was already requested;
    ///   otherwise what `body` throws.
    func withDescriptor<Result>(
        _ operation: @autoclosure () -> String,
        _ body: (Descriptor) throws(TransportError) -> Result
    ) throws(TransportError) -> Result {
        let fd: Descriptor? = state.withLock { state in
            guard !state.closeRequested else { return nil }
            state.users += 1
            return state.fd
        }
        guard let fd else { throw .closed(operation()) }
        defer { leave() }
        return try body(fd)
    }

    /// Requests close: `wake` runs at once with the still-open descriptor, `close(2)` when the last user leaves.
    /// Returns false if close was already requested (idempotent).
    @discardableResult
    func close(wake: (Descriptor) -> Void) -> Bool {
        let fd: Descriptor? = state.withLock { state in
            guard !state.closeRequested else { return nil }
            state.closeRequested = true
            state.users += 1  // Keep the descriptor open while `wake` uses it.
            return state.fd
        }
        guard let fd else { return false }
        wake(fd)
        leave()
        return true
    }

    private func leave() {
        let fdToRelease: Descriptor? = state.withLock { state in
            state.users -= 1
            guard state.users == 0, state.closeRequested, !state.released else { return nil }
            state.released = true
            return state.fd
        }
        if let fdToRelease { release(fdToRelease) }
    }

    deinit {
        // Dropped without close(): nobody can be using it any more, so release directly.
        let fd: Descriptor? = state.withLock { $0.released ? nil : $0.fd }
        if let fd { release(fd) }
    }
}

#if !os(Windows)
extension DescriptorGuard where Descriptor == Int32 {
    /// Guards the file descriptor `fd`, closed with close(2).
    convenience init(fd: Int32) {
        self.init(fd: fd, release: { Posix.close($0) })
    }
}
#endif
