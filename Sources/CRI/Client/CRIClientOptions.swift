/// Settings of a ``CRIClient``; every value has a documented default.
public struct CRIClientOptions: Sendable {
    /// The deadline of an ordinary call (the kubelet's `--runtime-request-timeout`, default 2 minutes).
    /// Some RPCs derive theirs from it, as the kubelet does: RunPodSandbox gets twice this,
    /// StopContainer this plus the grace period, ExecSync this plus the command's timeout (none when
    /// that is 0), CheckpointContainer the larger of this and the request's timeout. Events and
    /// PullImage have none (see ``pullImageTimeout``).
    public var timeout: Duration = .seconds(120)
    /// The deadline of PullImage; nil (the default) waits as long as the pull takes.
    public var pullImageTimeout: Duration?
    /// The largest response message accepted (16 MiB, as the kubelet); larger responses fail with
    /// RESOURCE_EXHAUSTED naming the limit.
    public var maxReceiveMessageSize = 16 << 20
    /// The largest request message sent (16 MiB).
    public var maxSendMessageSize = 16 << 20
    /// The first wait before reconnecting after a failed connection attempt; it doubles per
    /// failure up to ``maximumReconnectDelay`` (the kubelet's 100 ms and 3 s).
    public var initialReconnectDelay: Duration = .milliseconds(100)
    /// See ``initialReconnectDelay``.
    public var maximumReconnectDelay: Duration = .seconds(3)
    /// Called after every call with its method, duration, outcome and (redacted) messages.
    public var logger: (@Sendable (CRICallRecord) -> Void)?
    /// The `user-agent` sent with each call.
    public var userAgent = "swift-cri/0.1"

    /// The defaults: the kubelet's deadlines and limits.
    public init() {}
}

/// Per-call settings that override the client's.
public struct CRICallOptions: Sendable {
    /// The call's deadline, replacing the one the client would derive; `.none` waits forever.
    public var timeout: Timeout?
    /// Extra request metadata (`key: value`; keys ending in `-bin` carry base64-encoded bytes).
    public var metadata: [(key: String, value: String)] = []

    /// A deadline choice.
    public enum Timeout: Sendable, Hashable {
        /// No deadline.
        case none
        /// This long from the start of the call.
        case after(Duration)
    }

    /// Creates options.
    public init(timeout: Timeout? = nil, metadata: [(key: String, value: String)] = []) {
        self.timeout = timeout
        self.metadata = metadata
    }
}

/// What the client's ``CRIClientOptions/logger`` receives for each call.
public struct CRICallRecord: Sendable, CustomStringConvertible {
    /// The RPC, e.g. `RunPodSandbox`.
    public var method: String
    /// The endpoint it went to.
    public var endpoint: String
    /// How long it took.
    public var duration: Duration
    /// The error, or nil on success.
    public var error: CRIError?
    /// The request's redacted one-line description (secrets show as `<redacted>`).
    public var request: String
    /// The response's redacted description, or nil on failure.
    public var response: String?

    /// `RunPodSandbox 1.2ms OK request=... response=...`.
    public var description: String {
        let outcome = error.map { "\($0.code): \($0.message)" } ?? "OK"
        var text = "\(method) on \(endpoint) took \(duration) -> \(outcome) request=\(request)"
        if let response { text += " response=\(response)" }
        return text
    }
}
