/// Go's `text/tabwriter` as crictl configures it (min width 20, padding 3, spaces): every column
/// but the last is padded to its widest cell plus 3, and at least 20.
struct TableWriter {
    private var rows: [[String]] = []

    init(header: [String]) {
        rows.append(header)
    }

    mutating func add(_ row: [String]) {
        rows.append(row)
    }

    /// The table, one line per row.
    var rendered: String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() where index < columns - 1 {
                widths[index] = max(widths[index], max(20, cell.count + 3))
            }
        }
        var output = ""
        for row in rows {
            var line = ""
            for (index, cell) in row.enumerated() {
                if index < row.count - 1 {
                    line += cell + String(repeating: " ", count: max(0, widths[index] - cell.count))
                } else {
                    line += cell
                }
            }
            output += line + "\n"
        }
        return output
    }

    func print() {
        CLIOutput.write(rendered)
    }
}
