package import CRIHPACK
import Synchronization

/// One HTTP/2 stream: a handle the application reads events from and writes frames to.
///
/// One task reads (``nextEvent()``) and one task writes (``send(headers:data:trailers:endStream:)``)
/// at a time; ``reset(_:failure:)`` may be called from anywhere (cancellation handlers, timers).
package final class HTTP2Stream: Sendable {
    /// The stream identifier (RFC 9113 § 5.1.1).
    package let id: UInt32
    /// The connection the stream belongs to.
    package let connection: HTTP2Connection
    let state: Mutex<StreamState>

    init(id: UInt32, connection: HTTP2Connection, state: StreamState) {
        self.id = id
        self.connection = connection
        self.state = Mutex(state)
    }

    /// The next inbound event; nil once the peer's END_STREAM event has been returned.
    ///
    /// Queued events are returned even after a reset; then the failure is thrown.
    /// - Parameter readingInline: the caller wants the whole response soon (a unary call) and may
    ///   read it off the transport itself when it is the only call (see `readInline(for:)`).
    /// - Throws: ``HTTP2StreamFailure`` when the stream was reset or the connection ended.
    package func nextEvent(readingInline: Bool = false) async throws(HTTP2StreamFailure) -> HTTP2StreamEvent? {
        let result: Result<HTTP2StreamEvent?, HTTP2StreamFailure>
        if let ready = state.withLock({ $0.poll() }) {
            result = ready
        } else if readingInline, let ready = connection.readInline(for: self) {
            result = ready
        } else {
            connection.summonReader()
            result = await withUnsafeContinuation { (continuation: EventContinuation) in
                let ready: Result<HTTP2StreamEvent?, HTTP2StreamFailure>? = state.withLock { state in
                    if let ready = state.poll() { return ready }
                    state.eventWaiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
        let event = try result.get()
        if case .data(let bytes, _)? = event, !bytes.isEmpty {
            consumed(bytes.count)
        }
        return event
    }

    /// Returns consumed octets to the peer with a stream WINDOW_UPDATE once enough have accumulated
    /// (RFC 9113 § 6.9); the connection window is replenished on receipt by the reader.
    private func consumed(_ count: Int) {
        let threshold = connection.streamUpdateThreshold
        let increment: Int? = state.withLock { state in
            state.unacknowledged += count
            guard state.unacknowledged >= threshold, !state.remoteClosed, state.failure == nil else { return nil }
            let increment = state.unacknowledged
            state.unacknowledged = 0
            state.receiveWindow += increment
            return increment
        }
        if let increment {
            let id = self.id
            try? connection.write { writer in
                writer.encoder.encode(
                    HTTP2Frame(streamID: id, payload: .windowUpdate(increment: UInt32(increment))), into: &writer.buffer)
            }
        }
    }

    /// Sends a header block, a body and/or trailers, in as few writes as flow control allows.
    ///
    /// Order on the wire: `headers`, then `data` as DATA frames, then `trailers` with END_STREAM.
    /// Without trailers, `endStream` sets END_STREAM on the last frame sent.
    /// - Throws: ``HTTP2StreamFailure`` when the stream was reset or the connection ended.
    package func send(
        headers: [HPACKHeader]? = nil, data: [UInt8] = [], trailers: [HPACKHeader]? = nil, endStream: Bool = false
    ) async throws(HTTP2StreamFailure) {
        let endsStream = endStream || trailers != nil
        if let headers {
            let granted = try reserveWindow(wanting: data.count)
            let id = self.id
            let headersEnd = endsStream && data.isEmpty && trailers == nil
            // RFC 9113 § 5.1.2: a closed stream stops counting towards the limit as END_STREAM goes
            // out; free the slot before the write, or a fast peer's next HEADERS can race the count.
            if endsStream && granted.count == data.count { releaseSlotBeforeFinalWrite() }
            try connection.write { writer in
                writer.encoder.encode(
                    HTTP2Frame(
                        streamID: id,
                        payload: .headers(HeadersPayload(headers: headers, endStream: headersEnd, priority: nil))),
                    into: &writer.buffer)
                HTTP2Connection.encodeData(
                    data, range: 0..<granted.count, streamID: id, endStream: endsStream && trailers == nil,
                    maxFrameSize: granted.maxFrameSize, into: &writer)
                if granted.count == data.count, let trailers {
                    writer.encoder.encode(
                        HTTP2Frame(
                            streamID: id,
                            payload: .headers(HeadersPayload(headers: trailers, endStream: true, priority: nil))),
                        into: &writer.buffer)
                }
            }
            if granted.count == data.count {
                if endsStream { didCloseLocally() }
                return
            }
            try await sendData(data, from: granted.count, trailers: trailers, endStream: endsStream)
        } else {
            try await sendData(data, from: 0, trailers: trailers, endStream: endsStream)
        }
    }

    /// Sends `data[offset...]` as windows allow, then `trailers` (with END_STREAM), or END_STREAM on
    /// the last DATA frame when `endStream`.
    /// - Throws: ``HTTP2StreamFailure`` when the stream was reset or the connection ended.
    package func sendData(
        _ data: [UInt8], from offset: Int, trailers: [HPACKHeader]?, endStream: Bool
    ) async throws(HTTP2StreamFailure) {
        var offset = offset
        let id = self.id
        repeat {
            let granted = try reserveWindow(wanting: data.count - offset)
            if granted.count == 0 && offset < data.count {
                try await waitForWindow()
                continue
            }
            let range = offset..<(offset + granted.count)
            let finished = range.upperBound == data.count
            if finished && endStream { releaseSlotBeforeFinalWrite() }  // as in send(...)
            try connection.write { writer in
                if data.isEmpty && trailers == nil {
                    writer.encoder.encodeData(streamID: id, bytes: [], endStream: endStream, into: &writer.buffer)
                }
                HTTP2Connection.encodeData(
                    data, range: range, streamID: id, endStream: endStream && trailers == nil,
                    maxFrameSize: granted.maxFrameSize, into: &writer)
                if finished, let trailers {
                    writer.encoder.encode(
                        HTTP2Frame(
                            streamID: id,
                            payload: .headers(HeadersPayload(headers: trailers, endStream: true, priority: nil))),
                        into: &writer.buffer)
                }
            }
            offset = range.upperBound
        } while offset < data.count
        if endStream { didCloseLocally() }
    }

    /// Takes up to `wanting` octets from the stream and connection send windows.
    private func reserveWindow(wanting: Int) throws(HTTP2StreamFailure) -> (count: Int, maxFrameSize: Int) {
        let result: Result<(Int, Int), HTTP2StreamFailure> = connection.state.withLock { connection in
            if let failure = connection.failure { return .failure(failure) }
            return state.withLock { stream in
                if let failure = stream.failure { return .failure(failure) }
                let grant = max(0, min(wanting, stream.sendWindow, connection.sendWindow, HTTP2Connection.maxDataPerWrite))
                stream.sendWindow -= grant
                connection.sendWindow -= grant
                return .success((grant, connection.peerMaxFrameSize))
            }
        }
        let (count, maxFrameSize) = try result.get()
        return (count, maxFrameSize)
    }

    /// Waits until both windows are open (RFC 9113 § 6.9: never send beyond the peer's window).
    private func waitForWindow() async throws(HTTP2StreamFailure) {
        connection.summonReader()
        let result = await withUnsafeContinuation { (continuation: SignalContinuation) in
            let ready: Result<Void, HTTP2StreamFailure>? = connection.state.withLock { connection in
                if let failure = connection.failure { return .failure(failure) }
                return state.withLock { stream in
                    if let failure = stream.failure { return .failure(failure) }
                    if stream.sendWindow > 0 && connection.sendWindow > 0 { return .success(()) }
                    stream.sendWaiter = continuation
                    return nil
                }
            }
            if let ready { continuation.resume(returning: ready) }
        }
        try result.get()
    }

    /// Frees the concurrency slot ahead of the write carrying END_STREAM when the peer's side is
    /// already closed; ``didCloseLocally()`` removes the stream once the frames are out.
    private func releaseSlotBeforeFinalWrite() {
        var wakeups: [Resumption] = []
        let isLocal = connection.isLocal(id)
        connection.state.withLock { connection in
            let remoteClosed = state.withLock { $0.remoteClosed || $0.failure != nil }
            if remoteClosed { connection.releaseSlotEarly(id, isLocal: isLocal, into: &wakeups) }
        }
        for wakeup in wakeups { wakeup.run() }
    }

    /// Records that END_STREAM went out; the stream leaves the table once both sides are closed.
    func didCloseLocally() {
        var wakeups: [Resumption] = []
        let isLocal = connection.isLocal(id)
        connection.state.withLock { connection in
            let remoteClosed = state.withLock { stream in
                stream.localClosed = true
                return stream.remoteClosed || stream.failure != nil
            }
            if remoteClosed { connection.removeStream(id, isLocal: isLocal, into: &wakeups) }
        }
        for wakeup in wakeups { wakeup.run() }
        connection.closeIfDrained()
    }

    /// Calls `observer` once when the stream fails (reset by either side, connection lost); at once
    /// if it already has.
    package func onFailure(_ observer: @escaping @Sendable () -> Void) {
        let failed = state.withLock { state in
            if state.failure != nil { return true }
            state.failureObserver = observer
            return false
        }
        if failed { observer() }
    }

    /// Whether the peer has sent END_STREAM.
    package var isRemoteClosed: Bool { state.withLock { $0.remoteClosed } }

    /// Resets the stream (RST_STREAM with `code`) unless it already ended; wakes waiting tasks with
    /// `failure`. Safe to call from any task, more than once.
    package func reset(
        _ code: HTTP2ErrorCode = .cancel,
        failure: HTTP2StreamFailure = HTTP2StreamFailure(code: .locallyReset, reason: "stream reset locally")
    ) {
        var wakeups: [Resumption] = []
        let isLocal = connection.isLocal(id)
        let send: Bool = connection.state.withLock { connection in
            let wasOpen = state.withLock { stream in
                let open = stream.failure == nil && !(stream.localClosed && stream.remoteClosed)
                if open { stream.fail(failure, into: &wakeups) }
                return open
            }
            if wasOpen { connection.removeStream(id, isLocal: isLocal, into: &wakeups) }
            return wasOpen && connection.failure == nil
        }
        for wakeup in wakeups { wakeup.run() }
        if send {
            let id = self.id
            try? connection.write { writer in
                writer.encoder.encode(HTTP2Frame(streamID: id, payload: .rstStream(code)), into: &writer.buffer)
            }
        }
        connection.closeIfDrained()
    }
}
