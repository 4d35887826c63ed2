#if !os(Windows)
// The one place that turns raw system-call outcomes into blocking, deadline-aware operations: EINTR is retried,
// EAGAIN waits in poll, short writes continue where they stopped. Descriptors are non-blocking throughout, so a
// deadline can only be missed by at most one poll rounding step.

/// Why a wait for readiness ended.
package enum WaitOutcome: Equatable, Sendable {
    /// The descriptor is ready (or has an error or hang-up, which the next call reports).
    case ready
    /// The deadline passed first.
    case timedOut
}

extension Syscalls {
    /// Receives at least one byte, blocking (in poll) until data or end of stream arrives.
    ///
    /// - Returns: the byte count, 0 at end of stream.
    /// - Throws: ``TransportError`` naming `label` (e.g. `read from unix socket "/run/x.sock"`).
    /// - Parameter pollFirst: wait for data before the first attempt; saves a receive that would only
    ///   report EAGAIN when the caller knows the socket was just drained.
    package func receiveBlocking(
        _ fd: Int32,
        into buffer: UnsafeMutableRawBufferPointer,
        pollFirst: Bool = false,
        label: @autoclosure () -> String
    ) throws(TransportError) -> Int {
        if pollFirst { _ = try wait(fd, for: PollDescriptor.readable, deadline: nil, label: label()) }
        while true {
            switch receive(fd, buffer) {
            case .success(let count):
                return count
            case .failure(.interrupted):
                continue
            case .failure(.wouldBlock):
                _ = try wait(fd, for: PollDescriptor.readable, deadline: nil, label: label())
            case .failure(let error):
                throw .system(label(), error)
            }
        }
    }

    /// Sends all of `bytes`, continuing after short writes and waiting for buffer space at most until `deadline`.
    ///
    /// - Throws: ``TransportError/Code/timedOut`` when the peer does not drain its buffer in time; an unknown
    ///   prefix of `bytes` has then been sent.
    package func sendAll(
        _ fd: Int32,
        _ bytes: UnsafeRawBufferPointer,
        deadline: ContinuousClock.Instant?,
        label: @autoclosure () -> String
    ) throws(TransportError) {
        var offset = 0
        while offset < bytes.count {
            // Safe: 0 ≤ offset < bytes.count, so the rebased slice is within the buffer.
            let remaining = UnsafeRawBufferPointer(rebasing: bytes[offset...])
            switch send(fd, remaining) {
            case .success(let count) where count > 0:
                offset += min(count, remaining.count)
            case .success, .failure(.wouldBlock):
                // A zero-byte send with bytes pending means "no room", like EAGAIN.
                if try wait(fd, for: PollDescriptor.writable, deadline: deadline, label: label()) == .timedOut {
                    throw .timedOut("\(label()) (\(offset) of \(bytes.count) bytes written)")
                }
            case .failure(.interrupted):
                continue
            case .failure(let error):
                throw .system(label(), error)
            }
        }
    }

    /// Waits until `fd` is ready for `events` or `deadline` passes (nil: wait forever).
    package func wait(
        _ fd: Int32,
        for events: Int16,
        deadline: ContinuousClock.Instant?,
        label: @autoclosure () -> String
    ) throws(TransportError) -> WaitOutcome {
        // One descriptor on the stack: an array here was an allocation on every wait for data.
        var descriptor = PollDescriptor(fd: fd, events: events)
        while true {
            var timeout: Int32 = -1
            if let deadline {
                guard let milliseconds = Self.millisecondsUntil(deadline, now: now()) else { return .timedOut }
                timeout = milliseconds
            }
            let result = withUnsafeMutablePointer(to: &descriptor) { poll(UnsafeMutableBufferPointer(start: $0, count: 1), timeout) }
            switch result {
            case .success(0):
                // Timed out, possibly early by rounding or a clock adjustment: the loop re-checks the deadline.
                continue
            case .success:
                return .ready
            case .failure(.interrupted):
                continue
            case .failure(let error):
                throw .system(label(), error)
            }
        }
    }

    /// Connects a non-blocking socket, waiting for the handshake at most until `deadline`.
    package func connectBlocking(
        _ fd: Int32,
        to address: SocketAddress,
        deadline: ContinuousClock.Instant?,
        label: @autoclosure () -> String
    ) throws(TransportError) {
        while true {
            switch connect(fd, address) {
            case .success:
                return
            case .failure(.inProgress), .failure(.interrupted):
                // POSIX: after EINTR the connect continues asynchronously, exactly like EINPROGRESS.
                if try wait(fd, for: PollDescriptor.writable, deadline: deadline, label: label()) == .timedOut {
                    throw .timedOut(label())
                }
                switch pendingError(fd) {
                case .success(0): return
                case .success(let code): throw .system(label(), Errno(code))
                case .failure(let error): throw .system(label(), error)
                }
            case .failure(.wouldBlock):
                // Linux unix sockets: the listener's backlog is full; retry shortly, within the deadline.
                if let deadline, Self.millisecondsUntil(deadline, now: now()) == nil { throw .timedOut(label()) }
                var nothing: [PollDescriptor] = []
                _ = nothing.withUnsafeMutableBufferPointer { poll($0, 5) }
            case .failure(let error):
                throw .system(label(), error)
            }
        }
    }

    /// The poll timeout for `deadline`, rounded up so poll never returns before it; nil once it has passed.
    package static func millisecondsUntil(_ deadline: ContinuousClock.Instant, now: ContinuousClock.Instant) -> Int32? {
        let remaining = now.duration(to: deadline)
        guard remaining > .zero else { return nil }
        let (seconds, attoseconds) = remaining.components
        // Cap at about 24 days so the product cannot overflow Int32.
        guard seconds < 2_000_000 else { return 2_000_000_000 }
        let attosecondsPerMillisecond: Int64 = 1_000_000_000_000_000
        let milliseconds = seconds * 1000 + (attoseconds + attosecondsPerMillisecond - 1) / attosecondsPerMillisecond
        return Int32(max(milliseconds, 1))
    }
}
#endif
