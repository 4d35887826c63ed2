import CRI
import CRIGRPC
import CRIHTTP2
import CRITransport
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Serves a ``FakeRuntime`` over a real socket with this package's gRPC server, so anything that
/// speaks CRI — ``CRIClient``, crictl, grpcio — can drive it.
///
/// ```swift
/// try await withFakeCRIServer { server in
///     try await withCRIClient(endpoint: server.endpoint) { cri in ... }
/// }
/// ```
/// The unix socket is created with mode 0600 and removed on shutdown.
public final class FakeCRIServer: Sendable {
    /// The runtime being served.
    public let runtime: FakeRuntime
    /// Where clients connect, e.g. `unix:///tmp/fake-cri-abc/cri.sock` or `tcp://127.0.0.1:40123`.
    public let endpoint: String

    private let grpc: GRPCServer
    private let listener: any Listener
    private let temporaryDirectory: String?

    private init(
        runtime: FakeRuntime, endpoint: String, grpc: GRPCServer, listener: any Listener, temporaryDirectory: String?
    ) {
        self.runtime = runtime
        self.endpoint = endpoint
        self.grpc = grpc
        self.listener = listener
        self.temporaryDirectory = temporaryDirectory
    }

    /// Starts serving `runtime`.
    ///
    /// - Parameter endpoint: `unix:///path` or `tcp://127.0.0.1:0`; nil makes a unix socket in a new
    ///   temporary directory.
    /// - Throws: ``CRIError`` when the endpoint is malformed or cannot be listened on.
    public static func start(runtime: FakeRuntime = FakeRuntime(), listeningOn endpoint: String? = nil) async throws
        -> FakeCRIServer
    {
        try await start(runtime: runtime, listeningOn: endpoint, temporaryDirectory: nil)
    }

    private static func start(
        runtime: FakeRuntime, listeningOn endpoint: String?, temporaryDirectory inherited: String?
    ) async throws -> FakeCRIServer {
        var temporaryDirectory = inherited
        let endpointText: String
        if let endpoint {
            endpointText = endpoint
        } else {
            let directory = try makeTemporaryDirectory()
            temporaryDirectory = directory
            endpointText = "unix://\(directory)/cri.sock"
        }
        let listener: any Listener
        do {
            listener = try listen(on: Endpoint(parsing: endpointText))
        } catch {
            throw CRIError(code: .unavailable, message: "cannot listen: \(error)", endpoint: endpointText, cause: error)
        }
        let actualEndpoint: String
        switch listener.localEndpoint.kind {
        case .tcp(let host, let port):
            actualEndpoint = host.contains(":") ? "tcp://[\(host)]:\(port)" : "tcp://\(host):\(port)"
        default: actualEndpoint = endpointText
        }
        let grpc = GRPCServer(handlers: FakeCRIHandlers.all(for: runtime))
        grpc.serve { () throws -> (any HTTP2Transport)? in
            ByteStreamTransport(try listener.accept())
        }
        return FakeCRIServer(
            runtime: runtime, endpoint: actualEndpoint, grpc: grpc, listener: listener,
            temporaryDirectory: temporaryDirectory)
    }

    /// Stops accepting, sends GOAWAY, waits for calls in flight, then closes every connection and
    /// removes the socket.
    public func shutdown() async {
        listener.close()
        // Event streams never end on their own; end them so in-flight calls can drain.
        await runtime.finishEventStreams()
        await grpc.shutdownGracefully()
        grpc.close()
        await runtime.shutDownStreaming()
        removeTemporaryDirectory()
    }

    /// Closes everything at once, as if the runtime process died (the socket's directory stays,
    /// so ``restarted()`` can listen there again).
    public func kill() {
        listener.close()
        grpc.close()
    }

    /// Restarts serving the same runtime state on the same endpoint after ``kill()``, as a runtime
    /// that comes back after a crash does.
    public func restarted() async throws -> FakeCRIServer {
        try await FakeCRIServer.start(runtime: runtime, listeningOn: endpoint, temporaryDirectory: temporaryDirectory)
    }

    private func removeTemporaryDirectory() {
        guard let temporaryDirectory else { return }
        _ = unlink(temporaryDirectory + "/cri.sock")
        _ = rmdir(temporaryDirectory)
    }

    private static func makeTemporaryDirectory() throws -> String {
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(base)/fake-cri-XXXXXX".utf8CString)
        // The template is a non-empty array, so its base address exists.
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else {
            throw CRIError(code: .unavailable, message: "cannot create a temporary directory under \(base)")
        }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Runs `body` with a fake runtime served on a temporary unix socket, and shuts it down afterwards.
/// - Throws: what starting the server or `body` throws.
public func withFakeCRIServer<Result>(
    runtime: FakeRuntime = FakeRuntime(),
    listeningOn endpoint: String? = nil,
    isolation: isolated (any Actor)? = #isolation,
    _ body: (FakeCRIServer) async throws -> Result
) async throws -> Result {
    let server = try await FakeCRIServer.start(runtime: runtime, listeningOn: endpoint)
    do {
        let result = try await body(server)
        await server.shutdown()
        return result
    } catch {
        await server.shutdown()
        throw error
    }
}
