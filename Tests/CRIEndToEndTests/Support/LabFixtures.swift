import CRI
import Foundation
import Testing

/// A name no other test (or earlier run) uses: pods and containers are found by it.
func uniqueName(_ base: String) -> String {
    "e2e-\(base)-\(UUID().uuidString.prefix(8).lowercased())"
}

/// A pod sandbox a test created, with the config CreateContainer must be given again.
struct LabPod: Sendable {
    let id: String
    let config: PodSandboxConfig
    /// The pod's log_directory; container log paths are relative to it.
    let logDirectory: String
}

extension LabEnvironment {
    /// A client for the lab's containerd.
    func withClient<Result>(
        options: CRIClientOptions = CRIClientOptions(),
        isolation: isolated (any Actor)? = #isolation,
        _ body: (CRIClient) async throws -> Result
    ) async throws -> Result {
        try await withCRIClient(endpoint: endpoint, options: options, body)
    }

    /// A pod named `name` (CNI network, or the host's with `hostNetwork`).
    func podConfig(name: String, hostNetwork: Bool = false) -> PodSandboxConfig {
        PodSandboxConfig { pod in
            pod.metadata = PodSandboxMetadata { metadata in
                metadata.name = name
                metadata.uid = UUID().uuidString.lowercased()
                metadata.namespace = "swift-cri-e2e"
            }
            pod.hostname = hostNetwork ? "" : String(name.prefix(63))
            pod.logDirectory = "\(logDirectory)/\(name)"
            pod.labels = ["swift-cri-e2e": name]
            pod.linux = LinuxPodSandboxConfig { linux in
                if hostNetwork {
                    linux.securityContext = LinuxSandboxSecurityContext { context in
                        context.namespaceOptions = NamespaceOption { $0.network = .node }
                    }
                }
            }
        }
    }

    /// A busybox container running `command`, logging to `logPath` (relative to the pod's log dir).
    func containerConfig(
        name: String, image: String? = nil, command: [String], logPath: String? = nil, hostNetwork: Bool = false
    ) -> ContainerConfig {
        ContainerConfig { container in
            container.metadata = ContainerMetadata { $0.name = name }
            container.image = ImageSpec { $0.image = image ?? busyboxImage }
            container.command = command
            container.logPath = logPath ?? "\(name).log"
            container.labels = ["swift-cri-e2e": name]
            container.linux = LinuxContainerConfig { linux in
                if hostNetwork {
                    // containerd takes the container's namespaces from its own config, not the pod's.
                    linux.securityContext = LinuxContainerSecurityContext { context in
                        context.namespaceOptions = NamespaceOption { $0.network = .node }
                    }
                }
            }
        }
    }

    /// Runs a pod for `body`, then stops and removes it (with its containers) whether `body`
    /// succeeded or not, and deletes its log directory.
    func withPod<Result>(
        _ cri: CRIClient,
        name: String,
        hostNetwork: Bool = false,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (LabPod) async throws -> Result
    ) async throws -> Result {
        let config = podConfig(name: name, hostNetwork: hostNetwork)
        let id = try await cri.runPodSandbox(config)
        let pod = LabPod(id: id, config: config, logDirectory: config.logDirectory)
        let result: Swift.Result<Result, any Error>
        do {
            result = .success(try await body(pod))
        } catch {
            result = .failure(error)
        }
        await removePod(cri, id: id)
        try? FileManager.default.removeItem(atPath: pod.logDirectory)
        return try result.get()
    }

    /// Stops and removes a pod; a pod already gone is fine, any other failure is recorded.
    func removePod(_ cri: CRIClient, id: String) async {
        do {
            try await cri.stopPodSandbox(id: id)
            try await cri.removePodSandbox(id: id)
        } catch let error as CRIError where error.isNotFound {
            return
        } catch {
            Issue.record("cleanup of pod \(id) failed: \(error)")
        }
    }

    /// Creates and starts a container in `pod`; returns its ID.
    func startContainer(_ cri: CRIClient, in pod: LabPod, _ config: ContainerConfig) async throws -> String {
        let id = try await cri.createContainer(inPod: pod.id, config: config, sandboxConfig: pod.config)
        try await cri.startContainer(id: id)
        return id
    }
}

/// A bounded wait for something the runtime does asynchronously (a log line written, a port
/// listening): retries `probe` with growing pauses until it returns a value or `timeout` passes.
func poll<Value>(
    _ what: String,
    timeout: Duration = .seconds(20),
    isolation: isolated (any Actor)? = #isolation,
    _ probe: () async throws -> Value?
) async throws -> Value {
    let deadline = ContinuousClock.now + timeout
    var pause = Duration.milliseconds(20)
    var lastError: (any Error)?
    while true {
        do {
            if let value = try await probe() { return value }
        } catch {
            lastError = error
        }
        guard ContinuousClock.now + pause < deadline else {
            throw PollTimedOut(what: what, timeout: timeout, lastError: lastError.map { "\($0)" })
        }
        try await Task.sleep(for: pause)
        pause = min(pause * 2, .milliseconds(500))
    }
}

/// ``poll(_:timeout:isolation:_:)`` gave up.
struct PollTimedOut: Error, CustomStringConvertible {
    let what: String
    let timeout: Duration
    let lastError: String?

    var description: String {
        "timed out after \(timeout) waiting for \(what)" + (lastError.map { "; last error: \($0)" } ?? "")
    }
}
