/// Which CSV column a name or index means, and which columns are features: the label column,
/// `CSVFormat.columns` and `CSVFormat.dropColumns` all name columns the same way (a header name,
/// matched exactly and first, else a 0-based index, negative from the end).
extension Dataset {
    /// What a column is wanted for, in error messages.
    enum ColumnRole: String {
        case label = "label column"
        case feature = "feature column"
        case dropped = "dropped column"
    }

    static func resolveColumn(_ spec: String, names: [String]?, width: Int, path: String,
                              line: Int, role: ColumnRole) throws -> Int {
        let wanted = spec.trimmingWhitespace()
        if let names, let index = names.firstIndex(of: wanted) {
            // A name two columns share says neither: taking the first would train on the
            // wrong one without a word.
            if let other = names.lastIndex(of: wanted), other != index {
                throw DataError.malformedCSV(path: path, line: line, column: nil,
                                             reason: "columns \(index) and \(other) are both named '\(wanted)'; give the \(role.rawValue) by its 0-based index")
            }
            return index
        }
        if let number = Int(wanted) {
            let index = number < 0 ? width + number : number
            guard index >= 0, index < width else {
                throw DataError.malformedCSV(path: path, line: line, column: nil,
                                             reason: "\(role.rawValue) \(number) is outside the \(width) columns (0-based; -1 is the last)")
            }
            return index
        }
        if let names {
            throw DataError.malformedCSV(path: path, line: line, column: nil,
                                         reason: "no column named '\(wanted)'; the header has: \(names.joined(separator: ", "))")
        }
        throw DataError.malformedCSV(path: path, line: line, column: nil,
                                     reason: "no header row, so the \(role.rawValue) '\(wanted)' must be given as an index")
    }

    /// The feature columns in feature order: `format.columns` as given, or every column but the
    /// label and the dropped ones, in file order. A feature column that is the label column,
    /// one given twice, or no feature at all is an error.
    static func resolveFeatureColumns(_ format: CSVFormat, names: [String]?, width: Int, labelIndex: Int,
                                      path: String, line: Int) throws -> [Int] {
        func refuse(_ reason: String) -> DataError {
            DataError.malformedCSV(path: path, line: line, column: nil, reason: reason)
        }
        func describe(_ column: Int) -> String {
            names.map { "'\($0[column])' (column \(column))" } ?? "column \(column)"
        }
        var columns: [Int]
        if let wanted = format.columns {
            columns = []
            for spec in wanted {
                let column = try resolveColumn(spec, names: names, width: width, path: path, line: line, role: .feature)
                guard column != labelIndex else { throw refuse("\(describe(column)) is the label column; it cannot also be a feature") }
                guard !columns.contains(column) else { throw refuse("\(describe(column)) is given twice as a feature column") }
                columns.append(column)
            }
        } else {
            var dropped: Set<Int> = []
            for spec in format.dropColumns {
                let column = try resolveColumn(spec, names: names, width: width, path: path, line: line, role: .dropped)
                guard column != labelIndex else { throw refuse("\(describe(column)) is the label column; it cannot be dropped") }
                dropped.insert(column)
            }
            columns = (0..<width).filter { $0 != labelIndex && !dropped.contains($0) }
        }
        guard !columns.isEmpty else { throw refuse("no feature column is left; keep at least one besides the label") }
        return columns
    }
}
