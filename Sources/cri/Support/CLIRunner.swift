import ArgumentParser
import CRI

/// Parses and runs one command line; the process entry point and `cri demo` both come through here,
/// so the demo exercises exactly the code the CLI runs.
enum CLIRunner {
    /// Runs `arguments` (without the program name) and returns the exit status.
    ///
    /// - Parameter context: settings that replace what the command line and environment would give
    ///   (the demo pins the endpoint this way); nil reads the process environment.
    static func run(arguments: [String], context: CLIContext? = nil) async -> Int32 {
        let globals: GlobalOptions
        let rest: [String]
        do {
            (globals, rest) = try GlobalOptions.extract(from: arguments)
        } catch {
            CLIOutput.error("cri: \(error)")
            return 1
        }
        var effective = context ?? CLIContext.fromProcess()
        effective.globals.merge(globals)
        return await CLIContext.$current.withValue(effective) {
            await execute(rest)
        }
    }

    private static func execute(_ arguments: [String]) async -> Int32 {
        do {
            var command = try CRIRoot.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch let failure as CLIFailure {
            CLIOutput.error("cri: \(failure.message)")
            return failure.exitCode
        } catch let error as CRIError {
            CLIOutput.error("cri: \(error)" + hint(for: error))
            return 1
        } catch {
            let code = CRIRoot.exitCode(for: error)
            let message = CRIRoot.fullMessage(for: error)
            if code == .success {
                CLIOutput.write(message + "\n")
            } else {
                CLIOutput.error(message.hasPrefix("Error:") || message.hasPrefix("Usage:") ? message : "cri: \(message)")
            }
            return code.rawValue
        }
    }
}

/// What to try next, for the errors people hit most (crictl prints the bare gRPC status).
private func hint(for error: CRIError) -> String {
    switch error.code {
    case .deadlineExceeded where error.method == "PullImage":
        return "\n(the pull took longer than --pull-timeout; raise it or use 0 for no limit)"
    case .deadlineExceeded:
        return "\n(the call took longer than the per-call timeout; raise it with -t/--timeout, e.g. cri -t 30s ...)"
    case .unimplemented where error.method == "Version":
        return "\n(the runtime does not speak CRI v1: containerd >= 1.6, CRI-O >= 1.23 and cri-dockerd >= 0.3 do)"
    case .unimplemented:
        return "\n(this runtime version does not implement \(error.method ?? "this call"))"
    default:
        return ""
    }
}

/// A failure the CLI reports in one sentence (no usage text), exiting with `exitCode`.
struct CLIFailure: Error, CustomStringConvertible {
    /// What went wrong and, where possible, what to do about it.
    var message: String
    /// The process exit status.
    var exitCode: Int32 = 1

    init(_ message: String, exitCode: Int32 = 1) {
        self.message = message
        self.exitCode = exitCode
    }

    var description: String { message }
}
