import CRIStreaming

/// Exec, attach and port-forward as one call each: the RPC that asks the runtime for a streaming URL, then the
/// session on that URL (SPDY by default, like the kubelet and crictl; see ``CRIStreamingOptions/transport``).
extension CRIClient {
    /// Runs `command` in a running container and hands the live session to `body`; the session ends when `body`
    /// returns or throws.
    ///
    /// ```swift
    /// let status = try await cri.withExecSession(containerID: id, command: ["wc", "-l"], stdin: true) { session in
    ///     async let lines = session.stdout.collect()
    ///     try await session.writeStdin(Array("a\nb\n".utf8))
    ///     try await session.closeStdin()
    ///     print(String(decoding: await lines, as: UTF8.self))  // 2
    ///     return try await session.exitStatus()
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - stdin: whether the command gets stdin (``CRIExecSession/writeStdin(_:)``).
    ///   - tty: whether it runs on a terminal (stderr is then merged into stdout; see
    ///     ``CRIExecSession/resize(width:height:)``).
    /// - Throws: ``CRIError``: the Exec RPC's, or the streaming failure (its ``CRIError/cause`` is the streaming
    ///   layer's error); or whatever `body` throws.
    public func withExecSession<Result>(
        containerID: String,
        command: [String],
        stdin: Bool = false,
        tty: Bool = false,
        options: CRIStreamingOptions = CRIStreamingOptions(),
        callOptions: CRICallOptions? = nil,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (CRIExecSession) async throws -> Result
    ) async throws -> Result {
        try await withExecSession(
            ExecRequest(containerID: containerID, command: command, stdin: stdin, tty: tty), options: options,
            callOptions: callOptions, isolation: isolation, body)
    }

    /// ``withExecSession(containerID:command:stdin:tty:options:callOptions:isolation:_:)`` for a whole
    /// `ExecRequest` (to leave stdout or stderr out).
    /// - Throws: ``CRIError``, or whatever `body` throws.
    public func withExecSession<Result>(
        _ request: ExecRequest,
        options: CRIStreamingOptions = CRIStreamingOptions(),
        callOptions: CRICallOptions? = nil,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (CRIExecSession) async throws -> Result
    ) async throws -> Result {
        let url = try await exec(request, options: callOptions).url
        return try await withSession(
            rpc: "Exec", url: url, stdin: request.stdin, tty: request.tty, options: options, isolation: isolation, body)
    }

    /// Attaches to a running container's main process and hands the live session to `body`; the session ends
    /// (the process keeps running) when `body` returns or throws. ``CRIExecSession/exitStatus()`` returns when the
    /// process exits.
    ///
    /// - Parameters:
    ///   - stdin: whether to pass input to the process (the container must have been created with `stdin`).
    ///   - tty: whether the container has a terminal (it must have been created with `tty`).
    /// - Throws: ``CRIError``: the Attach RPC's or the streaming failure; or whatever `body` throws.
    public func withAttachSession<Result>(
        containerID: String,
        stdin: Bool = false,
        tty: Bool = false,
        options: CRIStreamingOptions = CRIStreamingOptions(),
        callOptions: CRICallOptions? = nil,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (CRIExecSession) async throws -> Result
    ) async throws -> Result {
        var request = AttachRequest()
        request.containerID = containerID
        request.stdin = stdin
        request.tty = tty
        request.stdout = true
        request.stderr = !tty
        let url = try await attach(request, options: callOptions).url
        return try await withSession(
            rpc: "Attach", url: url, stdin: stdin, tty: tty, options: options, isolation: isolation, body)
    }

    /// Runs `command` to its end: writes `stdin` (if given) and closes it, collects stdout and stderr, and returns
    /// them with the exit status. A non-zero exit code is a normal return.
    ///
    /// Unlike `ExecSync`, the output is not limited to one gRPC message and stdin can be given.
    ///
    /// - Important: over ``CRIStreamingTransport/webSocket`` on containerd (`v4.channel.k8s.io` only) stdin cannot be
    ///   closed, so a command that reads it to its end (`cat`, `wc`) never exits there; use the default SPDY.
    /// - Throws: ``CRIError``.
    public func runExec(
        containerID: String,
        command: [String],
        stdin: [UInt8]? = nil,
        tty: Bool = false,
        options: CRIStreamingOptions = CRIStreamingOptions(),
        callOptions: CRICallOptions? = nil
    ) async throws -> CRIExecOutput {
        try await withExecSession(
            containerID: containerID, command: command, stdin: stdin != nil, tty: tty, options: options,
            callOptions: callOptions
        ) { session in
            async let stdout = session.stdout.collect()
            async let stderr = session.stderr.collect()
            if let stdin {
                if !stdin.isEmpty { try await session.writeStdin(stdin) }
                try await session.closeStdin()
            }
            let status = try await session.exitStatus()
            return CRIExecOutput(stdout: await stdout, stderr: await stderr, exitStatus: status)
        }
    }

    /// Opens one TCP connection to `port` inside the pod sandbox (in the pod's network namespace, on the pod's
    /// loopback) and hands it to `body`; the connection is closed when `body` returns or throws.
    ///
    /// ```swift
    /// let page = try await cri.withPortForward(podSandboxID: podID, port: 80) { connection in
    ///     try await connection.write(Array("GET / HTTP/1.0\r\n\r\n".utf8))
    ///     return await connection.received.collect()
    /// }
    /// ```
    /// - Throws: ``CRIError``: ``CRIError/Code/invalidArgument`` for port 0, the PortForward RPC's, or the streaming
    ///   failure; or whatever `body` throws.
    public func withPortForward<Result>(
        podSandboxID: String,
        port: UInt16,
        options: CRIStreamingOptions = CRIStreamingOptions(),
        callOptions: CRICallOptions? = nil,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (CRIPortForwardConnection) async throws -> Result
    ) async throws -> Result {
        guard port != 0 else {
            throw CRIError(code: .invalidArgument, message: "port-forward to port 0", method: "PortForward")
        }
        var request = PortForwardRequest()
        request.podSandboxID = podSandboxID
        // containerd's WebSocket server takes the ports from the RPC; SPDY names them per stream, and more is harmless.
        request.port = [Int32(port)]
        let url = try await portForward(request, options: callOptions).url
        let secrets = StreamingURLSecrets(url: url)
        do {
            return try await withPortForwardSession(
                url: url, ports: [port], options: options.streaming, isolation: isolation
            ) { session in
                // One stream per requested port, in order: the first is ours.
                guard let stream = session.streams.first else {
                    throw StreamingError(code: .unsupported, message: "no stream for port \(port)")
                }
                let connection = CRIPortForwardConnection(
                    session: session, stream: stream, transport: options.transport, url: secrets)
                return try await body(connection)
            }
        } catch let error as StreamingError {
            throw CRIError.streaming(error, rpc: "PortForward", url: secrets)
        }
    }

    /// Dials `url` and runs `body` with the session; the dial's streaming errors become ``CRIError``s (the session's
    /// own methods map theirs; `body` cannot throw the streaming layer's type).
    private func withSession<Result>(
        rpc: String,
        url: String,
        stdin: Bool,
        tty: Bool,
        options: CRIStreamingOptions,
        isolation: isolated (any Actor)?,
        _ body: (CRIExecSession) async throws -> Result
    ) async throws -> Result {
        let secrets = StreamingURLSecrets(url: url)
        do {
            return try await withStreamingSession(
                url: url, stdin: stdin, tty: tty, options: options.streaming, isolation: isolation
            ) { session in
                try await body(CRIExecSession(session: session, transport: options.transport, rpc: rpc, url: secrets))
            }
        } catch let error as StreamingError {
            throw CRIError.streaming(error, rpc: rpc, url: secrets)
        }
    }
}

extension ExecRequest {
    /// An exec of `command` as crictl asks for one: stdout always, stderr unless on a terminal (which merges it).
    init(containerID: String, command: [String], stdin: Bool, tty: Bool) {
        self.init()
        self.containerID = containerID
        self.cmd = command
        self.stdin = stdin
        self.tty = tty
        self.stdout = true
        self.stderr = !tty
    }
}
