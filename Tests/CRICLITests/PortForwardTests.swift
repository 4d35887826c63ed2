import CRI
import CRITesting
import Foundation
import Testing

#if os(Linux)
import Glibc

/// Serialized: with every case of these streaming suites at once on a 2-core machine, an RPC to the in-process fake
/// now and then outlives the CLI's 2 s default deadline (cause not found; one at a time they pass every run).
@Suite(.serialized) struct PortForwardTests {
    /// A one-connection TCP echo server on 127.0.0.1; returns its port.
    static func startEchoServer() throws -> UInt16 {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafePointer(to: &address) {
            try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                guard bind(listener, $0, length) == 0 else { throw CLIHarnessError(message: "bind failed") }
            }
        }
        listen(listener, 4)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(listener, $0, &length) }
        }
        Thread {
            let connection = accept(listener, nil, nil)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(connection, &buffer, buffer.count)
                if count <= 0 { break }
                _ = write(connection, buffer, count)
            }
            close(connection)
            close(listener)
        }.start()
        return UInt16(bigEndian: address.sin_port)
    }

    @Test(arguments: [[], ["-r", "websocket"], ["--transport", "spdy"]])
    func forwardsALocalConnectionToThePodPort(transport: [String]) async throws {
        try await withCLI { cli, server, endpoint in
            let (podID, _) = try await cli.startWorkload(endpoint)
            let remote = try Self.startEchoServer()
            let forward = try cli.start(endpoint + ["port-forward"] + transport + [podID, ":\(remote)"])
            try await forward.waitForOutput(containing: "-> \(remote)\n")
            let line = forward.stdoutSoFar
            let local = try #require(line.split(separator: ":").dropFirst().first.flatMap { UInt16($0.split(separator: " ")[0]) })
            #expect(line.hasPrefix("Forwarding from 127.0.0.1:"))

            let reply: String = try await Task.detached {
                let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                defer { close(client) }
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_addr.s_addr = inet_addr("127.0.0.1")
                address.sin_port = local.bigEndian
                let connected = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
                guard connected == 0 else { throw CLIHarnessError(message: "connect failed") }
                var timeout = timeval(tv_sec: 10, tv_usec: 0)
                setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                let message = Array("ping through the pod\n".utf8)
                _ = write(client, message, message.count)
                var buffer = [UInt8](repeating: 0, count: 64)
                var received: [UInt8] = []
                while received.count < message.count {
                    let count = read(client, &buffer, buffer.count)
                    if count <= 0 { break }
                    received += buffer[..<count]
                }
                return String(decoding: received, as: UTF8.self)
            }.value
            #expect(reply == "ping through the pod\n")
            forward.signal(SIGTERM)
            _ = await forward.finish()
            let request = await server.runtime.calls.last { $0.method == "PortForward" }?.request as? PortForwardRequest
            #expect(request?.port == [Int32(remote)])
        }
    }
}
#endif
