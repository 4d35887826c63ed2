import Foundation
import Testing

@testable import CRICodeGen

/// Paths relative to the package root, found from this file's location (Tests/CRICodeGenTests/...).
enum PackagePaths {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // CRICodeGenTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root

    static var ourProto: URL { root.appendingPathComponent("Protos/cri/runtime/v1/api.proto") }
    /// The upstream Kubernetes 1.37 schema, a sibling of the package in the workspace (and in CI).
    static var referenceProto: URL {
        root.appendingPathComponent("../shared/reference/cri-api/runtime/v1/api.proto").standardizedFileURL
    }
    static var generatedSources: URL { root.appendingPathComponent("Sources/CRIv1") }

    static func read(_ url: URL) throws -> String {
        try String(contentsOf: url, encoding: .utf8)
    }
}

/// Parses `text`, expecting failure, and returns the error.
func expectSyntaxError(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> ProtoSyntaxError? {
    do {
        _ = try ProtoParser.parse(text)
        Issue.record("expected a syntax error", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}
