import CRITransport

/// Starts a detached OS thread running `body`, through CRITransport's one thread spawner (``startIOThread``), so
/// the HTTP/2 reader has the same pthread and Windows (`_beginthreadex`) paths as every other I/O thread.
///
/// Reads block, so each connection's reader runs on its own thread rather than the Swift
/// concurrency pool (whose few threads must never block for long; the one exception, bounded to
/// about a millisecond, is a lone call reading its own response: see `ReadTurn`).
/// - Parameter name: the thread's name, for debuggers and `top -H`.
/// - Returns: false when the thread could not be created (the caller fails the connection).
package func spawnDetachedThread(name: String = "cri-h2-reader", _ body: @escaping @Sendable () -> Void) -> Bool {
    do {
        // 512 KiB is ample for the reader loop and keeps many connections cheap.
        try startIOThread(name: name, stackSize: 512 * 1024, body)
        return true
    } catch {
        return false
    }
}
