// The Windows console's side of ``Terminal`` (Terminal.swift is the POSIX one): compiled on Windows, and on Linux
// against the WinSDK stand-in and its simulated console (Scripts/check-windows.sh).
#if os(Windows) || CRI_WINDOWS_STANDIN
#if os(Windows)
import WinSDK
#else
import CRIWinSDKStandIn
#endif

/// Console helpers: secret prompts, raw mode for `exec -t`, and the window size. Descriptors 0, 1 and 2 name the
/// standard input, output and error handles.
enum Terminal {
    /// Reads a password: from a console, after showing `prompt` on stderr with echo turned off; from anything
    /// else (a pipe, a file), as one line without a prompt, so `cri pull --creds USER` can be scripted.
    static func readSecret(prompt: String) throws -> String {
        let input = GetStdHandle(STD_INPUT_HANDLE)
        var saved: DWORD = 0
        guard GetConsoleMode(input, &saved) else { return readLine(input) }
        SetConsoleMode(input, saved & ~DWORD(ENABLE_ECHO_INPUT))
        defer { SetConsoleMode(input, saved) }
        writeAll(GetStdHandle(STD_ERROR_HANDLE), prompt)
        let line = readLine(input)
        writeAll(GetStdHandle(STD_ERROR_HANDLE), "\n")
        return line
    }

    /// One line from `handle` without its line ending (a console ends lines with CR LF), stopping at end of
    /// input or an error; at most 64 KiB.
    private static func readLine(_ handle: HANDLE?) -> String {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        var read: DWORD = 0
        while ReadFile(handle, &byte, 1, &read, nil), read == 1 {
            if byte == 0x0A { break }
            if byte != 0x0D { line.append(byte) }
            if line.count > 64 * 1024 { break }
        }
        return String(decoding: line, as: UTF8.self)
    }

    private static func writeAll(_ handle: HANDLE?, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            var written: DWORD = 0
            let wrote = bytes.withUnsafeBytes {
                WriteFile(handle, $0.baseAddress, DWORD(clamping: $0.count), &written, nil)
            }
            guard wrote, written > 0 else { return }
            bytes = bytes.dropFirst(Int(written))
        }
    }

    /// Puts the console in raw mode for `exec -t` and returns a function that restores it; nil when `descriptor`
    /// is no console.
    ///
    /// Raw here is what a remote pseudo-terminal needs: input without line editing, echo or Ctrl+C handling,
    /// delivered as VT sequences (ENABLE_VIRTUAL_TERMINAL_INPUT); output interpreting the remote side's VT
    /// sequences (ENABLE_VIRTUAL_TERMINAL_PROCESSING) without an extra carriage return per line feed.
    static func makeRaw(_ descriptor: Int32) -> (() -> Void)? {
        let input = GetStdHandle(STD_INPUT_HANDLE)
        let output = GetStdHandle(STD_OUTPUT_HANDLE)
        var savedInput: DWORD = 0
        var savedOutput: DWORD = 0
        guard descriptor == 0, GetConsoleMode(input, &savedInput) else { return nil }
        let lineDiscipline = DWORD(ENABLE_ECHO_INPUT) | DWORD(ENABLE_LINE_INPUT) | DWORD(ENABLE_PROCESSED_INPUT)
        SetConsoleMode(input, savedInput & ~lineDiscipline | DWORD(ENABLE_VIRTUAL_TERMINAL_INPUT))
        let hasOutput = GetConsoleMode(output, &savedOutput)
        if hasOutput {
            SetConsoleMode(
                output,
                savedOutput | DWORD(ENABLE_VIRTUAL_TERMINAL_PROCESSING) | DWORD(DISABLE_NEWLINE_AUTO_RETURN))
        }
        return {
            SetConsoleMode(input, savedInput)
            if hasOutput { SetConsoleMode(output, savedOutput) }
        }
    }

    /// The console window's size in columns and rows (the visible window, not the scroll-back buffer), or nil.
    static func size(_ descriptor: Int32) -> (width: UInt16, height: UInt16)? {
        let handle = GetStdHandle(descriptor == 2 ? STD_ERROR_HANDLE : STD_OUTPUT_HANDLE)
        var info = CONSOLE_SCREEN_BUFFER_INFO()
        guard descriptor != 0, GetConsoleScreenBufferInfo(handle, &info) else { return nil }
        let width = Int(info.srWindow.Right) - Int(info.srWindow.Left) + 1
        let height = Int(info.srWindow.Bottom) - Int(info.srWindow.Top) + 1
        guard width > 0, height > 0 else { return nil }
        return (UInt16(clamping: width), UInt16(clamping: height))
    }
}
#endif
