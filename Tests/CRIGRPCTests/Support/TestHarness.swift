import CRIGRPC
import CRIHTTP2
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A client wired to in-process servers through real unix socket pairs; every connect makes a new
/// pair and hands the server end to the server chosen by `route`.
final class TestHarness: Sendable {
    let servers: [GRPCServer]
    let client: GRPCClient
    /// Server-side ends of the connections made so far.
    let serverEnds = Mutex<[SocketTransport]>([])

    init(
        handlers: [String: GRPCMethodHandler],
        serverConfiguration: GRPCServerConfiguration = GRPCServerConfiguration(),
        clientConfiguration: GRPCClientConfiguration = GRPCClientConfiguration(),
        serverCount: Int = 1
    ) {
        let servers = (0..<serverCount).map { _ in
            GRPCServer(handlers: handlers, configuration: serverConfiguration)
        }
        self.servers = servers
        let ends = Mutex<[SocketTransport]>([])
        let serverEnds = ends
        _ = serverEnds
        let box = EndsBox()
        self.client = GRPCClient(configuration: clientConfiguration) {
            let (clientEnd, serverEnd) = SocketTransport.pair()
            let index = box.append(serverEnd)
            servers[min(index, servers.count - 1)].serve(serverEnd)
            return clientEnd
        }
        self.box = box
    }

    private let box: EndsBox

    /// How many connections the client opened.
    var connectionCount: Int { box.count }

    /// Simulates the server process dying: closes every server-side socket.
    func killServerConnections() { box.closeAll() }

    func shutdown() {
        client.close()
        for server in servers { server.close() }
    }
}

final class EndsBox: Sendable {
    private let ends = Mutex<[SocketTransport]>([])
    func append(_ end: SocketTransport) -> Int {
        ends.withLock { ends in
            ends.append(end)
            return ends.count - 1
        }
    }
    var count: Int { ends.withLock { $0.count } }
    func closeAll() {
        for end in ends.withLock({ $0 }) { end.close() }
    }
}

/// A one-shot signal tests use instead of sleeps.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }
}

/// Deterministic test bytes.
func pattern(_ count: Int, seed: UInt8 = 1) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    var value = UInt32(seed) &* 2_654_435_761
    for index in 0..<count {
        value = value &* 1_664_525 &+ 1_013_904_223
        bytes[index] = UInt8(truncatingIfNeeded: value >> 24)
    }
    return bytes
}

/// Handlers shared by the tests.
enum TestHandlers {
    static let echo = "/test.Echo/Unary"
    static let stream = "/test.Echo/Stream"
    static let hang = "/test.Echo/Hang"
    static let fail = "/test.Echo/Fail"
    static let metadata = "/test.Echo/Metadata"
    static let abort = "/test.Echo/Abort"

    static func all(hangGate: Gate = Gate(), hangEntered: Gate = Gate()) -> [String: GRPCMethodHandler] {
        [
            echo: .unary { request, _ in request },
            stream: .serverStreaming { request, writer, _ in
                // The request is a count; reply with that many messages of increasing size.
                let count = Int(request.first ?? 0)
                for index in 0..<count { try await writer.write(pattern(index * 100, seed: UInt8(index))) }
            },
            hang: .unary { _, _ in
                hangEntered.open()
                await hangGate.wait()
                return [1]
            },
            fail: .unary { request, _ in
                throw RPCError(code: .notFound, message: String(decoding: request, as: UTF8.self))
            },
            metadata: .unary { _, context in
                var initial = GRPCMetadata()
                initial.add("echo-text", context.metadata["x-text"] ?? "missing")
                context.setInitialMetadata(initial)
                var trailing = GRPCMetadata()
                trailing.add("echo-bin", binary: context.metadata.binary("x-data-bin") ?? [])
                context.setTrailingMetadata(trailing)
                return []
            },
            abort: .serverStreaming { _, writer, _ in
                try await writer.write([1])
                try await writer.write([2])
                throw RPCError(code: .aborted, message: "stopped mid-stream")
            },
        ]
    }
}
