import ArgumentParser
import CRI

/// `cri info`: runtime conditions, handlers, features and the runtime's verbose info.
struct InfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Display information of the container runtime.")

    @Option(name: .shortAndLong, help: "Output format: json or yaml.")
    var output: OutputFormat = .json

    @Flag(name: .shortAndLong, help: "Do not ask the runtime for its verbose info.")
    var quiet = false

    func run() async throws {
        try output.require([.json, .yaml])
        try await withRuntimeClient { client, _ in
            var request = StatusRequest()
            request.verbose = !quiet
            let response = try await client.status(request)
            var members: [JSONMember] = [
                JSONMember(key: "status", value: JSONTree.tree(of: response.status ?? RuntimeStatus())),
                JSONMember(key: "runtimeHandlers", value: .array(response.runtimeHandlers.map(Self.goJSON))),
            ]
            if let features = response.features { members.append(JSONMember(key: "features", value: Self.goJSON(features))) }
            for (key, value) in response.info { members.append(JSONMember(key: key, value: JSONTree.infoValue(value))) }
            printTree(.object(members), as: output)
        }
    }

    /// A message as Go's encoding/json writes the cri-api struct (snake_case, empty fields omitted).
    static func goJSON(_ message: some ProtoMessage) -> JSONValue {
        JSONTree.snakeCased((try? JSONParser.parse(message.jsonString())) ?? .object([]))
    }
}
