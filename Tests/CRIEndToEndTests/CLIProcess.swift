import Dispatch
import Foundation
import Synchronization

/// Runs one child process to its end with files, not pipes, for its standard streams: nothing has
/// to be drained while it runs, and the exact stdin bytes followed by end-of-file are what it reads.
enum CLIProcess {
    /// Runs `executable arguments...` in `directory`; kills it with SIGKILL once `timeout` passes.
    /// The status is the exit code, or 128 + the signal that ended the process. `started` gets the process ID
    /// once it runs (to signal a long-running command such as `port-forward`).
    static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String], directory: String,
        stdin: String, timeout: Duration, started: (@Sendable (Int32) -> Void)? = nil
    ) async throws -> CLIRun {
        let base = directory + "/run-\(UUID().uuidString)"
        let manager = FileManager.default
        defer {
            for suffix in [".in", ".out", ".err"] { try? manager.removeItem(atPath: base + suffix) }
        }
        try stdin.write(toFile: base + ".in", atomically: false, encoding: .utf8)
        for suffix in [".out", ".err"] { _ = manager.createFile(atPath: base + suffix, contents: nil) }
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: base + ".in"))
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".out"))
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".err"))
        defer {
            try? input.close()
            try? output.close()
            try? errors.close()
        }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors

        let state = RunState()
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in
                state.flags.withLock { $0.exited = true }
                // A signal is reported as the shell does (128 + N), so a crash can never pass for an exit code.
                let status = finished.terminationStatus
                continuation.resume(returning: finished.terminationReason == .uncaughtSignal ? 128 + status : status)
            }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
                return
            }
            let pid = process.processIdentifier
            started?(pid)
            let (seconds, attoseconds) = timeout.components
            // Not a task: the test's own task may be the one waiting here when its time limit hits.
            DispatchQueue.global().asyncAfter(deadline: .now() + Double(seconds) + Double(attoseconds) / 1e18) {
                state.flags.withLock { flags in
                    guard !flags.exited else { return }
                    flags.timedOut = true
                    kill(pid, SIGKILL)
                }
            }
        }
        // Decoded leniently: bytes that are not UTF-8 must show up in a failure, not empty the output.
        let stdout = String(decoding: manager.contents(atPath: base + ".out") ?? Data(), as: UTF8.self)
        let stderr = String(decoding: manager.contents(atPath: base + ".err") ?? Data(), as: UTF8.self)
        return CLIRun(
            arguments: arguments, status: status, stdout: stdout, stderr: stderr, timedOut: state.flags.withLock { $0.timedOut })
    }
}

/// Shared by the termination handler and the watchdog of one run.
private final class RunState: Sendable {
    /// Whether the process has exited (set by the termination handler) and whether the watchdog killed it.
    let flags = Mutex((exited: false, timedOut: false))
}
