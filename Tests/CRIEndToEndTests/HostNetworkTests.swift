import CRI
import Testing

extension LabEndToEndTests {
    /// The walkthrough's last step: a host-network pod serves a page with busybox httpd on
    /// 127.0.0.1, and the test fetches it over loopback (never a pod IP).
    @Test("A host-network pod's httpd answers on 127.0.0.1")
    func fetchPageFromHostNetworkPod() async throws {
        let lab = try LabEnvironment.require()
        try await lab.withClient { cri in
            _ = try await cri.pullImage(lab.busyboxImage)
            let port = try LoopbackHTTP.freePort()
            let token = uniqueName("page")
            try await lab.withPod(cri, name: uniqueName("httpd"), hostNetwork: true) { pod in
                let sandbox = try #require(try await cri.podSandboxStatus(id: pod.id).status)
                #expect(sandbox.linux?.namespaces?.options?.network == .node)

                let script = "mkdir -p /www && echo '<h1>\(token)</h1>' > /www/index.html "
                    + "&& exec httpd -f -p 127.0.0.1:\(port) -h /www"
                let id = try await lab.startContainer(
                    cri, in: pod, lab.containerConfig(name: "httpd", command: ["sh", "-c", script], hostNetwork: true))
                let page = try await poll("httpd on 127.0.0.1:\(port)") {
                    // Until httpd listens this throws (connection refused); the container must stay up.
                    let status = try await cri.containerStatus(id: id).status
                    guard status?.state == .containerRunning else {
                        throw LoopbackHTTPError(message: "httpd container not running: \(String(describing: status))")
                    }
                    return try await LoopbackHTTP.get(port: port)
                }
                #expect(page.statusLine.hasPrefix("HTTP/1."), "\(page.statusLine)")
                #expect(page.statusLine.contains(" 200 "), "\(page.statusLine)")
                #expect(page.body == "<h1>\(token)</h1>\n")
            }
        }
    }
}
