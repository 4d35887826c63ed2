package import CRITransport
import Synchronization

/// A SPDY/3.1 session over a ``ByteStream`` after the HTTP upgrade: one reader thread that decodes frames, answers
/// pings, honours GOAWAY and dispatches stream data, and serialized, deadline-bounded writes.
///
/// Flow control follows what the Kubernetes streaming peers do, not only the draft: moby/spdystream (kubelet's and
/// containerd's SPDY library) never sends SETTINGS or WINDOW_UPDATE and ignores both ("Implement flow control",
/// moby/spdystream#2, open since 2014). So windows are tracked from the start but only enforced once the peer has
/// shown it does flow control:
/// - sending waits for window only after the peer sent a WINDOW_UPDATE or a SETTINGS INITIAL_WINDOW_SIZE (else a
///   spdystream peer would stall us after 64 KiB of stdin forever);
/// - receiving past our window is a violation only from a peer that announced itself with SETTINGS, which a
///   SPDY/3.1 implementation that honours windows sends first;
/// - WINDOW_UPDATE frames go back as the application consumes data, by default only to a peer that does flow control
///   itself (see ``WindowUpdates``).
///
/// - Note: thread-safe. Stream handlers run on the reader thread, in frame order; a handler that blocks
///   (back-pressure) stops reading for the whole session.
package final class SPDYConnection: Sendable {
    /// Which end of the connection this is.
    package enum Role: Sendable {
        /// Opens odd-numbered streams.
        case client
        /// Accepts the client's streams; would open even-numbered ones.
        case server
    }

    /// How the connection ended.
    package enum Ending: Sendable {
        /// The byte stream ended (after a GOAWAY from the peer, if `goAway`).
        case endOfStream(goAway: Bool)
        /// Framing failed, a read failed, the peer broke the protocol, or we aborted.
        case failed(StreamingError)
    }

    /// What to do with connection-level events.
    package struct Handlers: Sendable {
        /// Server role: a stream the peer opened; return its handlers, or nil to refuse it (RST_STREAM).
        package var newStream: @Sendable (SPDYStream) -> SPDYStream.Handlers?
        /// Called once, last, after every stream's `end`.
        package var end: @Sendable (Ending) -> Void

        /// Creates handlers.
        package init(
            newStream: @escaping @Sendable (SPDYStream) -> SPDYStream.Handlers? = { _ in nil },
            end: @escaping @Sendable (Ending) -> Void
        ) {
            self.newStream = newStream
            self.end = end
        }
    }

    /// When this end gives window back to the peer.
    package enum WindowUpdates: Sendable {
        /// Never, like spdystream.
        case never
        /// Once the peer has shown it does flow control (a WINDOW_UPDATE or SETTINGS from it); until then the
        /// consumed bytes are counted and returned with the first update.
        case toFlowControlPeers
        /// Always, from the first byte consumed (a test server that makes the client's window waits happen).
        case always
    }

    /// The draft's default window (SPDY/3.1 § 2.6.8: "64KB") for streams and the session.
    package static let defaultWindow = 64 * 1024
    static let maxWindow = Int(Int32.max)

    struct StreamState {
        var stream: SPDYStream
        var handlers: SPDYStream.Handlers?
        var replied: Bool
        var replyWaiter: CheckedContinuation<Result<Void, StreamingError>, Never>?
        var localClosed = false
        var remoteClosed = false
        var sendWindow: Int
        var receiveWindow = SPDYConnection.defaultWindow
        var unacknowledged = 0
    }

    struct State {
        var streams: [UInt32: StreamState] = [:]
        var nextStreamID: UInt32
        var lastPeerStreamID: UInt32 = 0
        /// Our streams the peer answered: a stream may be gone (finished, reset, connection over) by the time
        /// someone asks whether it was accepted.
        var replied: Set<UInt32> = []
        var goAwayReceived = false
        var goAwaySent = false
        var ending: StreamingError?
        var readerFinished = false
        var aborted = false
        var peerDoesFlowControl = false
        var peerAnnounced = false
        var initialSendWindow = SPDYConnection.defaultWindow
        var sessionSendWindow = SPDYConnection.defaultWindow
        var sessionReceiveWindow = SPDYConnection.defaultWindow
        var sessionUnacknowledged = 0
        var windowGeneration = 0
        var windowWaiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiterID = 0
        var closeTimer: Task<Void, Never>?
        var pendingUpdates: [SPDYFrame] = []
    }

    struct Writer {
        var encoder = SPDYFrameEncoder()
        var broken = false
    }

    let stream: any ByteStream
    /// Which end this is.
    package let role: Role
    /// Names the connection in messages (the URL, without its token).
    package let label: String
    let writeTimeout: Duration
    let closeTimeout: Duration
    let maxFrameLength: Int
    let maxHeaderBlockSize: Int
    let windowUpdates: WindowUpdates
    let state: Mutex<State>
    let writer = Mutex(Writer())

    /// Wraps an upgraded stream.
    ///
    /// - Parameters:
    ///   - maxFrameLength: the largest frame accepted from the peer.
    ///   - windowUpdates: when to return window to the peer as data is consumed.
    ///   - closeTimeout: after our GOAWAY, how long we wait for the peer to close before dropping the stream.
    package init(
        stream: any ByteStream,
        role: Role,
        label: String,
        maxFrameLength: Int = 16 * 1024 * 1024,
        maxHeaderBlockSize: Int = 256 * 1024,
        writeTimeout: Duration,
        windowUpdates: WindowUpdates = .toFlowControlPeers,
        closeTimeout: Duration = .seconds(5)
    ) {
        self.stream = stream
        self.role = role
        self.label = label
        self.maxFrameLength = maxFrameLength
        self.maxHeaderBlockSize = maxHeaderBlockSize
        self.writeTimeout = writeTimeout
        self.windowUpdates = windowUpdates
        self.closeTimeout = closeTimeout
        self.state = Mutex(State(nextStreamID: role == .client ? 1 : 2))
    }

    /// Starts the reader thread; `initialBytes` were read past the HTTP head and are already SPDY frames.
    package func start(initialBytes: [UInt8], handlers: Handlers) throws(StreamingError) {
        do {
            try startIOThread(name: role == .client ? "cri-spdy-client" : "cri-spdy-server") { [self] in
                let ending = readLoop(initialBytes: initialBytes, handlers: handlers)
                // Recorded before the stream closes, so a write failing on the closed stream reports why.
                recordEnding(ending)
                stream.close()
                finishStreams()
                handlers.end(ending)
            }
        } catch {
            stream.close()
            throw StreamingError.transport(error, "\(label): start reader thread")
        }
    }

    // MARK: Streams

    /// Client role: opens a stream (SYN_STREAM, priority 0 as client-go sends it) without waiting for the reply.
    ///
    /// - Throws: ``StreamingError`` once the session is over or the peer sent GOAWAY.
    package func openStream(headers: SPDYHeaders, handlers: SPDYStream.Handlers) throws(StreamingError) -> SPDYStream {
        let label = self.label
        let opened = try state.withLock { state throws(StreamingError) -> SPDYStream in
            if let ending = state.ending { throw ending }
            guard !state.goAwayReceived, !state.goAwaySent, state.nextStreamID < 0x8000_0000 else {
                throw StreamingError(code: .connectionClosed, message: "\(label): the session is going away")
            }
            let id = state.nextStreamID
            state.nextStreamID += 2
            let stream = SPDYStream(id: id, headers: headers, connection: self)
            state.streams[id] = StreamState(
                stream: stream, handlers: handlers, replied: false, sendWindow: state.initialSendWindow)
            return stream
        }
        try send(.synStream(
            streamID: opened.id, associatedTo: 0, priority: 0, fin: false, unidirectional: false, headers: headers))
        return opened
    }

    /// Client role: waits until the peer answered `stream` with SYN_REPLY (client-go waits likewise).
    ///
    /// - Throws: ``StreamingError/Code/connectionClosed`` if the peer reset the stream or the session ended,
    ///   ``StreamingError/Code/timedOut`` after `deadline`.
    package func waitForReply(_ stream: SPDYStream, deadline: ContinuousClock.Instant) async throws(StreamingError) {
        let label = self.label
        let id = stream.id
        let timer = Task { [self] in
            do {
                try await Task.sleep(until: deadline, clock: .continuous)
                resumeReplyWaiter(
                    id,
                    .failure(StreamingError(code: .timedOut, message: "\(label): no SYN_REPLY for stream \(id)")))
            } catch {
                // Cancelled: the reply came.
            }
        }
        defer { timer.cancel() }
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<Void, StreamingError>, Never>) in
            let ready = state.withLock { state -> Result<Void, StreamingError>? in
                if state.replied.contains(id) { return .success(()) }
                guard var entry = state.streams[id] else {
                    return .failure(
                        state.ending ?? StreamingError(code: .connectionClosed, message: "\(label): stream \(id) reset"))
                }
                if entry.replied { return .success(()) }
                entry.replyWaiter = continuation
                state.streams[id] = entry
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
        try result.get()
    }

    func resumeReplyWaiter(_ id: UInt32, _ result: Result<Void, StreamingError>) {
        let waiter = state.withLock { state -> CheckedContinuation<Result<Void, StreamingError>, Never>? in
            defer { state.streams[id]?.replyWaiter = nil }
            return state.streams[id]?.replyWaiter
        }
        waiter?.resume(returning: result)
    }

    /// Server role: accepts a peer stream with SYN_REPLY.
    func reply(_ stream: SPDYStream) throws(StreamingError) {
        try send(.synReply(streamID: stream.id, fin: false, headers: SPDYHeaders()))
    }

    /// Sends DATA on `stream`, split into frames of at most `frameSize`, waiting for the peer's window where it does
    /// flow control; `fin` half-closes the stream after the last byte.
    func write(
        _ stream: SPDYStream, _ bytes: [UInt8], fin: Bool, frameSize: Int, deadline: ContinuousClock.Instant
    ) async throws(StreamingError) {
        var start = 0
        repeat {
            let wanted = min(bytes.count - start, max(1, frameSize))
            let granted = wanted == 0 ? 0 : try await reserveWindow(stream.id, wanted: wanted, deadline: deadline)
            let end = start + granted
            try sendData(stream, Array(bytes[start..<end]), fin: fin && end == bytes.count)
            start = end
        } while start < bytes.count
    }

    /// Sends DATA without waiting for window (the server role, which behaves like spdystream).
    func writeIgnoringWindow(_ stream: SPDYStream, _ bytes: [UInt8], fin: Bool, frameSize: Int) throws(StreamingError)
    {
        var start = 0
        repeat {
            let end = min(bytes.count, start + max(1, frameSize))
            state.withLock { state in
                state.sessionSendWindow -= end - start
                state.streams[stream.id]?.sendWindow -= end - start
            }
            try sendData(stream, Array(bytes[start..<end]), fin: fin && end == bytes.count)
            start = end
        } while start < bytes.count
    }

    func sendData(_ stream: SPDYStream, _ payload: [UInt8], fin: Bool) throws(StreamingError) {
        let label = self.label
        try state.withLock { state throws(StreamingError) in
            guard let entry = state.streams[stream.id], !entry.localClosed else {
                throw StreamingError(
                    code: .connectionClosed, message: "\(label): stream \(stream.id) is closed for writing")
            }
            if fin { state.streams[stream.id]?.localClosed = true }
        }
        try send(.data(streamID: stream.id, fin: fin, payload: payload))
        if fin { forgetIfClosed(stream.id) }
    }

    /// Resets a stream (RST_STREAM) and forgets it; its handlers see ``SPDYStream/End/reset(_:)`` no more.
    func reset(_ stream: SPDYStream, status: SPDYRstStatus) {
        let known = state.withLock { $0.streams.removeValue(forKey: stream.id) != nil }
        if known { try? send(.rstStream(streamID: stream.id, status: status.rawValue)) }
    }

    func forgetIfClosed(_ id: UInt32) {
        state.withLock { state in
            if let entry = state.streams[id], entry.localClosed, entry.remoteClosed {
                state.streams[id] = nil
            }
        }
    }

    // MARK: Closing

    /// Ends the session gracefully: GOAWAY, then half-closes; drops the stream if the peer has not closed its side
    /// within the close timeout. Idempotent.
    package func close() {
        let (first, lastGood) = state.withLock { state -> (Bool, UInt32) in
            defer { state.goAwaySent = true }
            return (!state.goAwaySent && !state.readerFinished, state.lastPeerStreamID)
        }
        guard first else { return }
        try? send(.goAway(lastGoodStreamID: lastGood, status: 0))
        stream.shutdownWrite()
        let timer = stream.closeLater(after: closeTimeout)
        let late = state.withLock { state -> Bool in
            if state.readerFinished || state.aborted { return true }
            state.closeTimer = timer
            return false
        }
        if late { timer.cancel() }
    }

    /// Closes the stream at once; the reader ends with ``StreamingError/Code/cancelled``.
    package func abort() {
        let timer = state.withLock { state -> Task<Void, Never>? in
            state.aborted = true
            defer { state.closeTimer = nil }
            return state.closeTimer
        }
        timer?.cancel()
        stream.close()
    }

    // MARK: Writing

    func send(_ frame: SPDYFrame) throws(StreamingError) {
        // Whoever held the writer lock flushes the window updates queued meanwhile (see `consumed`).
        defer { flushWindowUpdates() }
        let label = self.label
        // Encoding and writing under one lock: header blocks share one zlib stream, so frames must reach the wire
        // in the order their headers were compressed.
        try writer.withLock { writer throws(StreamingError) in
            guard !writer.broken else {
                throw StreamingError(code: .connectionClosed, message: "\(label): the connection is closed")
            }
            try write(frame, with: &writer)
        }
    }

    func write(_ frame: SPDYFrame, with writer: inout Writer) throws(StreamingError) {
        var bytes: [UInt8] = []
        do throws(SPDYError) {
            try writer.encoder.encode(frame, into: &bytes)
        } catch {
            // Checked before anything is compressed: the encoder stays usable.
            throw StreamingError(code: .messageTooLarge, message: "\(label): \(error)")
        }
        do throws(TransportError) {
            try stream.write(bytes, deadline: .now.advanced(by: writeTimeout))
        } catch {
            writer.broken = true
            stream.close()
            // The reader may have closed the stream because the session failed: that is the news.
            if let ending = state.withLock({ $0.ending }) { throw ending }
            throw StreamingError.transport(error, "\(label): write")
        }
    }

    /// Writes the queued WINDOW_UPDATE frames if the writer lock is free; otherwise its holder does after its write.
    ///
    /// The consumer that gives window back must never wait for the lock: a stdin write may hold it, blocked on a
    /// peer that stopped reading because its output is not being consumed — by that very consumer.
    func flushWindowUpdates() {
        while true {
            let wrote = writer.withLockIfAvailable { writer -> Bool in
                let frames = state.withLock { state -> [SPDYFrame] in
                    defer { state.pendingUpdates = [] }
                    return state.pendingUpdates
                }
                guard !frames.isEmpty, !writer.broken else { return false }
                for frame in frames { try? write(frame, with: &writer) }
                return true
            }
            // nil: another writer holds the lock and flushes after it; false: nothing was queued.
            guard wrote == true else { return }
        }
    }

}

