import ArgumentParser

/// `cri completion [bash|zsh|fish]`: prints a shell completion script.
struct CompletionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "completion", abstract: "Output shell completion code (bash, zsh or fish).")

    @Argument(help: "bash (default), zsh or fish.") var shell: String = "bash"

    func run() async throws {
        guard let kind = CompletionShell(rawValue: shell) else {
            throw CLIFailure("unsupported shell \(quoted(shell)): use bash, zsh or fish")
        }
        CLIOutput.write(CRIRoot.completionScript(for: kind))
    }
}
