import BenchSupport
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import PeerCRIv1
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A grpc-swift-2 client of `runtime.v1.RuntimeService` that survives the peer's known failure:
/// against containerd, swift-nio-http2's control-frame limit makes grpc-swift close its own
/// connection after about 200 calls (grpc-go answers nearly every call with a PING). A failed call
/// is rethrown (the loops count it) and the client is replaced by a fresh one, so the run goes on.
final class PeerRuntime: Sendable {
    typealias Transport = HTTP2ClientTransport.Posix

    private struct Generation: Sendable {
        let number: Int
        let client: GRPCClient<Transport>
        let stub: Runtime_V1_RuntimeService.Client<Transport>
        let connections: Task<Void, Never>
    }

    private let endpoint: String
    private let current: Mutex<Generation>
    private let retired = Mutex<[Generation]>([])
    private let replacements = Atomic<Int>(0)
    private let calls = Atomic<Int>(0)
    /// `CRI_BENCH_TRACE=1` prints every failed call with its client and call number (the failures
    /// against containerd come every ~200 calls on each new connection).
    private static let tracesFailures = getenv("CRI_BENCH_TRACE") != nil

    /// Clients replaced after a failure so far.
    var reconnects: Int { replacements.load(ordering: .relaxed) }

    init(endpoint: String) throws {
        self.endpoint = endpoint
        current = Mutex(try Self.makeGeneration(endpoint: endpoint, number: 0))
    }

    private static func makeGeneration(endpoint: String, number: Int) throws -> Generation {
        let transport = try Transport(
            target: PeerConfiguration.target(endpoint), transportSecurity: .plaintext,
            config: PeerConfiguration.transport)
        let client = GRPCClient(transport: transport)
        let connections = Task { _ = try? await client.runConnections() }
        return Generation(
            number: number, client: client, stub: Runtime_V1_RuntimeService.Client(wrapping: client),
            connections: connections)
    }

    /// `Version` with the request the kubelet sends.
    func version() async throws -> Runtime_V1_VersionResponse {
        var request = Runtime_V1_VersionRequest()
        request.version = "v1"
        return try await call { try await $0.version(request, options: PeerConfiguration.callOptions) }
    }

    /// `ListContainers` without a filter; the number of containers.
    func listContainers() async throws -> Int {
        let response = try await call {
            try await $0.listContainers(Runtime_V1_ListContainersRequest(), options: PeerConfiguration.callOptions)
        }
        return response.containers.count
    }

    private func call<Response: Sendable>(
        _ body: (Runtime_V1_RuntimeService.Client<Transport>) async throws -> Response
    ) async throws -> Response {
        let generation = current.withLock { $0 }
        let index = calls.add(1, ordering: .relaxed).newValue
        do {
            return try await body(generation.stub)
        } catch {
            if Self.tracesFailures {
                printError("cri-bench: grpc-swift client #\(generation.number), call #\(index) failed: \(error)")
            }
            replace(generation.number)
            throw error
        }
    }

    /// Replaces the client unless a concurrent failure already did.
    private func replace(_ failedNumber: Int) {
        let old: Generation? = current.withLock { current in
            guard current.number == failedNumber,
                let fresh = try? Self.makeGeneration(endpoint: endpoint, number: failedNumber + 1)
            else { return nil }
            defer { current = fresh }
            return current
        }
        guard let old else { return }
        replacements.add(1, ordering: .relaxed)
        old.client.beginGracefulShutdown()
        retired.withLock { $0.append(old) }
    }

    /// Shuts every client down gracefully and waits for their connections to close.
    func shutdown() async {
        let all = retired.withLock { $0 } + [current.withLock { $0 }]
        for generation in all { generation.client.beginGracefulShutdown() }
        for generation in all { await generation.connections.value }
    }
}
