import Synchronization

/// SPDY/3.1 flow control (§ 2.6.8 plus the 3.1 session window): reserving the peer's window before sending DATA,
/// waiting for it, and giving ours back as the application consumes data.
extension SPDYConnection {
    enum Reservation {
        case granted(Int)
        case wait(generation: Int)
        case failed(StreamingError)
    }

    func reserveWindow(_ id: UInt32, wanted: Int, deadline: ContinuousClock.Instant)
        async throws(StreamingError) -> Int
    {
        let label = self.label
        while true {
            let reservation = state.withLock { state -> Reservation in
                if let ending = state.ending { return .failed(ending) }
                guard var entry = state.streams[id], !entry.localClosed else {
                    return .failed(
                        StreamingError(code: .connectionClosed, message: "\(label): stream \(id) is closed for writing"))
                }
                var granted = wanted
                if state.peerDoesFlowControl {
                    granted = min(wanted, entry.sendWindow, state.sessionSendWindow)
                    guard granted > 0 else { return .wait(generation: state.windowGeneration) }
                }
                entry.sendWindow -= granted
                state.sessionSendWindow -= granted
                state.streams[id] = entry
                return .granted(granted)
            }
            switch reservation {
            case .granted(let count): return count
            case .failed(let error): throw error
            case .wait(let generation):
                guard ContinuousClock.now < deadline else {
                    throw StreamingError(
                        code: .timedOut, message: "\(label): the peer's flow-control window stayed closed")
                }
                await waitForWindow(after: generation, deadline: deadline)
            }
        }
    }

    func waitForWindow(after generation: Int, deadline: ContinuousClock.Instant) async {
        let waiterID = state.withLock { state -> Int in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        let timer = Task { [self] in
            try? await Task.sleep(until: deadline, clock: .continuous)
            let waiter = state.withLock { $0.windowWaiters.removeValue(forKey: waiterID) }
            waiter?.resume()
        }
        defer { timer.cancel() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.windowGeneration != generation || state.ending != nil { return true }
                state.windowWaiters[waiterID] = continuation
                return false
            }
            if ready { continuation.resume() }
        }
    }

    func wakeWindowWaiters(_ state: inout State) -> [CheckedContinuation<Void, Never>] {
        state.windowGeneration += 1
        defer { state.windowWaiters = [:] }
        return Array(state.windowWaiters.values)
    }

    /// The application consumed `count` bytes of `stream`'s data: give the window back (WINDOW_UPDATE) once half of
    /// it is used, for the stream and for the session — to a peer that does flow control. spdystream neither needs
    /// nor reads them, and not writing them keeps the consumer from ever touching the wire.
    func consumed(_ count: Int, on id: UInt32) {
        guard windowUpdates != .never, count > 0 else { return }
        let threshold = Self.defaultWindow / 2
        let always = windowUpdates == .always
        let queued = state.withLock { state -> Bool in
            let giveBack = always || state.peerDoesFlowControl
            // After our GOAWAY the write side is shut: nothing more to give back.
            guard state.ending == nil, !state.goAwaySent else { return false }
            let before = state.pendingUpdates.count
            if var entry = state.streams[id], !entry.remoteClosed {
                entry.unacknowledged += count
                if giveBack, entry.unacknowledged >= threshold {
                    state.pendingUpdates.append(.windowUpdate(streamID: id, delta: UInt32(entry.unacknowledged)))
                    entry.receiveWindow += entry.unacknowledged
                    entry.unacknowledged = 0
                }
                state.streams[id] = entry
            }
            state.sessionUnacknowledged += count
            if giveBack, state.sessionUnacknowledged >= threshold {
                state.pendingUpdates.append(.windowUpdate(streamID: 0, delta: UInt32(state.sessionUnacknowledged)))
                state.sessionReceiveWindow += state.sessionUnacknowledged
                state.sessionUnacknowledged = 0
            }
            return state.pendingUpdates.count > before
        }
        if queued { flushWindowUpdates() }
    }
}
