import CRIStreaming

/// The wire protocol that carries an exec, attach or port-forward session to the runtime's streaming server.
public enum CRIStreamingTransport: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// SPDY/3.1, as the kubelet and crictl use by default. Every containerd and CRI-O streaming server takes it, and
    /// it can close stdin on every protocol version (the stdin stream is half-closed).
    case spdy
    /// WebSocket (RFC 6455) with the Kubernetes channel protocol. containerd 1.6 to 2.x accept only
    /// `v4.channel.k8s.io` there, which cannot close stdin: a command that reads stdin to its end never exits.
    case webSocket

    /// `spdy` or `websocket`, as crictl's `--transport` spells them.
    public var description: String {
        switch self {
        case .spdy: "spdy"
        case .webSocket: "websocket"
        }
    }
}

/// Settings for the streaming sessions ``CRIClient`` opens
/// (``CRIClient/withExecSession(containerID:command:stdin:tty:options:callOptions:isolation:_:)`` and its relatives).
public struct CRIStreamingOptions: Sendable {
    /// The protocol to speak. Default: ``CRIStreamingTransport/spdy``.
    public var transport: CRIStreamingTransport
    /// The base a relative streaming URL is resolved against (crictl uses `http://127.0.0.1:10250`, the kubelet's
    /// streaming address); nil rejects relative URLs.
    public var baseURL: String?
    /// Bounds the TCP connect plus the HTTP upgrade.
    public var handshakeTimeout: Duration
    /// Bounds each write (stdin, resize, port data) waiting for the server to read.
    public var writeTimeout: Duration
    /// Unread output buffered per stream before the session stops reading from the server (back-pressure).
    public var maxBufferedBytes: Int

    /// Creates options; see each property for its default.
    public init(
        transport: CRIStreamingTransport = .spdy,
        baseURL: String? = nil,
        handshakeTimeout: Duration = .seconds(30),
        writeTimeout: Duration = .seconds(30),
        maxBufferedBytes: Int = 4 * 1024 * 1024
    ) {
        self.transport = transport
        self.baseURL = baseURL
        self.handshakeTimeout = handshakeTimeout
        self.writeTimeout = writeTimeout
        self.maxBufferedBytes = maxBufferedBytes
    }

    /// The streaming layer's options for these.
    var streaming: StreamingOptions {
        StreamingOptions(
            transport: transport == .spdy ? .spdy : .webSocket, baseURL: baseURL, handshakeTimeout: handshakeTimeout,
            writeTimeout: writeTimeout, maxBufferedBytes: max(1, maxBufferedBytes))
    }
}
