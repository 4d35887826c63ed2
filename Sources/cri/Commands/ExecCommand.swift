import ArgumentParser
import CRI

/// `cri exec [-i] [-t] [-s] ID CMD...`: runs a command in a running container and exits with its
/// exit code (crictl always exits 1 on failure).
struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "exec", abstract: "Run a command in a running container.")

    @Flag(name: .shortAndLong, help: "Run with ExecSync (no streaming): print the output when the command ends.") var sync = false
    @Option(help: "With --sync: seconds the command may run (0 = no limit).") var timeout: Int64 = 0
    @Flag(name: .shortAndLong, help: "Allocate a terminal (raw mode; window size follows).") var tty = false
    @Flag(name: .shortAndLong, help: "Pass stdin to the command.") var interactive = false
    @Option(
        name: [.customShort("r"), .long],
        help: "Streaming transport: spdy or websocket (WebSocket cannot close stdin on containerd).")
    var transport = "spdy"
    @Argument(help: "The container ID (or unique prefix).") var containerID: String
    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments.") var command: [String] = []

    func run() async throws {
        guard !command.isEmpty else { throw CLIFailure("command is required: cri exec ID COMMAND [ARG...]") }
        let options = CRIStreamingOptions(transport: try StreamingIO.transport(transport))
        let code = try await withRuntimeClient { client, _ in
            if sync {
                return try await Self.runSync(client, containerID: containerID, command: command, timeout: timeout)
            }
            let tty = StreamingIO.terminalWanted(tty: tty, stdin: interactive)
            return try await client.withExecSession(
                containerID: containerID, command: command, stdin: interactive, tty: tty, options: options,
                StreamingIO.run)
        }
        if code != 0 { throw ExitCode(code) }
    }

    /// ExecSync: stdout to stdout, stderr to stderr, the command's exit code back.
    static func runSync(_ client: CRIClient, containerID: String, command: [String], timeout: Int64) async throws -> Int32 {
        do {
            let response = try await client.execSync(containerID: containerID, command: command, timeout: timeout)
            CLIOutput.writeBytes(response.stdout)
            CLIOutput.writeErrorBytes(response.stderr)
            return response.exitCode
        } catch let error as CRIError where error.isDeadlineExceeded {
            throw CLIFailure("command \(command.joined(separator: " ")) timed out\(timeout > 0 ? " after \(timeout)s" : ""): \(error)")
        }
    }
}
