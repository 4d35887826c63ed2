/// A tiny interpreter for the commands tests and demos typically run in containers, so the fake
/// runtime's `ExecSync`, `Exec` and container processes produce believable output.
///
/// It understands `sh -c 'a; b && c || d'`, `echo [-n]`, `printf`, `cat` (echoes stdin), `hostname`,
/// `env`, `pwd`, `id`, `whoami`, `uname`, `ipconfig`, `true`, `false`, `exit N`, `sleep N`, and `>&2` to write to
/// stderr. A command's status is its exit code whether it comes as a plain argv (`["false"]` → 1)
/// or through `sh -c`. An unknown command inside a script fails with 127 and `sh: x: not found`, as
/// busybox's shell does; an unknown program as the argv itself cannot be started at all, so the
/// result carries a ``Result/startFailure`` that the runtime reports as runc does (ExecSync and
/// StartContainer fail with UNKNOWN, a streaming exec ends with an error status). Swap it out
/// through ``FakeRuntime/Configuration/commandHandler`` (see <doc:FakeRuntimeFidelity>).
public enum FakeShell {
    /// One command to run.
    public struct Invocation: Sendable {
        /// The container it runs in.
        public var containerID: String
        /// The argv, e.g. `["sh", "-c", "echo hi"]`.
        public var command: [String]
        /// Everything written to stdin (empty when there is none).
        public var stdin: [UInt8]
        /// What `hostname` prints.
        public var hostname: String
        /// What `env` prints.
        public var environment: [(key: String, value: String)]
        /// True when this is the container's own process (started by StartContainer): a long
        /// `sleep` or a daemon then means "keeps running" instead of actually waiting.
        public var isContainerProcess: Bool
        /// How long an exec may run (ExecSync's timeout); nil for no limit.
        public var timeout: Duration?

        /// Creates an invocation.
        public init(
            containerID: String,
            command: [String],
            stdin: [UInt8] = [],
            hostname: String = "fake",
            environment: [(key: String, value: String)] = [],
            isContainerProcess: Bool = false,
            timeout: Duration? = nil
        ) {
            self.containerID = containerID
            self.command = command
            self.stdin = stdin
            self.hostname = hostname
            self.environment = environment
            self.isContainerProcess = isContainerProcess
            self.timeout = timeout
        }
    }

    /// What a command produced.
    public struct Result: Sendable, Hashable {
        /// Bytes written to stdout.
        public var stdout: [UInt8] = []
        /// Bytes written to stderr.
        public var stderr: [UInt8] = []
        /// The exit code.
        public var exitCode: Int32 = 0
        /// For container processes: the process is still running (a long sleep or a daemon).
        public var keepsRunning = false
        /// The command ran past the invocation's timeout.
        public var timedOut = false
        /// Why the command could not be started at all, in runc's words (`exec: "x": executable file
        /// not found in $PATH`); nil when it ran. The runtime then reports no exit code but a failed
        /// exec or start, with this text in containerd's message.
        public var startFailure: String?

        /// Creates a result.
        public init(
            stdout: [UInt8] = [], stderr: [UInt8] = [], exitCode: Int32 = 0, keepsRunning: Bool = false,
            timedOut: Bool = false, startFailure: String? = nil
        ) {
            self.stdout = stdout
            self.stderr = stderr
            self.exitCode = exitCode
            self.keepsRunning = keepsRunning
            self.timedOut = timedOut
            self.startFailure = startFailure
        }

        /// The result of a program that does not exist: runc's reason, for a name looked up in
        /// `$PATH` or for a path (`/bin/nope`).
        public static func notFound(_ program: String) -> Result {
            let reason =
                program.contains("/")
                ? "exec: \(quoted(program)): stat \(program): no such file or directory"
                : "exec: \(quoted(program)): executable file not found in $PATH"
            return Result(exitCode: 127, startFailure: reason)
        }
    }

    /// The reason a container gets when its process cannot be started (containerd's word).
    static let startErrorReason = "StartError"

    /// The programs ``run(_:)`` knows as plain argv; anything else is ``Result/notFound(_:)``.
    public static let programs: Set<String> = [
        "sh", "bash", "ash", "echo", "printf", "cat", "hostname", "env", "pwd", "id", "whoami", "uname", "true",
        "false", ":", "sleep", "httpd", "nginx", "top", "tail", "ipconfig", "ipconfig.exe",
    ]

    /// Runs the invocation with the built-in interpreter.
    @Sendable
    public static func run(_ invocation: Invocation) async -> Result {
        var result = Result()
        let command = invocation.command
        guard let program = command.first else {
            // No command: the image default. Treat it as a long-running process (like pause).
            result.keepsRunning = invocation.isContainerProcess
            return result
        }
        let base = program.split(separator: "/").last.map(String.init) ?? program
        if base == "sh" || base == "bash" || base == "ash", command.count >= 3, command[1] == "-c" {
            await runScript(command[2], invocation, into: &result)
        } else if base == "sh" || base == "bash" || base == "ash" {
            // An interactive shell: read commands from stdin until it ends.
            await runScript(String(decoding: invocation.stdin, as: UTF8.self), invocation, into: &result)
            if invocation.isContainerProcess && invocation.stdin.isEmpty { result.keepsRunning = true }
        } else if !programs.contains(base) {
            return .notFound(program)
        } else {
            // The program's status is the exec's exit code, as for a script.
            result.exitCode = await runSimple(command, invocation, into: &result)
        }
        return result
    }

    /// True when the command reads its standard input (`cat`, `head`, an interactive shell, or a
    /// script that uses `cat`/`read`), so an exec must wait for stdin to end before running it.
    public static func readsStdin(_ command: [String]) -> Bool {
        guard let program = command.first.map({ $0.split(separator: "/").last.map(String.init) ?? $0 }) else {
            return false
        }
        switch program {
        case "cat", "head", "tee", "wc":
            return true
        case "sh", "bash", "ash":
            guard command.count >= 3, command[1] == "-c" else { return true }
            return parse(command[2]).contains { ["cat", "read", "head", "wc"].contains($0.words.first ?? "") }
        default:
            return false
        }
    }

    /// Splits a script into `(separator, words)` commands; quotes group words, `;`, newlines,
    /// `&&` and `||` separate commands.
    static func parse(_ script: String) -> [(separator: String, words: [String])] {
        var commands: [(String, [String])] = []
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        var separator = ";"
        var characters = Array(script)[...]
        func finishWord() {
            if inWord { words.append(word) }
            word = ""
            inWord = false
        }
        func finishCommand(_ next: String) {
            finishWord()
            if !words.isEmpty { commands.append((separator, words)) }
            words = []
            separator = next
        }
        while let character = characters.popFirst() {
            if let open = quote {
                if character == open {
                    quote = nil
                } else if character == "\\", open == "\"", let escaped = characters.first, "\"\\$`".contains(escaped) {
                    word.append(escaped)
                    characters.removeFirst()
                } else {
                    word.append(character)
                }
                continue
            }
            switch character {
            case "'", "\"":
                quote = character
                inWord = true
            case " ", "\t":
                finishWord()
            case ";", "\n":
                finishCommand(";")
            case "&" where characters.first == "&":
                characters.removeFirst()
                finishCommand("&&")
            case "|" where characters.first == "|":
                characters.removeFirst()
                finishCommand("||")
            case "\\":
                if let escaped = characters.popFirst() { word.append(escaped) }
                inWord = true
            default:
                word.append(character)
                inWord = true
            }
        }
        finishCommand(";")
        return commands
    }

    private static func runScript(_ script: String, _ invocation: Invocation, into result: inout Result) async {
        var lastStatus: Int32 = 0
        for (separator, words) in parse(script) {
            if separator == "&&" && lastStatus != 0 { continue }
            if separator == "||" && lastStatus == 0 { continue }
            if words.first == "exit" {
                result.exitCode = words.count > 1 ? Int32(words[1]) ?? 2 : lastStatus
                return
            }
            lastStatus = await runSimple(words, invocation, into: &result)
            if result.keepsRunning || result.timedOut { return }
        }
        result.exitCode = lastStatus
    }

    /// Runs one simple command and returns its status.
    private static func runSimple(_ words: [String], _ invocation: Invocation, into result: inout Result) async -> Int32
    {
        var words = words
        var toStderr = false
        words.removeAll { word in
            if word == ">&2" || word == "1>&2" {
                toStderr = true
                return true
            }
            return false
        }
        func write(_ text: String) {
            if toStderr { result.stderr += Array(text.utf8) } else { result.stdout += Array(text.utf8) }
        }
        guard let program = words.first else { return 0 }
        let arguments = Array(words.dropFirst())
        switch program.split(separator: "/").last.map(String.init) ?? program {
        case "echo":
            if arguments.first == "-n" {
                write(arguments.dropFirst().joined(separator: " "))
            } else {
                write(arguments.joined(separator: " ") + "\n")
            }
            return 0
        case "printf":
            guard let format = arguments.first else { return 1 }
            // Each %s takes the next argument; %% is a percent sign.
            var pending = Array(arguments.dropFirst())[...]
            var text = ""
            var characters = Array(format.replacingEscapes())[...]
            while let character = characters.popFirst() {
                if character == "%", let directive = characters.first,
                    directive == "s" || directive == "d" || directive == "%"
                {
                    characters.removeFirst()
                    text += directive == "%" ? "%" : (pending.popFirst() ?? "")
                } else {
                    text.append(character)
                }
            }
            write(text)
            return 0
        case "cat":
            if toStderr { result.stderr += invocation.stdin } else { result.stdout += invocation.stdin }
            return 0
        case "hostname":
            write(invocation.hostname + "\n")
            return 0
        case "env":
            for (key, value) in invocation.environment { write("\(key)=\(value)\n") }
            return 0
        case "pwd":
            write("/\n")
            return 0
        case "id":
            write("uid=0(root) gid=0(root) groups=0(root)\n")
            return 0
        case "whoami":
            write("root\n")
            return 0
        case "uname":
            write("Linux\n")
            return 0
        case "ipconfig", "ipconfig.exe":
            // The Windows walkthrough's `crictl exec -i ID ipconfig`: ipconfig's heading and the host name, in
            // its layout; no addresses, since an exec'd fake process is not told its pod's IP.
            write("\r\nWindows IP Configuration\r\n\r\n   Host Name . . . . . . . . . . . . : \(invocation.hostname)\r\n")
            return 0
        case "true", ":":
            return 0
        case "false":
            return 1
        case "sleep":
            // `sleep nan` or `sleep -inf` must not reach Int64(_:) below, which traps on them.
            let parsed = Double(arguments.first ?? "0") ?? 0
            let seconds = parsed.isFinite ? max(0, parsed) : (parsed == .infinity ? 86_400 : 0)
            if invocation.isContainerProcess {
                if seconds >= 1 { result.keepsRunning = true }
                return 0
            }
            return await sleep(seconds: seconds, timeout: invocation.timeout, into: &result)
        case "httpd", "nginx", "top", "tail":
            // Daemons: as a container's process they keep running; exec'd, they return at once.
            result.keepsRunning = invocation.isContainerProcess
            return 0
        default:
            result.stderr += Array("sh: \(program): not found\n".utf8)
            return 127
        }
    }

    private static func sleep(seconds: Double, timeout: Duration?, into result: inout Result) async -> Int32 {
        let requested = Duration.nanoseconds(Int64(min(seconds, 86_400) * 1e9))
        if let timeout, timeout < requested {
            try? await Task.sleep(for: timeout)
            result.timedOut = true
            return 137
        }
        try? await Task.sleep(for: requested)
        return 0
    }
}

/// `text` in double quotes, as Go's `%q` writes a plain string.
private func quoted(_ text: String) -> String {
    var output = "\""
    for character in text {
        if character == "\"" || character == "\\" { output.append("\\") }
        output.append(character)
    }
    return output + "\""
}

extension String {
    /// Replaces `\n`, `\t` and `\\` escapes as `printf` does.
    fileprivate func replacingEscapes() -> String {
        var output = ""
        var characters = Array(self)[...]
        while let character = characters.popFirst() {
            guard character == "\\", let next = characters.popFirst() else {
                output.append(character)
                continue
            }
            switch next {
            case "n": output.append("\n")
            case "t": output.append("\t")
            case "\\": output.append("\\")
            default:
                output.append("\\")
                output.append(next)
            }
        }
        return output
    }
}
