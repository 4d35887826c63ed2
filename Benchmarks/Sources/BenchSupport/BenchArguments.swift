#if canImport(Glibc)
    import Glibc
#endif

/// The command line of `cri-bench`, shared by both implementations so each reads the same knobs.
public struct BenchArguments: Sendable {
    /// `version`, `list`, `concurrent`, `big-list`, `decode`, `encode`, `oneshot`, `fixture`,
    /// `serve-fake` or `spawn`.
    public var mode = "version"
    /// `ours` or `grpc-swift`.
    public var impl = "ours"
    /// `unix:///path` or `tcp://127.0.0.1:port`; nil starts an in-process fake server.
    public var endpoint: String?
    /// Calls (or codec runs, or spawned processes) to measure; nil takes the mode's default.
    public var explicitN: Int?
    /// Concurrent callers in `concurrent` mode.
    public var concurrency = 64
    /// Calls per caller in `concurrent` mode.
    public var perCaller = 100
    /// The serialized ListContainersResponse (decode/encode input; fixture output).
    public var file: String?
    /// Containers to seed the fake server with (`serve-fake`, or the in-process server).
    public var containers: Int?
    /// The `mode` reported by `spawn` (e.g. `cri-version`).
    public var label = "oneshot-process"
    /// The command `spawn` runs (everything after `--`).
    public var command: [String] = []
    /// The streaming transport of the exec modes: `spdy` or `websocket`.
    public var transport = "spdy"
    /// Bytes piped through `cat` in `exec-throughput`.
    public var bytes = 256 << 20
    /// The image the exec modes run their container from (a runtime's; the fake takes any name).
    public var image = "busybox"

    /// Parses `arguments` (including the program name); exits with status 2 on a malformed line.
    public init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        func value(_ name: String) -> String {
            guard let next = iterator.next() else { Self.usage("\(name) needs a value") }
            return next
        }
        func number(_ name: String) -> Int {
            let text = value(name)
            guard let number = Int(text), number >= 0 else { Self.usage("\(name) needs a number, got \(text)") }
            return number
        }
        while let argument = iterator.next() {
            switch argument {
            case "--mode": mode = value(argument)
            case "--impl": impl = value(argument)
            case "--endpoint": endpoint = value(argument)
            case "--n": explicitN = number(argument)
            case "--conc": concurrency = max(1, number(argument))
            case "--per": perCaller = max(1, number(argument))
            case "--file": file = value(argument)
            case "--containers": containers = number(argument)
            case "--label": label = value(argument)
            case "--transport": transport = value(argument)
            case "--bytes": bytes = max(1, number(argument))
            case "--image": image = value(argument)
            case "--":
                while let word = iterator.next() { command.append(word) }
            default: Self.usage("unknown argument \(argument)")
            }
        }
        guard impl == "ours" || impl == "grpc-swift" else { Self.usage("--impl is ours or grpc-swift, not \(impl)") }
    }

    /// `--n`, or `fallback` when it was not given.
    public func n(default fallback: Int) -> Int {
        max(1, explicitN ?? fallback)
    }

    /// Prints `problem` and the usage to stderr and exits with status 2.
    public static func usage(_ problem: String) -> Never {
        printError(
            """
            cri-bench: \(problem)
            usage: cri-bench --mode version|list|concurrent|big-list|decode|encode|oneshot|fixture|serve-fake|spawn
                                    |exec-throughput|exec-roundtrip
                             [--impl ours|grpc-swift] [--endpoint unix:///path|tcp://127.0.0.1:port] [--n N]
                             [--conc C --per P] [--file F] [--containers K] [--label L] [-- command...]
                             [--transport spdy|websocket] [--bytes B] [--image I]
            """)
        exit(2)
    }
}

/// Writes a line to stderr.
public func printError(_ text: String) {
    let line = Array((text + "\n").utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}
