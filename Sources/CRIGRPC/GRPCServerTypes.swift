package import CRIHTTP2
import Synchronization

/// Settings of a ``GRPCServer``.
package struct GRPCServerConfiguration: Sendable {
    /// The largest request message accepted (default 16 MiB); larger ones fail with RESOURCE_EXHAUSTED.
    package var maxReceiveMessageSize = 16 << 20
    /// The largest response message sent (default 16 MiB); larger ones fail with RESOURCE_EXHAUSTED.
    package var maxSendMessageSize = 16 << 20
    /// The HTTP/2 settings: by default at most 1,000 concurrent streams per connection and
    /// reset-flood protection.
    package var http2 = HTTP2ConnectionConfiguration.server

    /// The defaults.
    package init() {}
}

/// What a handler knows about its call, and how it sets response metadata.
package final class GRPCServerContext: Sendable {
    /// The method path, e.g. `/runtime.v1.RuntimeService/Version`.
    package let path: String
    /// The request's custom metadata.
    package let metadata: GRPCMetadata
    /// When the client gives up (from `grpc-timeout`); the handler is cancelled then.
    package let deadline: ContinuousClock.Instant?
    private let response = Mutex((initial: GRPCMetadata(), trailing: GRPCMetadata()))

    private let connection: HTTP2Connection?

    init(path: String, metadata: GRPCMetadata, deadline: ContinuousClock.Instant?, connection: HTTP2Connection? = nil) {
        self.path = path
        self.metadata = metadata
        self.deadline = deadline
        self.connection = connection
    }

    /// Drops the connection this call arrived on, without answering: what a crashing server does.
    /// Meant for fault injection in test servers.
    package func closeConnection() {
        connection?.close()
    }

    /// Starts a graceful shutdown of this call's connection (RFC 9113 § 6.8): GOAWAY now, calls in
    /// flight (this one included) finish, new calls must use another connection. For fault injection.
    package func goAway() {
        guard let connection else { return }
        Task { await connection.shutdownGracefully() }
    }

    /// Sets the metadata sent with the response headers (before the first message).
    package func setInitialMetadata(_ metadata: GRPCMetadata) {
        response.withLock { $0.initial = metadata }
    }

    /// Sets the metadata sent with the trailers.
    package func setTrailingMetadata(_ metadata: GRPCMetadata) {
        response.withLock { $0.trailing = metadata }
    }

    var initialMetadata: GRPCMetadata { response.withLock { $0.initial } }
    var trailingMetadata: GRPCMetadata { response.withLock { $0.trailing } }
}

/// A method implementation, registered by path.
package enum GRPCMethodHandler: Sendable {
    /// One request, one response. Throw ``RPCError`` for a status; other errors become UNKNOWN.
    case unary(@Sendable (_ request: [UInt8], _ context: GRPCServerContext) async throws -> [UInt8])
    /// One request, a sequence of responses written through the writer.
    case serverStreaming(
        @Sendable (_ request: [UInt8], _ writer: GRPCServerStreamWriter, _ context: GRPCServerContext) async throws ->
            Void)
}

/// Writes the messages of a server-streaming response.
package final class GRPCServerStreamWriter: Sendable {
    private let call: GRPCServerCall

    init(call: GRPCServerCall) {
        self.call = call
    }

    /// Sends one message (the response headers go out with the first).
    /// - Throws: ``RPCError`` when the message is too large or the stream has ended.
    package func write(_ message: [UInt8]) async throws(RPCError) {
        try await call.sendMessage(message)
    }
}
