import CRITransport
import Synchronization

/// The reader thread: decodes frames and applies them to the session's state.
extension SPDYConnection {
    func readLoop(initialBytes: [UInt8], handlers: Handlers) -> Ending {
        var decoder = SPDYFrameDecoder(maxFrameLength: maxFrameLength, maxHeaderBlockSize: maxHeaderBlockSize)
        decoder.append(initialBytes)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            do throws(StreamingError) {
                while let frame = try nextFrame(&decoder) {
                    try handle(frame, handlers: handlers)
                }
            } catch {
                let goAway: SPDYFrame = .goAway(
                    lastGoodStreamID: state.withLock { $0.lastPeerStreamID }, status: 1)
                try? send(goAway)
                return .failed(error)
            }
            let count: Int
            do throws(TransportError) {
                count = try stream.read(into: &chunk)
            } catch {
                if state.withLock({ $0.aborted }) { return .failed(closedLocally) }
                return .failed(.transport(error, "\(label): read"))
            }
            if count == 0 {
                let (aborted, goAway) = state.withLock { ($0.aborted, $0.goAwayReceived) }
                return aborted ? .failed(closedLocally) : .endOfStream(goAway: goAway)
            }
            decoder.append(chunk[..<count])
        }
    }

    var closedLocally: StreamingError {
        StreamingError(code: .cancelled, message: "\(label): connection closed locally")
    }

    func nextFrame(_ decoder: inout SPDYFrameDecoder) throws(StreamingError) -> SPDYFrame? {
        do throws(SPDYError) {
            return try decoder.nextFrame()
        } catch {
            let code: StreamingError.Code =
                error.code == .frameTooLarge || error.code == .headerBlockTooLarge ? .messageTooLarge : .protocolViolation
            throw StreamingError(code: code, message: "\(label): SPDY: \(error.message)")
        }
    }

    func violation(_ reason: String) -> StreamingError {
        StreamingError(code: .protocolViolation, message: "\(label): SPDY: \(reason)")
    }

    func handle(_ frame: SPDYFrame, handlers: Handlers) throws(StreamingError) {
        switch frame {
        case .data(let id, let fin, let payload):
            try receiveData(id, fin: fin, payload)
        case .synStream(let id, _, _, let fin, _, let headers):
            try receiveSynStream(id, fin: fin, headers: headers, handlers: handlers)
        case .synReply(let id, let fin, _):
            try receiveSynReply(id, fin: fin)
        case .rstStream(let id, let status):
            receiveReset(id, status: status)
        case .settings(_, let settings):
            try receiveSettings(settings)
        case .ping(let id):
            // SPDY/3 § 2.6.5: the receiver echoes pings the peer initiated (odd ids come from the client).
            let fromPeer = (id % 2 == 1) == (role == .server)
            if fromPeer { try? send(.ping(id: id)) }
        case .goAway(let lastGood, let status):
            try receiveGoAway(lastGood: lastGood, status: status)
        case .headers(let id, let fin, _):
            if fin { remoteFinished(id) }
        case .windowUpdate(let id, let delta):
            try receiveWindowUpdate(id, delta: delta)
        }
    }

    /// SPDY/3 § 2.6.6: streams we opened above `lastGood` were never seen by the peer and never will be; if one of
    /// them is still waiting for the peer, the session cannot complete, so it ends now rather than waiting for the
    /// peer to close. (kubelet's servers send GOAWAY naming the last stream after the status, so nothing is lost.)
    func receiveGoAway(lastGood: UInt32, status: UInt32) throws(StreamingError) {
        let ourParity: UInt32 = role == .client ? 1 : 0
        let orphan = state.withLock { state -> UInt32? in
            state.goAwayReceived = true
            return state.streams.filter { $0.key % 2 == ourParity && $0.key > lastGood && !$0.value.remoteClosed }
                .keys.min()
        }
        if let orphan {
            throw StreamingError(
                code: .connectionClosed,
                message: "\(label): the peer sent GOAWAY (last good stream \(lastGood), status \(status)) "
                    + "without having accepted stream \(orphan)")
        }
    }

    func receiveData(_ id: UInt32, fin: Bool, _ payload: [UInt8]) throws(StreamingError) {
        enum Action {
            case deliver(SPDYStream.Handlers?)
            case ignore
            case violation(String)
        }
        let action = state.withLock { state -> Action in
            state.sessionReceiveWindow -= payload.count
            guard var entry = state.streams[id] else {
                // Data for a stream we reset or forgot is dropped (SPDY/3 § 2.4.2); for one never opened it is an
                // error.
                let ours = (id % 2 == 1) == (role == .client)
                let opened = ours ? id < state.nextStreamID : id <= state.lastPeerStreamID
                return opened ? .ignore : .violation("DATA for stream \(id), which was never opened")
            }
            if entry.remoteClosed { return .violation("DATA on stream \(id) after its FIN") }
            entry.receiveWindow -= payload.count
            if state.peerAnnounced, entry.receiveWindow < 0 || state.sessionReceiveWindow < 0 {
                return .violation("the peer sent past the flow-control window on stream \(id)")
            }
            if fin { entry.remoteClosed = true }
            state.streams[id] = entry
            return .deliver(entry.handlers)
        }
        switch action {
        case .ignore: return
        case .violation(let reason): throw violation(reason)
        case .deliver(let handlers):
            if !payload.isEmpty {
                if let handlers { handlers.data(payload) } else { consumed(payload.count, on: id) }
            }
            if fin {
                handlers?.end(.finished)
                forgetIfClosed(id)
            }
        }
    }

    func receiveSynStream(_ id: UInt32, fin: Bool, headers: SPDYHeaders, handlers: Handlers)
        throws(StreamingError)
    {
        let peerParity: UInt32 = role == .server ? 1 : 0
        let accepted = try state.withLock { state throws(StreamingError) -> SPDYStream? in
            guard id != 0, id % 2 == peerParity, id > state.lastPeerStreamID else {
                throw violation("SYN_STREAM with stream id \(id) (reused or of the wrong parity)")
            }
            state.lastPeerStreamID = id
            guard role == .server, !state.goAwaySent else { return nil }
            let stream = SPDYStream(id: id, headers: headers, connection: self)
            var entry = StreamState(stream: stream, handlers: nil, replied: true, sendWindow: state.initialSendWindow)
            entry.remoteClosed = fin
            state.streams[id] = entry
            return stream
        }
        guard let accepted else {
            // We accept no server push.
            try? send(.rstStream(streamID: id, status: SPDYRstStatus.refusedStream.rawValue))
            return
        }
        guard let streamHandlers = handlers.newStream(accepted) else {
            reset(accepted, status: .refusedStream)
            return
        }
        state.withLock { $0.streams[id]?.handlers = streamHandlers }
        if fin { streamHandlers.end(.finished) }
    }

    func receiveSynReply(_ id: UInt32, fin: Bool) throws(StreamingError) {
        let waiter = try state.withLock {
            state throws(StreamingError) -> (CheckedContinuation<Result<Void, StreamingError>, Never>?, SPDYStream.Handlers?)? in
            guard role == .client, id % 2 == 1, id < state.nextStreamID else {
                throw violation("SYN_REPLY for stream \(id), which we never opened")
            }
            guard var entry = state.streams[id] else { return nil }
            guard !entry.replied else { throw violation("a second SYN_REPLY for stream \(id)") }
            entry.replied = true
            state.replied.insert(id)
            if fin { entry.remoteClosed = true }
            let waiter = entry.replyWaiter
            entry.replyWaiter = nil
            state.streams[id] = entry
            return (waiter, fin ? entry.handlers : nil)
        }
        waiter?.0?.resume(returning: .success(()))
        if let handlers = waiter?.1 {
            handlers.end(.finished)
            forgetIfClosed(id)
        }
    }

    func receiveReset(_ id: UInt32, status: UInt32) {
        let entry = state.withLock { $0.streams.removeValue(forKey: id) }
        guard let entry else { return }
        let label = self.label
        entry.replyWaiter?.resume(
            returning: .failure(
                StreamingError(
                    code: .connectionClosed,
                    message: "\(label): the server reset stream \(id) (\(SPDYStream.describe(rstStatus: status)))")))
        entry.handlers?.end(.reset(status))
        let waiters = state.withLock { wakeWindowWaiters(&$0) }
        for waiter in waiters { waiter.resume() }
    }

    func remoteFinished(_ id: UInt32) {
        let handlers = state.withLock { state -> SPDYStream.Handlers? in
            guard var entry = state.streams[id], !entry.remoteClosed else { return nil }
            entry.remoteClosed = true
            state.streams[id] = entry
            return entry.handlers
        }
        handlers?.end(.finished)
        forgetIfClosed(id)
    }

    func receiveSettings(_ settings: [SPDYSetting]) throws(StreamingError) {
        guard let window = settings.last(where: { $0.id == SPDYSetting.initialWindowSize }) else { return }
        guard window.value <= UInt32(Self.maxWindow) else {
            throw violation("SETTINGS_INITIAL_WINDOW_SIZE \(window.value) exceeds 2^31-1")
        }
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            let delta = Int(window.value) - state.initialSendWindow
            state.initialSendWindow = Int(window.value)
            for id in state.streams.keys { state.streams[id]?.sendWindow += delta }
            state.peerDoesFlowControl = true
            state.peerAnnounced = true
            return wakeWindowWaiters(&state)
        }
        for waiter in waiters { waiter.resume() }
    }

    func receiveWindowUpdate(_ id: UInt32, delta: UInt32) throws(StreamingError) {
        guard delta > 0, delta <= UInt32(Self.maxWindow) else {
            throw violation("WINDOW_UPDATE with delta \(delta) on stream \(id)")
        }
        let result = state.withLock { state -> Result<[CheckedContinuation<Void, Never>], StreamingError> in
            state.peerDoesFlowControl = true
            if id == 0 {
                state.sessionSendWindow += Int(delta)
                if state.sessionSendWindow > Self.maxWindow {
                    return .failure(violation("WINDOW_UPDATE took the session window past 2^31-1"))
                }
            } else if var entry = state.streams[id] {
                entry.sendWindow += Int(delta)
                if entry.sendWindow > Self.maxWindow {
                    return .failure(violation("WINDOW_UPDATE took stream \(id)'s window past 2^31-1"))
                }
                state.streams[id] = entry
            }
            return .success(wakeWindowWaiters(&state))
        }
        for waiter in try result.get() { waiter.resume() }
    }

    func recordEnding(_ ending: Ending) {
        let label = self.label
        let error: StreamingError
        switch ending {
        case .failed(let failure): error = failure
        case .endOfStream(let goAway):
            error = StreamingError(
                code: .connectionClosed,
                message: "\(label): the connection ended" + (goAway ? " after the peer's GOAWAY" : ""))
        }
        state.withLock { $0.ending = $0.ending ?? error }
    }

    /// The reader ended: every open stream ends, every waiter wakes.
    func finishStreams() {
        let label = self.label
        let (error, entries, waiters, timer) = state.withLock {
            state -> (StreamingError, [StreamState], [CheckedContinuation<Void, Never>], Task<Void, Never>?) in
            let error = state.ending ?? StreamingError(code: .connectionClosed, message: "\(label): connection ended")
            state.readerFinished = true
            defer {
                state.streams = [:]
                state.closeTimer = nil
            }
            return (error, Array(state.streams.values), wakeWindowWaiters(&state), state.closeTimer)
        }
        timer?.cancel()
        writer.withLock { $0.broken = true }
        for waiter in waiters { waiter.resume() }
        for entry in entries.sorted(by: { $0.stream.id < $1.stream.id }) {
            entry.replyWaiter?.resume(returning: .failure(error))
            if !entry.remoteClosed { entry.handlers?.end(.connectionEnded(error)) }
        }
    }
}
