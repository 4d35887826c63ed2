#if !os(Windows)
import Synchronization

/// Owns a file descriptor shared by a reader thread, a writer and a closer.
///
/// `close()` from any thread must wake a blocked read, but must not `close(2)` the descriptor while another thread
/// is still inside a call on it: the number could be reused by an unrelated `open` and the blocked thread would
/// then read someone else's file. So closing first runs a wake-up action (shutdown, a wake pipe) and the real
/// `close(2)` happens when the last in-flight operation leaves.
final class DescriptorGuard: Sendable {
    private struct State {
        var fd: Int32
        var users = 0
        var closeRequested = false
        var released = false
    }

    private let state: Mutex<State>
    private let release: @Sendable (Int32) -> Void

    /// Guards `fd`; `release` runs once, after close was requested and no operation is in flight.
    init(fd: Int32, release: @escaping @Sendable (Int32) -> Void = { Posix.close($0) }) {
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
        _ body: (Int32) throws(TransportError) -> Result
    ) throws(TransportError) -> Result {
        let fd: Int32? = state.withLock { state in
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
    func close(wake: (Int32) -> Void) -> Bool {
        let fd: Int32? = state.withLock { state in
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
        let fdToRelease: Int32? = state.withLock { state in
            state.users -= 1
            guard state.users == 0, state.closeRequested, !state.released else { return nil }
            state.released = true
            return state.fd
        }
        if let fdToRelease { release(fdToRelease) }
    }

    deinit {
        // Dropped without close(): nobody can be using it any more, so release directly.
        let fd: Int32? = state.withLock { $0.released ? nil : $0.fd }
        if let fd { release(fd) }
    }
}
#endif
