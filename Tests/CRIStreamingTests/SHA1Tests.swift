import Testing

@testable import CRIStreaming

@Suite struct SHA1Tests {
    static let vectors: [(input: String, digest: String)] = [
        // FIPS 180-2 Appendix A / RFC 3174 § 7.3 test vectors.
        ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
        ("The quick brown fox jumps over the lazy dog", "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"),
    ]

    @Test(arguments: vectors)
    func knownDigests(input: String, digest: String) {
        #expect(hex(SHA1.hash(Array(input.utf8))) == digest)
    }

    @Test func oneMillionAs() {
        // FIPS 180-2 Appendix A.3, fed in uneven pieces to cross block boundaries.
        var sha = SHA1()
        var fed = 0
        var piece = 1
        while fed < 1_000_000 {
            let count = min(piece, 1_000_000 - fed)
            sha.update([UInt8](repeating: UInt8(ascii: "a"), count: count))
            fed += count
            piece = piece % 200 + 7
        }
        #expect(hex(sha.finalize()) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    @Test(arguments: [55, 56, 57, 63, 64, 65, 119, 120])
    func paddingBoundaries(length: Int) {
        // Lengths around the 56-byte padding threshold; compare incremental and one-shot hashing.
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var sha = SHA1()
        for byte in bytes { sha.update([byte]) }
        #expect(sha.finalize() == SHA1.hash(bytes))
    }

    @Test func paddingBoundaryDigest() {
        // 64 'a's: exactly one block of message plus one block of padding.
        #expect(hex(SHA1.hash([UInt8](repeating: 0x61, count: 64))) == "0098ba824b5c16427bd7a1122a5a442a25ec644d")
    }
}

func hex(_ bytes: [UInt8]) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
}
