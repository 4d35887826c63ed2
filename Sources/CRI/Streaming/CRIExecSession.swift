import CRIStreaming

/// A running exec or attach session, alive inside
/// ``CRIClient/withExecSession(containerID:command:stdin:tty:options:callOptions:isolation:_:)`` or
/// ``CRIClient/withAttachSession(containerID:stdin:tty:options:callOptions:isolation:_:)``.
///
/// Read ``stdout`` and ``stderr`` while the command runs (each from its own task), write stdin with
/// ``writeStdin(_:)`` and end it with ``closeStdin()``, then await ``exitStatus()``. Everything ends with the scope.
public final class CRIExecSession: Sendable {
    /// The command's stdout. Single consumer.
    public var stdout: CRIByteStream { CRIByteStream(base: session.stdout) }
    /// The command's stderr; empty with a terminal (the runtime merges it into stdout). Single consumer.
    public var stderr: CRIByteStream { CRIByteStream(base: session.stderr) }
    /// The transport the session runs over.
    public let transport: CRIStreamingTransport
    /// The Kubernetes stream protocol the server chose, e.g. `v4.channel.k8s.io`.
    public var protocolVersion: String { session.negotiatedProtocol.rawValue }
    /// Whether the session was opened with stdin.
    public var hasStdin: Bool { session.hasStdin }
    /// Whether the command runs on a terminal.
    public var tty: Bool { session.tty }
    /// Whether ``closeStdin()`` can tell the command that its input ended. False only for WebSocket with
    /// `v4.channel.k8s.io` (containerd's WebSocket), which has no way to say it: a command reading stdin to its end
    /// then never exits.
    public var canCloseStdin: Bool { session.canCloseStdin }

    private let session: StreamingSession
    private let rpc: String
    private let url: StreamingURLSecrets

    init(session: StreamingSession, transport: CRIStreamingTransport, rpc: String, url: StreamingURLSecrets) {
        self.session = session
        self.transport = transport
        self.rpc = rpc
        self.url = url
    }

    /// Sends bytes to the command's stdin; waits while the runtime does not read, at most the write timeout.
    /// - Throws: ``CRIError``: ``CRIError/Code/failedPrecondition`` without stdin or after ``closeStdin()``,
    ///   ``CRIError/Code/streamingFailed`` once the session is over, ``CRIError/Code/deadlineExceeded``.
    public func writeStdin(_ bytes: some Collection<UInt8>) async throws {
        try await CRIError.mappingStreaming(rpc: rpc, url: url) { try await session.writeStdin(bytes) }
    }

    /// Tells the command that stdin has ended (what end-of-file on a pipe tells a local process).
    /// - Returns: false when the protocol cannot say so (see ``canCloseStdin``); then nothing was sent.
    /// - Throws: ``CRIError`` when the session is over.
    @discardableResult
    public func closeStdin() async throws -> Bool {
        try await CRIError.mappingStreaming(rpc: rpc, url: url) { try await session.closeStdin() }
    }

    /// Sends the terminal's new size (the runtime uses it only with a terminal).
    /// - Throws: ``CRIError`` when the session is over.
    public func resize(width: UInt16, height: UInt16) async throws {
        try await CRIError.mappingStreaming(rpc: rpc, url: url) {
            try await session.resize(width: width, height: height)
        }
    }

    /// Waits for the command to end and returns how it ended (a non-zero exit code is a normal return).
    ///
    /// Cancelling the waiting task ends the session and throws ``CRIError/Code/cancelled``.
    /// - Throws: ``CRIError``: ``CRIError/Code/streamingFailed`` when the runtime reports a failure that is not an
    ///   exit code or the stream ends without a status; ``CRIError/Code/cancelled``.
    public func exitStatus() async throws -> CRIExitStatus {
        let status = try await CRIError.mappingStreaming(rpc: rpc, url: url) { try await session.exitStatus() }
        return CRIExitStatus(exitCode: status.exitCode, message: status.message)
    }
}

/// What ``CRIClient/runExec(containerID:command:stdin:tty:options:callOptions:)`` collected.
public struct CRIExecOutput: Hashable, Sendable {
    /// Everything the command wrote to stdout.
    public var stdout: [UInt8]
    /// Everything it wrote to stderr (nothing with a terminal).
    public var stderr: [UInt8]
    /// How it ended.
    public var exitStatus: CRIExitStatus
    /// The exit code (``CRIExitStatus/exitCode``).
    public var exitCode: Int32 { exitStatus.exitCode }
}
