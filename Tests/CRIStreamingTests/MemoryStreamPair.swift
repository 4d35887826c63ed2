import CRITransport
import Foundation

@testable import CRIStreaming

/// One direction of an in-memory byte stream: blocking reads, unbounded writes.
///
/// `@unchecked Sendable`: every field is guarded by `condition`.
final class MemoryPipe: @unchecked Sendable {
    private let condition = NSCondition()
    private var bytes: [UInt8] = []
    private var closed = false

    func write(_ data: UnsafeRawBufferPointer) throws(TransportError) {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { throw TransportError(code: .connectionReset, message: "memory pipe closed") }
        bytes.append(contentsOf: data)
        condition.broadcast()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        condition.lock()
        defer { condition.unlock() }
        while bytes.isEmpty, !closed { condition.wait() }
        let count = min(buffer.count, bytes.count)
        for index in 0..<count { buffer[index] = bytes[index] }
        bytes.removeFirst(count)
        return count
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}

/// One end of an in-memory duplex stream.
final class MemoryStream: ByteStream {
    let incoming: MemoryPipe
    let outgoing: MemoryPipe

    init(incoming: MemoryPipe, outgoing: MemoryPipe) {
        self.incoming = incoming
        self.outgoing = outgoing
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TransportError) -> Int { incoming.read(into: buffer) }
    func write(_ bytes: UnsafeRawBufferPointer, deadline: ContinuousClock.Instant?) throws(TransportError) {
        try outgoing.write(bytes)
    }
    func shutdownWrite() { outgoing.close() }
    func close() {
        incoming.close()
        outgoing.close()
    }
}

/// Two connected ends.
func makeMemoryStreamPair() -> (MemoryStream, MemoryStream) {
    let aToB = MemoryPipe()
    let bToA = MemoryPipe()
    return (MemoryStream(incoming: bToA, outgoing: aToB), MemoryStream(incoming: aToB, outgoing: bToA))
}

/// Runs blocking work on its own thread so it never occupies the concurrency pool.
func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        do {
            try startIOThread(name: "test-blocking") { continuation.resume(returning: body()) }
        } catch {
            fatalError("cannot start a test thread: \(error)")
        }
    }
}

/// The test's hand-driven end of a WebSocket: writes raw frames, reads and decodes what the connection sends.
final class RawPeer: Sendable {
    let stream: MemoryStream
    let masking: WebSocketMasking

    init(stream: MemoryStream, masking: WebSocketMasking) {
        self.stream = stream
        self.masking = masking
    }

    func send(_ bytes: [UInt8]) throws {
        try stream.write(bytes, deadline: nil)
    }

    /// Reads until one whole event arrives (nil at end of stream).
    func nextEvent() async -> WebSocketEvent? {
        await onThread { [stream, masking] in
            var decoder = WebSocketDecoder(masking: masking, maxMessageSize: 1 << 20)
            var chunk = [UInt8](repeating: 0, count: 1)
            // One byte at a time, so no bytes of a later event are consumed and lost.
            while true {
                if let event = try? decoder.nextEvent() { return event }
                guard let count = try? stream.read(into: &chunk), count > 0 else { return nil }
                decoder.append(chunk[..<count])
            }
        }
    }
}
