import Foundation
import Testing

@testable import CRITransport

#if !os(Windows)
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Unix domain sockets")
struct UnixSocketTests {
    @Test func roundTripBothWays() throws {
        let directory = try TemporaryDirectory()
        let endpoint = try Endpoint(parsing: "unix://\(directory.path)/rt.sock")
        let listener = try listen(on: endpoint)
        defer { listener.close() }
        let accepted = try acceptInBackground(listener)
        let client = try connect(to: endpoint, deadline: .now + .seconds(5))
        defer { client.close() }
        let server = try #require(try accepted()?.get())
        defer { server.close() }

        let request = Array("hello from the client".utf8)
        try client.write(request)
        #expect(try server.read(count: request.count) == request)

        let response = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        // Larger than the socket buffer on some systems, so the write runs on its own thread while this one reads.
        let writer = try spawn { Result { try server.write(response) } }
        #expect(try client.read(count: response.count) == response)
        try #require(writer(.seconds(5))).get()

        client.shutdownWrite()
        #expect(try server.read(count: 1) == [], "half-close reaches the peer as end of stream")
        try server.write([42])
        #expect(try client.read(count: 1) == [42], "the other direction still works after shutdownWrite")
    }

    @Test func listenerSocketIsMode0600AndRemovedOnClose() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/mode.sock"
        let listener = try listen(on: .unixSocket(path: path))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(attributes[.type] as? FileAttributeType == .typeSocket)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["mode.sock"],
            "no temp file left"
        )
        listener.close()
        #expect(!FileManager.default.fileExists(atPath: path))
        listener.close()  // Idempotent.
    }

    @Test func listenReplacesAStaleSocketFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/stale.sock"
        try makeBoundSocketFile(at: path)  // A crashed server's leftover.
        let listener = try listen(on: .unixSocket(path: path))
        defer { listener.close() }
        let accepted = try acceptInBackground(listener)
        let client = try connect(to: .unixSocket(path: path), deadline: nil)
        client.close()
        try #require(try accepted()?.get()).close()
    }

    @Test func listenRefusesToReplaceARegularFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/not-a-socket"
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: TransportError.self) { try listen(on: .unixSocket(path: path)) }
        #expect(error?.code == .addressInUse)
        #expect(error?.message.contains("exists and is not a socket") == true)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep me")
    }

    @Test func closingTheListenerDoesNotRemoveAReplacement() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/replaced.sock"
        let first = try listen(on: .unixSocket(path: path))
        let second = try listen(on: .unixSocket(path: path))
        defer { second.close() }
        first.close()
        #expect(
            FileManager.default.fileExists(atPath: path),
            "the first listener must not delete its successor's socket"
        )
    }

    @Test func missingSocketFailsFastNamingThePath() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/missing.sock"
        let start = ContinuousClock.now
        let error = #expect(throws: TransportError.self) {
            try connect(to: .unixSocket(path: path), deadline: .now + .seconds(10))
        }
        #expect(ContinuousClock.now - start < .milliseconds(100))
        #expect(error?.code == .notFound)
        #expect(error?.errno == .noSuchFile)
        #expect(error?.message.contains(#"connect to unix socket "\#(path)""#) == true, "\(error?.message ?? "")")
    }

    @Test func socketFileWithoutListenerIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/refused.sock"
        try makeBoundSocketFile(at: path)
        let error = #expect(throws: TransportError.self) { try connect(to: .unixSocket(path: path), deadline: nil) }
        #expect(error?.code == .connectionRefused)
        #expect(error?.message.contains(path) == true)
    }

    @Test func pathTooLongForSunPath() throws {
        let path = "/tmp/" + String(repeating: "x", count: 200) + ".sock"
        let error = #expect(throws: TransportError.self) { try connect(to: .unixSocket(path: path), deadline: nil) }
        #expect(error?.code == .pathTooLong)
        #expect(error?.message.contains(path) == true)
        #expect(error?.message.contains("sun_path") == true)
        let listenError = #expect(throws: TransportError.self) { try listen(on: .unixSocket(path: path)) }
        #expect(listenError?.code == .pathTooLong)
    }

    @Test func listenInMissingDirectoryNamesThePath() {
        let path = "/tmp/cri-transport-no-such-dir-\(UUID().uuidString.prefix(8))/x.sock"
        let error = #expect(throws: TransportError.self) { try listen(on: .unixSocket(path: path)) }
        #expect(error?.code == .notFound)
        #expect(error?.message.contains(path) == true)
    }

    @Test func closingTheListenerWakesABlockedAccept() throws {
        let directory = try TemporaryDirectory()
        let listener = try listen(on: .unixSocket(path: directory.path + "/wake.sock"))
        let accepted = try acceptInBackground(listener)
        let start = ContinuousClock.now
        listener.close()
        let result = try #require(accepted(), "accept stayed blocked after close")
        #expect(ContinuousClock.now - start < .seconds(1))
        guard case .failure(let error) = result else {
            Issue.record("accept returned a stream after close")
            return
        }
        #expect(error.code == .closed)
    }

    @Test func acceptConnectionsLoopEndsOnClose() throws {
        let directory = try TemporaryDirectory()
        let endpoint = Endpoint.unixSocket(path: directory.path + "/loop.sock")
        let listener = try listen(on: endpoint)
        let served = Locked(0)
        let finished = try acceptLoopInBackground(listener) { stream in
            served.withLock { $0 += 1 }
            stream.close()
        }
        for _ in 0..<3 {
            let client = try connect(to: endpoint, deadline: nil)
            #expect(try client.read(count: 1) == [], "the server closes each connection")
            client.close()
        }
        listener.close()
        #expect(finished() == true)
        #expect(served.value == 3)
    }

    @Test func socketsAndAcceptedConnectionsAreCloseOnExecAndNonBlocking() throws {
        let directory = try TemporaryDirectory()
        let address = try SocketAddress.unix(path: directory.path + "/cloexec.sock", operation: "test")
        let listening = try Posix.streamSocket(family: AF_UNIX).get()
        defer { Posix.close(listening) }
        try Posix.bind(listening, address).get()
        try Posix.listen(listening, backlog: 4).get()
        let client = try Posix.streamSocket(family: AF_UNIX).get()
        defer { Posix.close(client) }
        try Syscalls.live.connectBlocking(client, to: address, deadline: nil, label: "test")
        let accepted = try Syscalls.live.accept(listening).get()
        defer { Posix.close(accepted) }
        let pipe = try Posix.wakePipe().get()
        defer {
            Posix.close(pipe.read)
            Posix.close(pipe.write)
        }
        for fd in [listening, client, accepted, pipe.read, pipe.write] {
            #expect(fcntl(fd, F_GETFD) & FD_CLOEXEC != 0, "fd \(fd) lacks FD_CLOEXEC")
            #expect(fcntl(fd, F_GETFL) & O_NONBLOCK != 0, "fd \(fd) is blocking")
        }
    }
}

/// Runs `listener.acceptConnections` on a thread; the returned closure waits for the loop to end (true: normally).
func acceptLoopInBackground(
    _ listener: any Listener,
    _ handler: @escaping @Sendable (any ByteStream) -> Void
) throws -> @Sendable () -> Bool? {
    let wait = try spawn { () -> Bool in
        do {
            try listener.acceptConnections(handler)
            return true
        } catch {
            return false
        }
    }
    return { wait(.seconds(5)) }
}

/// Creates a socket file nobody listens on: bound, never listening, then closed (a crashed server's leftover).
func makeBoundSocketFile(at path: String) throws {
    #if canImport(Glibc)
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let fd = socket(AF_UNIX, SOCK_STREAM, 0)
    #endif
    try #require(fd >= 0)
    defer { close(fd) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        raw.copyBytes(from: Array(path.utf8) + [0])
    }
    let result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    try #require(result == 0)
}
#endif
