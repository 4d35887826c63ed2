#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// termios helpers: secret prompts, raw mode for `exec -t`, and the window size.
enum Terminal {
    /// Reads a line without echoing it (from the terminal when there is one, else from stdin).
    static func readSecret(prompt: String) throws -> String {
        let descriptor = open("/dev/tty", O_RDWR | O_CLOEXEC)
        let input = descriptor >= 0 ? descriptor : STDIN_FILENO
        defer { if descriptor >= 0 { close(descriptor) } }
        var saved = termios()
        let isTerminal = tcgetattr(input, &saved) == 0
        if isTerminal {
            let text = Array(prompt.utf8)
            _ = text.withUnsafeBytes { write(input, $0.baseAddress, $0.count) }
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(input, TCSAFLUSH, &quiet)
        }
        defer {
            if isTerminal {
                tcsetattr(input, TCSAFLUSH, &saved)
                _ = write(input, "\n", 1)
            }
        }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(input, &byte, 1) == 1 {
            if byte == 0x0A { break }
            if byte != 0x0D { line.append(byte) }
            if line.count > 64 * 1024 { break }
        }
        return String(decoding: line, as: UTF8.self)
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
