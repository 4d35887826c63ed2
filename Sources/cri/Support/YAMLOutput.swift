import CRI
import Yams

/// JSON → YAML with sorted keys, as `sigs.k8s.io/yaml.JSONToYAML` gives crictl's `-o yaml`.
enum YAMLOutput {
    static func render(_ value: JSONValue) -> String {
        (try? Yams.serialize(node: node(JSONTree.sorted(value)))) ?? ""
    }

    /// The YAML of a message's protojson.
    static func render(message: some ProtoMessage) -> String {
        render(JSONTree.tree(of: message))
    }

    private static func node(_ value: JSONValue) -> Node {
        switch value {
        case .null: return Node("null", Tag(.null))
        case .bool(let flag): return Node(flag ? "true" : "false", Tag(.bool))
        case .number(let text): return Node(text, Tag(.implicit))
        case .string(let text):
            let scalar = Node.Scalar(text)
            return .scalar(Resolver.default.resolveTag(of: Node.scalar(scalar)) == .str ? scalar : Node.Scalar(text, Tag(.str), .singleQuoted))
        case .array(let items):
            return .sequence(Node.Sequence(items.map(node)))
        case .object(let members):
            return .mapping(Node.Mapping(members.map { (Node($0.key), node($0.value)) }))
        }
    }
}
