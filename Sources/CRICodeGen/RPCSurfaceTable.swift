/// How the generated `CRIClient` method and the fake runtime's handler treat one RPC.
///
/// This table is the single hand-written place for per-RPC client policy: the default deadline, response
/// validation, the default request and the `Stream*` → `List*` fallback. Everything else (names, types, item
/// fields, filters) comes from the schema. A schema RPC without a row fails generation, so a new RPC cannot be
/// forgotten; after adding its row, the fake runtime needs its behaviour (the generated `FakeRuntimeServing`
/// protocol will not compile until it has one).
package struct RPCSurface: Sendable {
    /// How the fake server's handler calls the runtime.
    package enum FakeHandler: Sendable {
        /// `runtime.method(request)`.
        case plain
        /// `runtime.method(request, deadline:)`: the RPC takes time and must give up when the caller does.
        case seesDeadline
        /// A hand-written handler expression in `FakeCRIHandlers` (an unbounded stream).
        case handWritten(String)
    }

    /// The RPC name in the schema (`RunPodSandbox`).
    package var name: String
    /// The first doc-comment paragraph of the client method.
    package var summary: String
    /// A `DefaultDeadline` expression; may read `request` and the client's `options`.
    package var deadline: String = ".standard"
    /// A `(Response) -> String?` expression that rejects a response the caller cannot use, if any.
    package var validate: String?
    /// The request's default argument, for RPCs that make sense without one.
    package var defaultRequest: String?
    /// For a `Stream*` list: the unary `List*` RPC serving it on runtimes that answer UNIMPLEMENTED.
    package var fallback: String?
    /// True when the client method is hand-written (it needs more than the generated shape).
    package var handWrittenClient = false
    /// How the fake server calls the runtime.
    package var fake: FakeHandler = .plain

    /// Creates a row.
    package init(
        _ name: String, _ summary: String, deadline: String = ".standard", validate: String? = nil,
        defaultRequest: String? = nil, fallback: String? = nil, handWrittenClient: Bool = false,
        fake: FakeHandler = .plain
    ) {
        self.name = name
        self.summary = summary
        self.deadline = deadline
        self.validate = validate
        self.defaultRequest = defaultRequest
        self.fallback = fallback
        self.handWrittenClient = handWrittenClient
        self.fake = fake
    }
}

extension RPCSurface {
    /// `= TypeName()`: the request is optional.
    static let empty = "()"

    /// Every CRI v1 RPC, in schema order.
    package static let all: [RPCSurface] = [
        // RuntimeService
        // Hand-written (CRIClient+Version.swift): an UNIMPLEMENTED answer means the endpoint is not CRI v1 at all.
        RPCSurface(
            "Version", "The runtime's name and version and the CRI API version it serves.", handWrittenClient: true),
        RPCSurface(
            "RunPodSandbox",
            "Creates and starts a pod sandbox; the runtime must leave it READY. Deadline: twice the client timeout.",
            deadline: ".scaled(2)", validate: "CRIResponseValidation.runPodSandbox"),
        RPCSurface("StopPodSandbox", "Stops a pod sandbox and its containers and releases its network; idempotent."),
        RPCSurface("RemovePodSandbox", "Removes a pod sandbox (forcibly removing its containers); idempotent."),
        RPCSurface(
            "PodSandboxStatus", "The status of one pod sandbox; `verbose` adds the runtime's `info` map.",
            validate: "CRIResponseValidation.podSandboxStatus"),
        RPCSurface(
            "ListPodSandbox", "Lists pod sandboxes, optionally filtered by ID, state and labels.",
            defaultRequest: empty),
        RPCSurface(
            "StreamPodSandboxes",
            "Every pod sandbox matching the filter, without the 16 MiB single-message limit on runtimes that stream.",
            defaultRequest: empty, fallback: "ListPodSandbox"),
        RPCSurface(
            "CreateContainer", "Creates a container in a pod sandbox (state CREATED).",
            validate: "CRIResponseValidation.createContainer"),
        RPCSurface("StartContainer", "Starts a created container."),
        RPCSurface(
            "StopContainer",
            "Stops a running container, killing it after `timeout` seconds; idempotent. Deadline: client timeout plus "
                + "that grace period.",
            deadline: ".extended(.seconds(request.timeout))"),
        RPCSurface("RemoveContainer", "Removes a container (forcibly if running); idempotent."),
        RPCSurface(
            "ListContainers", "Lists containers, optionally filtered by ID, state, pod and labels.",
            defaultRequest: empty),
        RPCSurface(
            "StreamContainers", "Every container matching the filter.", defaultRequest: empty,
            fallback: "ListContainers"),
        RPCSurface(
            "ContainerStatus", "The status of one container; `verbose` adds the runtime's `info` map.",
            validate: "CRIResponseValidation.containerStatus"),
        RPCSurface("UpdateContainerResources", "Changes a container's resource limits."),
        RPCSurface("ReopenContainerLog", "Asks the runtime to reopen a container's log file (after rotation)."),
        RPCSurface(
            "ExecSync",
            "Runs a command in a container and returns its output and exit code (a non-zero exit is not an error). "
                + "Deadline: client timeout plus the request's `timeout`, or none when that is 0.",
            deadline: "request.timeout == 0 ? .fixed(nil) : .extended(.seconds(request.timeout))"),
        RPCSurface(
            "Exec",
            "Prepares an interactive command; the response's URL is the streaming endpoint, good for one session. "
                + "``withExecSession(_:options:callOptions:isolation:_:)`` makes this call and opens the session.",
            validate: #"{ CRIResponseValidation.url($0.url, "ExecResponse") }"#),
        RPCSurface(
            "Attach",
            "Prepares an attach to a container's process; the response's URL is the streaming endpoint. "
                + "``withAttachSession(containerID:stdin:tty:options:callOptions:isolation:_:)`` makes this call and "
                + "opens the session.",
            validate: #"{ CRIResponseValidation.url($0.url, "AttachResponse") }"#),
        RPCSurface(
            "PortForward",
            "Prepares port forwarding into a pod sandbox; the response's URL is the streaming endpoint. "
                + "``withPortForward(podSandboxID:port:options:callOptions:isolation:_:)`` makes this call and opens "
                + "a connection.",
            validate: #"{ CRIResponseValidation.url($0.url, "PortForwardResponse") }"#),
        RPCSurface("ContainerStats", "Resource usage of one container."),
        RPCSurface(
            "ListContainerStats", "Resource usage of the containers matching a filter.", defaultRequest: empty),
        RPCSurface(
            "StreamContainerStats", "Resource usage of every container matching the filter.", defaultRequest: empty,
            fallback: "ListContainerStats"),
        RPCSurface("PodSandboxStats", "Resource usage of one pod sandbox."),
        RPCSurface(
            "ListPodSandboxStats", "Resource usage of the pod sandboxes matching a filter.", defaultRequest: empty),
        RPCSurface(
            "StreamPodSandboxStats", "Resource usage of every pod sandbox matching the filter.",
            defaultRequest: empty, fallback: "ListPodSandboxStats"),
        RPCSurface("UpdateRuntimeConfig", "Updates the runtime's configuration (the pod CIDR)."),
        RPCSurface(
            "Status",
            "The runtime's conditions (RuntimeReady, NetworkReady), handlers and features; `verbose` adds its `info` "
                + "map.",
            validate: "CRIResponseValidation.status", defaultRequest: empty),
        RPCSurface(
            "CheckpointContainer",
            "Checkpoints a container to an archive. Deadline: the larger of the client timeout and the request's "
                + "`timeout`.",
            deadline: ".fixed(max(.seconds(request.timeout), options.timeout))"),
        RPCSurface(
            "CheckpointPod",
            "Checkpoints the listed running containers of a pod into `output_path`, an existing empty directory. "
                + "Deadline: the client timeout (set a longer one in the call options for big pods).",
            deadline: ".standard"),
        RPCSurface(
            "RestorePod",
            "Recreates a pod sandbox and its containers from a checkpoint directory; every restored container is "
                + "CREATED, for the caller to start.",
            validate: "CRIResponseValidation.restorePod"),
        RPCSurface(
            "GetContainerEvents", "Container lifecycle events as they happen.", handWrittenClient: true,
            fake: .handWritten("events(runtime)")),
        RPCSurface("ListMetricDescriptors", "Describes the metrics `ListPodSandboxMetrics` returns.", defaultRequest: empty),
        RPCSurface(
            "ListPodSandboxMetrics", "Metrics of every pod sandbox and its containers.", defaultRequest: empty),
        RPCSurface(
            "StreamPodSandboxMetrics", "Metrics of every pod sandbox and its containers.", defaultRequest: empty,
            fallback: "ListPodSandboxMetrics"),
        RPCSurface(
            "RuntimeConfig", "The runtime's configuration the kubelet must match (the cgroup driver).",
            defaultRequest: empty),
        RPCSurface("UpdatePodSandboxResources", "Changes a pod sandbox's resources (overhead and limits)."),
        // ImageService
        RPCSurface("ListImages", "Lists images, optionally filtered by image name.", defaultRequest: empty),
        RPCSurface("StreamImages", "Every image matching the filter.", defaultRequest: empty, fallback: "ListImages"),
        RPCSurface(
            "ImageStatus",
            "The status of one image; an absent image gives a response without `image`, not an error.",
            validate: "CRIResponseValidation.imageStatus"),
        RPCSurface(
            "PullImage",
            "Pulls an image, with optional registry credentials. Deadline: ``CRIClientOptions/pullImageTimeout`` "
                + "(none by default).",
            deadline: ".fixed(options.pullImageTimeout)", validate: "CRIResponseValidation.pullImage",
            fake: .seesDeadline),
        RPCSurface("RemoveImage", "Removes an image; idempotent."),
        RPCSurface(
            "ImageFsInfo", "Usage of the filesystems that hold images and container layers.", defaultRequest: empty),
    ]
}
