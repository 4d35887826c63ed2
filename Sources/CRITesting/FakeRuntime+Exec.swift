public import CRI

extension FakeRuntime {
    /// ExecSync: runs the command through the command handler in a running container. A command
    /// that runs past `timeout` seconds ends with DEADLINE_EXCEEDED, as containerd reports it.
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
            throw CRIError(code: .deadlineExceeded, message: "timeout \(request.timeout)s exceeded: context deadline exceeded")
        }
        var response = ExecSyncResponse()
        response.stdout = result.stdout
        response.stderr = result.stderr
        response.exitCode = result.exitCode
        return response
    }

    /// Exec: a one-shot streaming URL for running the command interactively.
    public func exec(_ request: ExecRequest) throws(CRIError) -> ExecResponse {
        let id = try runningContainerID(request.containerID)
        guard !request.cmd.isEmpty else { throw CRIError(code: .invalidArgument, message: "cmd must not be empty") }
        guard request.stdin || request.stdout || request.stderr else {
            throw CRIError(code: .invalidArgument, message: "one of stdin, stdout, or stderr must be set")
        }
        var response = ExecResponse()
        response.url = streamingURL(
            kind: "exec",
            session: ExecSession(containerID: id, command: request.cmd, tty: request.tty, stdin: request.stdin)
        )
        return response
    }

    /// Attach: a one-shot streaming URL for attaching to the container's process.
    public func attach(_ request: AttachRequest) throws(CRIError) -> AttachResponse {
        let id = try runningContainerID(request.containerID)
        guard request.stdin || request.stdout || request.stderr else {
            throw CRIError(code: .invalidArgument, message: "one of stdin, stdout, or stderr must be set")
        }
        var response = AttachResponse()
        response.url = streamingURL(
            kind: "attach",
            session: ExecSession(containerID: id, command: ["cat"], tty: request.tty, stdin: request.stdin)
        )
        return response
    }

    func runningContainerID(_ idOrPrefix: String) throws(CRIError) -> String {
        let id = try containerID(idOrPrefix)
        guard containers[id]?.status.state == .containerRunning else {
            throw CRIError(code: .failedPrecondition, message: "container \"\(id)\" is not running")
        }
        return id
    }

    /// Registers a session under a fresh token and returns the URL a client connects to.
    func streamingURL(kind: String, session: ExecSession) -> String {
        let token = String(randomIdentifier().prefix(16))
        execSessions[token] = session
        return "\(streamingBaseURL)/\(kind)/\(token)"
    }

    /// Takes (one-shot) the session registered under `token`.
    func takeSession(token: String) -> ExecSession? {
        execSessions.removeValue(forKey: token)
    }
}
