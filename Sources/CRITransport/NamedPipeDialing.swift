/// The two Win32 calls a named-pipe client makes, behind a protocol so the busy/retry logic in
/// ``openNamedPipe(path:deadline:opener:now:)`` runs (and is tested) on every platform.
package protocol NamedPipeOpener {
    /// The opened pipe (a `HANDLE` on Windows).
    associatedtype Handle

    /// Opens a client end of the pipe (`CreateFileW`), failing with the Win32 code, e.g. ``Win32Error/pipeBusy``
    /// when every server instance is taken.
    func open(path: String) -> Result<Handle, Win32Error>

    /// Waits until an instance of the pipe is free (`WaitNamedPipeW`) for at most `milliseconds` (nil: forever).
    ///
    /// Fails with ``Win32Error/semaphoreTimeout`` when the wait times out.
    func waitForInstance(path: String, milliseconds: UInt32?) -> Result<Void, Win32Error>
}

/// Opens a named pipe client end, retrying while the server's instances are all busy, until `deadline`.
///
/// This is go-winio's `DialPipeContext` loop: `CreateFile`; on `ERROR_PIPE_BUSY`, `WaitNamedPipe` for the time
/// left and try again. A missing pipe fails at once (``TransportError/Code/notFound``, naming the path); a
/// deadline that passes while the pipe stays busy gives ``TransportError/Code/timedOut``.
///
/// - Parameters:
///   - path: the native pipe path, `\\.\pipe\NAME`.
///   - deadline: nil waits as long as the pipe stays busy.
///   - opener: the Win32 calls (a fake in tests).
///   - now: the clock the deadline is measured against.
package func openNamedPipe<Opener: NamedPipeOpener>(
    path: String,
    deadline: ContinuousClock.Instant?,
    opener: Opener,
    now: () -> ContinuousClock.Instant = { ContinuousClock.now }
) throws(TransportError) -> Opener.Handle {
    let operation = "connect to named pipe \(quoted(path))"
    while true {
        switch opener.open(path: path) {
        case .success(let handle):
            return handle
        case .failure(.pipeBusy):
            break
        case .failure(let error):
            var failure = TransportError.win32(operation, error)
            if error == .fileNotFound { failure.message += "; is the container runtime running?" }
            if error == .accessDenied {
                // containerd's default pipe security gives administrators full access and everyone else read only.
                failure.message += "; the pipe lets only administrators write: run the command from an elevated "
                    + "(Run as administrator) prompt"
            }
            throw failure
        }
        var milliseconds: UInt32?
        if let deadline {
            let remaining = now().duration(to: deadline)
            guard remaining > .zero else {
                throw TransportError(
                    code: .timedOut,
                    message: "\(operation): all pipe instances stayed busy until the deadline",
                    win32Error: .pipeBusy
                )
            }
            milliseconds = wholeMillisecondsRoundedUp(remaining)
        }
        switch opener.waitForInstance(path: path, milliseconds: milliseconds) {
        case .success, .failure(.semaphoreTimeout), .failure(.fileNotFound):
            // Free, timed out (the loop re-checks the deadline), or the server went away between the two calls
            // (the next open reports that properly).
            continue
        case .failure(let error):
            throw .win32(operation, error)
        }
    }
}

/// `duration` in milliseconds, rounded up and at least 1, capped below `NMPWAIT_WAIT_FOREVER` (0xFFFFFFFF).
private func wholeMillisecondsRoundedUp(_ duration: Duration) -> UInt32 {
    let (seconds, attoseconds) = duration.components
    guard seconds < 4_000_000 else { return 0xFFFF_FFFE }
    let attosecondsPerMillisecond: Int64 = 1_000_000_000_000_000
    let milliseconds = seconds * 1000 + (attoseconds + attosecondsPerMillisecond - 1) / attosecondsPerMillisecond
    return UInt32(clamping: max(milliseconds, 1))
}
