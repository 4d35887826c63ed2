import Foundation

/// A long-running child process to converse with line by line: its stdout lines arrive through a
/// dedicated reader thread (never blocking the concurrency pool), and ``stop()`` kills and reaps it.
final class PythonSession: Sendable {
    private let process: Process
    private let input: FileHandle
    private let lines: AsyncStream<String>
    /// Where the child's stderr goes, for failure messages.
    let stderrPath: String

    /// Starts `/usr/bin/python3 arguments...`; stderr goes to a file in `directory`.
    init(_ arguments: [String], directory: String) throws {
        stderrPath = directory + "/session-stderr.txt"
        guard FileManager.default.createFile(atPath: stderrPath, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: stderrPath])
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: GRPCIOPrerequisites.python)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["PYTHONDONTWRITEBYTECODE": "1"]) { $1 }
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        try process.run()
        self.process = process
        self.input = input.fileHandleForWriting
        let (lines, continuation) = AsyncStream<String>.makeStream()
        self.lines = lines
        let reader = output.fileHandleForReading
        Thread {
            var buffer: [UInt8] = []
            while true {
                let data = reader.availableData
                if data.isEmpty { break }
                buffer += data
                while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    continuation.yield(String(decoding: buffer[..<newline], as: UTF8.self))
                    buffer.removeSubrange(...newline)
                }
            }
            continuation.finish()
        }.start()
    }

    /// The next stdout line; nil at end of output or when none comes within `limit`.
    func nextLine(within limit: Duration) async -> String? {
        await firstElement(of: lines, within: limit)
    }

    /// Closes the child's stdin (the scripts take that as "finish up").
    func closeInput() {
        try? input.close()
    }

    /// What the child wrote to stderr so far.
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Kills the child (if still running) and reaps it.
    func stop() {
        closeInput()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
