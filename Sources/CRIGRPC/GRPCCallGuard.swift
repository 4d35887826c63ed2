import CRIHTTP2
import Synchronization

/// Ends a call early on its deadline or on task cancellation by resetting its stream
/// (RST_STREAM(CANCEL), PROTOCOL-HTTP2 "Cancellation"), and remembers which of the two happened.
final class GRPCCallGuard: Sendable {
    private struct State {
        var stream: HTTP2Stream?
        var fired: RPCError.Code?
    }

    private let state = Mutex(State())
    private let timeout: Duration?
    /// Abandons a wait for a stream slot when the call ends first.
    let openCanceller = HTTP2OpenCanceller()

    /// When the call's deadline passes, if it has one.
    let deadline: ContinuousClock.Instant?

    init(timeout: Duration?) {
        self.timeout = timeout
        self.deadline = timeout.map { ContinuousClock.now + $0 }
    }

    /// Reports a server error that arrived after our deadline as DEADLINE_EXCEEDED: the server's own
    /// timer (from `grpc-timeout`) may beat ours by a hair, and its status then varies by server
    /// (containerd answers UNKNOWN "context deadline exceeded").
    func adjusted(_ error: RPCError) -> RPCError {
        guard error.code != .deadlineExceeded, error.code != .cancelled, let deadline, ContinuousClock.now >= deadline
        else { return error }
        var adjusted = error
        adjusted.code = .deadlineExceeded
        return adjusted
    }

    /// The code of the event that ended the call, if one did.
    var fired: RPCError.Code? { state.withLock { $0.fired } }

    /// Attaches the call's stream; false (after resetting it) when the call already ended.
    func attach(_ stream: HTTP2Stream) -> Bool {
        let fired = state.withLock { state in
            state.stream = stream
            return state.fired
        }
        if fired != nil {
            stream.reset(.cancel)
            return false
        }
        return true
    }

    /// Ends the call with `code` (the first event wins).
    func fire(_ code: RPCError.Code) {
        let stream: HTTP2Stream? = state.withLock { state in
            guard state.fired == nil else { return nil }
            state.fired = code
            return state.stream
        }
        openCanceller.cancel()
        stream?.reset(.cancel, failure: HTTP2StreamFailure(code: .locallyReset, reason: "\(code)"))
    }

    /// The error to report for a fired guard.
    func error(path: String) -> RPCError? {
        guard let fired else { return nil }
        if fired == .deadlineExceeded {
            let limit = timeout.map { " of \($0)" } ?? ""
            return RPCError(code: .deadlineExceeded, message: "deadline\(limit) exceeded", path: path)
        }
        return RPCError(code: .cancelled, message: "the call was cancelled", path: path)
    }

    /// Starts the deadline timer; cancel the returned entry when the call ends.
    ///
    /// The shared scheduler's thread fires it on time even when the concurrency pool is busy, so the
    /// RST_STREAM goes out and the caller is woken at the deadline. The entry keeps the guard (not a
    /// weak reference, which would cost an allocation per call) until the scheduler drops it, which
    /// its compaction bounds.
    func startTimer(timeout: Duration) -> DeadlineScheduler.Entry {
        DeadlineScheduler.shared.schedule(at: deadline ?? ContinuousClock.now + timeout) { [self] in
            fire(.deadlineExceeded)
        }
    }
}

/// Maps an HTTP/2 stream failure to a status (PROTOCOL-HTTP2 "Errors": RST_STREAM codes).
func rpcError(for failure: HTTP2StreamFailure, path: String) -> RPCError {
    let code: RPCError.Code
    switch failure.code {
    case .resetByPeer:
        switch failure.http2Code {
        case .refusedStream?: code = .unavailable
        case .cancel?: code = .cancelled
        case .enhanceYourCalm?: code = .resourceExhausted
        case .inadequateSecurity?: code = .permissionDenied
        default: code = .internalError
        }
    case .connectionClosed, .refusedByGoAway, .notAccepting: code = .unavailable
    case .locallyReset: code = .cancelled
    default: code = .internalError
    }
    return RPCError(code: code, message: failure.reason, path: path, cause: failure)
}
