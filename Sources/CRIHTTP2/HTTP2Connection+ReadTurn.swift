import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Who reads the transport at the moment: the connection's reader thread, or a calling task that
/// reads its own response (``HTTP2Connection/readInline(for:)``).
///
/// A call answered by the reader thread costs two thread wake-ups: the reader's when the response
/// arrives, then a pool thread's when the reader resumes the waiting task. On a VM each is tens of
/// microseconds, more than the rest of a small call. When a call is the only one open, the calling
/// task instead waits for its response in poll itself, briefly, so one wake-up remains; meanwhile
/// the reader thread sleeps, and looks again every
/// ``HTTP2ConnectionConfiguration/readerParkInterval`` in case something arrives between calls (a
/// PING, GOAWAY, the end of the stream).
struct ReadTurn {
    enum Holder {
        /// The reader thread reads (or is about to).
        case readerThread
        /// A calling task reads; the reader thread waits.
        case caller
        /// Nobody: the reader thread stepped aside between calls.
        case nobody
    }

    var holder = Holder.readerThread
    /// The reader thread waits on `readerWake`; whoever hands it the turn signals it.
    var readerParked = false

    /// Gives the turn to the reader thread. Returns whether it must be woken to take it.
    mutating func handToReaderThread() -> Bool {
        holder = .readerThread
        return readerParked
    }
}

extension HTTP2Connection {
    /// Whether the concurrency pool (one thread per CPU) keeps a thread free while a call reads
    /// for itself. With one CPU it would not, and a server in the same process (a test's fake
    /// runtime) could not answer until the call gave up; such machines never read inline.
    static let poolHasSpareThreads: Bool = {
        #if os(Windows) || CRI_WINDOWS_STANDIN
        return false
        #else
        return sysconf(Int32(_SC_NPROCESSORS_ONLN)) > 1
        #endif
    }()

    /// Called by the reader thread before each read: waits while a task reads, and steps aside
    /// after a batch that left no call open (the next call may then read for itself).
    /// - Returns: false once the connection has ended.
    func takeReaderTurn(afterBatch: Bool) -> Bool {
        var afterBatch = afterBatch
        while true {
            if isClosed { return false }
            let stepAside = readTurn.withLock { turn -> Bool in
                // Nobody waits for anything a reader delivers: no open stream, no awaited end.
                let idle =
                    afterBatch && inlineReadBudget != nil
                    && state.withLock { $0.streams.isEmpty && $0.closeWaiters.isEmpty }
                guard turn.holder == .caller || idle else {
                    turn.holder = .readerThread
                    turn.readerParked = false
                    return false
                }
                if turn.holder == .readerThread { turn.holder = .nobody }
                turn.readerParked = true
                return true
            }
            if !stepAside { return true }
            _ = readerWake.wait(timeout: .now() + readerParkSeconds)
            afterBatch = false
        }
    }

    /// Lets the task waiting on `stream` read the transport itself until the stream has ended
    /// (END_STREAM or failure), for at most ``HTTP2ConnectionConfiguration/inlineReadBudget``.
    ///
    /// Only when the stream is the connection's only one and nobody else is reading; otherwise, or
    /// when the budget runs out first, the reader thread takes over and the task waits as usual.
    /// - Returns: the stream's next result, or nil when the task must wait for it.
    func readInline(for stream: HTTP2Stream) -> Result<HTTP2StreamEvent?, HTTP2StreamFailure>? {
        guard let budget = inlineReadBudget, acquireInlineTurn() else { return nil }
        defer { releaseInlineTurn() }
        let deadline = ContinuousClock.now + budget
        var settled = false
        while true {
            settled = stream.state.withLock { $0.remoteClosed || $0.failure != nil }
            if settled { break }
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { break }
            // A failed wait is reported by the read that follows.
            if (try? transport.waitForData(timeout: remaining)) == false { break }
            guard readSide.withLock({ readOnce(&$0) }) else { break }
        }
        if settled { inlineReads.add(1, ordering: .relaxed) }
        return stream.state.withLock { $0.poll() }
    }

    /// How many streams were read to their end by their own task (for tests and diagnostics).
    package var inlineReadCount: Int { inlineReads.load(ordering: .relaxed) }

    /// Whether the reader thread has stepped aside and nobody reads: the next lone call will read
    /// for itself.
    package var readerHasSteppedAside: Bool {
        readTurn.withLock { $0.holder == .nobody && $0.readerParked }
    }

    /// Hands the read turn back to the reader thread if nobody holds it: called before any task
    /// waits for something only a reader delivers (events, send window, a stream slot, the end).
    /// A task that reads for itself hands it over when it is done, so that case needs nothing.
    func summonReader() {
        guard inlineReadBudget != nil else { return }
        let wakeReader = readTurn.withLock { turn in turn.holder == .nobody && turn.handToReaderThread() }
        if wakeReader { readerWake.signal() }
    }

    /// Takes the read turn for a task if nobody holds it and no other call is open (several open
    /// calls are served by the reader thread, which the refused task then summons).
    private func acquireInlineTurn() -> Bool {
        readTurn.withLock { turn in
            guard turn.holder == .nobody, state.withLock({ $0.streams.count <= 1 }) else { return false }
            turn.holder = .caller
            return true
        }
    }

    /// Gives the read turn back: to nobody when no call is open, else to the reader thread, which
    /// must then read for the calls still waiting (ours too, if the budget ran out).
    private func releaseInlineTurn() {
        let wakeReader = readTurn.withLock { turn -> Bool in
            if state.withLock({ $0.streams.isEmpty && $0.failure == nil }) {
                turn.holder = .nobody
                return false
            }
            return turn.handToReaderThread()
        }
        if wakeReader { readerWake.signal() }
    }
}
