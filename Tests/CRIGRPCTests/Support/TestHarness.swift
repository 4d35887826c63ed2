import CRIGRPC
import CRIHTTP2
import CRITransport
import Foundation
import Synchronization

/// A client wired to in-process servers through real unix sockets in a temporary directory:
/// connection number `i` goes to server `min(i, servers.count - 1)`.
final class TestHarness: Sendable {
    let servers: [GRPCServer]
    let client: GRPCClient
    let directory: String
    private let listeners: [any Listener]
    private let accepted = EndsBox()
    private let connects = Counter()

    init(
        handlers: [String: GRPCMethodHandler],
        serverConfiguration: GRPCServerConfiguration = GRPCServerConfiguration(),
        clientConfiguration: GRPCClientConfiguration = GRPCClientConfiguration(),
        serverCount: Int = 1
    ) {
        directory = makeTemporaryDirectory()
        var servers: [GRPCServer] = []
        var listeners: [any Listener] = []
        var paths: [String] = []
        let accepted = self.accepted
        for index in 0..<serverCount {
            let path = "\(directory)/server\(index).sock"
            let server = GRPCServer(handlers: handlers, configuration: serverConfiguration)
            let listener = try! listen(on: .unixSocket(path: path))
            server.serve(acceptingWith: {
                let stream = try listener.accept()
                accepted.append(stream)
                return ByteStreamTransport(stream)
            })
            servers.append(server)
            listeners.append(listener)
            paths.append(path)
        }
        self.servers = servers
        self.listeners = listeners
        let connects = self.connects
        let serverPaths = paths
        self.client = GRPCClient(configuration: clientConfiguration) {
            let index = connects.next()
            let path = serverPaths[min(index, serverPaths.count - 1)]
            return ByteStreamTransport(try connect(to: .unixSocket(path: path), deadline: .now + .seconds(5)))
        }
    }

    /// How many connections the client opened.
    var connectionCount: Int { connects.value }

    /// Simulates the server process dying: closes every accepted socket.
    func killServerConnections() { accepted.closeAll() }

    func shutdown() {
        client.close()
        for server in servers { server.close() }
        for listener in listeners { listener.close() }
        removeTemporaryDirectory(directory)
    }
}

final class Counter: Sendable {
    private let count = Mutex(0)
    /// Returns the current value and increments it.
    func next() -> Int {
        count.withLock { count in
            defer { count += 1 }
            return count
        }
    }
    var value: Int { count.withLock { $0 } }
}

final class EndsBox: Sendable {
    private let ends = Mutex<[any ByteStream]>([])
    func append(_ end: any ByteStream) { ends.withLock { $0.append(end) } }
    func closeAll() {
        for end in ends.withLock({ $0 }) { end.close() }
    }
}

/// A fresh directory under the system temporary directory.
func makeTemporaryDirectory() -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("cri-grpc-\(UUID().uuidString.prefix(8))").path
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func removeTemporaryDirectory(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
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

/// Deterministic test bytes: a seeded 4 KiB block repeated (cheap even in debug builds, so large
/// messages do not hog the shared test threads).
func pattern(_ count: Int, seed: UInt8 = 1) -> [UInt8] {
    var block = [UInt8](repeating: 0, count: min(count, 4093))
    var value = UInt32(seed) &* 2_654_435_761 &+ 1
    for index in block.indices {
        value = value &* 1_664_525 &+ 1_013_904_223
        block[index] = UInt8(truncatingIfNeeded: value >> 24)
    }
    var bytes = block
    bytes.reserveCapacity(count)
    while bytes.count < count {
        bytes.append(contentsOf: bytes.prefix(count - bytes.count))
    }
    return bytes
}

/// Byte-wise equality through memcmp (Array == is slow for megabytes in debug builds).
func sameBytes(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    lhs.count == rhs.count
        && lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in left.count == 0 || memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0 }
        }
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
