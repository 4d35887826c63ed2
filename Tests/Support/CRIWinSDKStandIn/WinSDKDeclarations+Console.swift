#if !os(Windows)
// The console subset of WinSDK, for Terminal+Windows.swift. Shapes from the SDK headers named (processenv.h,
// consoleapi.h, wincon.h); swift-subprocess does not call these, so they follow the importer rules stated in
// WinSDKDeclarations.swift: `((DWORD)-10)` imports as a DWORD, `0x0004` as Int32, structs keep their C field names.

/// H: processenv.h `STD_INPUT_HANDLE ((DWORD)-10)`.
public var STD_INPUT_HANDLE: DWORD { DWORD(bitPattern: -10) }
/// H: processenv.h `STD_OUTPUT_HANDLE ((DWORD)-11)`.
public var STD_OUTPUT_HANDLE: DWORD { DWORD(bitPattern: -11) }
/// H: processenv.h `STD_ERROR_HANDLE ((DWORD)-12)`.
public var STD_ERROR_HANDLE: DWORD { DWORD(bitPattern: -12) }
/// H: consoleapi.h.
public var ENABLE_PROCESSED_INPUT: Int32 { 0x0001 }
/// H: consoleapi.h.
public var ENABLE_LINE_INPUT: Int32 { 0x0002 }
/// H: consoleapi.h.
public var ENABLE_ECHO_INPUT: Int32 { 0x0004 }
/// H: consoleapi.h.
public var ENABLE_VIRTUAL_TERMINAL_INPUT: Int32 { 0x0200 }
/// H: consoleapi.h.
public var ENABLE_VIRTUAL_TERMINAL_PROCESSING: Int32 { 0x0004 }
/// H: consoleapi.h.
public var DISABLE_NEWLINE_AUTO_RETURN: Int32 { 0x0008 }

/// H: wincontypes.h `struct _COORD { SHORT X; SHORT Y; }`.
public struct _COORD {
    /// Column.
    public var X: Int16 = 0
    /// Row.
    public var Y: Int16 = 0
    /// Zeroed, as the imported initializer.
    public init() {}
}
/// H: `typedef struct _COORD COORD`.
public typealias COORD = _COORD

/// H: wincontypes.h `struct _SMALL_RECT { SHORT Left, Top, Right, Bottom; }`.
public struct _SMALL_RECT {
    /// Left column.
    public var Left: Int16 = 0
    /// Top row.
    public var Top: Int16 = 0
    /// Right column (inclusive).
    public var Right: Int16 = 0
    /// Bottom row (inclusive).
    public var Bottom: Int16 = 0
    /// Zeroed, as the imported initializer.
    public init() {}
}
/// H: `typedef struct _SMALL_RECT SMALL_RECT`.
public typealias SMALL_RECT = _SMALL_RECT

/// H: wincon.h `struct _CONSOLE_SCREEN_BUFFER_INFO`.
public struct _CONSOLE_SCREEN_BUFFER_INFO {
    /// The buffer's size.
    public var dwSize = COORD()
    /// The cursor.
    public var dwCursorPosition = COORD()
    /// Character attributes.
    public var wAttributes: UInt16 = 0
    /// The visible window, in buffer coordinates.
    public var srWindow = SMALL_RECT()
    /// The largest window possible.
    public var dwMaximumWindowSize = COORD()
    /// Zeroed, as the imported initializer.
    public init() {}
}
/// H: `typedef struct _CONSOLE_SCREEN_BUFFER_INFO CONSOLE_SCREEN_BUFFER_INFO`.
public typealias CONSOLE_SCREEN_BUFFER_INFO = _CONSOLE_SCREEN_BUFFER_INFO

/// H: processenv.h `HANDLE GetStdHandle(DWORD)`.
public func GetStdHandle(_ nStdHandle: DWORD) -> HANDLE! { SimulatedKernel.shared.standardHandle(nStdHandle) }

/// H: consoleapi.h `BOOL GetConsoleMode(HANDLE, LPDWORD)`.
public func GetConsoleMode(_ hConsoleHandle: HANDLE!, _ lpMode: LPDWORD!) -> Bool {
    SimulatedKernel.shared.consoleMode(hConsoleHandle, into: lpMode)
}

/// H: consoleapi.h `BOOL SetConsoleMode(HANDLE, DWORD)`.
@discardableResult
public func SetConsoleMode(_ hConsoleHandle: HANDLE!, _ dwMode: DWORD) -> Bool {
    SimulatedKernel.shared.setConsoleMode(hConsoleHandle, dwMode)
}

/// H: wincon.h `BOOL GetConsoleScreenBufferInfo(HANDLE, PCONSOLE_SCREEN_BUFFER_INFO)`.
public func GetConsoleScreenBufferInfo(
    _ hConsoleOutput: HANDLE!, _ lpConsoleScreenBufferInfo: UnsafeMutablePointer<CONSOLE_SCREEN_BUFFER_INFO>!
) -> Bool {
    SimulatedKernel.shared.screenBufferInfo(hConsoleOutput, into: lpConsoleScreenBufferInfo)
}
#endif
