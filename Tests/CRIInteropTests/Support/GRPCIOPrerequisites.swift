import Foundation
import Testing

/// Whether this machine can run the grpcio interop tests: Debian's python3 with python3-grpcio and
/// python3-protobuf, `protoc` on PATH, and the gRPC Python plugin for `protoc`.
enum GRPCIOPrerequisites {
    static let python = "/usr/bin/python3"
    static let grpcPythonPlugin = "/usr/bin/grpc_python_plugin"

    /// What is missing, or nil when everything is there.
    static let missing: String? = {
        var missing: [String] = []
        let fileManager = FileManager.default
        if !fileManager.isExecutableFile(atPath: python) {
            missing.append("\(python) (apt-get install python3)")
        } else if !pythonImports("grpc", "google.protobuf") {
            missing.append("the grpc and google.protobuf modules for \(python) (apt-get install python3-grpcio python3-protobuf)")
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        if !path.split(separator: ":").contains(where: { fileManager.isExecutableFile(atPath: "\($0)/protoc") }) {
            missing.append("protoc on PATH (apt-get install protobuf-compiler)")
        }
        if !fileManager.isExecutableFile(atPath: grpcPythonPlugin) {
            missing.append("\(grpcPythonPlugin) (apt-get install protobuf-compiler-grpc)")
        }
        return missing.isEmpty ? nil : missing.joined(separator: "; ")
    }()

    /// On CI a missing prerequisite fails the test; elsewhere it only disables it.
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// True when the tests should be skipped (with ``skipReason`` shown).
    static var skipsQuietly: Bool { missing != nil && !isCI }

    /// Why the tests are disabled.
    static var skipReason: String { "grpcio interop prerequisites missing: \(missing ?? "none")" }

    /// True when the test can go ahead; on CI, records an issue naming what is missing.
    static func checkOnCI() -> Bool {
        guard let missing else { return true }
        Issue.record("CI=true, but the grpcio interop prerequisites are missing: \(missing)")
        return false
    }

    private static func pythonImports(_ modules: String...) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import " + modules.joined(separator: ", ")]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return false
        }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}

extension GRPCIOPrerequisites {
    /// Disables a test, with the reason shown, when something is missing and this is not CI.
    static var trait: ConditionTrait {
        .disabled(if: skipsQuietly, Comment(rawValue: skipReason))
    }
}

/// The path of a script in `Tests/CRIInteropTests/Python` (found from this file's own path).
func pythonScript(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Python").appendingPathComponent(name).path
}
