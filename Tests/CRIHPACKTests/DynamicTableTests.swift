import CRIHPACK
import Testing

@Suite struct DynamicTableTests {
    @Test func sizeIsNameValueAnd32() {
        var table = DynamicTable(maxSize: 4096)
        table.insert(name: "custom-key", value: "custom-header")
        // RFC 7541 § 4.1: 10 + 13 + 32.
        #expect(table.size == 55)
        #expect(table.count == 1)
        #expect(table[1]! == ("custom-key", "custom-header"))
        #expect(table[0] == nil)
        #expect(table[2] == nil)
    }

    /// Many inserts wrap the ring storage; compare with a plain array model after each step.
    @Test func ringMatchesAnArrayModel() {
        var table = DynamicTable(maxSize: 200)
        var model: [HPACKHeader] = []  // newest first
        for step in 0..<500 {
            let header = HPACKHeader(name: "n\(step % 7)", value: String(repeating: "v", count: step % 23))
            table.insert(name: header.name, value: header.value)
            model.insert(header, at: 0)
            while model.reduce(0, { $0 + $1.name.utf8.count + $1.value.utf8.count + 32 }) > 200 { model.removeLast() }
            if step % 50 == 49 {
                // RFC 7541 § 4.3: shrinking evicts from the oldest end; growing keeps everything.
                table.setMaxSize(100)
                while model.reduce(0, { $0 + $1.name.utf8.count + $1.value.utf8.count + 32 }) > 100 {
                    model.removeLast()
                }
                table.setMaxSize(200)
            }
            #expect(table.entries == model, "step \(step)")
            #expect(table.size == model.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 32 })
        }
    }

    @Test func settingSizeZeroEmptiesTheTable() {
        var table = DynamicTable(maxSize: 4096)
        table.insert(name: "a", value: "b")
        table.insert(name: "c", value: "d")
        table.setMaxSize(0)
        #expect(table.count == 0)
        #expect(table.size == 0)
        table.insert(name: "a", value: "b")
        #expect(table.count == 0)
    }
}
