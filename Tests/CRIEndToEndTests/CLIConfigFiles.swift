import Foundation

/// The pod and container config files the CLI tests hand to `runp` and `create`, in crictl's
/// snake_case YAML (as in crictl's docs).
extension CLISession {
    /// The namespace of every pod the CLI tests run.
    static let namespace = "swift-cri-e2e-cli"

    /// A pod named after the session, labelled for cleanup; `hostNetwork` puts it in the host's
    /// network namespace (NamespaceMode NODE = 2).
    func podYAML(hostNetwork: Bool = false) -> String {
        var yaml = """
            metadata:
              name: \(name)
              namespace: \(Self.namespace)
              uid: \(UUID().uuidString.lowercased())
            log_directory: \(podLogDirectory)
            labels:
              \(Self.labelKey): \(name)

            """
        if hostNetwork {
            yaml += """
                linux:
                  security_context:
                    namespace_options:
                      network: 2

                """
        } else {
            yaml += "hostname: \(name)\n"
        }
        return yaml
    }

    /// A busybox container `shell` running `sh -c command`, logging to `shell.log`. containerd
    /// takes a container's namespaces from its own config, so a host-network container says so too.
    func containerYAML(name containerName: String = "shell", command: String, hostNetwork: Bool = false) -> String {
        var yaml = """
            metadata:
              name: \(containerName)
            image:
              image: \(lab.busyboxImage)
            command: \(Self.flowSequence(["sh", "-c", command]))
            log_path: \(containerName).log

            """
        if hostNetwork {
            yaml += """
                linux:
                  security_context:
                    namespace_options:
                      network: 2

                """
        }
        return yaml
    }

    /// A YAML flow sequence of double-quoted strings (JSON's syntax, which YAML reads the same).
    private static func flowSequence(_ items: [String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: items, options: [.withoutEscapingSlashes])) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
