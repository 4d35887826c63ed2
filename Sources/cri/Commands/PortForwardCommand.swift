import ArgumentParser
import CRI
import CRITransport
import Foundation

/// `cri port-forward POD [LOCAL:]REMOTE...`: forwards local ports (on 127.0.0.1 only) to ports in a pod.
struct PortForwardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "port-forward", abstract: "Forward local ports (127.0.0.1) to a pod.",
        discussion: "8080 forwards 127.0.0.1:8080 to the pod's 8080; 9000:80 forwards 9000 to 80; :80 picks a free local port.")

    @Argument(help: "The pod ID (or unique prefix).") var podID: String
    @Argument(help: "[LOCAL:]REMOTE port pairs.") var ports: [String] = []
    @Option(name: [.customShort("r"), .long], help: "Streaming transport: spdy or websocket.") var transport = "spdy"

    func run() async throws {
        guard !ports.isEmpty else { throw CLIFailure("give at least one port: cri port-forward POD [LOCAL:]REMOTE") }
        let pairs = try ports.map(Self.parse)
        let options = CRIStreamingOptions(transport: try StreamingIO.transport(transport))
        let settings = try CLISettings.resolve()
        let client = try CRIClient(
            endpoint: settings.runtimeEndpoint, imageEndpoint: settings.imageEndpoint, options: settings.clientOptions())
        defer { client.close() }
        // Fail early (unknown or stopped pod) rather than on the first connection.
        _ = try await client.podSandboxStatus(id: podID)
        var listeners: [any Listener] = []
        for (local, remote) in pairs {
            let listener: any Listener
            do {
                listener = try listen(on: .tcp(host: "127.0.0.1", port: local))
            } catch {
                throw CLIFailure("cannot listen on 127.0.0.1:\(local): \(error)")
            }
            guard case .tcp(_, let port) = listener.localEndpoint.kind else { continue }
            CLIOutput.line("Forwarding from 127.0.0.1:\(port) -> \(remote)")
            listeners.append(listener)
            let podID = podID
            Thread {
                try? listener.acceptConnections { stream in
                    Task { await Self.forward(stream, to: remote, pod: podID, client: client, options: options) }
                }
            }.start()
        }
        defer { for listener in listeners { listener.close() } }
        while !Task.isCancelled {
            try await Task.sleep(for: .seconds(3600))
        }
    }

    static func parse(_ text: String) throws -> (UInt16, UInt16) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        func port(_ part: Substring) throws -> UInt16 {
            guard let value = UInt16(part), value > 0 else { throw CLIFailure("invalid port \(quoted(String(part))) in \(quoted(text))") }
            return value
        }
        switch parts.count {
        case 1: return (try port(parts[0]), try port(parts[0]))
        case 2: return (parts[0].isEmpty ? 0 : try port(parts[0]), try port(parts[1]))
        default: throw CLIFailure("invalid port mapping \(quoted(text)): use [LOCAL:]REMOTE")
        }
    }

    /// One local connection ↔ one port-forward session with one stream.
    static func forward(
        _ local: any ByteStream, to remote: UInt16, pod: String, client: CRIClient, options: CRIStreamingOptions
    ) async {
        defer { local.close() }
        do {
            try await client.withPortForward(podSandboxID: pod, port: remote, options: options) { stream in
                let (chunks, continuation) = AsyncStream<[UInt8]>.makeStream()
                Thread {
                    var buffer = [UInt8](repeating: 0, count: 32 * 1024)
                    while true {
                        let count = (try? buffer.withUnsafeMutableBytes { try local.read(into: $0) }) ?? 0
                        if count <= 0 { break }
                        continuation.yield(Array(buffer[..<count]))
                    }
                    continuation.finish()
                }.start()
                // The pod's side ending ends the connection; the local side ending half-closes it where the
                // transport can (SPDY), so an answer still on its way arrives, else ends it too (WebSocket).
                // Returning closes the session.
                let (done, signal) = AsyncStream<Void>.makeStream()
                let upload = Task {
                    for await chunk in chunks { try? await stream.write(chunk) }
                    if (try? await stream.finishWriting()) != true { signal.yield() }
                }
                let download = Task {
                    for await chunk in stream.received {
                        do {
                            try chunk.withUnsafeBytes { try local.write($0, deadline: nil) }
                        } catch {
                            break
                        }
                    }
                    local.shutdownWrite()
                    signal.yield()
                }
                for await _ in done { break }
                local.close()
                upload.cancel()
                download.cancel()
                if let message = stream.errorMessage {
                    CLIOutput.error("cri: port \(remote): \(message)")
                }
            }
        } catch {
            CLIOutput.error("cri: forwarding to port \(remote) of pod \(pod): \(error)")
        }
    }
}
