import Foundation
import Testing

extension LabEndToEndTests.CLI {
    /// The walkthrough's last step (serve a page and fetch it), in loopback form: a host-network
    /// pod's busybox httpd listens on 127.0.0.1 and the test fetches the page from there, never
    /// from a pod IP. Every runtime step is a `cri` command.
    @Test("A host-network pod run with cri serves a page on 127.0.0.1")
    func hostNetworkPage() async throws {
        let lab = try LabEnvironment.require()
        try await withCLISession("httpd", removingImages: [lab.busyboxImage]) { cli in
            cli.note("host-network httpd")
            try await cli.succeed(["pull", lab.busyboxImage])
            let podYAML = try cli.write("pod.yaml", cli.podYAML(hostNetwork: true))
            let podID = try await cli.succeed(["runp", podYAML]).trimmed
            let pod = try await cli.succeed(["inspectp", "-q", podID, "-o", "json"]).json()
            #expect(pod["status.linux.namespaces.options.network"]?.string == "NODE", "\(pod.root)")

            let port = try LoopbackHTTP.freePort()
            let token = "page-of-\(cli.name)"
            let script = "mkdir -p /www && echo '<h1>\(token)</h1>' > /www/index.html "
                + "&& exec httpd -f -p 127.0.0.1:\(port) -h /www"
            let ctrYAML = try cli.write("ctr.yaml", cli.containerYAML(name: "httpd", command: script, hostNetwork: true))
            let id = try await cli.succeed(["create", podID, ctrYAML, podYAML]).trimmed
            #expect(try await cli.succeed(["start", id]).trimmed == id)

            let page: (statusLine: String, body: String)
            do {
                // Connection refused until httpd listens: bounded polling of the port.
                page = try await poll("httpd on 127.0.0.1:\(port)") { try await LoopbackHTTP.get(port: port) }
            } catch {
                // Why httpd never answered, for the transcript: its state and its output.
                _ = try? await cli.cri(["inspect", id, "-o", "json"])
                _ = try? await cli.cri(["logs", id])
                throw error
            }
            #expect(page.statusLine.hasPrefix("HTTP/1.") && page.statusLine.contains(" 200 "), "\(page.statusLine)")
            #expect(page.body == "<h1>\(token)</h1>\n")

            #expect(try await cli.succeed(["stop", id]).trimmed == id)
            #expect(try await cli.succeed(["rm", id]).trimmed == id)
            #expect(try await cli.succeed(["stopp", podID]).trimmed == "Stopped sandbox \(podID)")
            #expect(try await cli.succeed(["rmp", podID]).trimmed == "Removed sandbox \(podID)")
            // Stopped with the pod: nothing listens on the port any more.
            await #expect(throws: (any Error).self) { try await LoopbackHTTP.get(port: port) }
        }
    }
}
