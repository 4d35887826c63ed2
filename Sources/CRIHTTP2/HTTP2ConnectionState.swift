/// The connection's shared state, guarded by the connection mutex.
struct ConnectionState {
    /// Open streams (and half-closed ones), by ID.
    var streams: [UInt32: HTTP2Stream] = [:]
    /// The ID the next locally initiated stream gets (RFC 9113 § 5.1.1: odd for clients).
    var nextLocalStreamID: UInt32
    /// The highest peer-initiated stream ID seen; GOAWAY reports it.
    var lastPeerStreamID: UInt32 = 0
    /// Locally initiated streams counted against the peer's SETTINGS_MAX_CONCURRENT_STREAMS
    /// (including reserved slots whose HEADERS are about to go out).
    var localActive = 0
    /// Peer-initiated streams counted against our SETTINGS_MAX_CONCURRENT_STREAMS.
    var peerActive = 0
    /// Streams still in the table whose slot ``releaseSlotEarly(_:isLocal:into:)`` already freed.
    var slotsReleasedEarly: Set<UInt32> = []
    /// The peer's settings (RFC 9113 § 6.5.2 initial values until its SETTINGS arrive).
    var peerMaxConcurrentStreams = Int.max
    var peerInitialWindowSize = 65535
    var peerMaxFrameSize = 16384
    /// Connection-level send window (RFC 9113 § 6.9.1).
    var sendWindow = 65535
    /// What the peer may still send on the connection.
    var receiveWindow = 65535
    /// Received octets not yet returned with a connection WINDOW_UPDATE.
    var receiveUnacknowledged = 0
    /// Tasks waiting for a stream slot, in arrival order.
    var slotWaiters: [(token: UInt64, continuation: SignalContinuation)] = []
    var nextWaiterToken: UInt64 = 0
    /// Tasks waiting for the connection to close.
    var closeWaiters: [UnsafeContinuation<Void, Never>] = []
    /// The last stream ID of a received GOAWAY.
    var goAwayReceived: UInt32?
    /// Whether we sent GOAWAY.
    var goAwaySent = false
    /// Locally initiated stream IDs ran out (RFC 9113 § 5.1.1).
    var streamIDsExhausted = false
    /// Set once when the connection ends; every later operation fails with it.
    var failure: HTTP2StreamFailure?
    /// The peer's first frame must be SETTINGS (RFC 9113 § 3.4).
    var receivedPeerSettings = false
    /// Whether the peer acknowledged our SETTINGS.
    var ourSettingsAcknowledged = false
    /// Flood accounting.
    var resetCount = 0
    var resetWindowStart = ContinuousClock.now
    var controlFrameCount = 0
    var controlWindowStart = ContinuousClock.now

    init(role: HTTP2Connection.Role) {
        nextLocalStreamID = role == .client ? 1 : 2
    }

    /// The receive window a new stream starts with. RFC 9113 § 6.9.2: until the peer acknowledges
    /// our SETTINGS it may use the default 65,535, so a smaller advertised window applies only then.
    func initialReceiveWindow(advertised: Int) -> Int {
        ourSettingsAcknowledged ? advertised : max(advertised, 65535)
    }

    /// Whether new locally initiated streams may start.
    var isAccepting: Bool {
        failure == nil && goAwayReceived == nil && !goAwaySent && !streamIDsExhausted
    }

    /// Why new streams cannot start.
    var notAcceptingFailure: HTTP2StreamFailure {
        if let failure { return failure.code == .notAccepting ? failure : .notAccepting(failure.reason) }
        if goAwayReceived != nil { return .notAccepting("the peer sent GOAWAY") }
        if goAwaySent { return .notAccepting("the connection is shutting down") }
        return .notAccepting("stream IDs exhausted")
    }

    /// Whether the connection has drained after a GOAWAY (or its last stream ID) and should close.
    var shouldCloseWhenDrained: Bool {
        failure == nil && (goAwayReceived != nil || goAwaySent || streamIDsExhausted) && streams.isEmpty
            && localActive == 0
    }

    /// Releases one local stream slot, handing it to the next waiter if any.
    mutating func releaseLocalSlot(into wakeups: inout [Resumption]) {
        if !slotWaiters.isEmpty, isAccepting, localActive <= peerMaxConcurrentStreams {
            // The slot passes straight to the waiter; localActive stays.
            let waiter = slotWaiters.removeFirst()
            wakeups.append(.signal(waiter.continuation, .success(())))
        } else {
            localActive -= 1
        }
    }

    /// Hands free slots to waiters after MAX_CONCURRENT_STREAMS grew.
    mutating func grantSlots(into wakeups: inout [Resumption]) {
        while !slotWaiters.isEmpty, localActive < peerMaxConcurrentStreams {
            localActive += 1
            let waiter = slotWaiters.removeFirst()
            wakeups.append(.signal(waiter.continuation, .success(())))
        }
    }

    /// Fails every slot waiter (GOAWAY, close).
    mutating func failSlotWaiters(into wakeups: inout [Resumption]) {
        let failure = notAcceptingFailure
        for waiter in slotWaiters { wakeups.append(.signal(waiter.continuation, .failure(failure))) }
        slotWaiters.removeAll()
    }

    /// Removes a closed stream from the table.
    mutating func removeStream(_ id: UInt32, isLocal: Bool, into wakeups: inout [Resumption]) {
        guard streams.removeValue(forKey: id) != nil else { return }
        if slotsReleasedEarly.remove(id) != nil { return }
        if isLocal {
            releaseLocalSlot(into: &wakeups)
        } else {
            peerActive -= 1
        }
    }

    /// Frees a stream's concurrency slot while it stays in the table: used just before the write
    /// that carries its END_STREAM, when the peer has already closed its side (RFC 9113 § 5.1.2: a
    /// closed stream no longer counts). The stream leaves the table only after that write, so a
    /// graceful close cannot see the connection drained while its last frames are going out.
    mutating func releaseSlotEarly(_ id: UInt32, isLocal: Bool, into wakeups: inout [Resumption]) {
        guard streams[id] != nil, slotsReleasedEarly.insert(id).inserted else { return }
        if isLocal {
            releaseLocalSlot(into: &wakeups)
        } else {
            peerActive -= 1
        }
    }

    /// Counts one frame against a flood limit; true when the limit is exceeded.
    static func exceedsLimit(
        _ limit: Int?, interval: Duration, count: inout Int, windowStart: inout ContinuousClock.Instant
    ) -> Bool {
        guard let limit else { return false }
        let now = ContinuousClock.now
        if now - windowStart > interval {
            windowStart = now
            count = 0
        }
        count += 1
        return count > limit
    }
}
