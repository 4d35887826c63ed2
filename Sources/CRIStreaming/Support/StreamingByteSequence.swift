import Dispatch
import Synchronization

/// A stream of byte chunks from the peer (stdout, stderr, a forwarded port, or — server side — stdin), consumed as
/// an `AsyncSequence`.
///
/// Single consumer. The sequence ends when the peer closes the channel or the session ends; session errors surface
/// through the session's result, not here. Flow control: once more than the session's
/// `maxBufferedBytes` are waiting unread, the connection stops reading, so a consumer that never reads stalls the
/// whole session (use `stdout: false` when output is not wanted).
public struct StreamingByteSequence: AsyncSequence, Sendable {
    /// Each element is one chunk as it arrived.
    public typealias Element = [UInt8]
    /// Iteration never throws.
    public typealias Failure = Never

    let buffer: ChunkBuffer

    /// Starts iterating (once per sequence).
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(buffer: buffer) }

    /// Reads all remaining chunks into one array (until the channel ends).
    public func collect() async -> [UInt8] {
        var result: [UInt8] = []
        for await chunk in self { result.append(contentsOf: chunk) }
        return result
    }

    /// The iterator.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let buffer: ChunkBuffer

        /// The next chunk, or nil at the end (or when the iterating task is cancelled).
        public mutating func next() async -> [UInt8]? { await buffer.next() }

        /// The next chunk, or nil at the end.
        public mutating func next(isolation actor: isolated (any Actor)?) async -> [UInt8]? { await buffer.next() }
    }
}

/// The buffer behind a ``StreamingByteSequence``: an I/O thread pushes (blocking while it is over its limit), one task
/// pulls.
package final class ChunkBuffer: Sendable {
    private struct State {
        var chunks: [[UInt8]] = []
        var head = 0
        var bufferedBytes = 0
        var finished = false
        var consumer: CheckedContinuation<[UInt8]?, Never>?
        var producerBlocked = false
        var consumed: (@Sendable (Int) -> Void)?
    }

    private let state = Mutex(State())
    private let space = DispatchSemaphore(value: 0)
    private let limit: Int

    /// Creates a buffer; a push that takes the unread total over `limit` blocks until the consumer catches up.
    package init(limit: Int) { self.limit = limit }

    /// Calls `observer` with each chunk's size as the consumer takes it (SPDY gives flow-control window back then).
    /// Set it before the first push.
    package func onConsume(_ observer: @escaping @Sendable (Int) -> Void) {
        state.withLock { $0.consumed = observer }
    }

    /// The consumer's view.
    package var sequence: StreamingByteSequence { StreamingByteSequence(buffer: self) }

    /// Adds a chunk; blocks the calling (I/O) thread while more than `limit` bytes are unread. Dropped after
    /// ``finish()``.
    package func push(_ chunk: [UInt8]) {
        guard !chunk.isEmpty else { return }
        enum Action {
            case none
            case resume(CheckedContinuation<[UInt8]?, Never>, (@Sendable (Int) -> Void)?)
            case wait
        }
        let action = state.withLock { state -> Action in
            if state.finished { return .none }
            if let consumer = state.consumer {
                state.consumer = nil
                return .resume(consumer, state.consumed)
            }
            state.chunks.append(chunk)
            state.bufferedBytes += chunk.count
            if state.bufferedBytes > limit {
                state.producerBlocked = true
                return .wait
            }
            return .none
        }
        switch action {
        case .none: break
        case .resume(let consumer, let consumed):
            consumed?(chunk.count)
            consumer.resume(returning: chunk)
        case .wait: space.wait()
        }
    }

    /// Ends the sequence after the chunks already buffered; wakes a blocked producer. Idempotent.
    package func finish() {
        end(discardingBuffered: false)
    }

    /// Ends the sequence now, dropping unread chunks (the consumer gave up). Idempotent.
    package func cancel() {
        end(discardingBuffered: true)
    }

    private func end(discardingBuffered: Bool) {
        let (consumer, wake) = state.withLock { state -> (CheckedContinuation<[UInt8]?, Never>?, Bool) in
            state.finished = true
            if discardingBuffered {
                state.chunks = []
                state.head = 0
                state.bufferedBytes = 0
            }
            let consumer = state.consumer
            state.consumer = nil
            let wake = state.producerBlocked
            state.producerBlocked = false
            return (consumer, wake)
        }
        consumer?.resume(returning: nil)
        if wake { space.signal() }
    }

    /// The next chunk, or nil once finished and drained.
    package func next() async -> [UInt8]? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<[UInt8]?, Never>) in
                enum Action {
                    case value([UInt8], wake: Bool, consumed: (@Sendable (Int) -> Void)?)
                    case end, suspended
                }
                let action = state.withLock { state -> Action in
                    if state.head < state.chunks.count {
                        let chunk = state.chunks[state.head]
                        state.head += 1
                        state.bufferedBytes -= chunk.count
                        if state.head == state.chunks.count {
                            state.chunks.removeAll(keepingCapacity: true)
                            state.head = 0
                        }
                        let wake = state.producerBlocked && state.bufferedBytes <= limit
                        if wake { state.producerBlocked = false }
                        return .value(chunk, wake: wake, consumed: state.consumed)
                    }
                    // A second concurrent consumer would strand the first one's continuation: it gets the end instead.
                    if state.finished || state.consumer != nil { return .end }
                    state.consumer = continuation
                    return .suspended
                }
                switch action {
                case .value(let chunk, let wake, let consumed):
                    if wake { space.signal() }
                    consumed?(chunk.count)
                    continuation.resume(returning: chunk)
                case .end:
                    continuation.resume(returning: nil)
                case .suspended:
                    break
                }
            }
        } onCancel: {
            cancel()
        }
    }
}
