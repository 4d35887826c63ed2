import CRIGRPC
import CRITransport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Whether a containerd binary is installed and we may run it (it needs root).
private let containerdAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/containerd") && getuid() == 0

/// A protobuf message with one unknown length-delimited field of `size` bytes (field 15): any
/// server skips it, so it is a valid request of any size for any method.
private func paddedRequest(_ size: Int) -> [UInt8] {
    var length = size
    var bytes: [UInt8] = [0x7a]
    while length >= 0x80 {
        bytes.append(UInt8(length & 0x7f) | 0x80)
        length >>= 7
    }
    bytes.append(UInt8(length))
    return bytes + [UInt8](repeating: 0x5a, count: size)
}

extension GRPCTests {
    /// Interop with grpc-go: a private containerd (temporary root, state and socket; CRI plugin
    /// disabled so nothing outside the temporary directory is touched).
    @Suite(.enabled(if: containerdAvailable, "needs /usr/bin/containerd and root"))
    struct ContainerdInteropTests {
        @Test func swiftClientAgainstContainerd() async throws {
            let directory = makeTemporaryDirectory()
            defer { removeTemporaryDirectory(directory) }
            let socket = directory + "/c.sock"
            let config = """
                version = 2
                root = "\(directory)/root"
                state = "\(directory)/state"
                disabled_plugins = ["io.containerd.grpc.v1.cri"]
                [grpc]
                  address = "\(socket)"
                [ttrpc]
                  address = "\(socket).ttrpc"
                [debug]
                  address = ""
                [metrics]
                  address = ""
                """
            try config.write(toFile: directory + "/config.toml", atomically: true, encoding: .utf8)
            let containerd = try PeerProcess(
                executable: "/usr/bin/containerd", arguments: ["--config", directory + "/config.toml"],
                readsStandardError: true)
            defer { containerd.stop() }
            try #require(await containerd.waitFor("containerd successfully booted"))
            let client = GRPCClient {
                ByteStreamTransport(try connect(to: .unixSocket(path: socket), deadline: .now + .seconds(5)))
            }
            defer { client.close() }
            let version = "/containerd.services.version.v1.Version/Version"

            // Unary: VersionResponse field 1 is the version string.
            let response = try await client.unary(path: version, request: [])
            #expect(response.first == 0x0a)
            #expect(String(decoding: response, as: UTF8.self).contains("1."))

            // Unknown methods and the disabled CRI service.
            await #expect(throws: RPCError(code: .unimplemented, message: "")) {
                try await client.unary(path: "/runtime.v1.RuntimeService/Version", request: [])
            }

            // 1,000 concurrent calls on one connection (grpc-go pings and window updates on the way).
            let ok = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<1000 {
                    group.addTask { try await client.unary(path: version, request: []).first == 0x0a }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(ok == 1000)

            // 15 MiB through grpc-go's flow control; containerd's 16 MiB receive limit + 1 refused.
            #expect(try await client.unary(path: version, request: paddedRequest(15 << 20)).first == 0x0a)
            var large = GRPCCallOptions()
            large.maxSendMessageSize = 32 << 20
            await #expect(throws: RPCError(code: .resourceExhausted, message: "")) {
                try await client.unary(path: version, request: paddedRequest((16 << 20) - 3), options: large)
            }

            // Server streaming that never ends: the deadline stops it.
            let start = ContinuousClock.now
            await #expect(throws: RPCError(code: .deadlineExceeded, message: "")) {
                try await client.serverStreaming(
                    path: "/containerd.services.events.v1.Events/Subscribe", request: [],
                    options: GRPCCallOptions(timeout: .milliseconds(200))
                ) { responses in
                    for try await _ in responses {}
                }
            }
            #expect(ContinuousClock.now - start < .milliseconds(300))
            #expect(try await client.unary(path: version, request: []).first == 0x0a)
        }
    }
}
