import CRI

/// The container filters `ps`, `inspect` and `exec` share.
struct ContainerQuery {
    var id: String?
    var name: String?
    var namespace: String?
    var pod: String?
    var image: String?
    var state: String?
    var labels: [String] = []
    var all = false
    var latest = false
    var last = 0

    /// Containers matching the query, newest first, each with its pod's metadata when known.
    func run(_ client: CRIClient) async throws -> [(container: Container, pod: PodSandboxMetadata?)] {
        let nameRegex = try ListFilters.regex(name, flag: "--name")
        let namespaceRegex = try ListFilters.regex(namespace, flag: "--namespace")
        var filter = ContainerFilter()
        filter.id = id ?? ""
        filter.podSandboxID = pod ?? ""
        filter.labelSelector = try ListFilters.labels(labels)
        if let state {
            filter.state = try ListFilters.containerStateFilter(state)
        } else if !all && !latest && last == 0 {
            filter.state = try ListFilters.containerStateFilter("running")
        }
        let containers = try await client.listContainers(filter: filter)
        let pods = Dictionary(
            (try await client.listPodSandbox(filter: nil)).map { ($0.id, $0.metadata) }, uniquingKeysWith: { first, _ in first })
        var imageID: String?
        if let image, !image.isEmpty {
            imageID = try await client.imageStatus(image)?.id
        }
        let matching = containers.filter { container in
            guard ListFilters.matches(container.metadata?.name ?? "", nameRegex) else { return false }
            let podMetadata = pods[container.podSandboxID] ?? nil
            let namespace = container.labels["io.kubernetes.pod.namespace"] ?? podMetadata?.namespace ?? ""
            guard ListFilters.matches(namespace, namespaceRegex) else { return false }
            if let image, !image.isEmpty {
                let names = [container.image?.image ?? "", container.image?.userSpecifiedImage ?? "", container.imageRef]
                guard names.contains(image) || (imageID != nil && (container.imageRef == imageID || container.imageID == imageID))
                else { return false }
            }
            return true
        }
        return ListFilters.limit(matching, createdAt: \.createdAt, latest: latest, last: last).map { container in
            (container, pods[container.podSandboxID] ?? nil)
        }
    }
}
