import CRIGRPC
import CRITransport
import Foundation
import Testing

extension GRPCTests {
    /// Interop with the gRPC C core (python3-grpcio) in both directions over a unix socket.
    @Suite struct GRPCCoreInteropTests {
        static let mebibyte = 1 << 20

        @Test func swiftClientAgainstGRPCCoreServer() async throws {
            let directory = makeTemporaryDirectory()
            defer { removeTemporaryDirectory(directory) }
            let path = directory + "/core.sock"
            let peer = try PeerProcess(python: "server", socketPath: path, directory: directory)
            defer { peer.stop() }
            try #require(await peer.waitFor("READY"))
            let client = GRPCClient {
                ByteStreamTransport(try connect(to: .unixSocket(path: path), deadline: .now + .seconds(5)))
            }
            defer { client.close() }

            // Unary.
            #expect(try await client.unary(path: "/interop.Test/Echo", request: [1, 2, 3]) == [1, 2, 3])
            #expect(try await client.unary(path: "/interop.Test/Echo", request: []) == [])

            // Server streaming.
            let messages = try await client.serverStreaming(path: "/interop.Test/Stream", request: [30]) { responses in
                var all: [[UInt8]] = []
                for try await message in responses { all.append(message) }
                return all
            }
            #expect(messages.count == 30)
            #expect(messages.enumerated().allSatisfy { index, message in
                message == [UInt8](repeating: UInt8(index % 256), count: index * 100)
            })

            // 15 MiB each way.
            let big = pattern(15 * Self.mebibyte, seed: 9)
            #expect(sameBytes(try await client.unary(path: "/interop.Test/Echo", request: big), big))

            // Over the limit each way: our receive limit, then grpcio's 16 MiB receive limit.
            var small = GRPCCallOptions()
            small.maxReceiveMessageSize = 1000
            await #expect(throws: RPCError(code: .resourceExhausted, message: "")) {
                try await client.unary(path: "/interop.Test/Echo", request: pattern(1001), options: small)
            }
            var large = GRPCCallOptions()
            large.maxSendMessageSize = 32 * Self.mebibyte
            await #expect(throws: RPCError(code: .resourceExhausted, message: "")) {
                try await client.unary(path: "/interop.Test/Echo", request: pattern(16 * Self.mebibyte + 1), options: large)
            }

            // 1,000 concurrent calls.
            let ok = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<1000 {
                    group.addTask {
                        let request = Array("\(index)".utf8)
                        return try await client.unary(path: "/interop.Test/Echo", request: request) == request
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(ok == 1000)

            // Deadline.
            let start = ContinuousClock.now
            await #expect(throws: RPCError(code: .deadlineExceeded, message: "")) {
                try await client.unary(
                    path: "/interop.Test/Hang", request: [], options: GRPCCallOptions(timeout: .milliseconds(200)))
            }
            #expect(ContinuousClock.now - start < .milliseconds(300))

            // Error status with non-ASCII and %.
            let text = "nicht gefunden: 100% kaputt — ü 日本 %41"
            do {
                _ = try await client.unary(path: "/interop.Test/Fail", request: Array(text.utf8))
                Issue.record("expected NOT_FOUND")
            } catch {
                #expect(error.code == .notFound)
                #expect(error.message == text)
            }

            // Custom metadata, text and binary.
            var options = GRPCCallOptions()
            options.metadata.add("x-text", "hello world")
            options.metadata.add("x-data-bin", binary: [0, 1, 2, 250, 255])
            let response = try await client.unaryResponse(path: "/interop.Test/Echo", request: [], options: options)
            #expect(response.initialMetadata["echo-text"] == "hello world")
            #expect(response.trailingMetadata.binary("echo-bin") == [0, 1, 2, 250, 255])

            // Server aborting mid-stream.
            var received: [[UInt8]] = []
            do {
                try await client.serverStreaming(path: "/interop.Test/Abort", request: []) { responses in
                    for try await message in responses { received.append(message) }
                }
                Issue.record("expected ABORTED")
            } catch let error as RPCError {
                #expect(error.code == .aborted)
                #expect(error.message == "stopped mid-stream")
            }
            #expect(received == [[1], [2]])
        }

        @Test func grpcCoreClientAgainstSwiftServer() async throws {
            let directory = makeTemporaryDirectory()
            defer { removeTemporaryDirectory(directory) }
            let path = directory + "/swift.sock"
            let gate = Gate()
            let server = GRPCServer(handlers: TestHandlers.all(hangGate: gate))
            let listener = try listen(on: .unixSocket(path: path))
            server.serve(acceptingWith: { ByteStreamTransport(try listener.accept()) })
            defer {
                gate.open()
                server.close()
                listener.close()
            }
            let peer = try PeerProcess(python: "client", socketPath: path, directory: directory)
            defer { peer.stop() }
            var results: [String: String] = [:]
            while let line = await peer.readLine(), line != "DONE" {
                guard let data = line.data(using: .utf8),
                    let object = try? JSONSerialization.jsonObject(with: data) as? [String: String],
                    let name = object["case"], let result = object["result"]
                else {
                    Issue.record("unexpected output: \(line)")
                    continue
                }
                results[name] = result
            }
            let cases = ["unary", "streaming", "big", "overlimit", "concurrent", "deadline", "error", "metadata", "abort"]
            for name in cases {
                #expect(results[name] == "ok", "\(name): \(results[name] ?? "not run")")
            }
        }
    }
}
