import Foundation
import Testing

/// The running containerd lab, as `Scripts/containerd-lab.sh up` describes it in its env file.
struct LabEnvironment: Sendable {
    /// Every `KEY=VALUE` of the env file.
    let values: [String: String]

    var endpoint: String { values["CRI_LAB_ENDPOINT", default: ""] }
    var labDirectory: String { values["CRI_LAB_DIR", default: ""] }
    var busyboxImage: String { values["CRI_LAB_BUSYBOX_IMAGE", default: ""] }
    var authBusyboxImage: String { values["CRI_LAB_AUTH_BUSYBOX_IMAGE", default: ""] }
    var pauseImage: String { values["CRI_LAB_PAUSE_IMAGE", default: ""] }
    var authRegistry: String { values["CRI_LAB_AUTH_REGISTRY", default: ""] }
    var user: String { values["CRI_LAB_USER", default: ""] }
    var password: String { values["CRI_LAB_PASSWORD", default: ""] }
    var logDirectory: String { values["CRI_LAB_LOG_DIR", default: ""] }
    var podSubnet: String { values["CRI_LAB_POD_SUBNET", default: ""] }

    /// `CRI_LAB_ENV`, or the lab's default location.
    static let envFilePath = ProcessInfo.processInfo.environment["CRI_LAB_ENV"] ?? "/tmp/cri-lab/lab.env"

    /// In CI (or when asked), a missing lab is a failure, never a skip.
    static let isRequired: Bool = {
        let environment = ProcessInfo.processInfo.environment
        return environment["CI"] == "true" || environment["CRI_E2E_REQUIRED"] == "1"
    }()

    /// The env file's contents, or why there are none.
    static let loaded: Result<LabEnvironment, LabUnavailable> = {
        guard let text = try? String(contentsOfFile: envFilePath, encoding: .utf8) else {
            return .failure(LabUnavailable(envFilePath: envFilePath))
        }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return .success(LabEnvironment(values: values))
    }()

    /// Whether the suite runs at all: with a lab, or without one when it is required (to fail loudly).
    static var shouldRun: Bool {
        if case .success = loaded { return true }
        return isRequired
    }

    /// The lab; throws (failing the test with the reason) when there is none.
    static func require() throws -> LabEnvironment {
        try loaded.get()
    }
}

/// Why the end-to-end tests cannot run: no lab env file.
struct LabUnavailable: Error, CustomStringConvertible {
    let envFilePath: String

    var description: String {
        "the containerd lab is required (CI=true or CRI_E2E_REQUIRED=1) but \(envFilePath) does not exist: "
            + "run `Scripts/containerd-lab.sh up` as root (or set CRI_LAB_ENV to the lab's env file)"
    }
}
