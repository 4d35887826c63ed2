/// Settings for a ``StreamingServer``.
public struct StreamingServerConfiguration: Sendable {
    /// The remote-command subprotocols accepted, most preferred first; the first one the client offered wins.
    public var acceptedProtocols: [StreamProtocolVersion]
    /// The largest WebSocket message accepted from a client.
    public var maxMessageSize: Int
    /// Bounds each write to a client.
    public var writeTimeout: Duration
    /// Unread stdin bytes buffered before the server stops reading (back-pressure).
    public var maxBufferedBytes: Int
    /// Bounds connecting to a port-forward target.
    public var portForwardConnectTimeout: Duration

    /// Accepts v5 (preferred) and v4, like a current kubelet-style server.
    public static var defaults: StreamingServerConfiguration { StreamingServerConfiguration() }

    /// Accepts only v4, like containerd 1.6/1.7's streaming server (a v5-only client gets 403).
    public static var v4Only: StreamingServerConfiguration { StreamingServerConfiguration(acceptedProtocols: [.v4]) }

    /// Creates a configuration; see each property for its default.
    public init(
        acceptedProtocols: [StreamProtocolVersion] = [.v5, .v4],
        maxMessageSize: Int = 16 * 1024 * 1024,
        writeTimeout: Duration = .seconds(30),
        maxBufferedBytes: Int = 4 * 1024 * 1024,
        portForwardConnectTimeout: Duration = .seconds(10)
    ) {
        self.acceptedProtocols = acceptedProtocols
        self.maxMessageSize = maxMessageSize
        self.writeTimeout = writeTimeout
        self.maxBufferedBytes = maxBufferedBytes
        self.portForwardConnectTimeout = portForwardConnectTimeout
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
