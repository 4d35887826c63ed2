import CRIHPACK
import Synchronization

/// The reading end's own state, touched only by whoever holds the read turn.
struct ReadSide {
    var decoder: HTTP2FrameDecoder
    var buffer: [UInt8]

    init(role: HTTP2Connection.Role, configuration: HTTP2ConnectionConfiguration) {
        decoder = HTTP2FrameDecoder(
            expectClientPreface: role == .server,
            // The HPACK table starts at 4096 (the size the peer's encoder assumes) and changes when the
            // peer acknowledges our SETTINGS_HEADER_TABLE_SIZE (RFC 9113 § 6.5.3).
            configuration: HTTP2FrameDecoder.Configuration(
                maxFrameSize: configuration.maxFrameSize, maxHeaderListSize: configuration.maxHeaderListSize))
        buffer = [UInt8](repeating: 0, count: max(configuration.readBufferSize, 1024))
    }
}

/// What the reader does after a batch of frames, once the locks are released.
struct ReaderBatch {
    /// Control frames to send (ACKs, WINDOW_UPDATE, RST_STREAM), in one write.
    var frames: [HTTP2Frame] = []
    /// Continuations to resume.
    var wakeups: [Resumption] = []
    /// New peer-initiated streams to hand to `onStream`.
    var newStreams: [HTTP2Stream] = []
    /// Peer SETTINGS the encoder must apply before our ACK goes out.
    var headerTableSize: Int?
    var maxFrameSize: Int?
    /// The peer just acknowledged our SETTINGS; the decoder applies our header table size now.
    var ourSettingsAcknowledged = false
}

extension HTTP2Connection {
    /// The reader thread: reads, decodes, dispatches, until end of stream or a connection error.
    /// It steps aside while a calling task reads for itself (see ``readInline(for:)``).
    func readLoop() {
        var justRead = false
        while takeReaderTurn(afterBatch: justRead) {
            guard readSide.withLock({ readOnce(&$0) }), !isClosed else { return }
            justRead = true
        }
    }

    /// One read from the transport and everything it completes: frames applied, control frames
    /// sent, waiters woken. Only the current reader (see ``ReadTurn``) calls it.
    /// - Returns: false when the connection has ended.
    func readOnce(_ side: inout ReadSide) -> Bool {
        let count: Int
        do {
            count = try side.buffer.withUnsafeMutableBytes { try transport.read(into: $0) }
        } catch {
            terminate(.connectionClosed("read failed: \(error)"), goAway: nil)
            return false
        }
        guard count > 0 else {
            terminate(.connectionClosed("the peer closed the connection"), goAway: nil)
            return false
        }
        side.decoder.append(side.buffer[0..<count])
        var batch = ReaderBatch()
        var fatal: HTTP2ConnectionError?
        while fatal == nil {
            let frame: HTTP2Frame?
            do {
                frame = try side.decoder.nextFrame()
            } catch let error as HTTP2StreamError {
                resetFromReader(error.streamID, code: error.code, reason: error.reason, batch: &batch)
                continue
            } catch let error as HTTP2ConnectionError {
                fatal = error
                break
            } catch {
                fatal = HTTP2ConnectionError(code: .protocolError, reason: "\(error)")
                break
            }
            guard let frame else { break }
            do {
                try receive(frame, batch: &batch)
            } catch {
                fatal = error
            }
            if batch.ourSettingsAcknowledged {
                batch.ourSettingsAcknowledged = false
                if configuration.headerTableSize != 4096 {
                    side.decoder.setHeaderTableSize(configuration.headerTableSize)
                }
            }
        }
        finish(batch)
        if let fatal {
            terminate(
                .connectionClosed("connection error: \(fatal.reason)", http2Code: fatal.code),
                goAway: (fatal.code, fatal.reason))
            return false
        }
        return true
    }

    /// Sends the batch's control frames, then resumes waiting tasks and announces new streams.
    private func finish(_ batch: ReaderBatch) {
        let control = PendingControl(
            frames: batch.frames, headerTableSize: batch.headerTableSize, maxFrameSize: batch.maxFrameSize)
        if !control.isEmpty { sendControl(control) }
        for wakeup in batch.wakeups { wakeup.run() }
        if let onStream {
            for stream in batch.newStreams { onStream(stream) }
        }
        closeIfDrained()
    }

    /// A stream error found by the reader: RST_STREAM and fail the stream (RFC 9113 § 5.4.2).
    private func resetFromReader(_ id: UInt32, code: HTTP2ErrorCode, reason: String, batch: inout ReaderBatch) {
        let isLocal = self.isLocal(id)
        state.withLock { state in
            // A refused new stream is closed, not idle: its later frames are discarded (RFC 9113 § 5.1).
            if !isLocal && id > state.lastPeerStreamID { state.lastPeerStreamID = id }
            if let stream = state.streams[id] {
                stream.state.withLock {
                    $0.fail(
                        HTTP2StreamFailure(code: .protocolViolation, http2Code: code, reason: reason),
                        into: &batch.wakeups)
                }
                state.removeStream(id, isLocal: isLocal, into: &batch.wakeups)
            }
        }
        batch.frames.append(HTTP2Frame(streamID: id, payload: .rstStream(code)))
    }

    /// Applies one frame to the connection state.
    private func receive(_ frame: HTTP2Frame, batch: inout ReaderBatch) throws(HTTP2ConnectionError) {
        let id = frame.streamID
        let role = self.role
        let configuration = self.configuration
        let isLocal = self.isLocal(id)
        try state.withLock { (state) throws(HTTP2ConnectionError) in
            if !state.receivedPeerSettings {
                // RFC 9113 § 3.4: the peer's preface is a SETTINGS frame.
                guard case .settings(let settings) = frame.payload, !settings.ack else {
                    throw HTTP2ConnectionError(code: .protocolError, reason: "first frame is not SETTINGS")
                }
            }
            switch frame.payload {
            case .data(let bytes, let endStream, let flowControlledLength):
                try Self.receiveData(
                    id: id, bytes: bytes, endStream: endStream, length: flowControlledLength, isLocal: isLocal,
                    configuration: configuration, state: &state, batch: &batch)
            case .headers(let payload):
                try receiveHeaders(id: id, payload: payload, isLocal: isLocal, role: role, state: &state, batch: &batch)
            case .priority:
                // RFC 9113 § 5.3.2: priority signals are ignored.
                guard id != 0 else { throw HTTP2ConnectionError(code: .protocolError, reason: "PRIORITY on stream 0") }
            case .rstStream(let code):
                try Self.receiveReset(
                    id: id, code: code, isLocal: isLocal, configuration: configuration, state: &state, batch: &batch)
            case .settings(let payload):
                try Self.receiveSettings(
                    id: id, payload: payload, role: role, configuration: configuration, state: &state, batch: &batch)
            case .pushPromise:
                // RFC 9113 § 8.4: we send SETTINGS_ENABLE_PUSH = 0, and clients never push.
                throw HTTP2ConnectionError(code: .protocolError, reason: "PUSH_PROMISE received")
            case .ping(let data, let ack):
                // RFC 9113 § 6.7.
                guard id == 0 else { throw HTTP2ConnectionError(code: .protocolError, reason: "PING on a stream") }
                guard !ack else { return }
                if ConnectionState.exceedsLimit(
                    configuration.controlFrameFloodLimit, interval: configuration.controlFrameFloodInterval,
                    count: &state.controlFrameCount, windowStart: &state.controlWindowStart)
                {
                    throw HTTP2ConnectionError(code: .enhanceYourCalm, reason: "too many control frames")
                }
                batch.frames.append(HTTP2Frame(streamID: 0, payload: .ping(opaqueData: data, ack: true)))
            case .goAway(let lastStreamID, let code, _):
                guard id == 0 else { throw HTTP2ConnectionError(code: .protocolError, reason: "GOAWAY on a stream") }
                receiveGoAway(lastStreamID: lastStreamID, code: code, state: &state, batch: &batch)
            case .windowUpdate(let increment):
                try Self.receiveWindowUpdate(
                    id: id, increment: increment, isLocal: isLocal, state: &state, batch: &batch)
            case .unknown:
                // RFC 9113 § 4.1: unknown frame types are ignored.
                return
            }
        }
    }

    /// Whether a stream ID not in the table is idle (never opened) rather than closed (RFC 9113 § 5.1).
    private static func isIdle(_ id: UInt32, isLocal: Bool, state: borrowing ConnectionState) -> Bool {
        isLocal ? id >= state.nextLocalStreamID : id > state.lastPeerStreamID
    }

    private static func receiveData(
        id: UInt32, bytes: [UInt8], endStream: Bool, length: Int, isLocal: Bool,
        configuration: HTTP2ConnectionConfiguration, state: inout ConnectionState, batch: inout ReaderBatch
    ) throws(HTTP2ConnectionError) {
        guard id != 0 else { throw HTTP2ConnectionError(code: .protocolError, reason: "DATA on stream 0") }
        // RFC 9113 § 6.9.1: a sender must not exceed the window; the connection window is returned on
        // receipt (streams bound the buffering), so the peer is never stalled by one slow stream.
        state.receiveWindow -= length
        guard state.receiveWindow >= 0 else {
            throw HTTP2ConnectionError(code: .flowControlError, reason: "connection window exceeded")
        }
        state.receiveUnacknowledged += length
        if state.receiveUnacknowledged >= configuration.connectionWindowSize / 4 {
            let increment = state.receiveUnacknowledged
            state.receiveUnacknowledged = 0
            state.receiveWindow += increment
            batch.frames.append(HTTP2Frame(streamID: 0, payload: .windowUpdate(increment: UInt32(increment))))
        }
        guard let stream = state.streams[id] else {
            if isIdle(id, isLocal: isLocal, state: state) {
                // RFC 9113 § 5.1: DATA on an idle stream is a connection error.
                throw HTTP2ConnectionError(code: .protocolError, reason: "DATA on idle stream \(id)")
            }
            return  // A stream we already closed or reset: frames in flight are discarded.
        }
        enum Outcome {
            case ok, closed
            case streamError(HTTP2ErrorCode)
        }
        let outcome: Outcome = stream.state.withLock { stream in
            guard !stream.remoteClosed, stream.failure == nil else {
                // RFC 9113 § 5.1: half-closed (remote) → STREAM_CLOSED.
                return .streamError(.streamClosed)
            }
            stream.receiveWindow -= length
            guard stream.receiveWindow >= 0 else { return .streamError(.flowControlError) }
            // Padding is consumed at once (RFC 9113 § 6.1).
            stream.unacknowledged += length - bytes.count
            if !bytes.isEmpty || endStream {
                stream.enqueue(.data(bytes, endStream: endStream), into: &batch.wakeups)
            }
            if endStream {
                stream.remoteClosed = true
                return stream.localClosed ? .closed : .ok
            }
            return .ok
        }
        switch outcome {
        case .ok: break
        case .closed: state.removeStream(id, isLocal: isLocal, into: &batch.wakeups)
        case .streamError(let code):
            stream.state.withLock {
                $0.fail(
                    HTTP2StreamFailure(code: .protocolViolation, http2Code: code, reason: "bad DATA"),
                    into: &batch.wakeups)
            }
            state.removeStream(id, isLocal: isLocal, into: &batch.wakeups)
            batch.frames.append(HTTP2Frame(streamID: id, payload: .rstStream(code)))
        }
    }

    private func receiveHeaders(
        id: UInt32, payload: HeadersPayload, isLocal: Bool, role: Role, state: inout ConnectionState,
        batch: inout ReaderBatch
    ) throws(HTTP2ConnectionError) {
        guard id != 0 else { throw HTTP2ConnectionError(code: .protocolError, reason: "HEADERS on stream 0") }
        if let stream = state.streams[id] {
            let outcome: Bool? = stream.state.withLock { stream in
                guard !stream.remoteClosed, stream.failure == nil else { return nil }
                stream.enqueue(.headers(payload.headers, endStream: payload.endStream), into: &batch.wakeups)
                if payload.endStream { stream.remoteClosed = true }
                return payload.endStream && stream.localClosed
            }
            switch outcome {
            case nil:
                // RFC 9113 § 5.1: half-closed (remote) → stream error STREAM_CLOSED.
                stream.state.withLock {
                    $0.fail(
                        HTTP2StreamFailure(
                            code: .protocolViolation, http2Code: .streamClosed, reason: "HEADERS after END_STREAM"),
                        into: &batch.wakeups)
                }
                state.removeStream(id, isLocal: isLocal, into: &batch.wakeups)
                batch.frames.append(HTTP2Frame(streamID: id, payload: .rstStream(.streamClosed)))
            case true?:
                state.removeStream(id, isLocal: isLocal, into: &batch.wakeups)
            case false?:
                break
            }
            return
        }
        if isLocal || role == .client {
            if !isLocal || Self.isIdle(id, isLocal: true, state: state) {
                // RFC 9113 § 8.4: servers open no streams once push is disabled.
                throw HTTP2ConnectionError(code: .protocolError, reason: "HEADERS on unopened stream \(id)")
            }
            return  // A stream we reset: the peer's late response is discarded.
        }
        guard id > state.lastPeerStreamID else {
            // RFC 9113 § 5.1.1: a client stream ID must exceed every earlier one; the stream is closed.
            throw HTTP2ConnectionError(code: .streamClosed, reason: "HEADERS on closed stream \(id)")
        }
        state.lastPeerStreamID = id
        if state.goAwaySent || state.failure != nil {
            // RFC 9113 § 6.8: streams after our GOAWAY are not processed; the client may retry them.
            batch.frames.append(HTTP2Frame(streamID: id, payload: .rstStream(.refusedStream)))
            return
        }
        if let limit = configuration.maxConcurrentStreams, state.peerActive >= limit {
            // RFC 9113 § 5.1.2: beyond our SETTINGS_MAX_CONCURRENT_STREAMS → REFUSED_STREAM.
            batch.frames.append(HTTP2Frame(streamID: id, payload: .rstStream(.refusedStream)))
            return
        }
        var streamState = StreamState(
            sendWindow: state.peerInitialWindowSize,
            receiveWindow: state.initialReceiveWindow(advertised: configuration.initialStreamWindowSize))
        streamState.events.append(.headers(payload.headers, endStream: payload.endStream))
        streamState.remoteClosed = payload.endStream
        let stream = HTTP2Stream(id: id, connection: self, state: streamState)
        state.streams[id] = stream
        state.peerActive += 1
        batch.newStreams.append(stream)
    }

    private static func receiveReset(
        id: UInt32, code: HTTP2ErrorCode, isLocal: Bool, configuration: HTTP2ConnectionConfiguration,
        state: inout ConnectionState, batch: inout ReaderBatch
    ) throws(HTTP2ConnectionError) {
        guard id != 0 else { throw HTTP2ConnectionError(code: .protocolError, reason: "RST_STREAM on stream 0") }
        if ConnectionState.exceedsLimit(
            configuration.resetFloodLimit, interval: configuration.resetFloodInterval, count: &state.resetCount,
            windowStart: &state.resetWindowStart)
        {
            throw HTTP2ConnectionError(code: .enhanceYourCalm, reason: "too many stream resets")
        }
        guard let stream = state.streams[id] else {
            if isIdle(id, isLocal: isLocal, state: state) {
                throw HTTP2ConnectionError(code: .protocolError, reason: "RST_STREAM on idle stream \(id)")
            }
            return
        }
        stream.state.withLock { $0.fail(.resetByPeer(code), into: &batch.wakeups) }
        state.removeStream(id, isLocal: isLocal, into: &batch.wakeups)
    }

    private static func receiveSettings(
        id: UInt32, payload: SettingsPayload, role: Role, configuration: HTTP2ConnectionConfiguration,
        state: inout ConnectionState, batch: inout ReaderBatch
    ) throws(HTTP2ConnectionError) {
        guard id == 0 else { throw HTTP2ConnectionError(code: .protocolError, reason: "SETTINGS on a stream") }
        if payload.ack {
            // RFC 9113 § 6.9.2: from now on the peer uses our (smaller) initial window, so streams
            // opened before the ACK shrink by the difference.
            if !state.ourSettingsAcknowledged {
                state.ourSettingsAcknowledged = true
                batch.ourSettingsAcknowledged = true
                let delta = configuration.initialStreamWindowSize - 65535
                if delta < 0 {
                    for stream in state.streams.values {
                        stream.state.withLock { $0.receiveWindow += delta }
                    }
                }
            }
            return
        }
        if state.receivedPeerSettings,
            ConnectionState.exceedsLimit(
                configuration.controlFrameFloodLimit, interval: configuration.controlFrameFloodInterval,
                count: &state.controlFrameCount, windowStart: &state.controlWindowStart)
        {
            throw HTTP2ConnectionError(code: .enhanceYourCalm, reason: "too many control frames")
        }
        state.receivedPeerSettings = true
        for setting in payload.settings {
            let value = Int(setting.value)
            switch setting.parameter {
            case .headerTableSize:
                batch.headerTableSize = min(value, 65536)
            case .enablePush:
                // RFC 9113 § 6.5.2: only 0 or 1, and a server never enables push.
                guard value <= 1, !(role == .client && value == 1) else {
                    throw HTTP2ConnectionError(code: .protocolError, reason: "invalid SETTINGS_ENABLE_PUSH")
                }
            case .maxConcurrentStreams:
                state.peerMaxConcurrentStreams = value
                state.grantSlots(into: &batch.wakeups)
            case .initialWindowSize:
                // RFC 9113 § 6.5.2 / § 6.9.2: at most 2^31-1; the delta applies to every open stream.
                guard value <= 0x7fff_ffff else {
                    throw HTTP2ConnectionError(
                        code: .flowControlError, reason: "SETTINGS_INITIAL_WINDOW_SIZE too large")
                }
                let delta = value - state.peerInitialWindowSize
                state.peerInitialWindowSize = value
                let connectionWindow = state.sendWindow
                var overflow = false
                for stream in state.streams.values {
                    stream.state.withLock { stream in
                        stream.sendWindow += delta
                        if stream.sendWindow > 0x7fff_ffff { overflow = true }
                        stream.wakeSenderIfWindow(connectionWindow: connectionWindow, into: &batch.wakeups)
                    }
                }
                if overflow {
                    throw HTTP2ConnectionError(code: .flowControlError, reason: "stream window overflow")
                }
            case .maxFrameSize:
                // RFC 9113 § 6.5.2: between 2^14 and 2^24-1.
                guard value >= 16384, value <= 16_777_215 else {
                    throw HTTP2ConnectionError(code: .protocolError, reason: "invalid SETTINGS_MAX_FRAME_SIZE")
                }
                state.peerMaxFrameSize = value
                batch.maxFrameSize = value
            default:
                break  // RFC 9113 § 6.5.2: unknown settings are ignored.
            }
        }
        batch.frames.append(HTTP2Frame(streamID: 0, payload: .settings(SettingsPayload(ack: true, settings: []))))
    }

    private func receiveGoAway(
        lastStreamID: UInt32, code: HTTP2ErrorCode, state: inout ConnectionState, batch: inout ReaderBatch
    ) {
        // RFC 9113 § 6.8: streams above lastStreamID were not processed and may be retried elsewhere.
        let last = min(state.goAwayReceived ?? lastStreamID, lastStreamID)
        state.goAwayReceived = last
        let refused = state.streams.filter { isLocal($0.key) && $0.key > last }
        for (id, stream) in refused {
            stream.state.withLock {
                $0.fail(
                    HTTP2StreamFailure(code: .refusedByGoAway, http2Code: code, reason: "the peer sent GOAWAY"),
                    into: &batch.wakeups)
            }
            state.removeStream(id, isLocal: true, into: &batch.wakeups)
        }
        state.failSlotWaiters(into: &batch.wakeups)
    }

    private static func receiveWindowUpdate(
        id: UInt32, increment: UInt32, isLocal: Bool, state: inout ConnectionState, batch: inout ReaderBatch
    ) throws(HTTP2ConnectionError) {
        let increment = Int(increment)
        if id == 0 {
            // RFC 9113 § 6.9: a zero increment is an error; the window may not exceed 2^31-1.
            guard increment > 0 else {
                throw HTTP2ConnectionError(code: .protocolError, reason: "WINDOW_UPDATE of 0")
            }
            state.sendWindow += increment
            guard state.sendWindow <= 0x7fff_ffff else {
                throw HTTP2ConnectionError(code: .flowControlError, reason: "connection window overflow")
            }
            let connectionWindow = state.sendWindow
            for stream in state.streams.values {
                stream.state.withLock {
                    $0.wakeSenderIfWindow(connectionWindow: connectionWindow, into: &batch.wakeups)
                }
            }
            return
        }
        guard let stream = state.streams[id] else {
            if isIdle(id, isLocal: isLocal, state: state) {
                throw HTTP2ConnectionError(code: .protocolError, reason: "WINDOW_UPDATE on idle stream \(id)")
            }
            return
        }
        let connectionWindow = state.sendWindow
        let error: HTTP2ErrorCode? = stream.state.withLock { stream in
            guard increment > 0 else { return .protocolError }
            stream.sendWindow += increment
            guard stream.sendWindow <= 0x7fff_ffff else { return .flowControlError }
            stream.wakeSenderIfWindow(connectionWindow: connectionWindow, into: &batch.wakeups)
            return nil
        }
        if let error {
            stream.state.withLock {
                $0.fail(
                    HTTP2StreamFailure(code: .protocolViolation, http2Code: error, reason: "bad WINDOW_UPDATE"),
                    into: &batch.wakeups)
            }
            state.removeStream(id, isLocal: isLocal, into: &batch.wakeups)
            batch.frames.append(HTTP2Frame(streamID: id, payload: .rstStream(error)))
        }
    }
}
