/// crictl's global flags. They come before the subcommand (`cri -r unix:///x.sock ps`); the long
/// forms `--runtime-endpoint`, `--image-endpoint`, `--config` and `--debug` are also accepted right
/// after the subcommand name and its flags, since subcommand flags like `-t` mean other things.
struct GlobalOptions: Sendable {
    var runtimeEndpoint: String?
    var imageEndpoint: String?
    var timeout: Duration?
    var debug = false
    var configPath: String?

    /// Takes `other`'s set values over this one's.
    mutating func merge(_ other: GlobalOptions) {
        runtimeEndpoint = other.runtimeEndpoint ?? runtimeEndpoint
        imageEndpoint = other.imageEndpoint ?? imageEndpoint
        timeout = other.timeout ?? timeout
        debug = debug || other.debug
        configPath = other.configPath ?? configPath
    }

    /// Splits the global flags off the command line; returns them and the remaining arguments.
    static func extract(from arguments: [String]) throws(CLIFailure) -> (GlobalOptions, [String]) {
        var options = GlobalOptions()
        var rest: [String] = []
        var index = 0
        var beforeSubcommand = true
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                rest += arguments[index...]
                break
            }
            let (name, inlineValue) = split(argument)
            let global = beforeSubcommand ? shortOrLong[name] : longAfterSubcommand[name]
            guard let global else {
                if beforeSubcommand && (name == "-v") {
                    rest.append("--version")
                } else {
                    if beforeSubcommand && !argument.hasPrefix("-") { beforeSubcommand = false }
                    // exec/attach take the command to run verbatim after the container ID.
                    if !beforeSubcommand && passthroughSubcommands.contains(argument) && rest.count == 0 {
                        rest += arguments[index...]
                        break
                    }
                    rest.append(argument)
                }
                index += 1
                continue
            }
            if global == .debug {
                if let inlineValue {
                    options.debug = ["1", "true", "t", "yes"].contains(inlineValue.lowercased())
                } else {
                    options.debug = true
                }
                index += 1
                continue
            }
            let value: String
            if let inlineValue {
                value = inlineValue
                index += 1
            } else {
                guard index + 1 < arguments.count else {
                    throw CLIFailure("flag \(name) needs a value")
                }
                value = arguments[index + 1]
                index += 2
            }
            switch global {
            case .runtimeEndpoint: options.runtimeEndpoint = value
            case .imageEndpoint: options.imageEndpoint = value
            case .config: options.configPath = value
            case .timeout:
                guard let duration = GoDuration.parse(value, bareNumberUnit: .seconds) else {
                    throw CLIFailure("invalid --timeout \(quoted(value)): use seconds (\"10\") or a duration (\"10s\", \"2m\")")
                }
                options.timeout = duration
            case .debug: break
            }
        }
        return (options, rest)
    }

    private enum Flag { case runtimeEndpoint, imageEndpoint, timeout, debug, config }

    private static let shortOrLong: [String: Flag] = [
        "-r": .runtimeEndpoint, "--runtime-endpoint": .runtimeEndpoint,
        "-i": .imageEndpoint, "--image-endpoint": .imageEndpoint,
        "-t": .timeout, "--timeout": .timeout,
        "-D": .debug, "--debug": .debug,
        "-c": .config, "--config": .config,
    ]

    private static let longAfterSubcommand: [String: Flag] = [
        "--runtime-endpoint": .runtimeEndpoint, "--image-endpoint": .imageEndpoint,
        "--debug": .debug, "--config": .config,
    ]

    /// Subcommands whose trailing arguments are a command line of their own: global flags are only
    /// looked for before them.
    private static let passthroughSubcommands: Set<String> = ["exec", "attach", "config"]

    private static func split(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("-"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }
}

/// `"text"` with quotes, for messages.
func quoted(_ text: String) -> String {
    "\"" + text + "\""
}
