import Synchronization

/// Collects what a command run in-process writes to stdout and stderr, instead of file descriptors 1 and 2.
///
/// Tests that run commands in the test process use it (the Windows suite does, because its named pipes exist only
/// in the test process's simulated kernel); a normal run never sets ``CLIOutput/capture``.
final class CLIOutputCapture: Sendable {
    private let streams = Mutex<(stdout: [UInt8], stderr: [UInt8])>(([], []))

    /// What was written to stdout so far.
    var stdout: String { String(decoding: streams.withLock { $0.stdout }, as: UTF8.self) }
    /// What was written to stderr so far.
    var stderr: String { String(decoding: streams.withLock { $0.stderr }, as: UTF8.self) }

    /// Records `bytes` written to `descriptor` (1 or 2).
    func append(_ descriptor: Int32, _ bytes: [UInt8]) {
        streams.withLock { descriptor == 2 ? $0.stderr.append(contentsOf: bytes) : $0.stdout.append(contentsOf: bytes) }
    }
}

extension CLIOutput {
    /// Where this task's output goes instead of the descriptors; nil (always, outside tests) writes to them.
    @TaskLocal static var capture: CLIOutputCapture?
}
