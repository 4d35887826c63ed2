import Foundation
import Testing

@testable import CRICodeGen

/// The per-RPC surfaces (CRIClient methods, the fake's serving protocol and handler table) and their policy table.
@Suite("RPC surface generation")
struct SurfaceGeneratorTests {
    static let schema = """
        syntax = "proto3";
        package runtime.v1;
        service RuntimeService {
            rpc Ping(PingRequest) returns (PingResponse) {}
            rpc ListThings(ListThingsRequest) returns (ListThingsResponse) {}
            rpc StreamThings(StreamThingsRequest) returns (stream StreamThingsResponse) {}
        }
        message PingRequest { int64 timeout = 1; }
        message PingResponse { string id = 1; }
        message Thing { string id = 1; }
        message ThingFilter { string id = 1; }
        message ListThingsRequest { ThingFilter filter = 1; }
        message ListThingsResponse { repeated Thing things = 1; }
        message StreamThingsRequest { ThingFilter filter = 1; }
        message StreamThingsResponse { repeated Thing things = 1; }
        """

    static let rows = [
        RPCSurface("Ping", "Answers.", deadline: ".extended(.seconds(request.timeout))", validate: "check"),
        RPCSurface("ListThings", "Lists.", defaultRequest: RPCSurface.empty),
        RPCSurface("StreamThings", "Streams.", defaultRequest: RPCSurface.empty, fallback: "ListThings"),
    ]

    func generate(_ rows: [RPCSurface]) throws -> [String: String] {
        let files = try SurfaceGenerator(protoPath: "test.proto", surfaces: rows).generate(protoText: Self.schema)
        return Dictionary(uniqueKeysWithValues: files.map { ($0.name, $0.contents) })
    }

    @Test("a client method per RPC with the table's deadline, validation and default; Stream* falls back to List*")
    func client() throws {
        let client = try #require(try generate(Self.rows)[SurfaceGenerator.clientFile])
        #expect(client.contains("public func ping(\n        _ request: PingRequest, options callOptions: CRICallOptions? = nil"))
        #expect(client.contains("RuntimeService.ping, request, deadline: .extended(.seconds(request.timeout)), options: callOptions, validate: check"))
        #expect(client.contains("_ request: ListThingsRequest = ListThingsRequest()"))
        #expect(client.contains(") async throws -> [Thing] {"))
        #expect(client.contains("try await collect(RuntimeService.streamThings, request, options: callOptions, items: \\.things) {"))
        #expect(client.contains("list.filter = request.filter"))
        #expect(client.contains("return try await listThings(list, options: callOptions).things"))
    }

    @Test("the fake's protocol has a requirement per RPC and the table routes every path through it")
    func fake() throws {
        let fake = try #require(try generate(Self.rows)[SurfaceGenerator.fakeFile])
        #expect(fake.contains("func ping(_ request: PingRequest) async throws(CRIError) -> PingResponse"))
        #expect(fake.contains("func streamThings(_ request: StreamThingsRequest) async throws(CRIError) -> [StreamThingsResponse]"))
        #expect(fake.contains("unary(RuntimeService.ping, runtime) { try await rpc.ping($0) },"))
        #expect(fake.contains("batches(RuntimeService.streamThings, runtime) { try await rpc.streamThings($0) },"))
    }

    @Test("an RPC without a row, a row without an RPC, or a stream without a fallback fails generation")
    func tableMustMatchSchema() {
        #expect(throws: GeneratorError.self) { try generate(Array(Self.rows.dropFirst())) }
        #expect(throws: GeneratorError.self) { try generate(Self.rows + [RPCSurface("Gone", "Was here.")]) }
        var noFallback = Self.rows
        noFallback[2].fallback = nil
        #expect(throws: GeneratorError.self) { try generate(noFallback) }
    }

    @Test("the real table covers exactly the schema's RPCs")
    func realTable() throws {
        let files = try SurfaceGenerator().generate(protoText: try PackagePaths.read(PackagePaths.ourProto))
        #expect(files.map(\.name) == [SurfaceGenerator.clientFile, SurfaceGenerator.fakeFile])
        let client = files[0].contents
        #expect(client.contains("public func checkpointPod("))
        #expect(client.contains("validate: CRIResponseValidation.restorePod"))
        #expect(!client.contains("public func version("), "Version is hand-written (CRIClient+Version.swift)")
    }
}
