import Foundation
import Testing

@testable import CRICodeGen

@Suite("Our CRI v1 transcription")
struct SchemaTests {
    static func ourSchema() throws -> SchemaFile {
        try ProtoParser.parse(try PackagePaths.read(PackagePaths.ourProto))
    }

    @Test("has the Kubernetes 1.37 counts")
    func counts() throws {
        let file = try Self.ourSchema()
        #expect(file.syntax == "proto3")
        #expect(file.package == "runtime.v1")
        #expect(file.options == [SchemaOption(name: "go_package", value: "k8s.io/cri-api/pkg/apis/runtime/v1")])
        #expect(file.services.map(\.name) == ["RuntimeService", "ImageService"])
        #expect(file.services.map(\.methods.count) == [37, 6])
        let methods = file.services.flatMap(\.methods)
        #expect(methods.count == 43)
        #expect(methods.filter(\.isServerStreaming).map(\.name).sorted() == [
            "GetContainerEvents", "StreamContainerStats", "StreamContainers", "StreamImages", "StreamPodSandboxMetrics",
            "StreamPodSandboxStats", "StreamPodSandboxes",
        ])
        #expect(methods.allSatisfy { !$0.isClientStreaming })
        #expect(file.allMessages.count == 175)
        #expect(file.allEnums.count == 11)
        #expect(file.allEnums.filter { !$0.scope.isEmpty }.map(\.fullName) == ["runtime.v1.SecurityProfile.ProfileType"])
        let fields = file.allMessages.flatMap { message in message.fields.map { (message.name, $0) } }
        #expect(fields.filter { $0.1.isDebugRedacted }.map { "\($0.0).\($0.1.name)" } == [
            "AuthConfig.password", "AuthConfig.auth", "AuthConfig.identity_token", "AuthConfig.registry_token",
        ])
        #expect(fields.filter { $0.1.isDeprecated }.map { "\($0.0).\($0.1.name)" } == [
            "LinuxSandboxSecurityContext.seccomp_profile_path", "LinuxContainerSecurityContext.apparmor_profile",
            "LinuxContainerSecurityContext.seccomp_profile_path",
        ])
        let doubles = fields.filter { $0.1.type == .scalar(.double) }.map { "\($0.0).\($0.1.name)" }
        #expect(doubles.count == 3)
        let bytes = fields.filter { $0.1.type == .scalar(.bytes) }.map { "\($0.0).\($0.1.name)" }
        #expect(bytes == ["KeyValue.value", "ExecSyncResponse.stdout", "ExecSyncResponse.stderr"])
    }

    @Test("keeps no upstream prose: the only comments are our own short ones")
    func ownComments() throws {
        let text = try PackagePaths.read(PackagePaths.ourProto)
        #expect(!text.contains("Licensed under the Apache License"))
        #expect(!text.contains("/*"))
        #expect(text.contains("Apache-2.0"))
        #expect(text.contains("Kubernetes 1.37."))
        let comments = text.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
        #expect(comments.allSatisfy { $0.count <= 120 })
    }

    @Test("matches the upstream reference schema on every wire fact")
    func matchesReference() throws {
        let url = PackagePaths.referenceProto
        guard FileManager.default.fileExists(atPath: url.path) else {
            Issue.record("""
                The upstream CRI schema is missing at \(url.path). This test compares our transcription with \
                Kubernetes 1.37's api.proto and must not be skipped; place cri-api/runtime/v1/api.proto there.
                """)
            return
        }
        let reference = WireFacts(try ProtoParser.parse(try PackagePaths.read(url)))
        let ours = WireFacts(try Self.ourSchema())
        #expect(ours.header == reference.header)
        for key in Set(reference.messages.keys).union(ours.messages.keys).sorted() {
            #expect(ours.messages[key] == reference.messages[key], "message \(key)")
        }
        for key in Set(reference.enums.keys).union(ours.enums.keys).sorted() {
            #expect(ours.enums[key] == reference.enums[key], "enum \(key)")
        }
        for key in Set(reference.services.keys).union(ours.services.keys).sorted() {
            #expect(ours.services[key] == reference.services[key], "service \(key)")
        }
        #expect(ours.messageOrder == reference.messageOrder, "declaration order of messages")
        #expect(reference.messages.count == 175 && reference.enums.count == 11 && reference.services.count == 2)
    }
}

/// Everything that affects the wire or the generated API, without comments.
struct WireFacts: Equatable {
    var header: [String]
    var messages: [String: [String]] = [:]
    var enums: [String: [String]] = [:]
    var services: [String: [String]] = [:]
    var messageOrder: [String]

    init(_ file: SchemaFile) {
        header = [file.syntax, file.package] + file.options.map { "\($0.name)=\($0.value)" }
        messageOrder = file.allMessages.map(\.fullName)
        for message in file.allMessages {
            messages[message.fullName] = message.fields.map { field in
                let options = field.options.map { "\($0.name)=\($0.value)" }.sorted().joined(separator: ",")
                return "\(field.number) \(field.label.rawValue) \(field.type.protoSpelling) \(field.name) [\(options)]"
            } + ["nested: " + message.nestedMessages.map(\.name).joined(separator: ","),
                 "enums: " + message.nestedEnums.map(\.name).joined(separator: ",")]
        }
        for definition in file.allEnums {
            enums[definition.fullName] = definition.values.map { "\($0.name)=\($0.number)" }
                + definition.options.map { "option \($0.name)=\($0.value)" }
        }
        for service in file.services {
            services[service.fullName] = service.methods.map {
                "\($0.name)(\($0.isClientStreaming ? "stream " : "")\($0.requestType)) returns (\($0.isServerStreaming ? "stream " : "")\($0.responseType))"
            }
        }
    }
}
