import Foundation
import Synchronization

/// Every `cri` command the CLI end-to-end tests run, with its output and exit status, in one text
/// file: what to read when a CLI test fails (Scripts/test.sh prints it on failure).
///
/// The path is `CRI_E2E_TRANSCRIPT`, appended to as is (the caller owns that file), or else
/// `<temp>/cri-e2e-transcript.txt`, started afresh by each test run. The path is printed once.
enum CLITranscript {
    /// Where the transcript goes.
    static let path = explicitPath
        ?? FileManager.default.temporaryDirectory.appendingPathComponent("cri-e2e-transcript.txt").path

    /// `CRI_E2E_TRANSCRIPT`, when set.
    private static let explicitPath: String? = {
        guard let path = ProcessInfo.processInfo.environment["CRI_E2E_TRANSCRIPT"], !path.isEmpty else { return nil }
        return path
    }()

    /// Guards the file: tests may run commands concurrently (the suite is serialized, but nothing here relies on it).
    private static let file = Mutex<FileHandle?>(nil)

    /// Appends `text` (a newline is added when missing); a failure to write never fails a test.
    static func append(_ text: String) {
        file.withLock { handle in
            if handle == nil { handle = open() }
            let line = text.hasSuffix("\n") ? text : text + "\n"
            try? handle?.write(contentsOf: Data(line.utf8))
        }
    }

    /// Opens the file for appending on first use and says where it is.
    private static func open() -> FileHandle? {
        let manager = FileManager.default
        if explicitPath == nil || !manager.fileExists(atPath: path) {
            try? manager.createDirectory(
                atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
            _ = manager.createFile(atPath: path, contents: nil)
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            print("cri e2e transcript: cannot write \(path)")
            return nil
        }
        _ = try? handle.seekToEnd()
        print("cri e2e transcript: \(path)")
        let started = ISO8601DateFormatter().string(from: Date())
        try? handle.write(contentsOf: Data("##### cri CLI end-to-end run, \(started), pid \(getpid())\n".utf8))
        return handle
    }

    /// A command line as a shell would take it back: arguments with spaces or quotes single-quoted,
    /// and the password of `--creds USER:PASSWORD` replaced, since transcripts end up in CI logs.
    static func shellLine(_ arguments: [String]) -> String {
        var shown: [String] = []
        var redactNext = false
        for argument in arguments {
            var text = argument
            if redactNext, let colon = text.firstIndex(of: ":") {
                text = text[...colon] + "***"
            } else if argument.hasPrefix("--creds="), let colon = argument.dropFirst(8).firstIndex(of: ":") {
                text = argument[...colon] + "***"
            }
            redactNext = argument == "--creds"
            shown.append(quotedForShell(text))
        }
        return shown.joined(separator: " ")
    }

    private static func quotedForShell(_ text: String) -> String {
        let plain = !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=@,+%".contains($0) }
        if plain { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
