import Foundation
import Synchronization

/// A python3-grpcio process running `grpc_peer.py`; lines of its stdout are read on a dedicated
/// thread (never blocking the concurrency pool), and it is killed by ``stop()``.
final class PythonPeer: Sendable {
    private let process: Process
    private let input: Pipe
    private let output: FileHandle
    private let buffer = Mutex<[UInt8]>([])

    /// Writes the script into `directory` and starts it.
    init(mode: String, socketPath: String, directory: String) throws {
        let script = directory + "/grpc_peer.py"
        try grpcPeerScript.write(toFile: script, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script, mode, socketPath]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        self.process = process
        self.input = input
        self.output = output.fileHandleForReading
    }

    /// The next stdout line, or nil at end of output.
    func readLine() async -> String? {
        await withCheckedContinuation { continuation in
            let thread = Thread { [self] in
                continuation.resume(returning: blockingReadLine())
            }
            thread.start()
        }
    }

    private func blockingReadLine() -> String? {
        while true {
            let line: String? = buffer.withLock { buffer in
                guard let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            if let line { return line }
            let data = output.availableData
            if data.isEmpty { return nil }
            buffer.withLock { $0 += Array(data) }
        }
    }

    /// Waits for a line equal to `marker`; false if the output ends first.
    func waitFor(_ marker: String) async -> Bool {
        while let line = await readLine() {
            if line == marker { return true }
        }
        return false
    }

    /// Kills the process and reaps it.
    func stop() {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
