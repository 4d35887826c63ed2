#if !os(Windows)
import Glibc

// The simulated console behind GetStdHandle, GetConsoleMode/SetConsoleMode, GetConsoleScreenBufferInfo and
// synchronous ReadFile/WriteFile on the standard handles (Terminal+Windows.swift).
extension SimulatedKernel {
    /// A console window attached to the process (none by default: standard handles are then not consoles, as
    /// when a program's input is a pipe).
    final class Console {
        var inputMode: UInt32 = 0x0007  // ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT
        var outputMode: UInt32 = 0x0003  // ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT
        var input: [UInt8]
        var output: [UInt8] = []
        let width: Int16
        let height: Int16
        init(width: Int16, height: Int16, input: [UInt8]) {
            self.width = width
            self.height = height
            self.input = input
        }
    }

    /// Attaches a console of `width` x `height` whose keyboard will deliver `input`; standard handles are it.
    public func attachConsole(width: Int16, height: Int16, input: String) {
        locked { console = Console(width: width, height: height, input: Array(input.utf8)) }
    }

    /// Detaches the console.
    public func detachConsole() { locked { console = nil } }

    /// What the console shows so far: what was written to it and what it echoed of the input.
    public var consoleOutput: String { locked { String(decoding: console?.output ?? [], as: UTF8.self) } }

    /// The console's input and output modes (ENABLE_* flags), nil without a console.
    public var consoleModes: (input: UInt32, output: UInt32)? {
        locked { console.map { ($0.inputMode, $0.outputMode) } }
    }

    private static let standardHandleBase: UInt = 0x100

    func standardHandle(_ which: UInt32) -> HANDLE? {
        switch which {
        case STD_INPUT_HANDLE: HANDLE(bitPattern: Self.standardHandleBase)
        case STD_OUTPUT_HANDLE: HANDLE(bitPattern: Self.standardHandleBase + 4)
        case STD_ERROR_HANDLE: HANDLE(bitPattern: Self.standardHandleBase + 8)
        default: fail(ERROR_INVALID_PARAMETER, INVALID_HANDLE_VALUE)
        }
    }

    /// 0 for the input handle, 1 for output, 2 for error; nil for anything else.
    private func standardStream(_ handle: HANDLE?) -> Int? {
        guard let handle else { return nil }
        let bits = UInt(bitPattern: handle)
        guard bits >= Self.standardHandleBase, bits <= Self.standardHandleBase + 8, bits % 4 == 0 else { return nil }
        return Int((bits - Self.standardHandleBase) / 4)
    }

    func consoleMode(_ handle: HANDLE?, into mode: LPDWORD?) -> Bool {
        locked {
            guard let stream = standardStream(handle), let console, let mode else { return fail(ERROR_INVALID_HANDLE, false) }
            mode.pointee = stream == 0 ? console.inputMode : console.outputMode
            return true
        }
    }

    func setConsoleMode(_ handle: HANDLE?, _ mode: UInt32) -> Bool {
        locked {
            guard let stream = standardStream(handle), let console else { return fail(ERROR_INVALID_HANDLE, false) }
            if stream == 0 { console.inputMode = mode } else { console.outputMode = mode }
            return true
        }
    }

    func screenBufferInfo(_ handle: HANDLE?, into info: UnsafeMutablePointer<CONSOLE_SCREEN_BUFFER_INFO>?) -> Bool {
        locked {
            guard let stream = standardStream(handle), stream != 0, let console, let info else {
                return fail(ERROR_INVALID_HANDLE, false)
            }
            info.pointee = CONSOLE_SCREEN_BUFFER_INFO()
            info.pointee.dwSize.X = console.width
            info.pointee.dwSize.Y = 9001  // A scroll-back buffer taller than the window, as consoles have.
            info.pointee.srWindow.Top = 100
            info.pointee.srWindow.Right = console.width - 1
            info.pointee.srWindow.Bottom = 100 + console.height - 1
            return true
        }
    }

    /// Synchronous ReadFile/WriteFile on a standard handle (the console); nil when `handle` is none.
    func consoleIO(
        _ direction: Direction, _ handle: HANDLE?, _ buffer: UnsafeMutableRawPointer?, _ count: Int,
        _ transferred: LPDWORD?
    ) -> Bool? {
        guard let stream = standardStream(handle) else { return nil }
        return locked {
            guard let console else { return fail(ERROR_INVALID_HANDLE, false) }
            var done = 0
            if direction == .read && stream == 0 {
                let bytes = console.input.prefix(count)
                console.input.removeFirst(bytes.count)
                if let buffer, !bytes.isEmpty { bytes.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
                if console.inputMode & UInt32(ENABLE_ECHO_INPUT) != 0 { console.output += bytes }
                done = bytes.count
            } else if direction == .write && stream != 0, let buffer {
                console.output += UnsafeRawBufferPointer(start: buffer, count: count)
                done = count
            } else {
                return fail(ERROR_INVALID_HANDLE, false)
            }
            transferred?.pointee = DWORD(done)
            return true
        }
    }

}
#endif
