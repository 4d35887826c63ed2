package import CRIHTTP2

/// Settings of a ``GRPCClient``; every limit has a documented default.
package struct GRPCClientConfiguration: Sendable {
    /// The `:authority` pseudo-header; containerd ignores it, grpc-go servers accept `localhost`.
    package var authority = "localhost"
    /// The `user-agent` header.
    package var userAgent = "swift-cri-grpc/0.1"
    /// The largest response message accepted (default 16 MiB); larger ones fail with RESOURCE_EXHAUSTED.
    package var maxReceiveMessageSize = 16 << 20
    /// The largest request message sent (default 16 MiB); larger ones fail with RESOURCE_EXHAUSTED
    /// before anything is sent.
    package var maxSendMessageSize = 16 << 20
    /// How many times a call the server certainly did not process (GOAWAY, REFUSED_STREAM, a
    /// connection that stopped taking streams) is retried on a new connection.
    package var transparentRetries = 3
    /// The HTTP/2 connection settings.
    package var http2 = HTTP2ConnectionConfiguration.client

    /// The defaults.
    package init() {}
}

/// Per-call settings.
package struct GRPCCallOptions: Sendable {
    /// How long the call may take; it ends with DEADLINE_EXCEEDED after that. Sent as `grpc-timeout`.
    package var timeout: Duration?
    /// Custom request metadata.
    package var metadata = GRPCMetadata()
    /// Overrides the client's receive limit.
    package var maxReceiveMessageSize: Int?
    /// Overrides the client's send limit.
    package var maxSendMessageSize: Int?

    /// Creates options.
    package init(timeout: Duration? = nil, metadata: GRPCMetadata = GRPCMetadata()) {
        self.timeout = timeout
        self.metadata = metadata
    }

    /// No timeout, no metadata, the client's limits.
    package static var defaults: Self { Self() }
}

/// A unary response with its metadata.
package struct GRPCUnaryResponse: Sendable, Hashable {
    /// The response message.
    package var message: [UInt8]
    /// The response headers' custom metadata.
    package var initialMetadata: GRPCMetadata
    /// The trailers' custom metadata.
    package var trailingMetadata: GRPCMetadata
}
