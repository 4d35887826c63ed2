import ArgumentParser

/// `cri`: the root command.
struct CRIRoot: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cri",
        abstract: "A crictl-compatible client for CRI v1 container runtimes (containerd, CRI-O, cri-dockerd).",
        discussion: """
            GLOBAL OPTIONS (before the subcommand; the long forms of -r, -i, -c and -D also after it):
              -r, --runtime-endpoint <url>  Runtime endpoint (env CONTAINER_RUNTIME_ENDPOINT), e.g. unix:///run/containerd/containerd.sock
              -i, --image-endpoint <url>    Image endpoint (env IMAGE_SERVICE_ENDPOINT); defaults to the runtime endpoint
              -t, --timeout <duration>      Per-call timeout, e.g. 2s or 10 (seconds); default 2s
              -D, --debug                   Print every call (secrets redacted) on stderr
              -c, --config <path>           Config file (env CRI_CONFIG_FILE; default /etc/crictl.yaml)

            Precedence: flag > environment > config file > default. With no endpoint configured, the first existing
            default socket is used (containerd, CRI-O, cri-dockerd). Try `cri demo` for a tour against a built-in fake runtime.
            """,
        version: "cri 0.1.0 (swift-cri)",
        subcommands: [
            VersionCommand.self, InfoCommand.self, RuntimeConfigCommand.self, UpdateRuntimeConfigCommand.self,
            RunPodCommand.self, PodsCommand.self, InspectPodCommand.self, StopPodCommand.self, RemovePodCommand.self,
            CreateCommand.self, StartCommand.self, RunCommand.self, PsCommand.self, InspectCommand.self,
            StopCommand.self, RemoveCommand.self, ExecCommand.self, AttachCommand.self, PortForwardCommand.self,
            LogsCommand.self, PullCommand.self, ImagesCommand.self, InspectImageCommand.self, RemoveImageCommand.self,
            ImageFsInfoCommand.self, StatsCommand.self, PodStatsCommand.self, PodMetricsCommand.self, MetricDescriptorsCommand.self, EventsCommand.self, UpdateCommand.self,
            CheckpointCommand.self, CheckpointPodCommand.self, RestorePodCommand.self, ConfigCommand.self, CompletionCommand.self, DemoCommand.self, FakeRuntimeCommand.self,
        ]
    )
}
