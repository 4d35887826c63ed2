import Testing

@testable import CRICodeGen

@Suite("Naming rules")
struct NamingTests {
    @Test(
        "field names follow swift-protobuf camel-casing",
        arguments: [
            ("pod_sandbox_id", "podSandboxID"), ("id", "id"), ("url", "url"), ("image_ref", "imageRef"),
            ("CDI_devices", "cdiDevices"), ("uidMappings", "uidMappings"), ("Full", "full"), ("Avg10", "avg10"),
            ("host_url", "hostURL"), ("http_proxy", "httpProxy"), ("use_https", "useHTTPS"),
            ("seccomp_profile_path", "seccompProfilePath"), ("oom_score_adj", "oomScoreAdj"),
            ("protocol", "`protocol`"), ("default", "`default`"), ("description", "description_p"),
            ("unknown_fields", "unknownFields_p"), ("self", "self_p"), ("container_id", "containerID"),
            ("memory_swap_limit_in_bytes", "memorySwapLimitInBytes"), ("ipv6_addr", "ipv6Addr"),
        ]
    )
    func fieldNames(proto: String, swift: String) {
        #expect(SwiftNaming.propertyName(forField: proto) == swift)
    }

    @Test(
        "JSON names follow protoc's ToJsonName",
        arguments: [
            ("pod_sandbox_id", "podSandboxId"), ("CDI_devices", "CDIDevices"), ("Full", "Full"),
            ("uidMappings", "uidMappings"), ("log_directory", "logDirectory"), ("image_ref", "imageRef"),
            ("Avg10", "Avg10"), ("a_b_c", "aBC"),
        ]
    )
    func jsonNames(proto: String, json: String) {
        #expect(SwiftNaming.jsonName(forField: proto) == json)
    }

    @Test(
        "enum cases are lowerCamel of the value name",
        arguments: [
            ("CONTAINER_RUNNING", "containerRunning"), ("RuntimeDefault", "runtimeDefault"),
            ("SIGNAL_SIGABRT", "signalSigabrt"), ("TCP", "tcp"),
            ("SANDBOX_NOTREADY", "sandboxNotready"), ("Merge", "merge"), ("POD", "pod"), ("default", "`default`"),
            ("INIT", "init_"), ("UNRECOGNIZED", "unrecognized_"),
        ]
    )
    func enumCases(proto: String, swift: String) {
        #expect(SwiftNaming.caseName(forEnumValue: proto) == swift)
    }

    @Test(
        "a value that repeats its enum's name loses that prefix, as in swift-protobuf",
        arguments: [
            ("Signal", "SIGNAL_SIGABRT", "sigabrt"), ("Signal", "SIGNAL_RUNTIME_DEFAULT", "runtimeDefault"),
            ("Signal", "SIGNAL_SIGRTMINPLUS1", "sigrtminplus1"), ("ContainerState", "CONTAINER_RUNNING", "containerRunning"),
            ("ContainerState", "CONTAINER_STATE_RUNNING", "running"), ("MetricType", "METRIC_TYPE_1", "metricType1"),
            ("CgroupDriver", "SYSTEMD", "systemd"), ("Signal", "SIGNAL_", "signal"),
        ]
    )
    func enumPrefixes(enumName: String, proto: String, swift: String) {
        #expect(SwiftNaming.caseName(forEnumValue: proto, inEnum: enumName) == swift)
    }

    @Test(
        "type names that clash with Swift get swift-protobuf's suffix",
        arguments: [
            ("Protocol", true, "ProtocolEnum"), ("Protocol", false, "ProtocolMessage"), ("Type", false, "TypeMessage"),
            ("ProtocolEnum", true, "ProtocolEnumEnum"), ("Container", false, "Container"), ("Image", false, "Image"),
            ("String", false, "StringMessage"), ("Signal", true, "Signal"), ("Error", false, "ErrorMessage"),
        ]
    )
    func typeNames(proto: String, isEnum: Bool, swift: String) {
        #expect(SwiftNaming.typeName(forProtoName: proto, isEnum: isEnum) == swift)
    }

    @Test(
        "RPC descriptor names",
        arguments: [
            ("Version", "version"), ("ListContainers", "listContainers"), ("PodSandboxStatus", "podSandboxStatus"),
            ("ExecSync", "execSync"), ("CRIInfo", "criInfo"),
        ]
    )
    func methodNames(rpc: String, swift: String) {
        #expect(SwiftNaming.methodPropertyName(forRPC: rpc) == swift)
    }
}
