/// The checks the kubelet's CRI client applies to answers, so a runtime that answers with less than
/// CRI requires is reported here with the missing field named, not later as a mysterious failure.
/// Each returns nil when the response is acceptable, else the problem.
enum CRIResponseValidation {
    static func version(_ response: VersionResponse) -> String? {
        var missing: [String] = []
        if response.version.isEmpty { missing.append("version") }
        if response.runtimeName.isEmpty { missing.append("runtime_name") }
        if response.runtimeVersion.isEmpty { missing.append("runtime_version") }
        if response.runtimeApiVersion.isEmpty { missing.append("runtime_api_version") }
        return missing.isEmpty
            ? nil : "not all fields are set in VersionResponse (missing \(missing.joined(separator: ", ")))"
    }

    static func runPodSandbox(_ response: RunPodSandboxResponse) -> String? {
        response.podSandboxID.isEmpty ? "RunPodSandboxResponse has an empty pod_sandbox_id" : nil
    }

    static func createContainer(_ response: CreateContainerResponse) -> String? {
        response.containerID.isEmpty ? "CreateContainerResponse has an empty container_id" : nil
    }

    static func podSandboxStatus(_ response: PodSandboxStatusResponse) -> String? {
        guard let status = response.status else { return "PodSandboxStatusResponse has no status" }
        if status.id.isEmpty { return "PodSandboxStatus.id is empty" }
        guard let metadata = status.metadata else { return "PodSandboxStatus.metadata is not set" }
        if metadata.name.isEmpty { return "PodSandboxStatus.metadata.name is empty" }
        if metadata.namespace.isEmpty { return "PodSandboxStatus.metadata.namespace is empty" }
        if metadata.uid.isEmpty { return "PodSandboxStatus.metadata.uid is empty" }
        if status.createdAt == 0 { return "PodSandboxStatus.created_at is not set" }
        return nil
    }

    static func containerStatus(_ response: ContainerStatusResponse) -> String? {
        guard let status = response.status else { return "ContainerStatusResponse has no status" }
        if status.id.isEmpty { return "ContainerStatus.id is empty" }
        if status.metadata?.name.isEmpty ?? true { return "ContainerStatus.metadata.name is empty" }
        if status.createdAt == 0 { return "ContainerStatus.created_at is not set" }
        if status.image?.image.isEmpty ?? true { return "ContainerStatus.image.image is empty" }
        if status.imageRef.isEmpty { return "ContainerStatus.image_ref is empty" }
        return nil
    }

    static func imageStatus(_ response: ImageStatusResponse) -> String? {
        guard let image = response.image else { return nil }  // absent image: not an error
        if image.id.isEmpty { return "ImageStatusResponse.image.id is empty" }
        if image.size == 0 { return "ImageStatusResponse.image.size is 0" }
        return nil
    }

    static func pullImage(_ response: PullImageResponse) -> String? {
        response.imageRef.isEmpty ? "PullImageResponse has an empty image_ref" : nil
    }

    /// RestorePod must name the new sandbox and give every restored container a distinct name and a runtime ID.
    static func restorePod(_ response: RestorePodResponse) -> String? {
        if response.podSandboxID.isEmpty { return "RestorePodResponse has an empty pod_sandbox_id" }
        var names: Set<String> = []
        var ids: Set<String> = []
        for container in response.restoredContainers {
            if container.name.isEmpty || container.containerID.isEmpty {
                return "RestorePodResponse has a restored container without a name or container_id"
            }
            guard names.insert(container.name).inserted, ids.insert(container.containerID).inserted else {
                return "RestorePodResponse lists container \"\(container.name)\" (\(container.containerID)) twice"
            }
        }
        return nil
    }

    static func url(_ url: String, _ message: String) -> String? {
        url.isEmpty ? "\(message) has an empty url" : nil
    }

    static func status(_ response: StatusResponse) -> String? {
        let conditions = response.status?.conditions ?? []
        let types = Set(conditions.map(\.type))
        if conditions.count < 2 || !types.contains("RuntimeReady") || !types.contains("NetworkReady") {
            return "RuntimeReady or NetworkReady condition are not set in StatusResponse"
        }
        return nil
    }
}
