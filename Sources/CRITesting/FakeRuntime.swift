public import CRI
import CRIStreaming

/// An in-memory CRI runtime that behaves like a real one, for tests of code that drives CRI.
///
/// It implements all 41 RuntimeService and ImageService RPCs as async methods taking and returning
/// the generated message types: sandboxes go READY → NOTREADY, containers CREATED → RUNNING → EXITED,
/// IDs are 64 hex digits and may be abbreviated to any unique prefix, timestamps are nanoseconds,
/// container output goes to `log_path` in the CRI log format, and every answer satisfies the
/// kubelet's response validation. Errors are ``CRIError``s with the codes a runtime would use
/// (NOT_FOUND for unknown IDs, FAILED_PRECONDITION for invalid transitions), and containerd 1.6's
/// codes and message forms where it refuses a configuration or cannot start a command. It runs no
/// processes and mounts nothing; <doc:FakeRuntimeFidelity> says what it models and what it refuses.
///
/// Serve it over a socket with ``FakeCRIServer`` so that any CRI client can use it.
public actor FakeRuntime {
    /// The behaviour settings.
    public let configuration: Configuration

    var sandboxes: [String: SandboxRecord] = [:]
    var containers: [String: ContainerRecord] = [:]
    var images: [String: Image] = [:]
    /// The image ID each manifest digest pulled so far stands for, so a later pull by that digest
    /// finds the same image.
    var manifestImageIDs: [String: String] = [:]
    var podCIDR = ""
    var nextPodAddress = 2
    var eventSubscribers: [Int: AsyncStream<ContainerEventResponse>.Continuation] = [:]
    var nextSubscriberID = 0
    var subscriberWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    /// The recorded calls; once `maxRecordedCalls` are held, a ring whose oldest entry is at
    /// `oldestRecordedCall`.
    var recordedCalls: [RecordedCall] = []
    var oldestRecordedCall = 0
    var faults: [String: [FakeFault]] = [:]
    var streaming: StreamingServer?

    /// Creates an empty runtime (no pods, containers or images).
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    // MARK: Inspection

    /// Every call received so far, oldest first (recorded by ``FakeCRIServer`` and by ``record(_:_:)``).
    public var calls: [RecordedCall] {
        Array(recordedCalls[oldestRecordedCall...] + recordedCalls[..<oldestRecordedCall])
    }

    /// The names of the methods called so far (`["Version", "RunPodSandbox", ...]`).
    public var calledMethods: [String] { calls.map(\.method) }

    /// Records a call (the server does this for each request it dispatches).
    public func record(_ method: String, _ request: any ProtoMessage) {
        let call = RecordedCall(method: method, request: request, timestamp: wallClockNanoseconds())
        let limit = configuration.maxRecordedCalls
        if recordedCalls.count < limit {
            recordedCalls.append(call)
        } else if limit > 0 {
            // Bounded, so a long-running `cri fake-runtime` does not grow without end, and in constant
            // time: dropping the oldest from the front of the array moved every other entry, which
            // made a fake that had served 100,000 calls several times slower for every call after.
            recordedCalls[oldestRecordedCall] = call
            oldestRecordedCall = (oldestRecordedCall + 1) % limit
        }
    }

    /// Forgets the recorded calls.
    public func clearRecordedCalls() {
        recordedCalls.removeAll()
        oldestRecordedCall = 0
    }

    // MARK: Lookup

    /// Resolves a full ID or a unique prefix among `ids`, as containerd's truncated-index does.
    func resolve(_ idOrPrefix: String, in ids: some Collection<String>, kind: String) throws(CRIError) -> String {
        if idOrPrefix.isEmpty {
            throw CRIError(code: .invalidArgument, message: "\(kind) ID must not be empty")
        }
        if ids.contains(idOrPrefix) { return idOrPrefix }
        let matches = ids.filter { $0.hasPrefix(idOrPrefix) }
        if matches.count == 1, let match = matches.first { return match }
        if matches.isEmpty {
            throw CRIError(code: .notFound, message: "\(kind) \"\(idOrPrefix)\" not found")
        }
        throw CRIError(
            code: .invalidArgument,
            message: "\(kind) ID prefix \"\(idOrPrefix)\" is ambiguous (\(matches.count) matches)")
    }

    func sandboxID(_ idOrPrefix: String) throws(CRIError) -> String {
        try resolve(idOrPrefix, in: sandboxes.keys, kind: "pod sandbox")
    }

    func containerID(_ idOrPrefix: String) throws(CRIError) -> String {
        try resolve(idOrPrefix, in: containers.keys, kind: "container")
    }

    /// True when every selector entry is among `labels`.
    func matches(_ selector: StringMap, _ labels: StringMap) -> Bool {
        selector.allSatisfy { labels[$0.key] == $0.value }
    }
}

/// One call the fake runtime received.
public struct RecordedCall: Sendable {
    /// The RPC name, e.g. `RunPodSandbox`.
    public var method: String
    /// The decoded request.
    public var request: any ProtoMessage
    /// When it arrived, in nanoseconds since the epoch.
    public var timestamp: Int64
}

struct SandboxRecord {
    var status: PodSandboxStatus
    var config: PodSandboxConfig
}

struct ContainerRecord {
    var status: ContainerStatus
    var config: ContainerConfig
    var podSandboxID: String
    var stats = (cpuNanoseconds: UInt64(0), memoryBytes: UInt64(0))
}
