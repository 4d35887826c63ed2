package import CRIHPACK
import Synchronization

extension HTTP2Connection {
    /// Largest chunk of DATA written in one call, so one big message does not monopolise the socket.
    static let maxDataPerWrite = 1 << 20

    /// Opens a locally initiated stream: sends HEADERS and as much of `data` as the flow-control
    /// windows allow, in a single write. The caller sends the rest with
    /// ``HTTP2Stream/sendData(_:from:trailers:endStream:)`` (after arming its deadline on the stream).
    ///
    /// Waits for a slot when the peer's SETTINGS_MAX_CONCURRENT_STREAMS is reached (RFC 9113 § 5.1.2).
    /// - Parameters:
    ///   - headers: the request header block.
    ///   - data: the request body; empty for none.
    ///   - endStream: whether this ends our side of the stream.
    ///   - canceller: lets another task (a deadline timer) abandon the wait for a slot.
    /// - Throws: ``HTTP2StreamFailure``: `.notAccepting` when the connection takes no new streams
    ///   (nothing was sent, so a new connection may be used), `.connectionClosed`, `.locallyReset` when
    ///   the task was cancelled (or `canceller` fired) while waiting for a slot.
    /// - Returns: the stream and how many octets of `data` were sent.
    package func openStream(
        headers: [HPACKHeader], data: [UInt8] = [], endStream: Bool, canceller: HTTP2OpenCanceller? = nil
    ) async throws(HTTP2StreamFailure) -> (stream: HTTP2Stream, sent: Int) {
        try await acquireStreamSlot(canceller: canceller)
        let advertisedWindow = configuration.initialStreamWindowSize
        let result: Result<(HTTP2Stream, Int, Bool), HTTP2StreamFailure> = writer.withLock { writer in
            var wakeups: [Resumption] = []
            let allocation: Result<(HTTP2Stream, Int, Int), HTTP2StreamFailure> = state.withLock { state in
                guard state.isAccepting else {
                    state.releaseLocalSlot(into: &wakeups)
                    return .failure(state.notAcceptingFailure)
                }
                let id = state.nextLocalStreamID
                if id > 0x7fff_fffd {
                    // RFC 9113 § 5.1.1: stream IDs cannot be reused; this is the last one.
                    state.streamIDsExhausted = true
                }
                state.nextLocalStreamID = id &+ 2  // id < 2^31, so no overflow
                let grant = min(data.count, state.peerInitialWindowSize, state.sendWindow, Self.maxDataPerWrite)
                let granted = max(0, grant)
                state.sendWindow -= granted
                var streamState = StreamState(
                    sendWindow: state.peerInitialWindowSize - granted,
                    receiveWindow: state.initialReceiveWindow(advertised: advertisedWindow))
                streamState.localClosed = endStream && granted == data.count
                let stream = HTTP2Stream(id: id, connection: self, state: streamState)
                state.streams[id] = stream
                return .success((stream, granted, state.peerMaxFrameSize))
            }
            for wakeup in wakeups { wakeup.run() }
            guard case .success(let (stream, granted, maxFrameSize)) = allocation else {
                if case .failure(let failure) = allocation { return .failure(failure) }
                return .failure(.notAccepting("unreachable"))
            }
            let headersEnd = endStream && data.isEmpty
            writer.encoder.encode(
                HTTP2Frame(
                    streamID: stream.id,
                    payload: .headers(HeadersPayload(headers: headers, endStream: headersEnd, priority: nil))),
                into: &writer.buffer)
            Self.encodeData(
                data, range: 0..<granted, streamID: stream.id, endStream: endStream, maxFrameSize: maxFrameSize,
                into: &writer)
            return .success((stream, granted, Self.claimFlush(&writer)))
        }
        if case .success((_, _, true)) = result, let failure = flushAll() {
            // The stream learns its fate from the reader: refused if a GOAWAY was waiting for us.
            writeFailed(failure)
        }
        flushPendingControl()
        switch result {
        case .failure(let failure):
            if failure.code == .connectionClosed { terminate(failure, goAway: nil) }
            throw failure
        case .success(let (stream, granted, _)):
            if granted == data.count && endStream {
                stream.didCloseLocally()
            }
            return (stream, granted)
        }
    }

    /// Appends DATA frames for `data[range]`, each at most `maxFrameSize`; the last carries
    /// END_STREAM when `endStream` and the range reaches the end of `data`.
    static func encodeData(
        _ data: [UInt8], range: Range<Int>, streamID: UInt32, endStream: Bool, maxFrameSize: Int,
        into writer: inout WriterState
    ) {
        var offset = range.lowerBound
        while offset < range.upperBound {
            let end = min(range.upperBound, offset + maxFrameSize)
            writer.encoder.encodeData(
                streamID: streamID, bytes: data[offset..<end], endStream: endStream && end == data.count,
                into: &writer.buffer)
            offset = end
        }
    }

    /// Reserves a slot for a new local stream, waiting while the peer's limit is reached.
    private func acquireStreamSlot(canceller: HTTP2OpenCanceller?) async throws(HTTP2StreamFailure) {
        enum Admission {
            case granted
            case wait(UInt64)
            case refused(HTTP2StreamFailure)
        }
        let admission: Admission = state.withLock { state in
            guard state.isAccepting else { return .refused(state.notAcceptingFailure) }
            if state.localActive < state.peerMaxConcurrentStreams, state.slotWaiters.isEmpty {
                state.localActive += 1
                return .granted
            }
            state.nextWaiterToken += 1
            return .wait(state.nextWaiterToken)
        }
        switch admission {
        case .granted: return
        case .refused(let failure): throw failure
        case .wait(let token):
            let cancelWait: @Sendable () -> Void = { [self] in
                let waiter: SignalContinuation? = state.withLock { state in
                    guard let index = state.slotWaiters.firstIndex(where: { $0.token == token }) else { return nil }
                    return state.slotWaiters.remove(at: index).continuation
                }
                waiter?.resume(returning: .failure(HTTP2StreamFailure(code: .locallyReset, reason: "cancelled")))
            }
            canceller?.setAction(cancelWait)
            defer { canceller?.setAction(nil) }
            summonReader()  // the slot frees when a stream's end is read
            let result = await withTaskCancellationHandler {
                await withUnsafeContinuation { (continuation: SignalContinuation) in
                    let immediate: Result<Void, HTTP2StreamFailure>? = state.withLock { state in
                        guard state.isAccepting else { return .failure(state.notAcceptingFailure) }
                        // Checked under the lock the cancel actions take, so a cancellation before
                        // the waiter is registered is not lost.
                        if Task.isCancelled || canceller?.isCancelled == true {
                            return .failure(HTTP2StreamFailure(code: .locallyReset, reason: "cancelled"))
                        }
                        if state.localActive < state.peerMaxConcurrentStreams, state.slotWaiters.isEmpty {
                            state.localActive += 1
                            return .success(())
                        }
                        state.slotWaiters.append((token, continuation))
                        return nil
                    }
                    if let immediate { continuation.resume(returning: immediate) }
                }
            } onCancel: {
                cancelWait()
            }
            try result.get()
        }
    }
}

/// Lets another task abandon an ``HTTP2Connection/openStream(headers:data:endStream:canceller:)``
/// that is waiting for a stream slot (a call whose deadline passes while the peer's
/// SETTINGS_MAX_CONCURRENT_STREAMS is reached).
package final class HTTP2OpenCanceller: Sendable {
    private let state = Mutex<(cancelled: Bool, action: (@Sendable () -> Void)?)>((false, nil))

    /// Creates a canceller.
    package init() {}

    /// Abandons the wait (now or, if it has not started, as soon as it does).
    package func cancel() {
        let action = state.withLock { state in
            state.cancelled = true
            return state.action
        }
        action?()
    }

    var isCancelled: Bool { state.withLock { $0.cancelled } }

    func setAction(_ action: (@Sendable () -> Void)?) {
        state.withLock { $0.action = action }
    }
}
