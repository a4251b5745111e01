import NNMFormat

/// How a CSV file's fields are separated. The raw value is the separator itself, as a recipe
/// stores it (`spec/datasets.md` §5).
public enum CSVDelimiter: String, Sendable, Hashable, CaseIterable {
    case comma = ","
    case semicolon = ";"
    case tab = "\t"

    /// The separator byte.
    var byte: UInt8 { rawValue.utf8.first ?? UInt8(ascii: ",") }

    /// How people name it: `comma`, `semicolon`, `tab`.
    public var name: String {
        switch self {
        case .comma: "comma"
        case .semicolon: "semicolon"
        case .tab: "tab"
        }
    }

    /// `,` `;` or a tab character, or the words `comma`, `semicolon`, `tab` (any case).
    public init?(spelling: String) {
        switch spelling.lowercased() {
        case ",", "comma": self = .comma
        case ";", "semicolon": self = .semicolon
        case "\t", "tab", "\\t": self = .tab
        default: return nil
        }
    }

    /// The separator of the first non-blank line of `bytes`: the one of `,` `;` tab that occurs
    /// most often outside double quotes; comma when none occurs or on a tie with comma (so a
    /// one-column file keeps the old error).
    public static func detect(in bytes: some Collection<UInt8>) -> CSVDelimiter {
        var counts: [CSVDelimiter: Int] = [:]
        var quoted = false
        var sawContent = false
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if !quoted, byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                if sawContent { break }
                continue
            }
            if byte != 0x20 { sawContent = true }
            if !quoted, let delimiter = allCases.first(where: { $0.byte == byte }) { counts[delimiter, default: 0] += 1 }
        }
        let best = allCases.max { counts[$0, default: 0] < counts[$1, default: 0] } ?? .comma
        return counts[best, default: 0] > counts[.comma, default: 0] ? best : .comma
    }
}

/// The CSV options beyond the label column and the header: the separator, and which columns
/// are features. The defaults are what NNM always did (commas, every column but the label), and
/// a recipe stores only what differs from them, so older recipes and files keep their bytes.
public struct CSVFormat: Sendable, Hashable {
    public var delimiter: CSVDelimiter
    /// The feature columns, in this order, by header name or 0-based index (negative from the
    /// end); nil: every column except the label column and ``dropColumns``.
    public var columns: [String]?
    /// Columns that are not features (an ID, a date), by header name or index.
    public var dropColumns: [String]
    /// Whether the label column holds classes or a number to predict (regression).
    public var task: LearningTask

    public init(delimiter: CSVDelimiter = .comma, columns: [String]? = nil, dropColumns: [String] = [],
                task: LearningTask = .classification) {
        self.delimiter = delimiter
        self.columns = columns
        self.dropColumns = dropColumns
        self.task = task
    }

    /// The header cells pandas writes above an unnamed index column (`DataFrame.to_csv()`).
    static let indexColumnHeaders: Set<String> = ["", "Unnamed: 0"]

    /// How much of a file is read to decide the separator and look for an index column.
    static let sniffBytes = 1 << 20
}

extension Dataset {
    /// Whether `bytes` (the start of a CSV file; `complete` when it is the whole file) begins
    /// with a pandas-style index column: a header whose first cell is empty or `Unnamed: 0`
    /// over values 0, 1, 2, … in every data row read (the rows of the first MiB), the first
    /// column not being the label column. Such a column numbers the rows: not a property of a
    /// sample, and on sorted data it gives the label away.
    static func startsWithIndexColumn(_ bytes: [UInt8], complete: Bool, path: String, delimiter: CSVDelimiter,
                                      labelColumn: String, header: CSVHeaderMode) -> Bool {
        var reader = CSVRecordReader(bytes: bytes, path: path, delimiter: delimiter)
        var records: [CSVRecord] = []
        while records.count <= 100_000, let record = try? reader.next() { records.append(record) }
        if !complete, !records.isEmpty { records.removeLast() }  // the last record may be cut short
        guard records.count >= 2, records[0].fields.count >= 3 else { return false }
        let first = records[0].fields
        switch header {
        case .absent: return false
        case .present: break
        case .auto: guard looksLikeHeader(first, before: records[1].fields) else { return false }
        }
        guard CSVFormat.indexColumnHeaders.contains(first[0]),
              let label = try? resolveColumn(labelColumn, names: first, width: first.count, path: path,
                                             line: 1, role: .label), label != 0 else { return false }
        for (row, record) in records.dropFirst().enumerated() {
            guard let value = record.fields.first.flatMap({ CSVNumber.double($0) }), value == Double(row) else { return false }
        }
        return true
    }
}

extension CSVFormat {
    /// `a, b,3` → `["a", "b", "3"]`: a comma-separated list of column names or indices.
    public static func list(_ text: String) -> [String] {
        text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
    }

    /// Checks the options without reading the file: lists without empty items or commas
    /// (a recipe stores each list comma-separated), and not both `columns` and `dropColumns`.
    func validate() throws {
        let dataset = DataSource.Kind.csv.rawValue
        for (parameter, list) in [(DataParameter.columns, columns), (.dropColumns, dropColumns.isEmpty ? nil : dropColumns)] {
            guard let list else { continue }
            if list.isEmpty || list.contains(where: { $0.trimmingWhitespace().isEmpty || $0.contains(",") }) {
                throw DataError.invalidParameter(
                    dataset: dataset, name: parameter.rawValue, value: "'\(list.joined(separator: ","))'",
                    expected: "a comma-separated list of column names or 0-based indices (a name with a comma: give its index)")
            }
        }
        if columns != nil, !dropColumns.isEmpty {
            throw DataError.invalidParameter(
                dataset: dataset, name: DataParameter.dropColumns.rawValue, value: "'\(dropColumns.joined(separator: ","))'",
                expected: "no drop_columns beside columns (columns already names every feature)")
        }
    }

    /// The parts of a recipe summary that differ from the defaults.
    var summary: [String] {
        var parts: [String] = []
        if delimiter != .comma { parts.append("\(delimiter.name)-separated") }
        if let columns { parts.append("columns " + columns.map(escapeForDisplay).joined(separator: ",")) }
        if !dropColumns.isEmpty { parts.append("dropped " + dropColumns.map(escapeForDisplay).joined(separator: ",")) }
        if task == .regression { parts.append("regression") }
        return parts
    }

    /// The format a new `csv:PATH` recipe records: the given separator, or the one detected from
    /// the file's first line; the given columns; and, when neither `columns` nor `dropColumns`
    /// was given, a pandas-style index column dropped (``Dataset/startsWithIndexColumn``).
    static func resolved(for path: String, options: DataSourceOptions) throws -> CSVFormat {
        var format = try resolvedLayout(for: path, options: options)
        if let task = options.task {
            format.task = task
        } else {
            format.task = try Dataset.inferCSVTask(
                try DataFile.read(path), path: path, labelColumn: options.labelColumn ?? "-1",
                header: options.header ?? .auto, format: format)
        }
        return format
    }

    /// The separator and feature columns of ``resolved(for:options:)``.
    private static func resolvedLayout(for path: String, options: DataSourceOptions) throws -> CSVFormat {
        var format = CSVFormat(delimiter: options.delimiter ?? .comma, columns: options.columns,
                               dropColumns: options.dropColumns ?? [])
        let lookForIndex = options.columns == nil && options.dropColumns == nil
        guard options.delimiter == nil || lookForIndex else { return format }
        let file = try ReadOnlyFile(path: path)
        let start = try file.prefix(min(file.length, sniffBytes))
        if options.delimiter == nil { format.delimiter = CSVDelimiter.detect(in: start.prefix(sniffBytes)) }
        if lookForIndex, Dataset.startsWithIndexColumn(
            start, complete: start.count == file.length, path: path, delimiter: format.delimiter,
            labelColumn: options.labelColumn ?? "-1", header: options.header ?? .auto) {
            format.dropColumns = ["0"]
        }
        return format
    }
}

extension DataRecipe {
    /// What a `csv:PATH` recipe decided by itself that the user should hear: a separator other
    /// than a comma found in the file (when `options` named none) and an index column dropped
    /// (when `options` gave no columns). One sentence each, for a tool's `note:` lines.
    public func csvNotes(given options: DataSourceOptions) -> [String] {
        guard case let .csv(file, _, _, format) = source else { return [] }
        let name = escapeForDisplay(file.name ?? file.path)
        var notes: [String] = []
        if options.delimiter == nil, format.delimiter != .comma {
            notes.append("\(name): fields are separated by \(format.delimiter.name)s (detected from the first line; "
                + "--delimiter chooses)")
        }
        if options.columns == nil, options.dropColumns == nil, format.dropColumns == ["0"] {
            notes.append("\(name): the first column is unnamed and holds the row numbers 0, 1, 2, … (a pandas index); "
                + "it is not used as a feature (--columns or --drop-columns chooses the columns yourself)")
        }
        return notes
    }
}
