import CRIWire
import CRIv1
import Testing

/// Our codec against protoc's bytes, both ways: encode(expected) == golden and decode(golden) == expected.
@Suite("protoc goldens")
struct GoldenTests {
    /// One golden: fixture name, the expected value, and a check that runs both directions.
    struct Golden: CustomTestStringConvertible, Sendable {
        let name: String
        let check: @Sendable ([UInt8]) throws -> Void
        var testDescription: String { name }

        init<M: ProtoMessage>(_ name: String, _ expected: M) {
            self.name = name
            check = { golden in
                let decoded = try M(serializedBytes: golden)
                #expect(decoded == expected, "decode(\(name).binpb) differs from the expected value")
                #expect(decoded.unknownFields.isEmpty)
                let encoded = expected.serializedBytes()
                #expect(encoded == golden, "encode(expected) != protoc bytes\n ours:   \(hex(encoded))\n protoc: \(hex(golden))")
                #expect(decoded.serializedBytes() == golden, "re-encoding the decoded value changed the bytes")
            }
        }
    }

    static let goldens: [Golden] = [
        Golden("RunPodSandboxRequest", GoldenValues.runPodSandboxRequest),
        Golden("ExecSyncResponse", GoldenValues.execSyncResponse),
        Golden("CreateContainerRequest", GoldenValues.createContainerRequest),
        Golden("ListContainersResponse", GoldenValues.listContainersResponse),
        Golden("ListContainersRequest", GoldenValues.listContainersRequest),
        Golden("ContainerStatsResponse", GoldenValues.containerStatsResponse),
        Golden("ListImagesResponse", GoldenValues.listImagesResponse),
        Golden("PullImageRequest", GoldenValues.pullImageRequest),
        Golden("ListMetricDescriptorsResponse", GoldenValues.listMetricDescriptorsResponse),
        Golden("ListPodSandboxMetricsResponse", GoldenValues.listPodSandboxMetricsResponse),
        Golden("PortForwardRequest", GoldenValues.portForwardRequest),
    ]

    @Test("encode and decode match protoc", arguments: goldens)
    func golden(_ golden: Golden) throws {
        try golden.check(try Paths.golden(golden.name))
    }

    @Test("every .binpb in Fixtures has a golden test")
    func everyFixtureIsUsed() throws {
        let names = try FileManagerShim.binpbNames()
        let covered = Set(Self.goldens.map(\.name) + ["VersionResponse.unknown-fields", "StatusResponse.multi-entry-map"])
        #expect(Set(names) == covered)
    }

    @Test("multi-entry maps: decode protoc's bytes, and our bytes decode to the same value")
    func multiEntryMap() throws {
        let golden = try Paths.golden("StatusResponse.multi-entry-map")
        let expected = GoldenValues.statusResponse
        #expect(try StatusResponse(serializedBytes: golden) == expected)
        let ours = expected.serializedBytes()
        #expect(try StatusResponse(serializedBytes: ours) == expected)
        // Same fields, possibly in another map-entry order: same length and the same bytes as a multiset.
        #expect(ours.count == golden.count)
        #expect(ours.sorted() == golden.sorted())
    }

    @Test("unknown fields of every wire type from a newer peer are kept and re-emitted byte for byte")
    func unknownFieldsFromNewerPeer() throws {
        let golden = try Paths.golden("VersionResponse.unknown-fields")
        let decoded = try VersionResponse(serializedBytes: golden)
        #expect(decoded.version == "0.1.0")
        #expect(decoded.runtimeName == "containerd")
        #expect(decoded.runtimeVersion == "v2.1.4")
        #expect(decoded.runtimeApiVersion == "v1")
        let unknown: [UInt8] =
            [0x28, 0xAC, 0x02]  // field 5, varint 300
            + [0x31] + [UInt8](repeating: 0xFF, count: 8)  // field 6, fixed64 2^64-1
            + [0x3A, 0x0F] + Array("from the future".utf8)  // field 7, length-delimited
            + [0x45, 0x07, 0x00, 0x00, 0x00]  // field 8, fixed32 7
        #expect(decoded.unknownFields.bytes == unknown, "\(hex(decoded.unknownFields.bytes))")
        #expect(decoded.serializedBytes() == golden)
        // Setting a known field keeps the unknown ones after it.
        var changed = decoded
        changed.version = "0.2.0"
        #expect(changed.serializedBytes().suffix(unknown.count) == unknown[...])
    }

    @Test("hand-built unknown fields appended to a golden survive decode and encode")
    func appendedUnknownFields() throws {
        let golden = try Paths.golden("ExecSyncResponse")
        let extra: [UInt8] = [
            0xF8, 0x01, 0x96, 0x01,  // field 31, varint 150
            0x81, 0x02, 1, 2, 3, 4, 5, 6, 7, 8,  // field 32, fixed64
            0x8A, 0x02, 0x02, 0xC3, 0xA9,  // field 33, length-delimited "é"
            0x95, 0x02, 9, 8, 7, 6,  // field 34, fixed32
        ]
        let decoded = try ExecSyncResponse(serializedBytes: golden + extra)
        #expect(decoded.exitCode == -1)
        #expect(decoded.unknownFields.bytes == extra)
        #expect(decoded.serializedBytes() == golden + extra)
        #expect(decoded != GoldenValues.execSyncResponse, "unknown fields take part in equality")
    }

    @Test("a known field with the wrong wire type is kept as an unknown field")
    func wrongWireType() throws {
        // VersionResponse.version (1) is a string; here it arrives as varint 5, then as fixed32.
        let bytes: [UInt8] = [0x08, 0x05, 0x0D, 1, 2, 3, 4, 0x12, 0x01, 0x78]
        let decoded = try VersionResponse(serializedBytes: bytes)
        #expect(decoded.version == "")
        #expect(decoded.runtimeName == "x")
        #expect(decoded.unknownFields.bytes == [0x08, 0x05, 0x0D, 1, 2, 3, 4])
    }

    @Test("repeated scalars decode packed and unpacked, and merge")
    func packedAndUnpacked() throws {
        // PortForwardRequest.port (2, int32): unpacked 80, then packed [443, 8080].
        let bytes: [UInt8] = [0x10, 0x50, 0x12, 0x04, 0xBB, 0x03, 0x90, 0x3F]
        #expect(try PortForwardRequest(serializedBytes: bytes).port == [80, 443, 8080])
        // LinuxContainerSecurityContext.supplemental_groups (8, int64): packed [1], unpacked 2.
        let groups: [UInt8] = [0x42, 0x01, 0x01, 0x40, 0x02]
        #expect(try LinuxContainerSecurityContext(serializedBytes: groups).supplementalGroups == [1, 2])
        // Our encoder always packs.
        #expect(PortForwardRequest { $0.port = [1, 2] }.serializedBytes() == [0x12, 0x02, 0x01, 0x02])
    }

    @Test("single fields encode to the expected bytes", arguments: [
        ("podSandboxID", [0x0A, 0x03, 0x61, 0x62, 0x63] as [UInt8]),
    ])
    func singleField(name: String, bytes: [UInt8]) throws {
        let message = PodSandboxStatusRequest { $0.podSandboxID = "abc" }
        #expect(message.serializedBytes() == bytes)
        #expect(try PodSandboxStatusRequest(serializedBytes: bytes) == message)
    }

    @Test("set-but-empty sub-messages are encoded; defaults are not")
    func presence() {
        #expect(ContainerFilter { $0.state = ContainerStateValue() }.serializedBytes() == [0x12, 0x00])
        #expect(ContainerFilter().serializedBytes() == [])
        #expect(Image { $0.uid = Int64Value() }.serializedBytes() == [0x2A, 0x00])
        #expect(ExecSyncResponse { $0.exitCode = 0 }.serializedBytes() == [])
        #expect(PsiData { $0.avg10 = -0.0 }.serializedBytes() == [0x11, 0, 0, 0, 0, 0, 0, 0, 0x80], "-0.0 is not the default")
    }

    @Test("fields declared out of order are encoded in field-number order")
    func fieldNumberOrder() {
        // LinuxSandboxSecurityContext declares 1,2,3,8,4,5,11,6,9,10,7.
        let context = LinuxSandboxSecurityContext {
            $0.runAsGroup = Int64Value { $0.value = 1 }  // 8
            $0.readonlyRootfs = true  // 4
            $0.supplementalGroupsPolicy = .strict  // 11
            $0.seccompProfilePath = "p"  // 7
        }
        #expect(context.serializedBytes() == [0x20, 0x01, 0x3A, 0x01, 0x70, 0x42, 0x02, 0x08, 0x01, 0x58, 0x01])
    }
}

import Foundation

enum FileManagerShim {
    static func binpbNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: Paths.fixtures.path)
            .filter { $0.hasSuffix(".binpb") }
            .map { String($0.dropLast(".binpb".count)) }
    }
}
