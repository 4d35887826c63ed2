public import CRI
import CRIStreaming

extension FakeRuntime {
    /// ExecSync: runs the command through the command handler in a running container and answers
    /// its output and exit code. A command that runs past `timeout` seconds ends with
    /// DEADLINE_EXCEEDED, and one that cannot be started (``FakeShell/Result/startFailure``) with
    /// UNKNOWN and runc's reason, as containerd reports them.
    public func execSync(_ request: ExecSyncRequest) async throws(CRIError) -> ExecSyncResponse {
        let id = try runningContainerID(request.containerID)
        guard let record = containers[id] else { throw CRIError(code: .notFound, message: "container not found") }
        guard !request.cmd.isEmpty else { throw CRIError(code: .invalidArgument, message: "cmd must not be empty") }
        let invocation = FakeShell.Invocation(
            containerID: id,
            command: request.cmd,
            hostname: hostname(ofSandbox: record.podSandboxID),
            environment: record.config.envs.map { ($0.key, String(decoding: $0.value, as: UTF8.self)) },
            timeout: request.timeout > 0 ? .seconds(request.timeout) : nil
        )
        let result = await configuration.commandHandler(invocation)
        if result.timedOut {
            throw CRIError(
                code: .deadlineExceeded, message: "timeout \(request.timeout)s exceeded: context deadline exceeded")
        }
        if let failure = result.startFailure { throw CRIError(code: .unknown, message: ExecFailure(failure).message) }
        var response = ExecSyncResponse()
        response.stdout = result.stdout
        response.stderr = result.stderr
        response.exitCode = result.exitCode
        return response
    }

    /// Exec: a one-shot streaming URL (WebSocket, `v5.channel.k8s.io`/`v4.channel.k8s.io`) that runs
    /// the command through the command handler, feeding it what the client writes to stdin.
    public func exec(_ request: ExecRequest) throws(CRIError) -> ExecResponse {
        let id = try runningContainerID(request.containerID)
        guard !request.cmd.isEmpty else { throw CRIError(code: .invalidArgument, message: "cmd must not be empty") }
        guard request.stdin || request.stdout || request.stderr else {
            throw CRIError(code: .invalidArgument, message: "one of stdin, stdout, or stderr must be set")
        }
        let streamingRequest = StreamingExecRequest(
            command: request.cmd, stdin: request.stdin, stdout: request.stdout, stderr: request.stderr, tty: request.tty
        )
        var response = ExecResponse()
        response.url = try streamingServer().registerExec(streamingRequest, handler: execHandler(containerID: id))
        return response
    }

    /// Attach: a one-shot streaming URL attached to the container's process, which echoes stdin.
    public func attach(_ request: AttachRequest) throws(CRIError) -> AttachResponse {
        let id = try runningContainerID(request.containerID)
        guard request.stdin || request.stdout || request.stderr else {
            throw CRIError(code: .invalidArgument, message: "one of stdin, stdout, or stderr must be set")
        }
        let streamingRequest = StreamingExecRequest(
            command: ["cat"], stdin: request.stdin, stdout: request.stdout, stderr: request.stderr, tty: request.tty)
        var response = AttachResponse()
        response.url = try streamingServer().registerAttach(streamingRequest, handler: execHandler(containerID: id))
        return response
    }

    /// PortForward: a streaming URL forwarding the requested ports to the same ports on 127.0.0.1
    /// (the fake's "pod" shares the host's loopback).
    public func portForward(_ request: PortForwardRequest) throws(CRIError) -> PortForwardResponse {
        let id = try sandboxID(request.podSandboxID)
        guard sandboxes[id]?.status.state == .sandboxReady else {
            throw CRIError(code: .failedPrecondition, message: "pod sandbox \"\(id)\" is not ready")
        }
        let ports = request.port.compactMap { UInt16(exactly: $0) }
        var response = PortForwardResponse()
        response.url = try streamingServer().registerPortForward(ports: ports, targetHost: "127.0.0.1")
        return response
    }

    /// The streaming server, started on first use on 127.0.0.1 with an ephemeral port.
    func streamingServer() throws(CRIError) -> StreamingServer {
        if let streaming { return streaming }
        do {
            let server = try StreamingServer(configuration: configuration.streamingServer)
            streaming = server
            return server
        } catch {
            throw CRIError(code: .internalError, message: "cannot start the streaming server: \(error)")
        }
    }

    /// Stops the streaming server (``FakeCRIServer`` calls this on shutdown).
    public func shutDownStreaming() {
        streaming?.shutDown()
        streaming = nil
    }

    private func execHandler(containerID id: String) -> StreamingServer.ExecHandler {
        let handler = configuration.commandHandler
        let hostname = hostname(ofSandbox: containers[id]?.podSandboxID ?? "")
        let environment = containers[id]?.config.envs.map { ($0.key, String(decoding: $0.value, as: UTF8.self)) } ?? []
        return { session in
            // Commands that read stdin run once it ends (v5 close signal or the client closing);
            // others run at once, so v4 clients, which cannot close stdin, still finish.
            var input: [UInt8] = []
            if session.request.stdin && FakeShell.readsStdin(session.command) {
                input = await session.stdin.collect()
            }
            let result = await handler(
                FakeShell.Invocation(
                    containerID: id, command: session.command, stdin: input, hostname: hostname,
                    environment: environment))
            // The streaming server turns a thrown error into the InternalError status kubelet sends
            // ("error executing command in container: ...").
            if let failure = result.startFailure { throw ExecFailure(failure) }
            if !result.stdout.isEmpty { try session.writeStdout(result.stdout) }
            if !result.stderr.isEmpty {
                // With a TTY there is no separate stderr channel: it goes to stdout, as on a terminal.
                if session.request.tty {
                    try session.writeStdout(result.stderr)
                } else {
                    try session.writeStderr(result.stderr)
                }
            }
            return result.exitCode
        }
    }

    func runningContainerID(_ idOrPrefix: String) throws(CRIError) -> String {
        let id = try containerID(idOrPrefix)
        guard containers[id]?.status.state == .containerRunning else {
            throw CRIError(code: .failedPrecondition, message: "container \"\(id)\" is not running")
        }
        return id
    }
}

/// An exec whose process could not be started, worded as containerd 1.6 words it (the exec ID is
/// a fresh random one, as containerd's is).
struct ExecFailure: Error, CustomStringConvertible {
    /// containerd's message.
    let message: String

    init(_ reason: String) {
        message =
            "failed to exec in container: failed to start exec \"\(randomIdentifier())\": OCI runtime exec failed: "
            + "exec failed: unable to start container process: \(reason): unknown"
    }

    var description: String { message }
}
