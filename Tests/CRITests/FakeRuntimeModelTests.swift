import CRI
import CRITesting
import Foundation
import Testing

/// Random sequences of CRI calls against the fake runtime over a real unix socket, through three
/// CRIClients (three connections), each step checked against a small reference model of what a
/// runtime holds. Reproducible: the seed is in every failure; `CRI_MODEL_SEED=<n>` replays one,
/// `CRI_MODEL_STEPS=<n>` changes the length (10,000 by default).
@Suite("FakeRuntime against a reference model")
struct FakeRuntimeModelTests {
    @Test func randomCallSequencesMatchTheModel() async throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["CRI_MODEL_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 0...UInt64.max)
        let steps = environment["CRI_MODEL_STEPS"].flatMap { Int($0) } ?? 10_000
        let directory = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withFakeCRIServer { server in
            try await withCRIClient(endpoint: server.endpoint) { first in
                try await withCRIClient(endpoint: server.endpoint) { second in
                    try await withCRIClient(endpoint: server.endpoint) { third in
                        try await withThrowingTaskGroup(of: Int.self) { group in
                            // A GetContainerEvents stream open through the whole run, read as the
                            // events come, so emitting them races every other call.
                            group.addTask {
                                try await second.getContainerEvents { events in
                                    var count = 0
                                    for try await _ in events { count += 1 }
                                    return count
                                }
                            }
                            await server.runtime.waitForEventSubscribers()
                            var run = ModelRun(
                                seed: seed, clients: [first, second, third], runtime: server.runtime,
                                directory: directory)
                            do {
                                for step in 0..<steps {
                                    run.step = step
                                    try await run.randomStep()
                                    // Every step against the runtime's own lists (cheap), and every 50th
                                    // also through the client, so the check itself stays fast under TSan.
                                    try await run.checkLists(throughClient: step % 50 == 49)
                                }
                            } catch {
                                let text = (error as? ModelMismatch)?.text ?? "unexpected error: \(error)"
                                Issue.record(
                                    "\(text)\nseed \(seed), step \(run.step); replay: CRI_MODEL_SEED=\(seed)\nlast steps:\n\(run.trace.suffix(12).joined(separator: "\n"))"
                                )
                            }
                            await server.runtime.finishEventStreams()
                            let events = try await group.next() ?? 0
                            #expect(events > 0 || steps < 100, "no container events in \(steps) steps (seed \(seed))")
                        }
                    }
                }
            }
        }
    }
}

/// A SplitMix64 generator: tiny, fast, and the same sequence for the same seed everywhere.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A step's answer disagreed with the model.
struct ModelMismatch: Error {
    var text: String
}

/// What the model says a container is.
enum ModelContainerState: Equatable {
    case created
    case running
    case exited(code: Int32, reason: String)

    var criState: ContainerState {
        switch self {
        case .created: .containerCreated
        case .running: .containerRunning
        case .exited: .containerExited
        }
    }
}

struct ModelContainer {
    var pod: String
    var name: String
    var command: [String]
    var state: ModelContainerState
}

/// The images the run pulls: two registries serving the same busybox (one image, two tags), Docker
/// Hub's busybox (another path, so another image), a
/// second image, and a digest reference.
let modelImages: [(reference: String, tag: String?, content: String)] = [
    ("busybox", "docker.io/library/busybox:latest", "hub-busybox"),
    ("127.0.0.1:5000/busybox:latest", "127.0.0.1:5000/busybox:latest", "busybox"),
    ("127.0.0.1:5001/busybox:latest", "127.0.0.1:5001/busybox:latest", "busybox"),
    ("nginx:1.27", "docker.io/library/nginx:1.27", "nginx"),
    ("registry.example/app@sha256:" + String(repeating: "ab", count: 32), nil, "app"),
]

/// Commands containers run, and what each does when started.
let modelCommands: [(command: [String], outcome: ModelContainerState?)] = [
    (["sleep", "3600"], .running),
    (["sh", "-c", "echo hi; sleep 3600"], .running),
    (["httpd", "-f"], .running),
    (["true"], .exited(code: 0, reason: "Completed")),
    (["sh", "-c", "exit 3"], .exited(code: 3, reason: "Error")),
    (["nosuchcmd"], nil),
]

/// Exec commands and their exit codes (nil: the exec cannot start).
let modelExecs: [(command: [String], exitCode: Int32?)] = [
    (["false"], 1), (["true"], 0), (["sh", "-c", "exit 5"], 5), (["sh", "-c", "false || exit 7"], 7),
    (["echo", "x"], 0), (["nosuchcmd"], nil), (["sh", "-c", "nosuchcmd"], 127),
]

struct ModelRun {
    var random: SplitMix64
    let clients: [CRIClient]
    let runtime: FakeRuntime
    let directory: String
    var step = 0
    var trace: [String] = []
    var pods: [String: (name: String, ready: Bool)] = [:]
    var containers: [String: ModelContainer] = [:]
    /// Content key → the tags it carries (a digest-only image carries none).
    var images: [String: Set<String>] = [:]
    var podCounter = 0
    var containerCounter = 0
    static let unknownID = "unknown-id-0000"

    init(seed: UInt64, clients: [CRIClient], runtime: FakeRuntime, directory: String) {
        random = SplitMix64(state: seed)
        self.clients = clients
        self.runtime = runtime
        self.directory = directory
    }

    // MARK: Choosing

    mutating func below(_ count: Int) -> Int { Int(random.next() % UInt64(max(count, 1))) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func client() -> CRIClient { clients[below(clients.count)] }

    /// An existing pod's ID most of the time (with `preferReady`, mostly a READY one), else an
    /// unknown one.
    mutating func podID(preferReady: Bool = false) -> String {
        let ready = pods.filter(\.value.ready).keys.sorted()
        if preferReady, !ready.isEmpty, chance(80) { return ready[below(ready.count)] }
        let ids = pods.keys.sorted()
        return ids.isEmpty || chance(8) ? Self.unknownID : ids[below(ids.count)]
    }

    mutating func containerID(where predicate: (ModelContainer) -> Bool = { _ in true }) -> String {
        let ids = containers.filter { predicate($0.value) }.keys.sorted()
        return ids.isEmpty || chance(8) ? Self.unknownID : ids[below(ids.count)]
    }

    func mismatch(_ text: String) -> ModelMismatch { ModelMismatch(text: text) }

    /// Runs `call` and checks it fails with `code`, or succeeds when `code` is nil.
    func expect<T>(_ code: CRIError.Code?, _ what: String, _ call: () async throws -> T) async throws -> T? {
        do {
            let value = try await call()
            if let code { throw mismatch("\(what): succeeded, model expects \(code)") }
            return value
        } catch let error as CRIError {
            guard error.code == code else { throw mismatch("\(what): \(error), model expects \(code.map { "\($0)" } ?? "success")") }
            return nil
        }
    }

    /// Whether `image`'s reference names an image the runtime has: a tag once pulled by that tag,
    /// a digest once pulled by that digest.
    func isPulled(_ image: (reference: String, tag: String?, content: String)) -> Bool {
        guard let tags = images[image.content] else { return false }
        return image.tag.map(tags.contains) ?? true
    }

    // MARK: Steps

    mutating func randomStep() async throws {
        switch below(100) {
        case 0..<7: try await runPod()
        case 7..<10: try await stopPod()
        case 10..<13: try await removePod()
        case 13..<19: try await pull()
        case 19..<21: try await removeImage()
        case 21..<39: try await createContainer()
        case 39..<55: try await startContainer()
        case 55..<63: try await stopContainer()
        case 63..<69: try await removeContainer()
        case 69..<82: try await execSync()
        case 82..<92: try await probe()
        default: try await concurrentCalls()
        }
    }

    mutating func note(_ text: String) {
        trace.append("\(step): \(text)")
        if trace.count > 64 { trace.removeFirst(trace.count - 32) }
    }

    mutating func runPod() async throws {
        if pods.count >= 6 { return try await removePod() }
        podCounter += 1
        var config = PodSandboxConfig()
        config.metadata = PodSandboxMetadata { $0.name = "pod-\(podCounter)"; $0.namespace = "model"; $0.uid = "u\(podCounter)" }
        config.linux = LinuxPodSandboxConfig()
        var handler = ["", "runc"][below(2)]
        var expected: CRIError.Code?
        switch below(12) {
        case 0:
            handler = "kata"
            expected = .unknown
        case 1:
            config.linux?.securityContext = LinuxSandboxSecurityContext { $0.runAsGroup = Int64Value { $0.value = 10 } }
            expected = .unknown
        case 2:
            let userns = UserNamespace { $0.mode = .pod }  // POD without mappings
            config.linux?.securityContext = LinuxSandboxSecurityContext {
                $0.namespaceOptions = NamespaceOption { $0.usernsOptions = userns }
            }
            expected = .unknown
        default:
            break
        }
        note("runp pod-\(podCounter) handler=\(handler) expect \(expected.map { "\($0)" } ?? "ok")")
        let client = client()
        let id = try await expect(expected, "RunPodSandbox") { try await client.runPodSandbox(config, runtimeHandler: handler) }
        if let id { pods[id] = ("pod-\(podCounter)", true) }
    }

    mutating func stopPod() async throws {
        let id = podID()
        note("stopp \(id.prefix(8))")
        let client = client()
        _ = try await expect(pods[id] == nil ? .notFound : nil, "StopPodSandbox") { try await client.stopPodSandbox(id: id) }
        guard pods[id] != nil else { return }
        pods[id]?.ready = false
        for (containerID, container) in containers where container.pod == id {
            if container.state == .running || container.state == .created {
                containers[containerID]?.state = .exited(code: 137, reason: "Error")
            }
        }
    }

    mutating func removePod() async throws {
        let id = podID()
        note("rmp \(id.prefix(8))")
        let client = client()
        _ = try await expect(nil, "RemovePodSandbox") { try await client.removePodSandbox(id: id) }
        pods[id] = nil
        containers = containers.filter { $0.value.pod != id }
    }

    mutating func pull() async throws {
        let image = modelImages[below(modelImages.count)]
        let client = client()
        if chance(10) {
            // A pull that cannot finish within its deadline fails and adds nothing.
            note("pull \(image.reference) with a 1 ms deadline")
            let request = PullImageRequest { $0.image = ImageSpec { $0.image = image.reference } }
            _ = try await expect(.deadlineExceeded, "PullImage(1 ms)") {
                try await client.pullImage(request, options: CRICallOptions(timeout: .after(.milliseconds(1))))
            }
            return
        }
        note("pull \(image.reference)")
        _ = try await expect(nil, "PullImage") { try await client.pullImage(image.reference) }
        images[image.content, default: []].formUnion(image.tag.map { [$0] } ?? [])
    }

    mutating func removeImage() async throws {
        let image = modelImages[below(modelImages.count)]
        note("rmi \(image.reference)")
        let client = client()
        _ = try await expect(nil, "RemoveImage") { try await client.removeImage(image.reference) }
        if isPulled(image) { images[image.content] = nil }
    }

    mutating func createContainer() async throws {
        if containers.count >= 14 { return try await removeContainer() }
        let podID = podID(preferReady: true)
        // Mostly an image that is there, so most creates get through to the later checks.
        let pulled = modelImages.filter(isPulled)
        let image = !pulled.isEmpty && chance(80) ? pulled[below(pulled.count)] : modelImages[below(modelImages.count)]
        let (command, _) = modelCommands[below(modelCommands.count)]
        containerCounter += 1
        var name = "c\(containerCounter)"
        if chance(5), let clash = containers.values.first(where: { $0.pod == podID }) { name = clash.name }
        var config = ContainerConfig()
        config.metadata = ContainerMetadata { $0.name = name }
        config.image = ImageSpec { $0.image = image.reference }
        config.command = command
        config.linux = LinuxContainerConfig()
        var invalid = false
        switch below(14) {
        case 0:
            config.linux?.securityContext = LinuxContainerSecurityContext { $0.runAsGroup = Int64Value { $0.value = 5 } }
            invalid = true
        case 1:
            config.mounts = [
                Mount {
                    $0.containerPath = "/data"; $0.hostPath = directory; $0.readonly = true; $0.recursiveReadOnly = true
                    $0.propagation = .propagationHostToContainer
                }
            ]
            invalid = true
        default:
            break
        }
        let expected: CRIError.Code? =
            pods[podID] == nil
            ? .notFound
            : pods[podID]?.ready == false
                ? .failedPrecondition
                : !isPulled(image) ? .notFound
                : containers.values.contains { $0.pod == podID && $0.name == name } ? .alreadyExists : invalid ? .unknown : nil
        note("create \(name) \(command) in \(podID.prefix(8)) from \(image.reference) expect \(expected.map { "\($0)" } ?? "ok")")
        let client = client()
        let id = try await expect(expected, "CreateContainer") {
            try await client.createContainer(inPod: podID, config: config, sandboxConfig: PodSandboxConfig())
        }
        if let id { containers[id] = ModelContainer(pod: podID, name: name, command: command, state: .created) }
    }

    mutating func startContainer() async throws {
        let id = containerID { $0.state == .created }
        let container = containers[id]
        let outcome = container.flatMap { c in modelCommands.first { $0.command == c.command } }?.outcome
        let expected: CRIError.Code? =
            container == nil ? .notFound : container?.state != .created ? .failedPrecondition : outcome == nil ? .unknown : nil
        note("start \(id.prefix(8)) expect \(expected.map { "\($0)" } ?? "ok")")
        let client = client()
        _ = try await expect(expected, "StartContainer") { try await client.startContainer(id: id) }
        guard container?.state == .created else { return }
        containers[id]?.state = outcome ?? .exited(code: 128, reason: "StartError")
        try await checkStatus(id)
    }

    mutating func stopContainer() async throws {
        let id = containerID()
        let timeout: Int64 = chance(50) ? 0 : 2
        note("stop \(id.prefix(8)) timeout \(timeout)")
        let client = client()
        _ = try await expect(containers[id] == nil ? .notFound : nil, "StopContainer") {
            try await client.stopContainer(id: id, timeout: timeout)
        }
        if let state = containers[id]?.state, state == .running || state == .created {
            containers[id]?.state = .exited(code: timeout > 0 ? 143 : 137, reason: "Error")
        }
        if containers[id] != nil { try await checkStatus(id) }
    }

    mutating func removeContainer() async throws {
        let id = containerID()
        note("rm \(id.prefix(8))")
        let client = client()
        _ = try await expect(nil, "RemoveContainer") { try await client.removeContainer(id: id) }
        containers[id] = nil
    }

    mutating func execSync() async throws {
        let id = containerID { $0.state == .running }
        let (command, exitCode) = modelExecs[below(modelExecs.count)]
        let running = containers[id]?.state == .running
        let expected: CRIError.Code? =
            containers[id] == nil ? .notFound : !running ? .failedPrecondition : exitCode == nil ? .unknown : nil
        note("exec \(id.prefix(8)) \(command) expect \(expected.map { "\($0)" } ?? "exit \(exitCode ?? -1)")")
        let client = client()
        do {
            let response = try await client.execSync(containerID: id, command: command, timeout: 10)
            guard expected == nil, response.exitCode == exitCode else {
                throw mismatch("ExecSync \(command): exit \(response.exitCode), model expects \(expected.map { "\($0)" } ?? "exit \(exitCode ?? -1)")")
            }
        } catch let error as CRIError {
            guard error.code == expected else { throw mismatch("ExecSync \(command): \(error), model expects \(expected.map { "\($0)" } ?? "success")") }
            if exitCode == nil, running, !error.message.contains("executable file not found in $PATH") {
                throw mismatch("ExecSync \(command): message \(error.message) does not say the executable was not found")
            }
        }
    }

    /// One of the RPCs that read state or hand out URLs, checked against what the model holds.
    mutating func probe() async throws {
        let client = client()
        let podID = podID()
        let containerID = containerID()
        let pod = pods[podID]
        let container = containers[containerID]
        let podCode: CRIError.Code? = pod == nil ? .notFound : nil
        let containerCode: CRIError.Code? = container == nil ? .notFound : nil
        let running: CRIError.Code? = container == nil ? .notFound : container?.state != .running ? .failedPrecondition : nil
        let which = below(16)
        note("probe \(which) pod \(podID.prefix(8)) container \(containerID.prefix(8))")
        switch which {
        case 0:
            let status = try await expect(podCode, "PodSandboxStatus") { try await client.podSandboxStatus(id: podID) }
            if let status, status.status?.state != (pod?.ready == true ? .sandboxReady : .sandboxNotready) {
                throw mismatch("PodSandboxStatus state \(String(describing: status.status?.state))")
            }
        case 1:
            if container != nil { try await checkStatus(containerID) } else {
                _ = try await expect(.notFound, "ContainerStatus") { try await client.containerStatus(id: containerID) }
            }
        case 2:
            _ = try await expect(containerCode, "ContainerStats") {
                try await client.containerStats(ContainerStatsRequest { $0.containerID = containerID })
            }
        case 3:
            _ = try await expect(podCode, "PodSandboxStats") {
                try await client.podSandboxStats(PodSandboxStatsRequest { $0.podSandboxID = podID })
            }
        case 4:
            let live = container == nil ? .notFound : container?.state == .running || container?.state == .created ? nil : CRIError.Code.failedPrecondition
            _ = try await expect(live, "UpdateContainerResources") {
                try await client.updateContainerResources(UpdateContainerResourcesRequest {
                    $0.containerID = containerID; $0.linux = LinuxContainerResources { $0.cpuShares = 256 }
                })
            }
        case 5:
            _ = try await expect(running, "ReopenContainerLog") {
                try await client.reopenContainerLog(ReopenContainerLogRequest { $0.containerID = containerID })
            }
        case 6:
            let response = try await expect(running, "Exec") {
                try await client.exec(ExecRequest { $0.containerID = containerID; $0.cmd = ["true"]; $0.stdout = true })
            }
            if let response, !response.url.hasPrefix("http://127.0.0.1:") { throw mismatch("Exec URL \(response.url)") }
        case 7:
            _ = try await expect(running, "Attach") {
                try await client.attach(AttachRequest { $0.containerID = containerID; $0.stdout = true })
            }
        case 8:
            let ready: CRIError.Code? = pod == nil ? .notFound : pod?.ready == false ? .failedPrecondition : nil
            _ = try await expect(ready, "PortForward") {
                try await client.portForward(PortForwardRequest { $0.podSandboxID = podID; $0.port = [8080] })
            }
        case 9:
            _ = try await expect(podCode, "UpdatePodSandboxResources") {
                try await client.updatePodSandboxResources(UpdatePodSandboxResourcesRequest {
                    $0.podSandboxID = podID; $0.resources = LinuxContainerResources { $0.cpuShares = 128 }
                })
            }
        case 10:
            let path = directory + "/checkpoint.json"
            _ = try await expect(containerCode, "CheckpointContainer") {
                try await client.checkpointContainer(CheckpointContainerRequest { $0.containerID = containerID; $0.location = path })
            }
        case 11:
            let streamed = Set(try await client.streamContainers().map(\.id))
            let streamedPods = Set(try await client.streamPodSandboxes().map(\.id))
            if streamed != Set(containers.keys) || streamedPods != Set(pods.keys) { throw mismatch("Stream* lists differ") }
        case 12:
            let stats = try await client.listContainerStats(ListContainerStatsRequest())
            if Set(stats.stats.compactMap { $0.attributes?.id }) != Set(containers.keys) {
                throw mismatch("ListContainerStats ids differ")
            }
            _ = try await client.listPodSandboxStats(ListPodSandboxStatsRequest())
            _ = try await client.listPodSandboxMetrics(ListPodSandboxMetricsRequest())
            _ = try await client.listMetricDescriptors(ListMetricDescriptorsRequest())
        case 13:
            let image = modelImages[below(modelImages.count)]
            if (try await client.imageStatus(image.reference) != nil) != isPulled(image) { throw mismatch("ImageStatus \(image.reference)") }
        case 14:
            _ = try await client.imageFsInfo(ImageFsInfoRequest())
            _ = try await client.version()
            _ = try await client.runtimeConfig()
            _ = try await client.updateRuntimeConfig(UpdateRuntimeConfigRequest {
                $0.runtimeConfig = RuntimeConfig { $0.networkConfig = NetworkConfig { $0.podCidr = "10.88.0.0/16" } }
            })
        default:
            let status = try await client.status(StatusRequest())
            if status.runtimeHandlers.map(\.name) != ["", "runc"] || status.features != nil { throw mismatch("Status \(status)") }
        }
    }

    /// Several clients at once: independent calls on different containers, plus two clients
    /// stopping one container together and a start racing a stop.
    mutating func concurrentCalls() async throws {
        let running = containers.filter { $0.value.state == .running }.keys.sorted()
        let created = containers.filter { entry in
            entry.value.state == .created && modelCommands.first { $0.command == entry.value.command }?.outcome == .running
        }.keys.sorted()
        let doubleStop = running.isEmpty ? nil : running[below(running.count)]
        let race = created.isEmpty ? nil : created[below(created.count)]
        let execTargets = running.filter { $0 != doubleStop }.prefix(3)
        note("concurrent: double stop \(doubleStop?.prefix(8) ?? "-"), start/stop race \(race?.prefix(8) ?? "-"), \(execTargets.count) execs")
        let clients = clients
        let failures = try await withThrowingTaskGroup(of: String?.self) { group in
            if let doubleStop {
                for client in clients.prefix(2) {
                    group.addTask {
                        do { try await client.stopContainer(id: doubleStop) } catch { return "double stop: \(error)" }
                        return nil
                    }
                }
            }
            if let race {
                group.addTask {
                    do { try await clients[0].startContainer(id: race) } catch let error as CRIError where error.code == .failedPrecondition {
                        // The stop got there first: the container was no longer CREATED.
                    } catch { return "racing start: \(error)" }
                    return nil
                }
                group.addTask {
                    do { try await clients[1].stopContainer(id: race) } catch { return "racing stop: \(error)" }
                    return nil
                }
            }
            for (index, id) in execTargets.enumerated() {
                group.addTask {
                    let client = clients[index % clients.count]
                    do {
                        let result = try await client.execSync(containerID: id, command: ["sh", "-c", "exit 4"], timeout: 10)
                        return result.exitCode == 4 ? nil : "concurrent exec: exit \(result.exitCode)"
                    } catch { return "concurrent exec: \(error)" }
                }
            }
            for client in clients {
                group.addTask {
                    do { _ = try await client.listContainers(filter: nil) } catch { return "concurrent list: \(error)" }
                    return nil
                }
            }
            var failures: [String] = []
            for try await failure in group { if let failure { failures.append(failure) } }
            return failures
        }
        if !failures.isEmpty { throw mismatch(failures.joined(separator: "; ")) }
        if let doubleStop {
            containers[doubleStop]?.state = .exited(code: 137, reason: "Error")
            try await checkStatus(doubleStop)
        }
        if let race {
            // Either order ends the same way: stopped (137) before or after it started.
            containers[race]?.state = .exited(code: 137, reason: "Error")
            try await checkStatus(race)
        }
    }

    // MARK: Checks

    /// The container's state, exit code and reason as the model has them.
    func checkStatus(_ id: String) async throws {
        guard let expected = containers[id] else { return }
        let status = try await clients[0].containerStatus(id: id).status
        guard status?.state == expected.state.criState else {
            throw mismatch("container \(id.prefix(8)): state \(String(describing: status?.state)), model \(expected.state)")
        }
        if case .exited(let code, let reason) = expected.state, status?.exitCode != code || status?.reason != reason {
            throw mismatch(
                "container \(id.prefix(8)): exit \(status?.exitCode ?? -1) \(status?.reason ?? ""), model \(code) \(reason)")
        }
    }

    /// Pods, containers and images as listed (by the runtime, or through a client) are what the
    /// model holds.
    func checkLists(throughClient: Bool) async throws {
        let client = clients[step % clients.count]
        let listedPods =
            throughClient
            ? try await client.listPodSandbox(filter: nil) : await runtime.listPodSandbox(ListPodSandboxRequest()).items
        let pods = Dictionary(uniqueKeysWithValues: listedPods.map { ($0.id, $0.state == .sandboxReady) })
        guard pods == self.pods.mapValues(\.ready) else {
            throw mismatch("pods \(pods.map { "\($0.key.prefix(8))=\($0.value)" }), model \(self.pods.map { "\($0.key.prefix(8))=\($0.value.ready)" })")
        }
        let listed =
            throughClient
            ? try await client.listContainers(filter: nil) : await runtime.listContainers(ListContainersRequest()).containers
        let containers = Dictionary(uniqueKeysWithValues: listed.map { ($0.id, "\($0.podSandboxID)/\($0.state)") })
        let model = self.containers.mapValues { "\($0.pod)/\($0.state.criState)" }
        guard containers == model else {
            throw mismatch("containers \(containers.map { "\($0.key.prefix(8))=\($0.value.suffix(20))" }), model \(model.map { "\($0.key.prefix(8))=\($0.value.suffix(20))" })")
        }
        let images = throughClient ? try await client.listImages() : await runtime.listImages(ListImagesRequest()).images
        let tags = images.map { Set($0.repoTags) }.sorted { $0.sorted().description < $1.sorted().description }
        let modelTags = self.images.values.sorted { $0.sorted().description < $1.sorted().description }
        guard tags == modelTags, Set(images.map(\.id)).count == images.count, images.allSatisfy({ !$0.repoDigests.isEmpty }) else {
            throw mismatch("images \(images.map { ($0.repoTags, $0.repoDigests) }), model \(modelTags)")
        }
    }
}
