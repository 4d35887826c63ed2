import CRIWire
import CRIv1
import Testing

/// Inputs of 16 KiB and more take the decoder's large-message path: strings are shared through a
/// per-decode cache and repeated fields are counted ahead to size their arrays. These tests make sure
/// that path returns exactly what a plain decode would.
@Suite("Large messages")
struct LargeMessageTests {
    /// `count` containers whose labels repeat (as kubelet's do) and whose IDs and UIDs do not.
    static func containers(_ count: Int, seed: UInt64) -> ListContainersResponse {
        var rng = SeededGenerator(seed: seed)
        func text(_ length: Int) -> String {
            let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789-./é".unicodeScalars)
            var scalars = String.UnicodeScalarView()
            for _ in 0..<length { scalars.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
            return String(scalars)
        }
        return ListContainersResponse { response in
            for index in 0..<count {
                response.containers.append(
                    Container { container in
                        container.id = text(64)
                        container.podSandboxID = text(64)
                        container.metadata = ContainerMetadata { $0.name = "container-\(index % 7)" }
                        container.image = ImageSpec { $0.image = "registry.example/team/image-\(index % 5):v1" }
                        container.state = .containerRunning
                        container.labels = [
                            "io.kubernetes.pod.namespace": "namespace-number-\(index % 3)",
                            "io.kubernetes.pod.uid": text(36),
                            // Same length as the key above, different bytes: must not be mixed up.
                            "io.kubernetes.pod.nameXpace": text(Int(rng.next() % 100)),
                        ]
                        container.annotations = [
                            "io.kubernetes.container.terminationMessagePath": "/dev/termination-log"
                        ]
                    })
            }
        }
    }

    @Test("a large decode equals the message it came from, and equals decoding it in small pieces")
    func largeRoundTrip() throws {
        let original = Self.containers(400, seed: 7)
        let bytes = original.serializedBytes()
        #expect(bytes.count > 16 * 1024)
        #expect(bytes.count == original.encodedSize())
        let decoded = try ListContainersResponse(serializedBytes: bytes)
        #expect(decoded == original)
        // Each container on its own is below the threshold: the plain path must agree.
        for container in original.containers {
            #expect(try Container(serializedBytes: container.serializedBytes()) == container)
        }
    }

    /// Short strings are cached by their bytes folded into two words: strings of every length from 1
    /// to 17 that share prefixes, suffixes and repeated patterns must each come back as themselves.
    @Test("short strings that look alike are never mixed up")
    func shortStringsThatLookAlike() throws {
        var rng = SeededGenerator(seed: 3)
        var samples: [String] = []
        for length in 1...17 {
            samples.append(String(repeating: "a", count: length))
            samples.append(String(repeating: "a", count: length - 1) + "b")
            samples.append("b" + String(repeating: "a", count: length - 1))
            samples.append(String(repeating: "ab", count: length).prefix(length).description)
            samples.append(String((0..<length).map { _ in Array("xyz")[Int(rng.next() % 3)] }))
        }
        samples.append("é")
        samples.append("aé")
        samples.append("éa")
        let original = ListContainersResponse { response in
            for index in 0..<2000 {
                response.containers.append(
                    Container { container in
                        container.id = samples[index % samples.count]
                        container.metadata = ContainerMetadata { $0.name = samples[(index * 7 + 3) % samples.count] }
                        container.labels = [
                            samples[(index * 3) % samples.count]: samples[(index * 5 + 1) % samples.count],
                            "fixed": samples[(index * 11 + 2) % samples.count],
                        ]
                    })
            }
        }
        let bytes = original.serializedBytes()
        #expect(bytes.count > 16 * 1024)
        let decoded = try ListContainersResponse(serializedBytes: bytes)
        #expect(decoded == original)
        #expect(decoded.containers.map(\.id) == original.containers.map(\.id))
        #expect(decoded.containers.map(\.labels.keys) == original.containers.map(\.labels.keys))
    }

    @Test("invalid UTF-8 in a short string is rejected even after valid look-alikes were cached")
    func invalidShortString() throws {
        var message = Self.containers(300, seed: 5)
        message.containers[299].metadata?.name = "abcdX"
        for index in 0..<299 { message.containers[index].metadata?.name = "abcdY" }
        var bytes = message.serializedBytes()
        let needle = Array("abcdX".utf8)
        let last = try #require(lastIndex(of: needle, in: bytes))
        bytes[last + 4] = 0xC3  // a lead byte with no continuation: same length, same first four bytes
        #expect(throws: ProtoDecodingError(code: .invalidUTF8)) {
            _ = try ListContainersResponse(serializedBytes: bytes)
        }
    }

    @Test("invalid UTF-8 deep inside a large message is still rejected")
    func invalidUTF8() throws {
        var bytes = Self.containers(300, seed: 9).serializedBytes()
        // Corrupt a byte of a label key: "io.kubernetes.pod.namespace" occurs once per container.
        let key = Array("io.kubernetes.pod.namespace".utf8)
        let last = try #require(lastIndex(of: key, in: bytes))
        bytes[last + 3] = 0xFF
        #expect(throws: ProtoDecodingError(code: .invalidUTF8)) {
            _ = try ListContainersResponse(serializedBytes: bytes)
        }
    }

    @Test("a truncated large message fails cleanly at every cut near its end")
    func truncated() {
        var message = Self.containers(200, seed: 11)
        let bytes = message.serializedBytes()
        message.containers.removeLast()
        let lastStart = message.encodedSize()  // every cut after this lands inside the last container
        for cut in (lastStart + 1)..<bytes.count {
            #expect(throws: ProtoDecodingError.self) {
                _ = try ListContainersResponse(serializedBytes: Array(bytes[..<cut]))
            }
        }
    }

    func lastIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        var index = haystack.count - needle.count
        while index >= 0 {
            if haystack[index..<index + needle.count].elementsEqual(needle) { return index }
            index -= 1
        }
        return nil
    }
}
