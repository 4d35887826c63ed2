#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Holds the thread body across `pthread_create`; the only way to pass a Swift closure through
/// the C entry point.
private final class ThreadBody {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}

/// Starts a detached OS thread running `body`.
///
/// Reads block, so each connection's reader runs on its own thread rather than the Swift
/// concurrency pool (whose few threads must never block for long; the one exception, bounded to
/// about a millisecond, is a lone call reading its own response: see `ReadTurn`).
/// - Returns: false when the thread could not be created (the caller fails the connection).
package func spawnDetachedThread(_ body: @escaping @Sendable () -> Void) -> Bool {
    let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
    // 512 KiB is ample for the reader loop and keeps many connections cheap.
    pthread_attr_setstacksize(&attributes, 512 * 1024)
    #if canImport(Darwin)
    var thread: pthread_t? = nil
    #else
    var thread = pthread_t()
    #endif
    let result = pthread_create(
        &thread, &attributes,
        { argument in
            // The argument is the retained box passed below; it is consumed exactly once here.
            let body = Unmanaged<ThreadBody>.fromOpaque(argument!).takeRetainedValue()
            body.run()
            return nil
        }, box)
    if result != 0 {
        Unmanaged<ThreadBody>.fromOpaque(box).release()
        return false
    }
    return true
}
