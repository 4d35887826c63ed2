import ArgumentParser
import CRI

/// `cri attach ID`: attaches to a running container's process.
struct AttachCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "attach", abstract: "Attach to a running container.")

    @Flag(name: .shortAndLong, help: "The container has a terminal.") var tty = false
    @Flag(name: [.customShort("i"), .customLong("stdin")], help: "Pass stdin to the container.") var stdin = false
    @Option(
        name: [.customShort("r"), .long],
        help: "Streaming transport: spdy or websocket (WebSocket cannot close stdin on containerd).")
    var transport = "spdy"
    @Argument(help: "The container ID (or unique prefix).") var containerID: String

    func run() async throws {
        let options = CRIStreamingOptions(transport: try StreamingIO.transport(transport))
        let code = try await withRuntimeClient { client, _ in
            let tty = StreamingIO.terminalWanted(tty: tty, stdin: stdin)
            return try await client.withAttachSession(
                containerID: containerID, stdin: stdin, tty: tty, options: options, StreamingIO.run)
        }
        if code != 0 { throw ExitCode(code) }
    }
}
