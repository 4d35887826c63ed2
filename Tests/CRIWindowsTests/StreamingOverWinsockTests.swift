#if CRI_WINDOWS_STANDIN
import CRI
import CRIStreaming
import CRITesting
import CRITransport
import CRIWinSDKStandIn
import Testing

/// The walkthrough's streaming steps beyond exec, through the library: the CRI calls over the simulated
/// `\\.\pipe\containerd-containerd`, the streaming sessions over simulated Winsock TCP to the fake's StreamingServer
/// (which listens, and for port-forward dials the pod's port, through the same Winsock code).
@Suite("Attach and port-forward over simulated Winsock", .serialized, .timeLimit(.minutes(1)))
struct StreamingOverWinsockTests {
    @Test func attachCarriesStdinAndStdout() async throws {
        try await withWalkthroughWorkload { cri, _, containerID in
            let response = try await cri.attach(AttachRequest {
                $0.containerID = containerID
                $0.stdin = true
                $0.stdout = true
                // withStreamingSession opens stdout and stderr streams, as crictl attach does.
                $0.stderr = true
            })
            #expect(response.url.hasPrefix("http://127.0.0.1:"))
            let (output, status) = try await withStreamingSession(url: response.url, stdin: true) { session in
                try await session.writeStdin(Array("typed into the container\n".utf8))
                _ = try await session.closeStdin()
                let output = await session.stdout.collect()
                return (output, try await session.exitStatus())
            }
            #expect(String(decoding: output, as: UTF8.self) == "typed into the container\n")
            #expect(status.exitCode == 0)
        }
        #expect(SimulatedWinsock.shared.awaitIdle())
    }

    /// The walkthrough's last step, "fetch the page the container serves": the page server listens on loopback (the
    /// fake pod shares the host's loopback) and the request reaches it only through the port-forward session.
    @Test func portForwardFetchesThePageTheContainerServes() async throws {
        let page = try PageServer()
        defer { page.close() }
        try await withWalkthroughWorkload { cri, podID, _ in
            let response = try await cri.portForward(PortForwardRequest {
                $0.podSandboxID = podID
                $0.port = [Int32(page.port)]
            })
            let reply = try await withPortForwardSession(url: response.url, ports: [page.port]) { session in
                let stream = try #require(session.stream(forPort: page.port))
                try await stream.write(Array("GET / HTTP/1.0\r\nHost: localhost\r\n\r\n".utf8))
                _ = try await stream.finishWriting()
                return String(decoding: await stream.received.collect(), as: UTF8.self)
            }
            #expect(reply.hasPrefix("HTTP/1.0 200 OK\r\n"), "\(reply)")
            #expect(reply.hasSuffix(PageServer.body))
        }
        #expect(try page.request().hasPrefix("GET / HTTP/1.0\r\n"))
    }
}

/// The walkthrough's pod and IIS container, running, over the simulated containerd pipe.
private func withWalkthroughWorkload(
    _ body: (CRIClient, String, String) async throws -> Void
) async throws {
    #expect(SimulatedKernel.shared.awaitPipeGone(#"\\.\pipe\containerd-containerd"#))
    try await withFakeCRIServer(runtime: windowsRuntime(), listeningOn: "npipe:////./pipe/containerd-containerd") { server in
        try await withCRIClient(endpoint: server.endpoint) { cri in
            var pod = PodSandboxConfig()
            pod.metadata = PodSandboxMetadata {
                $0.name = "sample-sandbox"
                $0.namespace = "default"
                $0.uid = "0123456789abcdef012345678"
            }
            let podID = try await cri.runPodSandbox(pod, runtimeHandler: "runhcs-wcow-process")
            let container = try await walkthroughContainer(pulledBy: cri)
            let containerID = try await cri.createContainer(inPod: podID, config: container, sandboxConfig: pod)
            try await cri.startContainer(id: containerID)
            try await body(cri, podID, containerID)
        }
    }
}

/// A one-request HTTP server on 127.0.0.1 over simulated Winsock, standing in for the container's IIS.
private final class PageServer: Sendable {
    static let body = "<h1>Hello from IIS in a Windows container</h1>"
    let port: UInt16
    private let listener: any Listener
    private let served: Background<String>

    init() throws {
        let listener = try listen(on: .tcp(host: "127.0.0.1", port: 0))
        guard case .tcp(_, let port) = listener.localEndpoint.kind else {
            throw TransportError(code: .invalidEndpoint, message: "not a TCP listener")
        }
        self.listener = listener
        self.port = port
        served = try background {
            let connection = try listener.accept()
            defer { connection.close() }
            var request: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while !request.ends(with: Array("\r\n\r\n".utf8)) {
                let count = try chunk.withUnsafeMutableBytes { try connection.read(into: $0) }
                guard count > 0 else { break }
                request += chunk[..<count]
            }
            let body = Self.body
            try connection.write(Array("HTTP/1.0 200 OK\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8))
            connection.shutdownWrite()
            return String(decoding: request, as: UTF8.self)
        }
    }

    /// The request the server received.
    func request() throws -> String { try served.value() }

    func close() { listener.close() }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
#endif
