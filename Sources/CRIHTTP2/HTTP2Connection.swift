import CRIHPACK
import Synchronization

/// One HTTP/2 connection over one transport, client or server (RFC 9113).
///
/// A dedicated reader thread blocks on the transport, decodes frames and updates the shared state;
/// writes are made directly by the calling task under a write lock and flushed per call (no writer
/// thread, no coalescing timer). Flow control runs in both directions on the connection and every
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

    /// The encoder and the reusable output buffer.
    struct WriterState {
        var encoder = HTTP2FrameEncoder()
        var buffer: [UInt8] = []
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

    /// Encodes frames with `body` and writes them in one call under the write lock.
    /// A write failure ends the connection.
    func write(_ body: (inout WriterState) -> Void) throws(HTTP2StreamFailure) {
        let deadline = configuration.writeTimeout.map { ContinuousClock.now + $0 }
        let transport = self.transport
        let failure: HTTP2StreamFailure? = writer.withLock { writer in
            writer.buffer.removeAll(keepingCapacity: true)
            body(&writer)
            return Self.flush(&writer, transport: transport, deadline: deadline)
        }
        if let failure {
            terminate(failure, goAway: nil)
            throw failure
        }
        flushPendingControl()
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
        let deadline = configuration.writeTimeout.map { ContinuousClock.now + $0 }
        let transport = self.transport
        while pendingControl.withLock({ !$0.isEmpty }) {
            let outcome: HTTP2StreamFailure?? = writer.withLockIfAvailable { writer in
                let pending = pendingControl.withLock { pending in
                    defer { pending = PendingControl() }
                    return pending
                }
                guard !pending.isEmpty else { return nil }
                writer.buffer.removeAll(keepingCapacity: true)
                if let size = pending.headerTableSize { writer.encoder.setPeerHeaderTableSize(size) }
                if let size = pending.maxFrameSize { writer.encoder.setPeerMaxFrameSize(size) }
                for frame in pending.frames { writer.encoder.encode(frame, into: &writer.buffer) }
                return Self.flush(&writer, transport: transport, deadline: deadline)
            }
            switch outcome {
            case nil:
                return  // Another holder has the lock and will check the queue when it releases it.
            case .some(.some(let failure)):
                terminate(failure, goAway: nil)
                return
            case .some(nil):
                continue  // Released: check again for frames queued while we were writing.
            }
        }
    }

    /// Writes the buffer; called with the write lock held.
    static func flush(
        _ writer: inout WriterState, transport: any HTTP2Transport, deadline: ContinuousClock.Instant?
    ) -> HTTP2StreamFailure? {
        guard !writer.buffer.isEmpty else { return nil }
        defer {
            // Do not keep a multi-megabyte buffer alive after one big message.
            if writer.buffer.capacity > 1 << 20 { writer.buffer = [] }
        }
        do {
            try writer.buffer.withUnsafeBytes { try transport.write($0, deadline: deadline) }
            return nil
        } catch {
            return .connectionClosed("write failed: \(error)")
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
            let transport = self.transport
            _ = writer.withLock { writer in
                writer.buffer.removeAll(keepingCapacity: true)
                writer.encoder.encode(frame, into: &writer.buffer)
                return Self.flush(&writer, transport: transport, deadline: ContinuousClock.now + .seconds(1))
            }
        }
        pendingControl.withLock { $0 = PendingControl() }
        transport.close()
        for stream in taken.streams {
            stream.state.withLock { $0.fail(failure, into: &wakeups) }
        }
        for wakeup in wakeups { wakeup.run() }
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
            if closed { continuation.resume() }
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
