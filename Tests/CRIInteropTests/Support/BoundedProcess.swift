import Foundation

/// What a child process did within its time limit.
struct ProcessOutcome: Sendable {
    /// The exit status; nil when it was killed for running past the limit.
    var exitStatus: Int32?
    /// Everything it wrote to stdout.
    var stdout: String
    /// Everything it wrote to stderr.
    var stderr: String
}

/// Runs `executable` and waits for it at most `limit`, then kills it.
///
/// Output goes to files in `directory` rather than pipes, so a chatty child can never block on a
/// full pipe while nobody reads it.
func runProcess(
    _ executable: String,
    _ arguments: [String],
    environment extra: [String: String] = [:],
    directory: String,
    limit: Duration
) async throws -> ProcessOutcome {
    let stdoutPath = directory + "/stdout.txt"
    let stderrPath = directory + "/stderr.txt"
    for path in [stdoutPath, stderrPath] {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }
    let stdoutHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
    let stderrHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
    defer {
        try? stdoutHandle.close()
        try? stderrHandle.close()
    }

    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = stdoutHandle
    process.standardError = stderrHandle
    let (exits, exited) = AsyncStream<Int32>.makeStream()
    process.terminationHandler = { process in
        exited.yield(process.terminationStatus)
        exited.finish()
    }
    try process.run()

    let status = await firstElement(of: exits, within: limit)
    if status == nil {
        process.terminate()
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
    return ProcessOutcome(
        exitStatus: status,
        stdout: (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
    )
}

/// A fresh directory under the system temporary directory; remove it with ``removeTemporaryDirectory(_:)``.
func makeTemporaryDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("cri-interop-\(UUID().uuidString.prefix(8))").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Removes a directory made by ``makeTemporaryDirectory()`` and everything in it.
func removeTemporaryDirectory(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
}

/// The first element of `stream`, or nil if none comes within `limit`.
func firstElement<Element: Sendable>(of stream: AsyncStream<Element>, within limit: Duration) async -> Element? {
    await withTaskGroup(of: Element?.self) { group in
        group.addTask {
            for await element in stream { return element }
            return nil
        }
        group.addTask {
            // A time limit, not synchronisation: only when something hangs does this finish first.
            try? await Task.sleep(for: limit)
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
}
