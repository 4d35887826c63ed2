import ArgumentParser
import CRI
import CRITesting
import Dispatch
import Foundation

/// `cri fake-runtime --listen unix:///path`: serves the in-memory fake runtime until SIGINT/SIGTERM.
struct FakeRuntimeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fake-runtime", abstract: "Serve an in-memory fake CRI runtime (for trying cri or testing CRI clients).")

    @Option(help: "Where to listen: unix:///path/to.sock or tcp://127.0.0.1:PORT.") var listen: String = "unix:///tmp/cri-fake.sock"

    func run() async throws {
        if listen.hasPrefix("unix://") {
            let path = String(listen.dropFirst("unix://".count))
            if FileManager.default.fileExists(atPath: path) {
                throw CLIFailure("\(path) already exists; remove it or choose another --listen path")
            }
        }
        let server = try await FakeCRIServer.start(listeningOn: listen)
        CLIOutput.line("fake CRI runtime listening on \(server.endpoint) (stop with Ctrl-C)")
        CLIOutput.line("try: cri -r \(server.endpoint) version")
        await Self.waitForTermination()
        await server.shutdown()
        CLIOutput.line("fake CRI runtime stopped")
    }

    /// Returns on SIGINT or SIGTERM.
    static func waitForTermination() async {
        let (signals, continuation) = AsyncStream<Void>.makeStream()
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield() }
            source.resume()
            sources.append(source)
        }
        for await _ in signals { break }
        for source in sources { source.cancel() }
    }
}
