import Foundation
import Synchronization

/// A peer process (python3-grpcio running `grpc_peer.py`, or containerd); lines of its output are
/// read on a dedicated thread (never blocking the concurrency pool), and it is killed by ``stop()``.
final class PeerProcess: Sendable {
    private let process: Process
    private let input: Pipe
    private let output: FileHandle
    private let buffer = Mutex<[UInt8]>([])

    /// Writes the grpcio script into `directory` and starts it; its stdout is read.
    convenience init(python mode: String, socketPath: String, directory: String) throws {
        let script = directory + "/grpc_peer.py"
        try grpcPeerScript.write(toFile: script, atomically: true, encoding: .utf8)
        try self.init(executable: "/usr/bin/python3", arguments: [script, mode, socketPath], readsStandardError: false)
    }

    /// Starts `executable`; reads its stdout, or its stderr when `readsStandardError`.
    init(executable: String, arguments: [String], readsStandardError: Bool) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        if readsStandardError {
            process.standardError = output
            process.standardOutput = FileHandle.nullDevice
        } else {
            process.standardOutput = output
        }
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

    /// Waits for a line containing `marker`; false if the output ends first.
    func waitFor(_ marker: String) async -> Bool {
        while let line = await readLine() {
            if line.contains(marker) { return true }
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
