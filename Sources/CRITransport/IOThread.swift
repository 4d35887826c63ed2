// The Windows path compiles on Linux too, against the WinSDK stand-in (CRI_WINDOWS_STANDIN, Scripts/check-windows.sh).
#if os(Windows)
import ucrt
import WinSDK
#elseif CRI_WINDOWS_STANDIN
import CRIWinSDKStandIn
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `body` on a new detached OS thread named `name`, for loops that block in ``ByteStream/read(into:)`` or
/// ``Listener/accept()``.
///
/// Blocking reads must not run on the Swift concurrency pool, which has only as many threads as cores; one
/// dedicated thread per connection keeps a stalled peer from starving everything else. The thread ends when
/// `body` returns; end the loop by closing the stream or listener it blocks on.
///
/// This is the one place the project creates OS threads (HTTP/2 readers, gRPC and streaming servers, deadlines).
///
/// - Parameters:
///   - name: shown by debuggers and `top -H`; Linux keeps the first 15 bytes.
///   - stackSize: bytes of stack; nil for the platform's default.
/// - Throws: ``TransportError`` if the system cannot create a thread (EAGAIN: thread limit reached).
package func startIOThread(
    name: String,
    stackSize: Int? = nil,
    _ body: @escaping @Sendable () -> Void
) throws(TransportError) {
    let start = Unmanaged.passRetained(ThreadStart(name: name, body: body))
    #if os(Windows) || CRI_WINDOWS_STANDIN
    // _beginthreadex, not CreateThread: the thread may use the C runtime (Microsoft's CreateThread documentation;
    // swift-subprocess's Thread.swift does the same).
    let value = _beginthreadex(
        nil,
        UInt32(clamping: stackSize ?? 0),
        { parameter in
            guard let parameter else { return 0 }
            Unmanaged<ThreadStart>.fromOpaque(parameter).takeRetainedValue().run()
            return 0
        },
        start.toOpaque(),
        0,
        nil
    )
    guard value != 0, let handle = HANDLE(bitPattern: value) else {
        start.release()
        throw TransportError(code: .ioFailure, message: "start I/O thread \(quoted(name)): _beginthreadex failed")
    }
    CloseHandle(handle)  // Detached: nobody joins it.
    #else
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
    if let stackSize { pthread_attr_setstacksize(&attributes, stackSize) }
    #if canImport(Glibc)
    var thread = pthread_t()
    #else
    var thread: pthread_t?
    #endif
    let status = pthread_create(
        &thread,
        &attributes,
        { parameter in
            #if canImport(Glibc)
            guard let parameter else { return nil }
            #endif
            Unmanaged<ThreadStart>.fromOpaque(parameter).takeRetainedValue().run()
            return nil
        },
        start.toOpaque()
    )
    guard status == 0 else {
        start.release()
        throw .system("start I/O thread \(quoted(name))", Errno(status))
    }
    #endif
}

/// What a new thread needs, passed through the C start routine's single pointer.
private final class ThreadStart {
    let name: String
    let body: @Sendable () -> Void

    init(name: String, body: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
    }

    func run() {
        setCurrentThreadName(name)
        body()
    }
}

private func setCurrentThreadName(_ name: String) {
    #if os(Windows) || CRI_WINDOWS_STANDIN
    _ = name.withCString(encodedAs: UTF16.self) { SetThreadDescription(GetCurrentThread(), $0) }
    #elseif canImport(Glibc)
    // Linux limits names to 16 bytes with the NUL; cut at a character boundary so the name stays valid UTF-8.
    var shortened = ""
    for character in name {
        guard shortened.utf8.count + character.utf8.count <= 15 else { break }
        shortened.append(character)
    }
    _ = linuxSetThreadName?(pthread_self(), shortened)
    #elseif canImport(Darwin)
    _ = pthread_setname_np(name)
    #endif
}
