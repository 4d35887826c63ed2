/// Assigns each top-level message and enum to one output file by API area, so no file grows huge.
///
/// The rule is a first-match list of name patterns; the first one that matches wins, and anything left
/// over goes to `Common.swift` (shared building blocks such as mounts, security contexts and wrappers).
package enum FileLayout {
    /// One area: the output file and the test that decides membership.
    struct Area: Sendable {
        let fileName: String
        let summary: String
        let matches: @Sendable (String) -> Bool
    }

    static func containsAny(_ name: String, _ parts: [String]) -> Bool {
        parts.contains { name.contains($0) }
    }

    /// Areas in priority order.
    static let areas: [Area] = [
        Area(fileName: "Metrics.swift", summary: "pod and container metrics") { $0.contains("Metric") },
        Area(fileName: "Usage.swift", summary: "resource usage samples (CPU, memory, IO, network, filesystem)") {
            containsAny($0, ["Usage", "Psi", "FilesystemIdentifier"])
        },
        Area(fileName: "Stats.swift", summary: "container and pod sandbox statistics") { $0.contains("Stats") },
        Area(fileName: "Image.swift", summary: "images, pulls and registry credentials") {
            containsAny($0, ["Image", "AuthConfig"])
        },
        Area(fileName: "Exec.swift", summary: "exec, attach and port-forward") { name in
            ["Exec", "Attach", "PortForward", "ReopenContainerLog"].contains { name.hasPrefix($0) }
        },
        Area(fileName: "PodSandboxConfig.swift", summary: "pod sandbox configuration") { name in
            containsAny(name, ["SandboxConfig", "SandboxSecurityContext"])
                || ["PodSandboxMetadata", "DNSConfig", "PortMapping", "Protocol"].contains(name)
        },
        Area(fileName: "PodSandbox.swift", summary: "pod sandbox lifecycle and status") {
            containsAny($0, ["PodSandbox", "PodIP", "Sandbox"])
        },
        Area(fileName: "ContainerPlatform.swift", summary: "Linux and Windows container settings") { name in
            name.hasPrefix("LinuxContainer") || name.hasPrefix("WindowsContainer")
        },
        Area(fileName: "ContainerConfig.swift", summary: "container configuration") { name in
            [
                    "ContainerConfig", "ContainerMetadata", "ContainerResources", "ContainerUser", "Device", "CDIDevice",
                    "WindowsCpuGroupAffinity", "HugepageLimit", "SELinuxOption", "Capability", "KeyValue", "Signal",
                ].contains(name)
        },
        Area(fileName: "ContainerStatus.swift", summary: "container status and events") {
            containsAny($0, ["ContainerStatus", "ContainerEvent", "GetEvents", "ContainerState"])
        },
        Area(fileName: "Container.swift", summary: "container lifecycle and listing") {
            containsAny($0, ["Container", "GetEvents"])
        },
        Area(fileName: "Runtime.swift", summary: "runtime version, status, configuration and features") {
            containsAny($0, ["Version", "Status", "Runtime", "NetworkConfig", "CgroupDriver", "Checkpoint"])
        },
    ]

    /// The file for shared types no area claims.
    static let commonFile = "Common.swift"
    /// The file holding service descriptors and the schema registry.
    static let servicesFile = "Services.swift"

    /// The output file for a top-level proto type name.
    package static func fileName(forTopLevelType name: String) -> String {
        areas.first { $0.matches(name) }?.fileName ?? commonFile
    }

    /// A one-line description of what a file holds, for its header.
    static func summary(forFile fileName: String) -> String {
        if fileName == commonFile { return "shared building blocks (mounts, namespaces, security, wrappers)" }
        if fileName == servicesFile { return "service method descriptors and the schema registry" }
        return areas.first { $0.fileName == fileName }?.summary ?? ""
    }
}
