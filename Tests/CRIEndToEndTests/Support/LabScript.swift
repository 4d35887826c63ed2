import Foundation

/// Runs `Scripts/containerd-lab.sh` of this checkout against the lab under test.
enum LabScript {
    /// The script, found from this file's path (Tests/CRIEndToEndTests/Support/LabScript.swift).
    static let path: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Scripts/containerd-lab.sh").path
    }()

    /// Runs `containerd-lab.sh ARGUMENTS` for the lab in `lab` and returns its combined output;
    /// throws when it exits non-zero.
    static func run(_ arguments: [String], lab: LabEnvironment) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["CRI_LAB_DIR"] = lab.labDirectory
        process.environment = environment
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("lab-script-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        // A file, not a pipe: a daemon the script starts must never hold a pipe of ours open.
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        guard status == 0 else { throw LabScriptFailed(arguments: arguments, status: status, output: text) }
        return text
    }
}

/// `containerd-lab.sh` exited non-zero.
struct LabScriptFailed: Error, CustomStringConvertible {
    let arguments: [String]
    let status: Int32
    let output: String

    var description: String {
        "containerd-lab.sh \(arguments.joined(separator: " ")) exited with \(status):\n\(output)"
    }
}
