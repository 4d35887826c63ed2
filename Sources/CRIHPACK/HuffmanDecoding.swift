/// Table-driven Huffman decoding, four bits at a time (RFC 7541 § 5.2).
///
/// The decoder is a state machine over the 256 interior nodes of the Huffman tree. For every
/// (state, nibble) pair the table says which state follows, whether a symbol was completed and which,
/// and whether stopping there would be valid. Codes are at least 5 bits, so one nibble completes at most
/// one symbol. The table is derived once from ``huffmanCodes`` and is immutable afterwards.
package enum HuffmanDecoding {
    private static let emitFlag: UInt32 = 1 << 16
    private static let acceptFlag: UInt32 = 1 << 17
    private static let failFlag: UInt32 = 1 << 18

    /// `table[state << 4 | nibble]` = next state (bits 0-7) | symbol (bits 8-15) | flags.
    private static let table: [UInt32] = buildTable()

    /// Decodes `input` into a String, rejecting EOS, padding over 7 bits and padding that is not all ones.
    package static func decode(_ input: UnsafeBufferPointer<UInt8>) throws(HPACKError) -> String {
        // The shortest code is 5 bits, so the output is at most 8/5 of the input (input <= 2^30 here).
        let capacity = (input.count * 8 + 4) / 5
        var failure: HPACKError?
        let string = String(unsafeUninitializedCapacity: capacity) { output in
            var state: UInt32 = 0
            var accepting = true
            var written = 0
            let table = Self.table
            for index in 0..<(input.count * 2) {
                // High nibble first; no per-byte array so the loop never allocates.
                let byte = input[index >> 1]
                let nibble = index & 1 == 0 ? UInt32(byte >> 4) : UInt32(byte & 0x0f)
                let entry = table[Int(state << 4 | nibble)]
                if entry & failFlag != 0 {
                    failure = .invalidHuffman("Huffman data contains EOS")
                    return 0
                }
                if entry & emitFlag != 0 {
                    // written < capacity: each emitted symbol consumed at least 5 input bits.
                    output[written] = UInt8(truncatingIfNeeded: entry >> 8)
                    written += 1
                }
                state = entry & 0xff
                accepting = entry & acceptFlag != 0
            }
            guard accepting else {
                failure = .invalidHuffman("Huffman padding is longer than 7 bits or not all ones")
                return 0
            }
            return written
        }
        if let failure { throw failure }
        return string
    }

    private static func buildTable() -> [UInt32] {
        // Build the tree: interior node n has children[n] = (left, right); a child >= 0 is an interior
        // node, a child < 0 is leaf -(symbol + 1).
        var children: [(Int, Int)] = [(0, 0)]
        var depth: [Int] = [0]
        var allOnes: [Bool] = [true]
        for (symbol, entry) in huffmanCodes.enumerated() {
            var node = 0
            for bitIndex in stride(from: Int(entry.length) - 1, through: 0, by: -1) {
                let bit = (entry.code >> UInt32(bitIndex)) & 1
                if bitIndex == 0 {
                    if bit == 0 { children[node].0 = -(symbol + 1) } else { children[node].1 = -(symbol + 1) }
                    break
                }
                var next = bit == 0 ? children[node].0 : children[node].1
                if next == 0 {
                    next = children.count
                    children.append((0, 0))
                    depth.append(depth[node] + 1)
                    allOnes.append(allOnes[node] && bit == 1)
                    if bit == 0 { children[node].0 = next } else { children[node].1 = next }
                }
                node = next
            }
        }
        var table = [UInt32](repeating: 0, count: children.count * 16)
        for state in 0..<children.count {
            for nibble in 0..<16 {
                var node = state
                var entry: UInt32 = 0
                for bitIndex in stride(from: 3, through: 0, by: -1) {
                    let child = (nibble >> bitIndex) & 1 == 0 ? children[node].0 : children[node].1
                    if child >= 0 {
                        node = child
                        continue
                    }
                    let symbol = -child - 1
                    if symbol == 256 {
                        entry |= failFlag
                        break
                    }
                    entry |= emitFlag | UInt32(symbol) << 8
                    node = 0
                }
                // RFC 7541 § 5.2: padding is a strict prefix of EOS (all ones) of at most 7 bits.
                if allOnes[node] && depth[node] <= 7 { entry |= acceptFlag }
                table[state * 16 + nibble] = entry | UInt32(node)
            }
        }
        return table
    }
}
