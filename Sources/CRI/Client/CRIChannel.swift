import CRIGRPC
import CRIHTTP2
import CRITransport
import Synchronization

/// One endpoint's gRPC client plus the reconnect backoff in front of its connector.
final class CRIChannel: Sendable {
    /// The endpoint as the user gave it (for messages).
    let endpointText: String
    let endpoint: Endpoint
    let grpc: GRPCClient
    private let backoff: ReconnectGate

    init(endpointText: String, options: CRIClientOptions) throws(CRIError) {
        self.endpointText = endpointText
        do {
            endpoint = try Endpoint(parsing: endpointText)
        } catch {
            throw CRIError(
                code: .invalidArgument, message: "invalid endpoint: \(error)", endpoint: endpointText, cause: error)
        }
        backoff = ReconnectGate(
            ReconnectBackoff(initial: options.initialReconnectDelay, maximum: options.maximumReconnectDelay))
        var configuration = GRPCClientConfiguration()
        configuration.maxReceiveMessageSize = options.maxReceiveMessageSize
        configuration.maxSendMessageSize = options.maxSendMessageSize
        configuration.userAgent = options.userAgent
        let endpoint = endpoint
        let backoff = backoff
        // Connecting waits at most the call timeout (crictl dials with it too), and never more than 5 s: a busy named
        // pipe or a full backlog must not hold a 400 ms call for seconds.
        let connectLimit = options.timeout > .zero ? min(options.timeout, .seconds(5)) : .seconds(5)
        grpc = GRPCClient(configuration: configuration) {
            try Self.connect(to: endpoint, text: endpointText, backoff: backoff, limit: connectLimit)
        }
    }

    private static func connect(
        to endpoint: Endpoint, text: String, backoff: ReconnectGate, limit: Duration
    ) throws -> any HTTP2Transport {
        let now = ContinuousClock.now
        if let wait = backoff.state.withLock({ $0.remainingWait(at: now) }) {
            throw CRIError(
                code: .unavailable,
                message:
                    "the last connection attempt failed; retrying in \(wait) (\(backoff.state.withLock { $0.lastFailure ?? "" }))",
                endpoint: text
            )
        }
        do {
            let stream = try CRITransport.connect(to: endpoint, deadline: now + limit)
            backoff.state.withLock { $0.succeeded() }
            return ByteStreamTransport(stream)
        } catch {
            backoff.state.withLock { $0.failed(at: ContinuousClock.now, reason: "\(error)") }
            throw error
        }
    }

    func close() {
        grpc.close()
    }
}

/// Shares one channel's backoff state between the channel and its connector closure.
final class ReconnectGate: Sendable {
    let state: Mutex<ReconnectBackoff>

    init(_ backoff: ReconnectBackoff) {
        state = Mutex(backoff)
    }
}

/// The kubelet's reconnect policy: after a failed attempt, wait `initial`, doubling per failure up
/// to `maximum`; calls inside the wait fail at once with UNAVAILABLE rather than hang.
struct ReconnectBackoff: Sendable {
    let initial: Duration
    let maximum: Duration
    private var delay: Duration?
    private var retryAt: ContinuousClock.Instant?
    private(set) var lastFailure: String?

    init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = maximum
    }

    /// How long until the next attempt is allowed, or nil when it is allowed now.
    func remainingWait(at now: ContinuousClock.Instant) -> Duration? {
        guard let retryAt, retryAt > now else { return nil }
        return retryAt - now
    }

    mutating func failed(at now: ContinuousClock.Instant, reason: String) {
        let next = delay.map { min($0 * 2, maximum) } ?? initial
        delay = next
        retryAt = now + next
        lastFailure = reason
    }

    mutating func succeeded() {
        delay = nil
        retryAt = nil
        lastFailure = nil
    }
}
