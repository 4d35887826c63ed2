import CRI
import CRIStreaming
import Dispatch
import Foundation

/// Connects the terminal (or pipes) to an exec/attach streaming session.
enum StreamingIO {
    /// Runs the session at `url`: copies stdout/stderr out, stdin in (when `stdin`), puts the terminal
    /// in raw mode and forwards window-size changes (when `tty`). Returns the remote exit code.
    static func run(url: String, stdin: Bool, tty: Bool) async throws -> Int32 {
        var restoreTerminal: (() -> Void)?
        if tty && stdin && CLIOutput.isTerminal(0) { restoreTerminal = Terminal.makeRaw(0) }
        defer { restoreTerminal?() }
        let status = try await withStreamingSession(url: url, stdin: stdin, tty: tty) { session in
            var resizeSource: (any DispatchSourceSignal)?
            if tty {
                if let size = Terminal.size(1) ?? Terminal.size(0) {
                    try? await session.resize(width: size.width, height: size.height)
                }
                resizeSource = watchWindowSize(session)
            }
            defer { resizeSource?.cancel() }
            let output = Task {
                for await chunk in session.stdout {
                    CLIOutput.writeBytes(chunk)
                }
            }
            let errors = Task {
                for await chunk in session.stderr { CLIOutput.writeErrorBytes(chunk) }
            }
            let input: Task<Void, Never>? = stdin ? Task { await pumpStdin(into: session) } : nil
            let status = try await session.exitStatus()
            input?.cancel()
            await output.value
            await errors.value
            return status
        }
        return status.exitCode
    }

    private static func pumpStdin(into session: StreamingSession) async {
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
            try await session.closeStdin()
        } catch {
            // The session ended first; the exit status says how.
        }
    }

    private static func watchWindowSize(_ session: StreamingSession) -> any DispatchSourceSignal {
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
