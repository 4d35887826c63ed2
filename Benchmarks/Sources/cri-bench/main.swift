import CRI
import CRITesting

#if canImport(Glibc)
import Glibc
#endif

// cri-bench: prints one JSON line per measurement:
// {"impl":"ours","mode":"decode","n":20,"p50_us":...,"p99_us":...,"bytes":...}
// Modes: fixture (write the 10k-container fixture to --file), decode, encode (codec only), and
// version, concurrent, big-list (calls through CRIClient to --endpoint, or to an in-process
// FakeCRIServer when no endpoint is given). Peers (grpc-swift-2 + swift-protobuf) join in this
// package with the benchmark issue.

struct Arguments {
    var mode = "decode"
    var n = 20
    var file: String?
    var endpoint: String?
    var concurrency = 64
    var perCaller = 100

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--mode": mode = iterator.next() ?? mode
            case "--n": n = Int(iterator.next() ?? "") ?? n
            case "--file": file = iterator.next()
            case "--endpoint": endpoint = iterator.next()
            case "--conc": concurrency = Int(iterator.next() ?? "") ?? concurrency
            case "--per": perCaller = Int(iterator.next() ?? "") ?? perCaller
            default:
                FileHandleless.error("cri-bench: unknown argument \(argument)")
                exit(2)
            }
        }
    }
}

enum FileHandleless {
    static func error(_ text: String) {
        let line = Array((text + "\n").utf8)
        _ = line.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }

    static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return bytes
    }

    static func write(_ path: String, _ bytes: [UInt8]) -> Bool {
        guard let file = fopen(path, "wb") else { return false }
        defer { fclose(file) }
        return fwrite(bytes, 1, bytes.count, file) == bytes.count
    }
}

func measure(_ n: Int, _ body: () -> Void) -> [Duration] {
    body()  // warm-up
    var samples: [Duration] = []
    let clock = ContinuousClock()
    for _ in 0..<n {
        samples.append(clock.measure(body))
    }
    return samples.sorted()
}

func microseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
}

func report(mode: String, samples: [Duration], bytes: Int) {
    let p50 = microseconds(samples[samples.count / 2])
    let p99 = microseconds(samples[min(samples.count - 1, samples.count * 99 / 100)])
    print(#"{"impl":"ours","mode":"\#(mode)","n":\#(samples.count),"p50_us":\#(Int(p50)),"p99_us":\#(Int(p99)),"bytes":\#(bytes)}"#)
}

func report(mode: String, samples: [Duration], extra: String) {
    let p50 = microseconds(samples[samples.count / 2])
    let p99 = microseconds(samples[min(samples.count - 1, samples.count * 99 / 100)])
    print(#"{"impl":"ours","mode":"\#(mode)","n":\#(samples.count),"p50_us":\#(Int(p50)),"p99_us":\#(Int(p99))\#(extra)}"#)
}

/// CPU time (user + system) this process has used, in microseconds.
func processCPUMicroseconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
}

/// Runs `body` with a client for `--endpoint`, or for an in-process fake runtime holding
/// `containers` containers when no endpoint is given.
func withBenchmarkClient(_ arguments: Arguments, containers: Int = 0, _ body: (CRIClient) async throws -> Void) async throws {
    if let endpoint = arguments.endpoint {
        try await withCRIClient(endpoint: endpoint) { try await body($0) }
        return
    }
    let runtime = FakeRuntime()
    if containers > 0 { await runtime.seed(containers: Fixture.listContainersResponse(count: containers).containers) }
    try await withFakeCRIServer(runtime: runtime) { server in
        try await withCRIClient(endpoint: server.endpoint) { try await body($0) }
    }
}

func runCallModes(_ arguments: Arguments) async throws {
    switch arguments.mode {
    case "version":
        try await withBenchmarkClient(arguments) { cri in
            _ = try await cri.version()
            var samples: [Duration] = []
            let clock = ContinuousClock()
            let cpuStart = processCPUMicroseconds()
            for _ in 0..<arguments.n {
                samples.append(try await clock.measure { _ = try await cri.version() })
            }
            let cpu = (processCPUMicroseconds() - cpuStart) / Double(arguments.n)
            let total = samples.reduce(Duration.zero, +)
            let rate = Double(arguments.n) / (microseconds(total) / 1e6)
            report(mode: "version", samples: samples.sorted(), extra: #","calls_per_s":\#(Int(rate)),"cpu_us_per_call":\#(Int(cpu))"#)
        }
    case "concurrent":
        try await withBenchmarkClient(arguments) { cri in
            _ = try await cri.version()
            let clock = ContinuousClock()
            let calls = arguments.concurrency * arguments.perCaller
            let elapsed = try await clock.measure {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<arguments.concurrency {
                        group.addTask { for _ in 0..<arguments.perCaller { _ = try await cri.version() } }
                    }
                    try await group.waitForAll()
                }
            }
            let rate = Double(calls) / (microseconds(elapsed) / 1e6)
            print(#"{"impl":"ours","mode":"concurrent","n":\#(calls),"conc":\#(arguments.concurrency),"calls_per_s":\#(Int(rate))}"#)
        }
    case "big-list":
        try await withBenchmarkClient(arguments, containers: 10_000) { cri in
            var count = 0
            var samples: [Duration] = []
            let clock = ContinuousClock()
            for _ in 0..<arguments.n {
                samples.append(try await clock.measure { count = try await cri.listContainers(filter: nil).count })
            }
            report(mode: "big-list", samples: samples.sorted(), extra: #","containers":\#(count)"#)
        }
    default:
        FileHandleless.error("cri-bench: unknown mode \(arguments.mode) (fixture, decode, encode, version, concurrent, big-list)")
        exit(2)
    }
}

let arguments = Arguments(CommandLine.arguments)
let bytes: [UInt8]
if let file = arguments.file, arguments.mode != "fixture", let contents = FileHandleless.read(file) {
    bytes = contents
} else {
    bytes = Fixture.listContainersResponse().serializedBytes()
}

switch arguments.mode {
case "fixture":
    guard let file = arguments.file, FileHandleless.write(file, bytes) else {
        FileHandleless.error("cri-bench: --mode fixture needs a writable --file")
        exit(2)
    }
    print(#"{"fixture":"\#(file)","bytes":\#(bytes.count)}"#)
case "decode":
    var containers = 0
    let samples = measure(arguments.n) {
        containers = (try? ListContainersResponse(serializedBytes: bytes))?.containers.count ?? -1
    }
    guard containers > 0 else {
        FileHandleless.error("cri-bench: the input is not a ListContainersResponse")
        exit(1)
    }
    report(mode: "decode", samples: samples, bytes: bytes.count)
case "encode":
    guard let message = try? ListContainersResponse(serializedBytes: bytes) else {
        FileHandleless.error("cri-bench: the input is not a ListContainersResponse")
        exit(1)
    }
    var size = 0
    let samples = measure(arguments.n) { size = message.serializedBytes().count }
    report(mode: "encode", samples: samples, bytes: size)
default:
    do {
        try await runCallModes(arguments)
    } catch {
        FileHandleless.error("cri-bench: \(error)")
        exit(1)
    }
}
