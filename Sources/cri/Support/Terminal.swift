// The POSIX terminal; Terminal+Windows.swift is the Windows console's (also built on Linux against the stand-in).
#if !(os(Windows) || CRI_WINDOWS_STANDIN)
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The signal that arrived while a secret was being read (0: none); set by the handler ``Terminal/readSecret(prompt:)``
/// installs, which may only touch lock-free state.
private let interruptingSignal = Atomic<Int32>(0)

/// termios helpers: secret prompts, raw mode for `exec -t`, and the window size.
enum Terminal {
    /// Reads a password: from a terminal on stdin, after showing `prompt` on stderr with echo turned off; from
    /// anything else (a pipe, a file), as one line without a prompt, so `cri pull --creds USER` can be scripted.
    ///
    /// Echo goes off before the prompt appears, so nothing typed after it shows; the terminal's settings come
    /// back however the read ends, also on SIGINT/SIGHUP/SIGQUIT/SIGTERM, which are then re-raised.
    static func readSecret(prompt: String) throws -> String {
        var saved = termios()
        guard isatty(STDIN_FILENO) == 1, tcgetattr(STDIN_FILENO, &saved) == 0 else {
            return readLine(STDIN_FILENO)
        }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        let signals = [SIGINT, SIGHUP, SIGQUIT, SIGTERM]
        var previous: [sigaction] = Array(repeating: sigaction(), count: signals.count)
        var recording = sigaction()
        let record: @convention(c) (Int32) -> Void = { interruptingSignal.store($0, ordering: .relaxed) }
        #if canImport(Glibc)
        recording.__sigaction_handler.sa_handler = record
        #else
        recording.__sigaction_u.__sa_handler = record
        #endif
        // No SA_RESTART: the signal ends the blocked read(2) with EINTR.
        recording.sa_flags = 0
        for (index, number) in signals.enumerated() { sigaction(number, &recording, &previous[index]) }
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        writeAll(STDERR_FILENO, prompt)
        let line = readLine(STDIN_FILENO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
        writeAll(STDERR_FILENO, "\n")
        for (index, number) in signals.enumerated() { sigaction(number, &previous[index], nil) }
        let interrupted = interruptingSignal.exchange(0, ordering: .relaxed)
        if interrupted != 0 { raise(interrupted) }
        return line
    }

    /// One line from `descriptor` without its line ending, stopping at end of input, an error or a signal;
    /// at most 64 KiB.
    private static func readLine(_ descriptor: Int32) -> String {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(descriptor, &byte, 1) == 1 {
            if byte == 0x0A { break }
            if byte != 0x0D { line.append(byte) }
            if line.count > 64 * 1024 { break }
        }
        return String(decoding: line, as: UTF8.self)
    }

    private static func writeAll(_ descriptor: Int32, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            bytes = bytes.dropFirst(written)
        }
    }

    /// Puts `descriptor` in raw mode and returns a function that restores it; nil when it is no terminal.
    static func makeRaw(_ descriptor: Int32) -> (() -> Void)? {
        var saved = termios()
        guard tcgetattr(descriptor, &saved) == 0 else { return nil }
        var raw = saved
        cfmakeraw(&raw)
        tcsetattr(descriptor, TCSANOW, &raw)
        return {
            var restore = saved
            tcsetattr(descriptor, TCSANOW, &restore)
        }
    }

    /// The terminal's size in columns and rows, or nil.
    static func size(_ descriptor: Int32) -> (width: UInt16, height: UInt16)? {
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return (size.ws_col, size.ws_row)
    }
}
#endif
