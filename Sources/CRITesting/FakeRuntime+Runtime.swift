public import CRI

extension FakeRuntime {
    /// Version: the configured runtime name and versions, CRI API `v1`.
    public func version(_ request: VersionRequest) -> VersionResponse {
        var response = VersionResponse()
        response.version = "0.1.0"
        response.runtimeName = configuration.runtimeName
        response.runtimeVersion = configuration.runtimeVersion
        response.runtimeApiVersion = configuration.runtimeAPIVersion
        return response
    }

    /// Status: RuntimeReady and NetworkReady conditions, the runtime handlers and, when configured, the
    /// `mount_options` feature; with
    /// `verbose`, an `info` map shaped like containerd's (`config`, `lastCNILoadStatus`).
    public func status(_ request: StatusRequest) -> StatusResponse {
        func condition(_ type: String, _ ready: Bool, _ reason: String) -> RuntimeCondition {
            var condition = RuntimeCondition()
            condition.type = type
            condition.status = ready
            if !ready {
                condition.reason = reason
                condition.message = "\(type) is false (set by the fake runtime's configuration)"
            }
            return condition
        }
        var status = RuntimeStatus()
        status.conditions = [
            condition("RuntimeReady", configuration.runtimeReady, "RuntimeNotReady"),
            condition("NetworkReady", configuration.networkReady, "NetworkPluginNotReady"),
        ]
        var response = StatusResponse()
        response.status = status
        // The handlers, with no features: the fake neither maps user namespaces nor makes mounts
        // recursively read-only, and has no supplemental-groups policy, so it claims none of them
        // (containerd 1.6 sends no handlers or features at all).
        response.runtimeHandlers = configuration.runtimeHandlers.map { name in RuntimeHandler { $0.name = name } }
        if configuration.supportsMountOptions { response.features = RuntimeFeatures { $0.mountOptions = true } }
        if request.verbose {
            response.info = [
                "config":
                    #"{"podCIDR":"\#(podCIDR)","runtimeName":"\#(configuration.runtimeName)","cgroupDriver":"\#(configuration.cgroupDriver.protoName ?? "")"}"#,
                "lastCNILoadStatus": "OK",
            ]
        }
        return response
    }

    /// RuntimeConfig: the configured cgroup driver.
    public func runtimeConfig(_ request: RuntimeConfigRequest) -> RuntimeConfigResponse {
        var linux = LinuxRuntimeConfiguration()
        linux.cgroupDriver = configuration.cgroupDriver
        var response = RuntimeConfigResponse()
        response.linux = linux
        return response
    }

    /// UpdateRuntimeConfig: remembers the pod CIDR (reported in verbose Status).
    public func updateRuntimeConfig(_ request: UpdateRuntimeConfigRequest) -> UpdateRuntimeConfigResponse {
        podCIDR = request.runtimeConfig?.networkConfig?.podCidr ?? ""
        return UpdateRuntimeConfigResponse()
    }
}
