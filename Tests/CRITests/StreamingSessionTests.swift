import CRIStreaming
import CRITesting
import CRITransport
import Foundation
import Testing

@testable import CRI

/// A running container in a fresh pod on `cri`'s fake runtime: (pod ID, container ID).
func startShell(_ cri: CRIClient) async throws -> (podID: String, containerID: String) {
    let pod = Fixtures.podConfig()
    let podID = try await cri.runPodSandbox(pod)
    _ = try await cri.pullImage("busybox")
    let containerID = try await cri.createContainer(
        inPod: podID, config: Fixtures.containerConfig(command: ["sh", "-c", "sleep 3600"]), sandboxConfig: pod)
    try await cri.startContainer(id: containerID)
    return (podID, containerID)
}

/// A TCP echo server on 127.0.0.1 (the fake runtime forwards a pod port to the same port on the host's loopback).
final class LoopbackEcho: Sendable {
    let port: UInt16
    private let listener: any Listener

    init() throws {
        listener = try listen(on: .tcp(host: "127.0.0.1", port: 0))
        guard case .tcp(_, let port) = listener.localEndpoint.kind else { throw CRIError(code: .internalError) }
        self.port = port
        let listener = listener
        Thread {
            try? listener.acceptConnections { stream in
                Thread {
                    defer { stream.close() }
                    var buffer = [UInt8](repeating: 0, count: 4096)
                    while let count = try? buffer.withUnsafeMutableBytes({ try stream.read(into: $0) }), count > 0 {
                        guard (try? buffer[..<count].withUnsafeBytes({ try stream.write($0, deadline: nil) })) != nil
                        else { return }
                    }
                }.start()
            }
        }.start()
    }

    func close() { listener.close() }
}

@Suite("Exec, attach and port-forward through CRIClient")
struct StreamingSessionTests {
    /// Both transports against the fake's streaming server, which takes SPDY (v4, v3, v2) and WebSocket up to v4, as
    /// containerd does.
    @Test(arguments: CRIStreamingTransport.allCases)
    func execSessionStreamsBothWaysAndReportsTheExitCode(transport: CRIStreamingTransport) async throws {
        try await withFakeCRIServer { server in
            try await withCRIClient(endpoint: server.endpoint) { cri in
                let (_, containerID) = try await startShell(cri)
                let options = CRIStreamingOptions(transport: transport)
                let (status, stdout, stderr, canClose) = try await cri.withExecSession(
                    containerID: containerID, command: ["sh", "-c", "echo out; echo err >&2; exit 3"], stdin: true,
                    options: options
                ) { session in
                    #expect(session.transport == transport)
                    #expect(session.hasStdin && !session.tty)
                    async let stdout = session.stdout.collect()
                    async let stderr = session.stderr.collect()
                    let status = try await session.exitStatus()
                    return (status, await stdout, await stderr, session.canCloseStdin)
                }
                #expect(status.exitCode == 3, "\(status)")
                #expect(!status.succeeded)
                #expect(String(decoding: stdout, as: UTF8.self) == "out\n")
                #expect(String(decoding: stderr, as: UTF8.self) == "err\n")
                // SPDY half-closes the stdin stream; WebSocket v4 has no way to.
                #expect(canClose == (transport == .spdy))
            }
        }
    }

    @Test func runExecClosesStdinOverSPDY() async throws {
        try await withFakeCRIServer { server in
            try await withCRIClient(endpoint: server.endpoint) { cri in
                let (_, containerID) = try await startShell(cri)
                let output = try await cri.runExec(
                    containerID: containerID, command: ["cat"], stdin: Array("a\nb\n".utf8))
                #expect(String(decoding: output.stdout, as: UTF8.self) == "a\nb\n")
                #expect(output.stderr.isEmpty)
                #expect(output.exitCode == 0)
                let failing = try await cri.runExec(containerID: containerID, command: ["sh", "-c", "exit 42"])
                #expect(failing.exitCode == 42)
            }
        }
    }

    @Test func attachSessionEchoesStdin() async throws {
        try await withFakeCRIServer { server in
            try await withCRIClient(endpoint: server.endpoint) { cri in
                let (_, containerID) = try await startShell(cri)
                let (echoed, status) = try await cri.withAttachSession(containerID: containerID, stdin: true) {
                    session in
                    async let echoed = session.stdout.collect()
                    try await session.writeStdin(Array("attached\n".utf8))
                    #expect(try await session.closeStdin())
                    return (await echoed, try await session.exitStatus())
                }
                #expect(String(decoding: echoed, as: UTF8.self) == "attached\n")
                #expect(status.succeeded)
            }
        }
    }

    @Test(arguments: CRIStreamingTransport.allCases)
    func portForwardReachesThePodPort(transport: CRIStreamingTransport) async throws {
        let echo = try LoopbackEcho()
        defer { echo.close() }
        try await withFakeCRIServer { server in
            try await withCRIClient(endpoint: server.endpoint) { cri in
                let (podID, _) = try await startShell(cri)
                let reply = try await cri.withPortForward(
                    podSandboxID: podID, port: echo.port, options: CRIStreamingOptions(transport: transport)
                ) { connection in
                    #expect(connection.port == echo.port)
                    #expect(connection.transport == transport)
                    try await connection.write(Array("ping\n".utf8))
                    var received: [UInt8] = []
                    for await chunk in connection.received {
                        received += chunk
                        if received.count >= 5 { break }
                    }
                    #expect(connection.failure == nil)
                    return received
                }
                #expect(String(decoding: reply, as: UTF8.self) == "ping\n")
                await #expect(throws: CRIError(code: .invalidArgument)) {
                    try await cri.withPortForward(podSandboxID: podID, port: 0) { _ in }
                }
            }
        }
    }

    /// A stream failure is a CRIError with the streaming layer's error as its cause, and the URL's token shows
    /// nowhere: not in the message, the endpoint, or the cause.
    @Test func streamFailuresAreCRIErrorsWithoutTheToken() async throws {
        try await withFakeCRIServer { server in
            try await withCRIClient(endpoint: server.endpoint) { cri in
                let (_, containerID) = try await startShell(cri)
                let error = try await #require(throws: CRIError.self) {
                    try await cri.withExecSession(containerID: containerID, command: ["true"]) { session in
                        try await session.writeStdin([1])
                    }
                }
                #expect(error.code == .failedPrecondition)
                #expect(error.method == "Exec")
                #expect(error.endpoint?.hasPrefix("http://127.0.0.1:") == true, "\(error)")
                #expect(error.endpoint?.hasSuffix("/exec/<redacted>") == true, "\(error)")
                let cause = try #require(error.cause as? StreamingError)
                #expect(cause.code == .unsupported)
                #expect(!"\(error)".contains("/exec/") || "\(error)".contains("/exec/<redacted>"))
            }
        }
    }

    @Test func streamingErrorsMapToCodesAndLoseTheToken() {
        let url = "http://127.0.0.1:40123/exec/Zx8kP2qRtoken"
        let secrets = StreamingURLSecrets(url: url)
        #expect(secrets.redacted == "http://127.0.0.1:40123/exec/<redacted>")
        let cases: [(StreamingError.Code, CRIError.Code)] = [
            (.connectionFailed, .unavailable), (.timedOut, .deadlineExceeded), (.cancelled, .cancelled),
            (.upgradeRejected, .streamingFailed), (.connectionClosed, .streamingFailed),
            (.remoteFailure, .streamingFailed), (.protocolViolation, .streamingFailed),
        ]
        for (streaming, expected) in cases {
            let error = CRIError.streaming(
                StreamingError(code: streaming, message: "\(url): went wrong at \(url)?port=80"), rpc: "Exec",
                url: secrets)
            #expect(error.code == expected, "\(streaming)")
            #expect(error.message == "went wrong at http://127.0.0.1:40123/exec/<redacted>?port=80")
            #expect(!"\(error)".contains("Zx8kP2qRtoken"))
            #expect(!"\(String(describing: error.cause))".contains("Zx8kP2qRtoken"))
            #expect(error.description.hasPrefix("Exec on http://127.0.0.1:40123/exec/<redacted>: "))
        }
        let withQuery = CRIError.streaming(
            StreamingError(code: .connectionClosed, message: "\(url)?port=80: the connection ended"), rpc: "PortForward",
            url: secrets)
        #expect(withQuery.message == "the connection ended")
        let asTheStreamingLayerWritesIt = CRIError.streaming(
            StreamingError(code: .timedOut, message: "http://127.0.0.1:40123/exec/<token>: write timed out"),
            rpc: "Exec", url: secrets)
        #expect(asTheStreamingLayerWritesIt.message == "write timed out")
    }
}
