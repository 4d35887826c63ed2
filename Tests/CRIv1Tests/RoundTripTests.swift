import CRICodeGen
import CRIWire
import CRIv1
import Testing

@Suite("Round trips for every message type")
struct RoundTripTests {
    @Test("the registry lists all 175 messages with unique proto names matching the schema")
    func registry() {
        let names = CRIv1Schema.allMessageTypes.map { $0.protoMessageName }
        #expect(names.count == 175)
        #expect(Set(names).count == 175)
        #expect(names == RandomWire.shared.schema.allMessages.map(\.fullName))
    }

    /// Decodes random schema-valid bytes as `M`, then checks binary and JSON round trips of the populated value.
    static func check<M: ProtoMessage>(_ type: M.Type, seed: UInt64, rounds: Int) -> [String] {
        var rng = SeededGenerator(seed: seed)
        var failures: [String] = []
        for round in 0..<rounds {
            let wire = RandomWire.shared.bytes(for: M.protoMessageName, using: &rng)
            let value: M
            do {
                value = try M(serializedBytes: wire)
            } catch {
                failures.append("\(M.protoMessageName) round \(round): valid wire rejected: \(error) [\(hex(wire))]")
                continue
            }
            if !value.unknownFields.isEmpty {
                failures.append("\(M.protoMessageName): schema fields landed in unknownFields [\(hex(wire))]")
            }
            do {
                let binary = try M(serializedBytes: value.serializedBytes())
                if binary != value { failures.append("\(M.protoMessageName): binary round trip changed \(value)") }
                // Bytes are not compared: map entries follow Dictionary order, which differs between equal
                // dictionaries (protobuf does not define map order on the wire either).
                let json = value.jsonString()
                let fromJSON = try M(jsonString: json)
                if fromJSON != value { failures.append("\(M.protoMessageName): JSON round trip changed \(json)") }
                let full = value.jsonString(options: JSONEncodingOptions(emitDefaultValues: true, prettyPrinted: true))
                if try M(jsonString: full) != value {
                    failures.append("\(M.protoMessageName): JSON (emitDefaultValues) round trip changed \(full)")
                }
                _ = value.description  // must not trap
            } catch {
                failures.append("\(M.protoMessageName) round \(round): \(error) for \(value)")
            }
        }
        return failures
    }

    @Test("decode(encode(x)) == x and JSON decode(encode(x)) == x for populated instances of every type")
    func everyType() {
        let seed = TestSeed.make("RoundTripTests.everyType")
        var failures: [String] = []
        for type in CRIv1Schema.allMessageTypes {
            failures += Self.check(type, seed: seed, rounds: 25)
        }
        if !failures.isEmpty {
            Issue.record("\(failures.count) failures, seed \(seed) (CRI_TEST_SEED=\(seed)):\n\(failures.prefix(10).joined(separator: "\n"))")
        }
    }

    @Test("random populated values really populate fields")
    func populated() throws {
        var rng = SeededGenerator(seed: 42)
        var nonEmpty = 0
        for _ in 0..<20 {
            let wire = RandomWire.shared.bytes(for: "runtime.v1.ContainerConfig", using: &rng)
            if try ContainerConfig(serializedBytes: wire) != ContainerConfig() { nonEmpty += 1 }
        }
        #expect(nonEmpty >= 15)
    }
}
