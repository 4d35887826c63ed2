public import CRI

extension FakeRuntime {
    /// ContainerStats: synthetic CPU, memory and writable-layer usage for one container.
    public func containerStats(_ request: ContainerStatsRequest) throws(CRIError) -> ContainerStatsResponse {
        let id = try containerID(request.containerID)
        guard let record = containers[id] else { throw CRIError(code: .notFound, message: "container not found") }
        var response = ContainerStatsResponse()
        response.stats = stats(for: record)
        return response
    }

    /// ListContainerStats: stats for the containers matching the filter.
    public func listContainerStats(_ request: ListContainerStatsRequest) -> ListContainerStatsResponse {
        var response = ListContainerStatsResponse()
        response.stats = filteredContainerStats(request.filter)
        return response
    }

    func filteredContainerStats(_ filter: ContainerStatsFilter?) -> [ContainerStats] {
        var containerFilter = ContainerFilter()
        containerFilter.id = filter?.id ?? ""
        containerFilter.podSandboxID = filter?.podSandboxID ?? ""
        containerFilter.labelSelector = filter?.labelSelector ?? [:]
        return filteredContainers(containerFilter).compactMap { containers[$0.id].map(stats(for:)) }
    }

    /// PodSandboxStats: the sandbox's containers' stats, summed.
    public func podSandboxStats(_ request: PodSandboxStatsRequest) throws(CRIError) -> PodSandboxStatsResponse {
        let id = try sandboxID(request.podSandboxID)
        var response = PodSandboxStatsResponse()
        response.stats = sandboxStats(id)
        return response
    }

    /// ListPodSandboxStats: stats for the sandboxes matching the filter.
    public func listPodSandboxStats(_ request: ListPodSandboxStatsRequest) -> ListPodSandboxStatsResponse {
        var response = ListPodSandboxStatsResponse()
        response.stats = filteredSandboxStats(request.filter)
        return response
    }

    func filteredSandboxStats(_ filter: PodSandboxStatsFilter?) -> [PodSandboxStats] {
        var sandboxFilter = PodSandboxFilter()
        sandboxFilter.id = filter?.id ?? ""
        sandboxFilter.labelSelector = filter?.labelSelector ?? [:]
        return filteredSandboxes(sandboxFilter).compactMap { sandboxStats($0.id) }
    }

    /// ListMetricDescriptors: the two metrics the fake reports.
    public func listMetricDescriptors(_ request: ListMetricDescriptorsRequest) -> ListMetricDescriptorsResponse {
        var cpu = MetricDescriptor()
        cpu.name = "container_cpu_usage_seconds_total"
        cpu.help = "Cumulative CPU time consumed, in seconds."
        cpu.labelKeys = ["container", "pod"]
        var memory = MetricDescriptor()
        memory.name = "container_memory_working_set_bytes"
        memory.help = "Current working set, in bytes."
        memory.labelKeys = ["container", "pod"]
        var response = ListMetricDescriptorsResponse()
        response.descriptors = [cpu, memory]
        return response
    }

    /// ListPodSandboxMetrics: per-container metrics for every sandbox.
    public func listPodSandboxMetrics(_ request: ListPodSandboxMetricsRequest) -> ListPodSandboxMetricsResponse {
        var response = ListPodSandboxMetricsResponse()
        response.podMetrics = allSandboxMetrics()
        return response
    }

    func allSandboxMetrics() -> [PodSandboxMetrics] {
        let now = wallClockNanoseconds()
        return sandboxes.keys.sorted().map { podID in
            var pod = PodSandboxMetrics()
            pod.podSandboxID = podID
            for (id, record) in containers.sorted(by: { $0.key < $1.key }) where record.podSandboxID == podID {
                let stats = stats(for: record)
                var metrics = ContainerMetrics()
                metrics.containerID = id
                let labels = [record.status.metadata?.name ?? "", sandboxes[podID]?.status.metadata?.name ?? ""]
                var cpu = Metric()
                cpu.name = "container_cpu_usage_seconds_total"
                cpu.timestamp = now
                cpu.metricType = .counter
                cpu.labelValues = labels
                var cpuValue = UInt64Value()
                cpuValue.value = (stats.cpu?.usageCoreNanoSeconds?.value ?? 0) / 1_000_000_000
                cpu.value = cpuValue
                var memory = Metric()
                memory.name = "container_memory_working_set_bytes"
                memory.timestamp = now
                memory.metricType = .gauge
                memory.labelValues = labels
                memory.value = stats.memory?.workingSetBytes
                metrics.metrics = [cpu, memory]
                pod.containerMetrics.append(metrics)
            }
            return pod
        }
    }

    func stats(for record: ContainerRecord) -> ContainerStats {
        let now = wallClockNanoseconds()
        var attributes = ContainerAttributes()
        attributes.id = record.status.id
        attributes.metadata = record.status.metadata
        attributes.labels = record.status.labels
        attributes.annotations = record.status.annotations
        let running = record.status.state == .containerRunning
        // A container that never started (startedAt 0, as after a StartError) has run for no time.
        let runningFor =
            record.status.startedAt == 0
            ? 0
            : running ? max(0, now - record.status.startedAt) : max(0, record.status.finishedAt - record.status.startedAt)
        func value(_ number: UInt64) -> UInt64Value {
            var wrapper = UInt64Value()
            wrapper.value = number
            return wrapper
        }
        var cpu = CpuUsage()
        cpu.timestamp = now
        cpu.usageCoreNanoSeconds = value(UInt64(runningFor / 100))  // 1% of one core
        cpu.usageNanoCores = value(running ? 10_000_000 : 0)
        var memory = MemoryUsage()
        memory.timestamp = now
        let working: UInt64 = running ? 2_097_152 + UInt64(record.status.id.utf8.first ?? 0) * 4096 : 0
        memory.workingSetBytes = value(working)
        memory.usageBytes = value(working + 524_288)
        memory.rssBytes = value(working / 2)
        memory.availableBytes = value(1_073_741_824 - working)
        memory.pageFaults = value(1200)
        memory.majorPageFaults = value(3)
        var layer = FilesystemUsage()
        layer.timestamp = now
        var identifier = FilesystemIdentifier()
        identifier.mountpoint = "/var/lib/fake-cri/containers/\(record.status.id)"
        layer.fsID = identifier
        layer.usedBytes = value(16_384)
        layer.inodesUsed = value(12)
        var stats = ContainerStats()
        stats.attributes = attributes
        stats.cpu = cpu
        stats.memory = memory
        stats.writableLayer = layer
        return stats
    }

    func sandboxStats(_ id: String) -> PodSandboxStats? {
        guard let sandbox = sandboxes[id] else { return nil }
        var attributes = PodSandboxAttributes()
        attributes.id = id
        attributes.metadata = sandbox.status.metadata
        attributes.labels = sandbox.status.labels
        attributes.annotations = sandbox.status.annotations
        let containerStats = containers.values.filter { $0.podSandboxID == id }.map(stats(for:))
        let now = wallClockNanoseconds()
        var cpu = CpuUsage()
        cpu.timestamp = now
        var cpuTotal = UInt64Value()
        cpuTotal.value = containerStats.reduce(0) { $0 + ($1.cpu?.usageCoreNanoSeconds?.value ?? 0) }
        cpu.usageCoreNanoSeconds = cpuTotal
        var memory = MemoryUsage()
        memory.timestamp = now
        var working = UInt64Value()
        working.value = containerStats.reduce(0) { $0 + ($1.memory?.workingSetBytes?.value ?? 0) }
        memory.workingSetBytes = working
        var process = ProcessUsage()
        process.timestamp = now
        var count = UInt64Value()
        count.value = UInt64(1 + containerStats.count)
        process.processCount = count
        var linux = LinuxPodSandboxStats()
        linux.cpu = cpu
        linux.memory = memory
        linux.process = process
        linux.containers = containerStats
        var stats = PodSandboxStats()
        stats.attributes = attributes
        stats.linux = linux
        return stats
    }
}
