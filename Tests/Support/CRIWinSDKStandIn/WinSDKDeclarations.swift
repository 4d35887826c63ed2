#if !os(Windows)
// The subset of WinSDK (and ucrt) that swift-cri's Windows code calls, declared with the types Swift gives them when
// it imports the real headers, so that code compiles on Linux (`-DCRI_WINDOWS_STANDIN`, Scripts/check-windows.sh).
// The bodies forward to the simulated kernel in SimulatedKernel.swift.
//
// How each shape was checked (S = swift-subprocess 1.0.2, Sources/Subprocess/IO/AsyncIO+Windows.swift unless
// noted; H = the Windows SDK header the declaration comes from, as the Clang importer maps it):
// - Pointers without nullability annotations (all of WinSDK) import as implicitly unwrapped optionals, `HANDLE!`.
// - `BOOL` in a function signature imports as Swift `Bool` (S: `guard GetOverlappedResult(...) else`,
//   `CreateEventW(nil, true, false, nil)`); only struct fields keep the overlay's `WindowsBool`, and we use none.
// - `DWORD` is `unsigned long`, 32 bits on Windows: `UInt32` (S: `var bytesTransferred: DWORD = 0`).
// - `#define X 0x40000000` style constants import as `Int32`; `(0x80000000L)` (GENERIC_READ) as `UInt32`; winerror.h
//   codes (`109L`) as `Int32` (`long` is 32 bits): hence the `DWORD(...)` conversions at every use
//   (S, Platforms/Subprocess+Windows.swift: `windowsError == DWORD(ERROR_ACCESS_DENIED)`).
import Glibc

/// A kernel object handle (H: winnt.h `typedef void *HANDLE`).
public typealias HANDLE = UnsafeMutableRawPointer
/// H: minwindef.h `typedef unsigned long DWORD` (32 bits on Windows).
public typealias DWORD = UInt32
/// H: `typedef DWORD *LPDWORD`.
public typealias LPDWORD = UnsafeMutablePointer<DWORD>
/// H: `typedef void *LPVOID`.
public typealias LPVOID = UnsafeMutableRawPointer
/// H: `typedef const void *LPCVOID`.
public typealias LPCVOID = UnsafeRawPointer
/// H: `typedef wchar_t WCHAR`; wchar_t is 16 bits on Windows.
public typealias WCHAR = UInt16
/// H: `typedef const WCHAR *LPCWSTR` (S: `withCString(encodedAs: UTF16.self)` passed straight in).
public typealias LPCWSTR = UnsafePointer<WCHAR>
/// H: winnt.h `typedef LONG HRESULT`.
public typealias HRESULT = Int32
/// H: `typedef unsigned __int64 ULONG_PTR` on 64-bit Windows.
public typealias ULONG_PTR = UInt64

/// H: minwinbase.h `struct _OVERLAPPED`; Swift names it `_OVERLAPPED` with `OVERLAPPED` a typealias
/// (S: `var overlapped = _OVERLAPPED()`, `overlapped.hEvent = ...`). The anonymous union of
/// `{Offset, OffsetHigh}` and `Pointer` is flattened to its first member: same size and alignment.
public struct _OVERLAPPED {
    /// The status of the operation (an NTSTATUS; STATUS_PENDING while it runs).
    public var Internal: ULONG_PTR
    /// The number of bytes transferred once it completes.
    public var InternalHigh: ULONG_PTR
    /// The file offset, ignored for pipes.
    public var Offset: DWORD
    /// The high half of the file offset.
    public var OffsetHigh: DWORD
    /// The event set when the operation completes.
    public var hEvent: HANDLE!

    /// All zero, as the imported C struct's initializer.
    public init() {
        Internal = 0
        InternalHigh = 0
        Offset = 0
        OffsetHigh = 0
        hEvent = nil
    }
}
/// H: `typedef struct _OVERLAPPED OVERLAPPED`.
public typealias OVERLAPPED = _OVERLAPPED
/// H: `typedef struct _OVERLAPPED *LPOVERLAPPED` (S: `var overlapped: LPOVERLAPPED? = nil`).
public typealias LPOVERLAPPED = UnsafeMutablePointer<OVERLAPPED>

/// The WinSDK overlay's `BOOL` where it is not bridged to `Bool`: struct fields
/// (S, Configuration.swift: `saAttributes.bInheritHandle = true`).
public struct WindowsBool: ExpressibleByBooleanLiteral, Sendable {
    private var value: Int32
    /// The value as a Swift `Bool` (nonzero is true, as in C).
    public var boolValue: Bool { value != 0 }
    /// `true` or `false`.
    public init(booleanLiteral value: Bool) { self.value = value ? 1 : 0 }
}

/// H: minwinbase.h `struct _SECURITY_ATTRIBUTES`; our code passes nil
/// (S, Configuration.swift: `var saAttributes: SECURITY_ATTRIBUTES = SECURITY_ATTRIBUTES()`).
public struct _SECURITY_ATTRIBUTES {
    /// The structure's size.
    public var nLength: DWORD = 0
    /// A SECURITY_DESCRIPTOR.
    public var lpSecurityDescriptor: LPVOID! = nil
    /// Whether child processes inherit the handle.
    public var bInheritHandle: WindowsBool = false
    /// Zeroed, as the imported initializer.
    public init() {}
}
/// H: `typedef struct _SECURITY_ATTRIBUTES SECURITY_ATTRIBUTES`.
public typealias SECURITY_ATTRIBUTES = _SECURITY_ATTRIBUTES
/// H: `typedef struct _SECURITY_ATTRIBUTES *LPSECURITY_ATTRIBUTES`.
public typealias LPSECURITY_ATTRIBUTES = UnsafeMutablePointer<_SECURITY_ATTRIBUTES>

/// H: minwinbase.h `struct _WIN32_FIND_DATAW`; our code only zero-initializes it for FindFirstFileW, so the
/// members after the attributes are left out (the simulation never writes them).
public struct _WIN32_FIND_DATAW {
    /// FILE_ATTRIBUTE_* of the entry found.
    public var dwFileAttributes: DWORD = 0
    /// Zeroed, as the imported initializer.
    public init() {}
}
/// H: `typedef struct _WIN32_FIND_DATAW WIN32_FIND_DATAW`.
public typealias WIN32_FIND_DATAW = _WIN32_FIND_DATAW
/// H: `typedef struct _WIN32_FIND_DATAW *LPWIN32_FIND_DATAW`.
public typealias LPWIN32_FIND_DATAW = UnsafeMutablePointer<_WIN32_FIND_DATAW>

// MARK: Constants (values from the SDK headers named; types as imported, see the top of the file)

/// H: handleapi.h `((HANDLE)(LONG_PTR)-1)`; the overlay spells it as a `HANDLE` (S: `!= INVALID_HANDLE_VALUE`).
/// (A computed property here: a global `let` of a pointer is not concurrency-safe in Swift 6 mode; uses read the same.)
public var INVALID_HANDLE_VALUE: HANDLE { HANDLE(bitPattern: -1)! }
/// H: winnt.h `(0x80000000L)`.
public var GENERIC_READ: UInt32 { 0x8000_0000 }
/// H: winnt.h `(0x40000000L)`.
public var GENERIC_WRITE: UInt32 { 0x4000_0000 }
/// H: fileapi.h.
public var OPEN_EXISTING: Int32 { 3 }
/// H: winbase.h (S, Configuration.swift: `DWORD(FILE_FLAG_OVERLAPPED) | DWORD(FILE_FLAG_FIRST_PIPE_INSTANCE)`).
public var FILE_FLAG_OVERLAPPED: Int32 { 0x4000_0000 }
/// H: winbase.h.
public var FILE_FLAG_FIRST_PIPE_INSTANCE: Int32 { 0x0008_0000 }
/// H: winbase.h.
public var SECURITY_SQOS_PRESENT: Int32 { 0x0010_0000 }
/// H: winbase.h.
public var PIPE_ACCESS_DUPLEX: Int32 { 0x0000_0003 }
/// H: winbase.h.
public var PIPE_TYPE_BYTE: Int32 { 0x0000_0000 }
/// H: winbase.h.
public var PIPE_READMODE_BYTE: Int32 { 0x0000_0000 }
/// H: winbase.h.
public var PIPE_WAIT: Int32 { 0x0000_0000 }
/// H: winbase.h.
public var PIPE_REJECT_REMOTE_CLIENTS: Int32 { 0x0000_0008 }
/// H: winbase.h.
public var PIPE_UNLIMITED_INSTANCES: Int32 { 255 }
/// H: winbase.h `NMPWAIT_WAIT_FOREVER 0xffffffff`.
public var NMPWAIT_WAIT_FOREVER: UInt32 { 0xFFFF_FFFF }
/// H: winbase.h `INFINITE 0xFFFFFFFF` (S: `WaitForSingleObject(monitorThreadHandle, INFINITE)`).
public var INFINITE: UInt32 { 0xFFFF_FFFF }
/// H: winbase.h `WAIT_OBJECT_0 ((STATUS_WAIT_0) + 0)`.
public var WAIT_OBJECT_0: UInt32 { 0 }
/// H: winerror.h `WAIT_TIMEOUT 258L` (S, Tests/SubprocessTests/WindowsTests.swift: `== WAIT_TIMEOUT`).
public var WAIT_TIMEOUT: Int32 { 258 }
/// H: winbase.h `WAIT_FAILED ((DWORD)0xFFFFFFFF)`.
public var WAIT_FAILED: UInt32 { 0xFFFF_FFFF }

/// H: winerror.h.
public var ERROR_SUCCESS: Int32 { 0 }
/// H: winerror.h.
public var ERROR_FILE_NOT_FOUND: Int32 { 2 }
/// H: winerror.h.
public var ERROR_ACCESS_DENIED: Int32 { 5 }
/// H: winerror.h.
public var ERROR_INVALID_HANDLE: Int32 { 6 }
/// H: winerror.h (S: `lastError == ERROR_BROKEN_PIPE`).
public var ERROR_BROKEN_PIPE: Int32 { 109 }
/// H: winerror.h.
public var ERROR_INVALID_PARAMETER: Int32 { 87 }
/// H: winerror.h.
public var ERROR_SEM_TIMEOUT: Int32 { 121 }
/// H: winerror.h.
public var ERROR_INVALID_NAME: Int32 { 123 }
/// H: winerror.h.
public var ERROR_PIPE_BUSY: Int32 { 231 }
/// H: winerror.h.
public var ERROR_NO_DATA: Int32 { 232 }
/// H: winerror.h.
public var ERROR_PIPE_NOT_CONNECTED: Int32 { 233 }
/// H: winerror.h.
public var ERROR_PIPE_CONNECTED: Int32 { 535 }
/// H: winerror.h (S: `lastError == ERROR_OPERATION_ABORTED`).
public var ERROR_OPERATION_ABORTED: Int32 { 995 }
/// H: winerror.h (S: `guard GetLastError() == ERROR_IO_INCOMPLETE`).
public var ERROR_IO_INCOMPLETE: Int32 { 996 }
/// H: winerror.h (S: `guard lastError == ERROR_IO_PENDING`).
public var ERROR_IO_PENDING: Int32 { 997 }
/// H: winerror.h (S: `GetLastError() != ERROR_NOT_FOUND` after `CancelIoEx`).
public var ERROR_NOT_FOUND: Int32 { 1168 }

// MARK: Functions

/// H: errhandlingapi.h `DWORD GetLastError(void)` (S: `SubprocessError.WindowsError(win32Error: GetLastError())`).
public func GetLastError() -> DWORD { SimulatedKernel.lastError }

/// H: errhandlingapi.h `void SetLastError(DWORD)`.
public func SetLastError(_ dwErrCode: DWORD) { SimulatedKernel.lastError = dwErrCode }

/// H: fileapi.h `HANDLE CreateFileW(LPCWSTR, DWORD, DWORD, LPSECURITY_ATTRIBUTES, DWORD, DWORD, HANDLE)`
/// (S, Configuration.swift: `CreateFileW(pipeNameW, targetAccess, 0, &saAttributes, DWORD(OPEN_EXISTING), ...,
/// nil)`, result checked `guard let childEnd, childEnd != INVALID_HANDLE_VALUE`).
public func CreateFileW(
    _ lpFileName: LPCWSTR!, _ dwDesiredAccess: DWORD, _ dwShareMode: DWORD,
    _ lpSecurityAttributes: LPSECURITY_ATTRIBUTES!, _ dwCreationDisposition: DWORD,
    _ dwFlagsAndAttributes: DWORD, _ hTemplateFile: HANDLE!
) -> HANDLE! {
    SimulatedKernel.shared.createFile(
        name: wideString(lpFileName), access: dwDesiredAccess, disposition: dwCreationDisposition,
        flags: dwFlagsAndAttributes)
}

/// H: winbase.h `HANDLE CreateNamedPipeW(LPCWSTR, DWORD, DWORD, DWORD, DWORD, DWORD, DWORD, LPSECURITY_ATTRIBUTES)`
/// (S, Configuration.swift: `CreateNamedPipeW(pipeNameW, openMode, DWORD(PIPE_TYPE_BYTE) | ..., 1,
/// DWORD(64 * 1024), DWORD(64 * 1024), 0, nil)`; with FILE_FLAG_FIRST_PIPE_INSTANCE an existing name fails with
/// ERROR_ACCESS_DENIED, as the simulation does).
public func CreateNamedPipeW(
    _ lpName: LPCWSTR!, _ dwOpenMode: DWORD, _ dwPipeMode: DWORD, _ nMaxInstances: DWORD,
    _ nOutBufferSize: DWORD, _ nInBufferSize: DWORD, _ nDefaultTimeOut: DWORD,
    _ lpSecurityAttributes: LPSECURITY_ATTRIBUTES!
) -> HANDLE! {
    SimulatedKernel.shared.createNamedPipe(
        name: wideString(lpName), openMode: dwOpenMode, pipeMode: dwPipeMode, maxInstances: nMaxInstances)
}

/// H: namedpipeapi.h `BOOL ConnectNamedPipe(HANDLE, LPOVERLAPPED)`.
public func ConnectNamedPipe(_ hNamedPipe: HANDLE!, _ lpOverlapped: LPOVERLAPPED!) -> Bool {
    SimulatedKernel.shared.connectNamedPipe(hNamedPipe, lpOverlapped)
}

/// H: namedpipeapi.h `BOOL WaitNamedPipeW(LPCWSTR, DWORD)`.
public func WaitNamedPipeW(_ lpNamedPipeName: LPCWSTR!, _ nTimeOut: DWORD) -> Bool {
    SimulatedKernel.shared.waitNamedPipe(name: wideString(lpNamedPipeName), milliseconds: nTimeOut)
}

/// H: fileapi.h `BOOL ReadFile(HANDLE, LPVOID, DWORD, LPDWORD, LPOVERLAPPED)`
/// (S: `ReadFile(handle, bufferPointer.baseAddress!, targetCount, nil, &overlapped)`).
public func ReadFile(
    _ hFile: HANDLE!, _ lpBuffer: LPVOID!, _ nNumberOfBytesToRead: DWORD, _ lpNumberOfBytesRead: LPDWORD!,
    _ lpOverlapped: LPOVERLAPPED!
) -> Bool {
    SimulatedKernel.shared.startIO(
        .read, hFile, lpBuffer, Int(nNumberOfBytesToRead), lpNumberOfBytesRead, lpOverlapped)
}

/// H: fileapi.h `BOOL WriteFile(HANDLE, LPCVOID, DWORD, LPDWORD, LPOVERLAPPED)`.
public func WriteFile(
    _ hFile: HANDLE!, _ lpBuffer: LPCVOID!, _ nNumberOfBytesToWrite: DWORD, _ lpNumberOfBytesWritten: LPDWORD!,
    _ lpOverlapped: LPOVERLAPPED!
) -> Bool {
    SimulatedKernel.shared.startIO(
        .write, hFile, UnsafeMutableRawPointer(mutating: lpBuffer), Int(nNumberOfBytesToWrite),
        lpNumberOfBytesWritten, lpOverlapped)
}

/// H: ioapiset.h `BOOL GetOverlappedResult(HANDLE, LPOVERLAPPED, LPDWORD, BOOL)`
/// (S: `GetOverlappedResult(handle, &overlapped, &transferred, false)`).
public func GetOverlappedResult(
    _ hFile: HANDLE!, _ lpOverlapped: LPOVERLAPPED!, _ lpNumberOfBytesTransferred: LPDWORD!, _ bWait: Bool
) -> Bool {
    SimulatedKernel.shared.overlappedResult(hFile, lpOverlapped, lpNumberOfBytesTransferred, wait: bWait)
}

/// H: ioapiset.h `BOOL CancelIoEx(HANDLE, LPOVERLAPPED)` (S: `CancelIoEx(handle, &overlapped)`, `CancelIoEx(handle, nil)`).
@discardableResult
public func CancelIoEx(_ hFile: HANDLE!, _ lpOverlapped: LPOVERLAPPED!) -> Bool {
    SimulatedKernel.shared.cancelIO(hFile, lpOverlapped)
}

/// H: synchapi.h `HANDLE CreateEventW(LPSECURITY_ATTRIBUTES, BOOL, BOOL, LPCWSTR)` (S: `CreateEventW(nil, true, false, nil)`).
public func CreateEventW(
    _ lpEventAttributes: LPSECURITY_ATTRIBUTES!, _ bManualReset: Bool, _ bInitialState: Bool, _ lpName: LPCWSTR!
) -> HANDLE! {
    SimulatedKernel.shared.createEvent(manualReset: bManualReset, signalled: bInitialState)
}

/// H: synchapi.h `BOOL SetEvent(HANDLE)`.
@discardableResult
public func SetEvent(_ hEvent: HANDLE!) -> Bool { SimulatedKernel.shared.setEvent(hEvent, to: true) }

/// H: synchapi.h `BOOL ResetEvent(HANDLE)`.
@discardableResult
public func ResetEvent(_ hEvent: HANDLE!) -> Bool { SimulatedKernel.shared.setEvent(hEvent, to: false) }

/// H: synchapi.h `DWORD WaitForMultipleObjects(DWORD, const HANDLE *, BOOL, DWORD)`; the array parameter imports
/// as `UnsafePointer<HANDLE?>!`.
public func WaitForMultipleObjects(
    _ nCount: DWORD, _ lpHandles: UnsafePointer<HANDLE?>!, _ bWaitAll: Bool, _ dwMilliseconds: DWORD
) -> DWORD {
    let handles = (0..<Int(nCount)).map { lpHandles[$0] }
    return SimulatedKernel.shared.waitForAny(handles, milliseconds: dwMilliseconds)
}

/// H: synchapi.h `DWORD WaitForSingleObject(HANDLE, DWORD)` (S: `WaitForSingleObject(event, INFINITE)`).
@discardableResult
public func WaitForSingleObject(_ hHandle: HANDLE!, _ dwMilliseconds: DWORD) -> DWORD {
    SimulatedKernel.shared.waitForAny([hHandle], milliseconds: dwMilliseconds)
}

/// H: handleapi.h `BOOL CloseHandle(HANDLE)` (S: `CloseHandle(ioPort)`).
@discardableResult
public func CloseHandle(_ hObject: HANDLE!) -> Bool { SimulatedKernel.shared.closeHandle(hObject) }

/// H: fileapi.h `HANDLE FindFirstFileW(LPCWSTR, LPWIN32_FIND_DATAW)`.
public func FindFirstFileW(_ lpFileName: LPCWSTR!, _ lpFindFileData: LPWIN32_FIND_DATAW!) -> HANDLE! {
    SimulatedKernel.shared.findFirstFile(name: wideString(lpFileName))
}

/// H: fileapi.h `BOOL FindClose(HANDLE)`.
@discardableResult
public func FindClose(_ hFindFile: HANDLE!) -> Bool { SimulatedKernel.shared.closeHandle(hFindFile) }

/// H: processthreadsapi.h `HANDLE GetCurrentThread(void)`: the pseudo-handle `(HANDLE)-2`.
public func GetCurrentThread() -> HANDLE! { HANDLE(bitPattern: -2) }

/// H: processthreadsapi.h `HRESULT SetThreadDescription(HANDLE, PCWSTR)`; names the thread in the simulation too.
@discardableResult
public func SetThreadDescription(_ hThread: HANDLE!, _ lpThreadDescription: LPCWSTR!) -> HRESULT {
    guard hThread == GetCurrentThread() else { return HRESULT(bitPattern: 0x8007_0057) }  // E_INVALIDARG
    var name = Array(wideString(lpThreadDescription).utf8.prefix(15))
    name.append(0)
    if let setName = setThreadName {
        _ = name.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { setName(pthread_self(), $0.baseAddress) }
        }
    }
    return 0
}

/// ucrt process.h `uintptr_t _beginthreadex(void *, unsigned, _beginthreadex_proc_type, void *, unsigned, unsigned *)`
/// (S, Thread.swift: `_beginthreadex(nil, 0, proc, context, 0, nil)` with
/// `func proc(_ context: UnsafeMutableRawPointer?) -> UInt32`, result checked `!= 0`, then `HANDLE(bitPattern:)`).
public func _beginthreadex(
    _ _Security: UnsafeMutableRawPointer!, _ _StackSize: UInt32,
    _ _StartAddress: (@convention(c) (UnsafeMutableRawPointer?) -> UInt32)!, _ _ArgList: UnsafeMutableRawPointer!,
    _ _InitFlag: UInt32, _ _ThrdAddr: UnsafeMutablePointer<UInt32>!
) -> UInt {
    SimulatedKernel.shared.beginThread(stackSize: Int(_StackSize), start: _StartAddress, argument: _ArgList)
}

/// pthread_setname_np(3), which Glibc's Swift module does not export.
private let setThreadName: (@convention(c) (pthread_t, UnsafePointer<CChar>?) -> Int32)? =
    dlsym(nil, "pthread_setname_np").map {
        unsafeBitCast($0, to: (@convention(c) (pthread_t, UnsafePointer<CChar>?) -> Int32).self)
    }

/// The UTF-16 NUL-terminated string at `pointer`, decoded.
private func wideString(_ pointer: LPCWSTR?) -> String {
    guard let pointer else { return "" }
    var count = 0
    while pointer[count] != 0 { count += 1 }
    return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF16.self)
}
#endif
