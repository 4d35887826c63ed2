import CRIGRPC
import Synchronization

/// A client for a CRI v1 runtime (containerd, CRI-O, cri-dockerd): every RuntimeService and
/// ImageService RPC as a typed async method.
///
/// One client holds one HTTP/2 connection per endpoint, opened on the first call and shared by
/// all concurrent calls; when the runtime restarts, the next call reconnects (with the kubelet's
/// backoff). Prefer the scoped form, which closes the connection when the body returns:
///
/// ```swift
/// try await withCRIClient(endpoint: "unix:///run/containerd/containerd.sock") { cri in
///     print(try await cri.version().runtimeVersion)
/// }
/// ```
///
/// Every method throws ``CRIError``.
public final class CRIClient: Sendable {
    /// The runtime service endpoint, as given.
    public let runtimeEndpoint: String
    /// The image service endpoint, as given (the runtime endpoint unless set separately).
    public let imageEndpoint: String
    /// The client's settings.
    public let options: CRIClientOptions

    let runtimeChannel: CRIChannel
    let imageChannel: CRIChannel
    /// `Stream*` RPCs the runtime answered UNIMPLEMENTED; later calls go straight to `List*`.
    let unsupportedStreamingMethods = Mutex<Set<String>>([])

    /// Creates a client; nothing connects until the first call.
    ///
    /// - Parameters:
    ///   - endpoint: `unix:///run/containerd/containerd.sock`, `npipe:////./pipe/containerd-containerd`,
    ///     `tcp://127.0.0.1:1234`, or a bare socket path.
    ///   - imageEndpoint: a separate image service endpoint (crictl's `--image-endpoint`).
    /// - Throws: ``CRIError`` with ``CRIError/Code/invalidArgument`` naming a malformed endpoint.
    public init(endpoint: String, imageEndpoint: String? = nil, options: CRIClientOptions = CRIClientOptions()) throws {
        self.options = options
        runtimeEndpoint = endpoint
        let runtime = try CRIChannel(endpointText: endpoint, options: options)
        runtimeChannel = runtime
        if let imageEndpoint, !imageEndpoint.isEmpty, imageEndpoint != endpoint {
            self.imageEndpoint = imageEndpoint
            imageChannel = try CRIChannel(endpointText: imageEndpoint, options: options)
        } else {
            self.imageEndpoint = endpoint
            imageChannel = runtime
        }
    }

    /// Closes the connections; calls after this fail with UNAVAILABLE.
    public func close() {
        runtimeChannel.close()
        if imageChannel !== runtimeChannel { imageChannel.close() }
    }

    deinit {
        close()
    }
}

/// Runs `body` with a client for `endpoint` and closes the client when it returns or throws.
///
/// - Throws: ``CRIError`` for a malformed endpoint, and whatever `body` throws.
public func withCRIClient<Result>(
    endpoint: String,
    imageEndpoint: String? = nil,
    options: CRIClientOptions = CRIClientOptions(),
    isolation: isolated (any Actor)? = #isolation,
    _ body: (CRIClient) async throws -> Result
) async throws -> Result {
    let client = try CRIClient(endpoint: endpoint, imageEndpoint: imageEndpoint, options: options)
    defer { client.close() }
    return try await body(client)
}
