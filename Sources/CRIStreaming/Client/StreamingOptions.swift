/// Settings for a client streaming session.
public struct StreamingOptions: Sendable {
    /// The subprotocols to offer, most preferred first. Default: v5 then v4 (containerd 1.6/1.7 accept only v4).
    public var protocols: [StreamProtocolVersion]
    /// The base for a relative URL (crictl uses kubelet's `http://127.0.0.1:10250`); nil rejects relative URLs.
    public var baseURL: String?
    /// Bounds the TCP connect plus the HTTP upgrade.
    public var handshakeTimeout: Duration
    /// Bounds each write (stdin, resize, port data) waiting for the peer to read.
    public var writeTimeout: Duration
    /// The largest WebSocket message accepted from the server.
    public var maxMessageSize: Int
    /// Unread bytes buffered per output channel before the connection stops reading (back-pressure).
    public var maxBufferedBytes: Int
    /// The largest message we send; longer stdin writes are split.
    public var maxOutgoingMessageSize: Int

    /// The defaults: offer v5 and v4, 30 s handshake and write timeouts, 16 MiB messages, 4 MiB buffered per channel.
    public static var defaults: StreamingOptions { StreamingOptions() }

    /// Creates options; see each property for its default.
    public init(
        protocols: [StreamProtocolVersion] = [.v5, .v4],
        baseURL: String? = nil,
        handshakeTimeout: Duration = .seconds(30),
        writeTimeout: Duration = .seconds(30),
        maxMessageSize: Int = 16 * 1024 * 1024,
        maxBufferedBytes: Int = 4 * 1024 * 1024,
        maxOutgoingMessageSize: Int = 32 * 1024
    ) {
        self.protocols = protocols
        self.baseURL = baseURL
        self.handshakeTimeout = handshakeTimeout
        self.writeTimeout = writeTimeout
        self.maxMessageSize = maxMessageSize
        self.maxBufferedBytes = maxBufferedBytes
        self.maxOutgoingMessageSize = max(1, maxOutgoingMessageSize)
    }
}
