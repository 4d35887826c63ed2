import CRIStreaming

/// One TCP connection to a port inside a pod, alive inside
/// ``CRIClient/withPortForward(podSandboxID:port:options:callOptions:isolation:_:)``.
///
/// Write with ``write(_:)`` and read ``received`` (from its own task). The connection in the pod ends when the scope
/// ends; over SPDY ``finishWriting()`` half-closes it first (the pod's side reads end of stream).
public final class CRIPortForwardConnection: Sendable {
    /// The port in the pod.
    public var port: UInt16 { stream.port }
    /// The transport the connection runs over.
    public let transport: CRIStreamingTransport
    /// Bytes from the port; ends when the pod side closes or the scope ends. Single consumer.
    public var received: CRIByteStream { CRIByteStream(base: stream.received) }
    /// What the runtime reported for this port so far (e.g. that nothing listens on it), or nil.
    public var errorMessage: String? { stream.errorMessage }
    /// Why the connection failed, once the runtime broke the port-forward protocol; nil while healthy.
    public var failure: CRIError? {
        session.protocolFailure.map { CRIError.streaming($0, rpc: "PortForward", url: url) }
    }

    private let session: PortForwardSession
    private let stream: PortForwardStream
    private let url: StreamingURLSecrets

    init(
        session: PortForwardSession, stream: PortForwardStream, transport: CRIStreamingTransport,
        url: StreamingURLSecrets
    ) {
        self.session = session
        self.stream = stream
        self.transport = transport
        self.url = url
    }

    /// Sends bytes to the port; waits while the runtime does not read, at most the write timeout.
    /// - Throws: ``CRIError`` once the connection is over (``CRIError/Code/streamingFailed``) or a write times out
    ///   (``CRIError/Code/deadlineExceeded``).
    public func write(_ bytes: some Collection<UInt8>) async throws {
        try await CRIError.mappingStreaming(rpc: "PortForward", url: url) { try await stream.write(bytes) }
    }

    /// Ends what is sent to the port (the pod's side reads end of stream) while its answer can still arrive.
    /// - Returns: false over WebSocket, which has no half-close (nothing is sent; end the scope instead).
    /// - Throws: ``CRIError`` once the connection is over.
    @discardableResult
    public func finishWriting() async throws -> Bool {
        try await CRIError.mappingStreaming(rpc: "PortForward", url: url) { try await stream.finishWriting() }
    }
}
