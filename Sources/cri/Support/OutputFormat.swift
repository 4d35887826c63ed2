import ArgumentParser
import CRI

/// `-o/--output` values.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case json, yaml, table
    case goTemplate = "go-template"

    /// Rejects formats a command does not offer.
    func require(_ allowed: [OutputFormat]) throws(CLIFailure) {
        if self == .goTemplate {
            throw CLIFailure("-o go-template is not supported by cri; use -o json and a JSON tool (e.g. jq)")
        }
        guard allowed.contains(self) else {
            throw CLIFailure("unsupported output format \(quoted(rawValue)); use one of: \(allowed.map(\.rawValue).joined(separator: ", "))")
        }
    }
}

/// Prints a message as protojson (defaults included, pretty) or YAML.
func printMessage(_ message: some ProtoMessage, as format: OutputFormat) {
    switch format {
    case .yaml: CLIOutput.write(YAMLOutput.render(message: message))
    default: CLIOutput.line(message.jsonString(options: JSONEncodingOptions(emitDefaultValues: true, prettyPrinted: true)))
    }
}

/// Prints a JSON tree (keys sorted) as JSON or YAML.
func printTree(_ value: JSONValue, as format: OutputFormat) {
    switch format {
    case .yaml: CLIOutput.write(YAMLOutput.render(value))
    default: CLIOutput.line(JSONTree.render(JSONTree.sorted(value)))
    }
}
