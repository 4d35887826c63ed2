/// Settings for a ``StreamingServer``.
///
/// The defaults answer like containerd 1.6–2.4 (the kubelet streaming library it vendors): SPDY/3.1 with v4, v3, v2
/// and `channel.k8s.io`, WebSocket with v4 and `channel.k8s.io` only, no SPDY flow control. ``withV5`` adds v5 the
/// way a current kubelet accepts it.
public struct StreamingServerConfiguration: Sendable {
    /// The remote-command subprotocols accepted over WebSocket; the first one the client offered that is listed
    /// here wins (an offer of none of them gets a bare 403, as Go's websocket server answers).
    public var acceptedProtocols: [StreamProtocolVersion]
    /// The remote-command subprotocols accepted over SPDY/3.1; the client's first accepted offer wins, none gets a
    /// 403 "unable to negotiate protocol: …".
    public var spdyProtocols: [StreamProtocolVersion]
    /// Whether the SPDY side gives flow-control window back (WINDOW_UPDATE) as it consumes stdin and port data.
    /// containerd's spdystream never does; a client must not wait for it.
    public var spdyFlowControl: Bool
    /// The largest WebSocket message or SPDY frame accepted from a client.
    public var maxMessageSize: Int
    /// Bounds each write to a client.
    public var writeTimeout: Duration
    /// Unread stdin bytes buffered before the server stops reading (back-pressure).
    public var maxBufferedBytes: Int
    /// Bounds connecting to a port-forward target.
    public var portForwardConnectTimeout: Duration
    /// Over SPDY, how long the server waits for the client to open every stream the request needs.
    public var streamCreationTimeout: Duration

    /// Like containerd 1.6–2.4: no v5 anywhere.
    public static var defaults: StreamingServerConfiguration { StreamingServerConfiguration() }

    /// WebSocket v4 only (no `channel.k8s.io`), SPDY as the defaults.
    public static var v4Only: StreamingServerConfiguration { StreamingServerConfiguration(acceptedProtocols: [.v4]) }

    /// Like a current kubelet: v5 preferred over WebSocket and accepted over SPDY.
    public static var withV5: StreamingServerConfiguration {
        StreamingServerConfiguration(acceptedProtocols: [.v5, .v4], spdyProtocols: [.v5, .v4, .v3, .v2, .v1])
    }

    /// Creates a configuration; see each property for its default.
    public init(
        acceptedProtocols: [StreamProtocolVersion] = [.v4, .v1],
        spdyProtocols: [StreamProtocolVersion] = [.v4, .v3, .v2, .v1],
        spdyFlowControl: Bool = false,
        maxMessageSize: Int = 16 * 1024 * 1024,
        writeTimeout: Duration = .seconds(30),
        maxBufferedBytes: Int = 4 * 1024 * 1024,
        portForwardConnectTimeout: Duration = .seconds(10),
        streamCreationTimeout: Duration = .seconds(30)
    ) {
        self.acceptedProtocols = acceptedProtocols
        self.spdyProtocols = spdyProtocols
        self.spdyFlowControl = spdyFlowControl
        self.maxMessageSize = maxMessageSize
        self.writeTimeout = writeTimeout
        self.maxBufferedBytes = maxBufferedBytes
        self.portForwardConnectTimeout = portForwardConnectTimeout
        self.streamCreationTimeout = streamCreationTimeout
    }
}

/// What an exec or attach registration asked for (the fields of `ExecRequest`/`AttachRequest`).
public struct StreamingExecRequest: Hashable, Sendable {
    /// The command and its arguments (empty for attach).
    public var command: [String]
    /// Whether the client may send stdin.
    public var stdin: Bool
    /// Whether stdout is streamed.
    public var stdout: Bool
    /// Whether stderr is streamed (false with a tty).
    public var stderr: Bool
    /// Whether a terminal was requested.
    public var tty: Bool

    /// Creates a request; stderr defaults to the opposite of `tty`, as crictl sends it.
    public init(command: [String], stdin: Bool = false, stdout: Bool = true, stderr: Bool? = nil, tty: Bool = false) {
        self.command = command
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr ?? !tty
        self.tty = tty
    }
}
