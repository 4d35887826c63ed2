public import CRI
public import CRIStreaming

extension FakeRuntime {
    /// How the fake runtime presents itself and which behaviours it emulates.
    public struct Configuration: Sendable {
        /// `VersionResponse.runtime_name`.
        public var runtimeName = "fake-cri"
        /// `VersionResponse.runtime_version`.
        public var runtimeVersion = "0.1.0"
        /// `VersionResponse.runtime_api_version`.
        public var runtimeAPIVersion = "v1"
        /// Whether the runtime's `Status` reports RuntimeReady and NetworkReady as true.
        public var runtimeReady = true
        /// See ``runtimeReady``.
        public var networkReady = true
        /// Serve the `Stream*` list RPCs (Kubernetes 1.36). When false they answer UNIMPLEMENTED,
        /// as containerd 1.6 and 1.7 do.
        public var supportsStreamingLists = true
        /// Serve CheckpointPod and RestorePod (Kubernetes 1.37). When false they answer UNIMPLEMENTED
        /// "unknown method", as every containerd release so far does.
        public var supportsPodCheckpoints = true
        /// Honour `Mount.mount_options` (Kubernetes 1.37) and advertise it in `Status` features
        /// (`RuntimeFeatures.mount_options`). When false, as on every containerd so far, the options are dropped
        /// like any unknown field: the container's mounts report none.
        public var supportsMountOptions = false
        /// Items per `Stream*` response message (containerd uses 5000).
        public var streamBatchSize = 5000
        /// `CreateContainer` fails with NOT_FOUND unless the image was pulled first, as containerd does.
        public var requireImagesPulled = true
        /// Registries that require credentials, by host (`registry.example:5000`): pulls from them
        /// need this username and password (or the equivalent base64 `auth`).
        public var registryCredentials: [String: (username: String, password: String)] = [:]
        /// The cgroup driver `RuntimeConfig` reports.
        public var cgroupDriver = CgroupDriver.systemd
        /// Runs container processes (StartContainer) and exec'd commands (ExecSync, Exec, Attach); the
        /// default interprets a few shell-like commands (see ``FakeShell``). A handler answers a
        /// ``FakeShell/Result``: output, exit code, whether the process keeps running, or a
        /// ``FakeShell/Result/startFailure`` (``FakeShell/Result/notFound(_:)``) for a command that
        /// cannot start, which the runtime reports as containerd does.
        public var commandHandler: @Sendable (FakeShell.Invocation) async -> FakeShell.Result = FakeShell.run
        /// The streaming server behind Exec/Attach/PortForward URLs; `.v4Only` emulates containerd 1.6/1.7.
        public var streamingServer = StreamingServerConfiguration.defaults
        /// How many calls ``FakeRuntime/calls`` keeps (the oldest are dropped beyond this).
        public var maxRecordedCalls = 100_000
        /// The runtime handlers `Status` lists and `RunPodSandbox` accepts (`""` is the default
        /// handler); any other fails as containerd fails it (`no runtime for "x" is configured`).
        public var runtimeHandlers = ["", "runc"]
        /// How long a `PullImage` takes. Non-zero by default, so a pull with a deadline shorter than
        /// this fails with DEADLINE_EXCEEDED (and adds no image), as a real pull would.
        public var pullLatency = Duration.milliseconds(3)
        /// The image config's `User` (`"1000"`, `"nginx"`, `"65535:65535"`) of images, keyed by
        /// repository (`docker.io/library/nginx`) or by full reference (`docker.io/library/nginx:1.27`);
        /// images not listed have none, as busybox has. `Image.uid` and `Image.username` come from it
        /// the way containerd derives them: a number is the uid, a name the username.
        public var imageUsers: [String: String] = [:]
        /// The first pod IP handed out; later pods count up from it.
        public var podSubnetPrefix = "10.88.0."

        /// The defaults: a healthy runtime that behaves like a recent containerd.
        public init() {}
    }
}
