import Dispatch
import Foundation
import Synchronization
import Testing

@testable import CRITransport

/// A fresh directory under /tmp (short, so socket paths fit in sun_path), removed when the value is dropped.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = "/tmp/cri-transport-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Runs `body` on a new I/O thread; the returned closure waits up to `timeout` for its result (nil: still running).
func spawn<Result: Sendable>(
    _ body: @escaping @Sendable () -> Result
) throws -> @Sendable (_ timeout: Duration) -> Result? {
    let box = Locked<Result?>(nil)
    let done = DispatchSemaphore(value: 0)
    try startIOThread(name: "test") {
        let result = body()
        box.withLock { $0 = result }
        done.signal()
    }
    return { timeout in
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        guard done.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .success else { return nil }
        return box.value
    }
}

extension ByteStream {
    func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant? = nil) throws {
        try bytes.withUnsafeBytes { buffer in try write(buffer, deadline: deadline) }
    }

    /// Reads exactly `count` bytes (fewer only at end of stream).
    func read(count: Int) throws -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: max(count, 1))
        while result.count < count {
            let want = count - result.count
            let got = try buffer.withUnsafeMutableBytes { raw in
                try read(into: UnsafeMutableRawBufferPointer(rebasing: raw[..<want]))
            }
            if got == 0 { break }
            result += buffer[..<got]
        }
        return result
    }
}

/// `accept()` on another thread, so a connect on this thread can complete first; the closure waits up to 5 s.
func acceptInBackground(_ listener: any Listener) throws -> @Sendable () -> Result<any ByteStream, TransportError>? {
    let wait = try spawn { () -> Result<any ByteStream, TransportError> in
        do throws(TransportError) { return .success(try listener.accept()) } catch { return .failure(error) }
    }
    return { wait(.seconds(5)) }
}

/// A mutex that escaping closures can share.
final class Locked<Value: Sendable>: Sendable {
    let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<R>(_ body: (inout sending Value) -> sending R) -> R { mutex.withLock(body) }
    var value: Value { mutex.withLock { $0 } }
}
