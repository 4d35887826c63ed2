import CRI

/// Configs shaped like the crictl walkthrough's pod-config.yaml and container-config.yaml.
enum Fixtures {
    static func podConfig(name: String = "nginx-sandbox", uid: String = "hdishd83djaidwnduwk28bcsb", logDirectory: String = "") -> PodSandboxConfig {
        var metadata = PodSandboxMetadata()
        metadata.name = name
        metadata.namespace = "default"
        metadata.uid = uid
        metadata.attempt = 1
        var config = PodSandboxConfig()
        config.metadata = metadata
        config.logDirectory = logDirectory
        config.labels = ["app": "web"]
        config.linux = LinuxPodSandboxConfig()
        return config
    }

    static func containerConfig(name: String = "busybox", image: String = "busybox", command: [String] = ["sh", "-c", "echo hello; sleep 3600"]) -> ContainerConfig {
        var metadata = ContainerMetadata()
        metadata.name = name
        var spec = ImageSpec()
        spec.image = image
        var config = ContainerConfig()
        config.metadata = metadata
        config.image = spec
        config.command = command
        config.logPath = "\(name).log"
        config.labels = ["tier": "backend"]
        return config
    }
}
