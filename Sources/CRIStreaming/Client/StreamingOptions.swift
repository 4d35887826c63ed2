/// How a client reaches a runtime's streaming server.
public enum StreamingTransport: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// SPDY/3.1, as the kubelet and crictl (`--transport spdy`, the default) talk to runtimes: every containerd
    /// and CRI-O speaks it, and stdin can be closed with every subprotocol.
    case spdy
    /// WebSocket (crictl `--transport websocket`): containerd 1.6–2.4 accept only up to v4 there, which cannot
    /// close stdin.
    case webSocket = "websocket"

    /// What is offered when ``StreamingOptions/protocols`` is not set: over SPDY v5, v4, v3, v2 and
    /// `channel.k8s.io` (client-go's list); over WebSocket v5 then v4.
    public var defaultProtocols: [StreamProtocolVersion] {
        switch self {
        case .spdy: [.v5, .v4, .v3, .v2, .v1]
        case .webSocket: [.v5, .v4]
        }
    }

    /// `spdy` or `websocket`, as crictl's flag spells it.
    public var description: String { rawValue }
}

/// Settings for a client streaming session.
public struct StreamingOptions: Sendable {
    /// The transport; default ``StreamingTransport/spdy``, like crictl.
    public var transport: StreamingTransport
    /// The subprotocols to offer, most preferred first. Unless set, ``StreamingTransport/defaultProtocols`` of the
    /// transport.
    public var protocols: [StreamProtocolVersion] {
        get { protocolOverride ?? transport.defaultProtocols }
        set { protocolOverride = newValue }
    }
    /// The base for a relative URL (crictl uses kubelet's `http://127.0.0.1:10250`); nil rejects relative URLs.
    public var baseURL: String?
    /// Bounds the TCP connect plus the HTTP upgrade (and, over SPDY, the replies to the channel streams).
    public var handshakeTimeout: Duration
    /// Bounds each write (stdin, resize, port data) waiting for the peer to read.
    public var writeTimeout: Duration
    /// The largest WebSocket message or SPDY frame accepted from the server.
    public var maxMessageSize: Int
    /// Unread bytes buffered per output channel before the connection stops reading (back-pressure).
    public var maxBufferedBytes: Int
    /// The largest message or DATA frame we send; longer stdin writes are split.
    public var maxOutgoingMessageSize: Int

    private var protocolOverride: [StreamProtocolVersion]?

    /// The defaults: SPDY offering v5 to `channel.k8s.io`, 30 s handshake and write timeouts, 16 MiB messages,
    /// 4 MiB buffered per channel.
    public static var defaults: StreamingOptions { StreamingOptions() }

    /// Creates options; see each property for its default.
    public init(
        transport: StreamingTransport = .spdy,
        protocols: [StreamProtocolVersion]? = nil,
        baseURL: String? = nil,
        handshakeTimeout: Duration = .seconds(30),
        writeTimeout: Duration = .seconds(30),
        maxMessageSize: Int = 16 * 1024 * 1024,
        maxBufferedBytes: Int = 4 * 1024 * 1024,
        maxOutgoingMessageSize: Int = 32 * 1024
    ) {
        self.transport = transport
        self.protocolOverride = protocols
        self.baseURL = baseURL
        self.handshakeTimeout = handshakeTimeout
        self.writeTimeout = writeTimeout
        self.maxMessageSize = maxMessageSize
        self.maxBufferedBytes = maxBufferedBytes
        self.maxOutgoingMessageSize = max(1, maxOutgoingMessageSize)
    }
}
