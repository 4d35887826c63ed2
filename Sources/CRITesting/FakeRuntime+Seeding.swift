public import CRI

extension FakeRuntime {
    /// Adds containers as they are (IDs, metadata, image, state, labels...), without going through
    /// CreateContainer: for load tests and benchmarks that need a busy node's worth of containers.
    /// Their pods need not exist; the containers show up in ListContainers and ContainerStatus.
    public func seed(containers: [Container]) {
        for container in containers {
            var status = ContainerStatus()
            status.id = container.id
            status.metadata = container.metadata
            status.state = container.state
            status.createdAt = container.createdAt
            status.image = container.image
            status.imageRef = container.imageRef
            status.imageID = container.imageID
            status.labels = container.labels
            status.annotations = container.annotations
            var config = ContainerConfig()
            config.metadata = container.metadata
            config.image = container.image
            config.labels = container.labels
            config.annotations = container.annotations
            self.containers[container.id] = ContainerRecord(status: status, config: config, podSandboxID: container.podSandboxID)
        }
    }
}
