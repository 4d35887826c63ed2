import CRI
import Dispatch
import Foundation

/// Connects the terminal (or pipes) to an exec or attach session.
enum StreamingIO {
    /// `-r/--transport`'s value: `spdy` (the default, as crictl's) or `websocket`.
    static func transport(_ text: String) throws -> CRIStreamingTransport {
        guard let transport = CRIStreamingTransport.allCases.first(where: { "\($0)" == text.lowercased() }) else {
            throw CLIFailure("invalid --transport \(quoted(text)): use spdy or websocket")
        }
        return transport
    }

    /// The terminal setting to ask the runtime for. `-t` with stdin that is no terminal (a pipe, a file) says so
    /// once, as kubectl does, and goes on without a terminal: raw mode and a remote terminal would mangle the data.
    /// `-t` without `-i` keeps working (output on a terminal, no input), where crictl refuses.
    static func terminalWanted(tty: Bool, stdin: Bool) -> Bool {
        guard tty, stdin, !CLIOutput.isTerminal(0) else { return tty }
        CLIOutput.error("cri: Unable to use a TTY - input is not a terminal or the right kind of file")
        return false
    }

    /// Runs the session: copies stdout/stderr out, stdin in (when the session has it), puts the terminal in raw
    /// mode and forwards window-size changes (with a terminal). Returns the remote exit code.
    static func run(_ session: CRIExecSession) async throws -> Int32 {
        var restoreTerminal: (() -> Void)?
        if session.tty && session.hasStdin && CLIOutput.isTerminal(0) { restoreTerminal = Terminal.makeRaw(0) }
        defer { restoreTerminal?() }
        var resizeSource: (any DispatchSourceSignal)?
        if session.tty {
            if let size = Terminal.size(1) ?? Terminal.size(0) {
                try? await session.resize(width: size.width, height: size.height)
            }
            resizeSource = watchWindowSize(session)
        }
        defer { resizeSource?.cancel() }
        let output = Task {
            for await chunk in session.stdout { CLIOutput.writeBytes(chunk) }
        }
        let errors = Task {
            for await chunk in session.stderr { CLIOutput.writeErrorBytes(chunk) }
        }
        let input: Task<Void, Never>? = session.hasStdin ? Task { await pumpStdin(into: session) } : nil
        let status = try await session.exitStatus()
        input?.cancel()
        await output.value
        await errors.value
        return status.exitCode
    }

    private static func pumpStdin(into session: CRIExecSession) async {
        let (chunks, continuation) = AsyncStream<[UInt8]>.makeStream()
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 32 * 1024)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                continuation.yield(Array(buffer[..<count]))
            }
            continuation.finish()
        }
        reader.start()
        do {
            for await chunk in chunks {
                try await session.writeStdin(chunk)
            }
            if try await !session.closeStdin() && !Task.isCancelled {
                // Better said than a silent hang: the command may be waiting for the end of its input.
                CLIOutput.error(
                    "cri: stdin ended, but \(session.transport) \(session.protocolVersion) cannot tell the command so; "
                        + "a command that reads to the end of its input keeps waiting (use --transport spdy)")
            }
        } catch {
            // The session ended first; the exit status says how.
        }
    }

    private static func watchWindowSize(_ session: CRIExecSession) -> any DispatchSourceSignal {
        signal(SIGWINCH, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: .global())
        source.setEventHandler {
            guard let size = Terminal.size(1) ?? Terminal.size(0) else { return }
            Task { try? await session.resize(width: size.width, height: size.height) }
        }
        source.resume()
        return source
    }
}
