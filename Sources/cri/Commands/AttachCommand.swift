import ArgumentParser
import CRI

/// `cri attach ID`: attaches to a running container's process.
struct AttachCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "attach", abstract: "Attach to a running container.")

    @Flag(name: .shortAndLong, help: "The container has a terminal.") var tty = false
    @Flag(name: [.customShort("i"), .customLong("stdin")], help: "Pass stdin to the container.") var stdin = false
    @Argument(help: "The container ID (or unique prefix).") var containerID: String

    func run() async throws {
        let code = try await withRuntimeClient { client, settings in
            var request = AttachRequest()
            request.containerID = containerID
            request.stdin = stdin
            request.tty = tty
            request.stdout = true
            request.stderr = !tty
            let url = try await client.attach(request).url
            if settings.debug { CLIOutput.error("DEBU: streaming attach via \(url)") }
            return try await StreamingIO.run(url: url, stdin: stdin, tty: tty)
        }
        if code != 0 { throw ExitCode(code) }
    }
}
