import CRIHPACK
import Dispatch
import Synchronization

/// One HTTP/2 connection over one transport, client or server (RFC 9113).
///
/// A dedicated reader thread blocks on the transport, decodes frames and updates the shared state;
/// between calls it steps aside, so that a client call that is the only one open can read its own
/// response and save a thread wake-up (``ReadTurn``).
/// Writers encode their frames under a short write lock into a shared buffer; whoever finds no write
/// in progress becomes the flusher and writes the buffer, outside the lock, until it is empty. Under
/// concurrency the frames of many calls thus go out in one system call, and no task waits on the
/// lock while another is inside `write(2)` (no writer thread, no coalescing timer). Flow control runs in both directions on the connection and every
/// stream. Inbound stream events go to a per-stream buffer that one task reads with
/// ``HTTP2Stream/nextEvent()``.
///
/// - Note: Lock order is writer → connection state → stream state. The HPACK encoder lives under the
///   writer lock so header blocks hit the wire in the order they were encoded.
package final class HTTP2Connection: Sendable {
    /// Which end of the connection we are.
    package enum Role: Sendable, Hashable {
        case client, server
    }

    /// Our role.
    package let role: Role
    let configuration: HTTP2ConnectionConfiguration
    let transport: any HTTP2Transport
    let state: Mutex<ConnectionState>
    let writer: Mutex<WriterState>
    /// Control frames from the reader that found the write lock taken (see ``sendControl(_:)``).
    let pendingControl: Mutex<PendingControl>
    /// Called on the reader thread for each new peer-initiated stream (servers).
    let onStream: (@Sendable (HTTP2Stream) -> Void)?
    /// Consumed octets after which a stream WINDOW_UPDATE is sent.
    let streamUpdateThreshold: Int
    /// Who reads the transport now (see ``ReadTurn``).
    let readTurn = Mutex(ReadTurn())
    /// The frame decoder and read buffer, used by whoever holds the read turn.
    let readSide: Mutex<ReadSide>
    /// Wakes the reader thread when it stepped aside and the turn is handed back to it.
    let readerWake = DispatchSemaphore(value: 0)
    /// Streams read to their end inline (``inlineReadCount``).
    let inlineReads = Atomic<Int>(0)
    /// ``HTTP2ConnectionConfiguration/readerParkInterval`` in seconds, as `DispatchTime` adds them.
    let readerParkSeconds: Double
    /// How long a call may read for itself; nil when calls never do (servers, and transports that
    /// cannot wait with a time limit).
    let inlineReadBudget: Duration?

    /// The encoder and the frames waiting to be written.
    struct WriterState {
        var encoder = HTTP2FrameEncoder()
        /// Encoded frames no flusher has taken yet, in wire order.
        var buffer: [UInt8] = []
        /// A task or thread is writing; it takes whatever is appended before it stops.
        var isFlushing = false
        /// A graceful close arrived during a write: the flusher closes the transport when done, so
        /// the last frames (a response's END_STREAM, the GOAWAY) are not cut off.
        var closeWhenFlushed = false
    }

    /// Creates a connection; call ``start()`` to send the preface and begin reading.
    /// - Parameter onStream: for servers, receives each new stream on the reader thread; it should
    ///   only hand the stream to a task.
    package init(
        transport: any HTTP2Transport,
        role: Role,
        configuration: HTTP2ConnectionConfiguration = HTTP2ConnectionConfiguration(),
        onStream: (@Sendable (HTTP2Stream) -> Void)? = nil
    ) {
        self.role = role
        self.configuration = configuration
        self.transport = transport
        self.onStream = onStream
        var initialState = ConnectionState(role: role)
        if let first = configuration.firstLocalStreamID, first & 1 == initialState.nextLocalStreamID & 1,
            first <= 0x7fff_ffff
        {
            initialState.nextLocalStreamID = first
        }
        self.state = Mutex(initialState)
        self.writer = Mutex(WriterState())
        self.pendingControl = Mutex(PendingControl())
        self.streamUpdateThreshold = max(1, configuration.initialStreamWindowSize / 4)
        self.readSide = Mutex(ReadSide(role: role, configuration: configuration))
        self.readerParkSeconds = configuration.readerParkInterval.inSeconds
        // A zero wait asks only whether the transport can time its waits; it makes no system call.
        let canTimeWaits = (try? transport.waitForData(timeout: .zero)) != nil
        self.inlineReadBudget =
            role == .client && canTimeWaits && Self.poolHasSpareThreads ? configuration.inlineReadBudget : nil
    }

    /// Sends the preface, our SETTINGS and the connection WINDOW_UPDATE, then starts the reader thread.
    /// - Throws: ``HTTP2StreamFailure`` with code `.connectionClosed` when the transport fails.
    package func start() throws(HTTP2StreamFailure) {
        var settings: [HTTP2Setting] = [
            HTTP2Setting(parameter: .initialWindowSize, value: UInt32(configuration.initialStreamWindowSize)),
            HTTP2Setting(parameter: .maxFrameSize, value: UInt32(configuration.maxFrameSize)),
            HTTP2Setting(parameter: .maxHeaderListSize, value: UInt32(configuration.maxHeaderListSize)),
        ]
        if configuration.headerTableSize != 4096 {
            settings.append(HTTP2Setting(parameter: .headerTableSize, value: UInt32(configuration.headerTableSize)))
        }
        if role == .client {
            // RFC 9113 § 8.4: we never accept server push.
            settings.append(HTTP2Setting(parameter: .enablePush, value: 0))
        }
        if let maxStreams = configuration.maxConcurrentStreams {
            settings.append(HTTP2Setting(parameter: .maxConcurrentStreams, value: UInt32(clamping: maxStreams)))
        }
        let windowIncrement = configuration.connectionWindowSize - 65535
        if windowIncrement > 0 {
            state.withLock { $0.receiveWindow += windowIncrement }
        }
        let role = self.role
        try write { writer in
            if role == .client { writer.buffer += HTTP2ConnectionPreface.client }
            writer.encoder.encode(
                HTTP2Frame(streamID: 0, payload: .settings(SettingsPayload(ack: false, settings: settings))),
                into: &writer.buffer)
            if windowIncrement > 0 {
                writer.encoder.encode(
                    HTTP2Frame(streamID: 0, payload: .windowUpdate(increment: UInt32(windowIncrement))),
                    into: &writer.buffer)
            }
        }
        guard spawnDetachedThread({ [self] in readLoop() }) else {
            let failure = HTTP2StreamFailure.connectionClosed("could not start the reader thread")
            terminate(failure, goAway: nil)
            throw failure
        }
    }

    /// Whether new streams may be opened on this connection.
    package var isAcceptingStreams: Bool { state.withLock { $0.isAccepting } }

    /// Whether the connection has ended.
    package var isClosed: Bool { state.withLock { $0.failure != nil } }

    /// Encodes frames with `body` and sends them: by writing them itself, or by handing them to the
    /// write already in progress. A write failure ends the connection (and then fails every stream,
    /// including those whose frames were handed over).
    func write(_ body: (inout WriterState) -> Void) throws(HTTP2StreamFailure) {
        let mustFlush = writer.withLock { writer in
            body(&writer)
            return Self.claimFlush(&writer)
        }
        if mustFlush, let failure = flushAll() {
            writeFailed(failure)
            throw failure
        }
        flushPendingControl()
    }

    /// Ends the connection after a failed write, but only after a short grace period.
    ///
    /// A peer that sends GOAWAY and closes makes our next write fail (EPIPE) while its GOAWAY may still
    /// sit unread in our receive buffer. Ending at once would fail the streams it never processed as
    /// "connection closed" instead of as refused, and refused calls are safe to retry on a new
    /// connection; the reader reaches the GOAWAY (and the end of the stream) well within the grace.
    func writeFailed(_ failure: HTTP2StreamFailure) {
        Task { [self] in
            try? await Task.sleep(for: .milliseconds(50))
            terminate(failure, goAway: nil)
        }
    }

    /// Called with the write lock held after appending frames: true when the caller must now write
    /// them (nobody else is), false when the write in progress will.
    static func claimFlush(_ writer: inout WriterState) -> Bool {
        guard !writer.isFlushing, !writer.buffer.isEmpty else { return false }
        writer.isFlushing = true
        return true
    }

    /// Writes the shared buffer until it is empty, taking frames appended meanwhile; only the caller
    /// that claimed the flush calls this.
    ///
    /// - Parameter handOffAfterFirst: the reader thread writes its own control frames but must not go
    ///   on writing other tasks' data (it would stop reading while the peer may be waiting for us to
    ///   read); a task takes over from it when more is queued.
    /// - Returns: the failure that ended the connection's writing, if any.
    @discardableResult
    func flushAll(handOffAfterFirst: Bool = false) -> HTTP2StreamFailure? {
        let deadline = configuration.writeTimeout.map { ContinuousClock.now + $0 }
        var chunk: [UInt8] = []
        var rounds = 0
        while true {
            let (taken, closeTransport, handOff) = writer.withLock { writer -> (Bool, Bool, Bool) in
                if writer.buffer.isEmpty {
                    writer.isFlushing = false
                    return (false, writer.closeWhenFlushed, false)
                }
                if handOffAfterFirst && rounds > 0 { return (false, false, true) }
                swap(&chunk, &writer.buffer)  // the emptied chunk becomes the new buffer, capacity and all
                return (true, false, false)
            }
            if handOff {
                let connection = self
                Task { if let failure = connection.flushAll() { connection.writeFailed(failure) } }
                return nil
            }
            guard taken else {
                if closeTransport { transport.close() }
                return nil
            }
            rounds += 1
            do {
                try chunk.withUnsafeBytes { try transport.write($0, deadline: deadline) }
            } catch {
                writer.withLock { writer in
                    writer.buffer = []
                    writer.isFlushing = false
                }
                return .connectionClosed("write failed: \(error)")
            }
            // Do not keep a multi-megabyte buffer alive after one big message.
            chunk.removeAll(keepingCapacity: chunk.capacity <= 1 << 20)
        }
    }

    /// The reader's outgoing control frames (ACKs, WINDOW_UPDATE, RST_STREAM) and the peer settings
    /// the encoder applies before them.
    struct PendingControl {
        var frames: [HTTP2Frame] = []
        var headerTableSize: Int?
        var maxFrameSize: Int?
        var isEmpty: Bool { frames.isEmpty && headerTableSize == nil && maxFrameSize == nil }
    }

    /// Sends control frames from the reader thread without ever waiting for the write lock.
    ///
    /// If a task holds the lock (possibly blocked on a full socket because the peer is not reading),
    /// the frames are queued and the reader goes back to reading; every lock holder flushes the queue
    /// right after releasing the lock. Waiting instead could deadlock two of our own endpoints whose
    /// readers both wait to write while both sockets are full.
    func sendControl(_ control: PendingControl) {
        pendingControl.withLock { pending in
            pending.frames += control.frames
            if let size = control.headerTableSize { pending.headerTableSize = size }
            if let size = control.maxFrameSize { pending.maxFrameSize = size }
        }
        flushPendingControl()
    }

    /// Writes queued control frames if the write lock is free.
    ///
    /// Race-free with ``sendControl(_:)`` because every lock holder (this function included) checks
    /// the queue again after releasing the lock: a frame queued while the lock was held is queued
    /// before that holder's check, and if the check's own attempt finds the lock taken, the newer
    /// holder checks again on its release.
    func flushPendingControl() {
        while pendingControl.withLock({ !$0.isEmpty }) {
            let mustFlush: Bool? = writer.withLockIfAvailable { writer in
                let pending = pendingControl.withLock { pending in
                    defer { pending = PendingControl() }
                    return pending
                }
                if let size = pending.headerTableSize { writer.encoder.setPeerHeaderTableSize(size) }
                if let size = pending.maxFrameSize { writer.encoder.setPeerMaxFrameSize(size) }
                for frame in pending.frames { writer.encoder.encode(frame, into: &writer.buffer) }
                return Self.claimFlush(&writer)
            }
            switch mustFlush {
            case nil:
                return  // Another holder has the lock and will check the queue when it releases it.
            case true?:
                if let failure = flushAll(handOffAfterFirst: true) {
                    writeFailed(failure)
                    return
                }
            case false?:
                continue  // Handed to the write in progress; check again for frames queued meanwhile.
            }
        }
    }

    /// Ends the connection: records `failure`, optionally sends GOAWAY, closes the transport and fails
    /// every stream and waiter. Idempotent; the first failure wins.
    func terminate(_ failure: HTTP2StreamFailure, goAway: (code: HTTP2ErrorCode, reason: String)?) {
        var wakeups: [Resumption] = []
        let taken: (streams: [HTTP2Stream], lastPeerStreamID: UInt32)? = state.withLock { state in
            guard state.failure == nil else { return nil }
            state.failure = failure
            state.failSlotWaiters(into: &wakeups)
            for waiter in state.closeWaiters { wakeups.append(.idle(waiter)) }
            state.closeWaiters.removeAll()
            let streams = Array(state.streams.values)
            state.streams.removeAll()
            return (streams, state.lastPeerStreamID)
        }
        guard let taken else { return }
        if let goAway {
            let frame = HTTP2Frame(
                streamID: 0,
                payload: .goAway(
                    lastStreamID: taken.lastPeerStreamID, errorCode: goAway.code, debugData: Array(goAway.reason.utf8)))
            let mustFlush = writer.withLock { writer in
                writer.encoder.encode(frame, into: &writer.buffer)
                return Self.claimFlush(&writer)
            }
            if mustFlush { flushAll() }
        }
        pendingControl.withLock { $0 = PendingControl() }
        // A write in progress finishes, delivering what it holds (our GOAWAY included), and its
        // flusher then closes the transport. Closing at once used to cut that write off and lose the
        // GOAWAY. Only a graceful close waits for the write as long as it takes; after any other
        // ending the transport is closed after `goAwayGrace` anyway, which unblocks a write to a peer
        // that does not read.
        let graceful = failure.code == .notAccepting
        let closeLater = writer.withLock { writer in
            guard writer.isFlushing else { return false }
            writer.closeWhenFlushed = true
            return true
        }
        if !closeLater {
            transport.close()
        } else if !graceful {
            let transport = self.transport
            let grace = configuration.goAwayGrace.inSeconds
            DispatchQueue.global().asyncAfter(deadline: .now() + grace) { transport.close() }
        }
        for stream in taken.streams {
            stream.state.withLock { $0.fail(failure, into: &wakeups) }
        }
        for wakeup in wakeups { wakeup.run() }
        // A reader thread that stepped aside learns of the end now rather than at its next look.
        if readTurn.withLock({ $0.readerParked }) { readerWake.signal() }
    }

    /// Closes the connection now: GOAWAY(NO_ERROR), then close; open streams fail.
    package func close() {
        terminate(.connectionClosed("connection closed locally"), goAway: (.noError, ""))
    }

    /// Graceful shutdown (RFC 9113 § 6.8): sends GOAWAY naming the last peer stream, refuses new
    /// streams, lets open streams finish, then closes. Returns when the connection is closed.
    package func shutdownGracefully() async {
        let lastStreamID: UInt32? = state.withLock { state in
            guard state.failure == nil, !state.goAwaySent else { return nil }
            state.goAwaySent = true
            return state.lastPeerStreamID
        }
        if let lastStreamID {
            var wakeups: [Resumption] = []
            state.withLock { $0.failSlotWaiters(into: &wakeups) }
            for wakeup in wakeups { wakeup.run() }
            try? write { writer in
                writer.encoder.encode(
                    HTTP2Frame(
                        streamID: 0, payload: .goAway(lastStreamID: lastStreamID, errorCode: .noError, debugData: [])),
                    into: &writer.buffer)
            }
            closeIfDrained()
        }
        await waitUntilClosed()
    }

    /// Returns once the connection has ended.
    package func waitUntilClosed() async {
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
            let closed = state.withLock { state in
                if state.failure != nil { return true }
                state.closeWaiters.append(continuation)
                return false
            }
            // Registered first: the reader thread does not step aside while someone awaits the end.
            if closed { continuation.resume() } else { summonReader() }
        }
    }

    /// Closes the connection once a GOAWAY has been exchanged and no stream is left.
    func closeIfDrained() {
        let (drained, sayGoodbye) = state.withLock { ($0.shouldCloseWhenDrained, !$0.goAwaySent && $0.goAwayReceived == nil) }
        if drained {
            terminate(.notAccepting("connection closed after GOAWAY"), goAway: sayGoodbye ? (.noError, "") : nil)
        }
    }

    /// Whether `id` belongs to a stream we initiate.
    func isLocal(_ id: UInt32) -> Bool {
        (id & 1 == 1) == (role == .client)
    }
}

extension Duration {
    /// The duration in seconds, as Dispatch's time arithmetic takes it.
    var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
