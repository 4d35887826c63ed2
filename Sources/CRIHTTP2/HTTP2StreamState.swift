package import CRIHPACK

/// One inbound event of a stream, in arrival order.
package enum HTTP2StreamEvent: Sendable, Hashable {
    /// A header block: the response/request headers, or trailers when `endStream` is set.
    case headers([HPACKHeader], endStream: Bool)
    /// DATA payload (padding removed); `endStream` marks the peer's last frame.
    case data([UInt8], endStream: Bool)
}

typealias EventContinuation = UnsafeContinuation<Result<HTTP2StreamEvent?, HTTP2StreamFailure>, Never>
typealias SignalContinuation = UnsafeContinuation<Result<Void, HTTP2StreamFailure>, Never>

/// A continuation to resume once every lock is released.
enum Resumption {
    case event(EventContinuation, Result<HTTP2StreamEvent?, HTTP2StreamFailure>)
    case signal(SignalContinuation, Result<Void, HTTP2StreamFailure>)
    case idle(UnsafeContinuation<Void, Never>)
    case callback(@Sendable () -> Void)

    func run() {
        switch self {
        case .event(let continuation, let result): continuation.resume(returning: result)
        case .signal(let continuation, let result): continuation.resume(returning: result)
        case .idle(let continuation): continuation.resume()
        case .callback(let body): body()
        }
    }
}

/// The mutable part of a stream, guarded by the stream's mutex.
///
/// Lock order: writer → connection → stream; never the other way.
struct StreamState {
    /// Events not yet taken by the application; `eventHead` is the next one.
    var events: [HTTP2StreamEvent] = []
    var eventHead = 0
    /// The application task waiting for the next event, if any.
    var eventWaiter: EventContinuation?
    /// END_STREAM received (its event is queued or delivered).
    var remoteClosed = false
    /// END_STREAM sent.
    var localClosed = false
    /// Why the stream ended abnormally; reads report it after the queued events.
    var failure: HTTP2StreamFailure?
    /// Octets we may still send (RFC 9113 § 6.9.1); may go negative after a SETTINGS change.
    var sendWindow: Int
    /// The application task waiting for send window, if any.
    var sendWaiter: SignalContinuation?
    /// Octets the peer may still send before we grant more.
    var receiveWindow: Int
    /// Octets consumed by the application but not yet returned with WINDOW_UPDATE.
    var unacknowledged = 0
    /// Called once when the stream fails (a server cancels its handler with it).
    var failureObserver: (@Sendable () -> Void)?

    init(sendWindow: Int, receiveWindow: Int) {
        self.sendWindow = sendWindow
        self.receiveWindow = receiveWindow
    }

    /// The next result for a reader, or nil when it must wait.
    mutating func poll() -> Result<HTTP2StreamEvent?, HTTP2StreamFailure>? {
        if eventHead < events.count {
            let event = events[eventHead]
            eventHead += 1
            if eventHead == events.count {
                events.removeAll(keepingCapacity: true)
                eventHead = 0
            }
            return .success(event)
        }
        if remoteClosed { return .success(nil) }
        if let failure { return .failure(failure) }
        return nil
    }

    /// Queues an inbound event, handing it straight to a waiting reader.
    mutating func enqueue(_ event: HTTP2StreamEvent, into wakeups: inout [Resumption]) {
        events.append(event)
        if let waiter = eventWaiter, let result = poll() {
            eventWaiter = nil
            wakeups.append(.event(waiter, result))
        }
    }

    /// Ends the stream with `failure` (first failure wins) and wakes its waiters.
    mutating func fail(_ failure: HTTP2StreamFailure, into wakeups: inout [Resumption]) {
        if self.failure == nil {
            self.failure = failure
            if let observer = failureObserver {
                failureObserver = nil
                wakeups.append(.callback(observer))
            }
        }
        if let waiter = eventWaiter, let result = poll() {
            eventWaiter = nil
            wakeups.append(.event(waiter, result))
        }
        if let waiter = sendWaiter {
            sendWaiter = nil
            wakeups.append(.signal(waiter, .failure(self.failure ?? failure)))
        }
    }

    /// Wakes a task waiting for send window when there is some.
    mutating func wakeSenderIfWindow(connectionWindow: Int, into wakeups: inout [Resumption]) {
        if sendWindow > 0, connectionWindow > 0, let waiter = sendWaiter {
            sendWaiter = nil
            wakeups.append(.signal(waiter, .success(())))
        }
    }
}
