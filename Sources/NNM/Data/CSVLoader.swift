/// Comma- (or semicolon-, tab-) separated files → `Dataset`, with the rules of `spec/datasets.md`:
/// UTF-8 (a byte-order mark is skipped), LF, CRLF or CR line ends, RFC 4180 quoting (a field in
/// double quotes may hold commas, line breaks and `""` for a quote), blank lines skipped, spaces
/// around a cell ignored. Feature cells must be finite numbers; the label column may hold
/// numbers or words. Errors name the line and the column (both 1-based; the column counts
/// fields, not characters).
extension Dataset {
    /// Limits that keep a hostile or mistaken file from exhausting memory.
    public static let maximumCSVRows = 10_000_000
    public static let maximumCSVColumns = 100_000
    public static let maximumCSVValues = 250_000_000
    /// More distinct labels than this means the label column is not a class column.
    public static let maximumClasses = 1000

    /// Reads a CSV file. `labelColumn`: a header name, or a 0-based index (negative counts from
    /// the end, `-1` is the last column). `minimumClasses`: training needs two; points to
    /// evaluate a trained classifier on may all be of one class.
    public static func loadCSV(path: String, labelColumn: String = "-1",
                               header: CSVHeaderMode = .auto, format: CSVFormat = CSVFormat(),
                               minimumClasses: Int = 2) throws -> Dataset {
        try parseCSV(try DataFile.read(path), path: path, labelColumn: labelColumn, header: header, format: format,
                     minimumClasses: minimumClasses)
    }

    /// Parses CSV bytes; `path` is used in error messages only. `format` gives the separator
    /// and which columns are features (by default every column but the label).
    public static func parseCSV(_ bytes: [UInt8], path: String, labelColumn: String = "-1",
                                header: CSVHeaderMode = .auto, format: CSVFormat = CSVFormat(),
                                minimumClasses: Int = 2) throws -> Dataset {
        let (rows, names) = try csvRows(bytes, path: path, labelColumn: labelColumn, header: header, format: format)
        let featureNames = names.map { names in rows.featureColumns.map { names[$0] } }
        let features = Matrix(rows: rows.count, columns: rows.featureColumns.count, storage: rows.values)
        let labelName = names.map { $0[rows.labelIndex] }
        switch format.task {
        case .regression:
            return Dataset(features: features, targets: try rows.targets(), featureNames: featureNames,
                           labelName: labelName)
        case .classification:
            let (labels, classNames) = try classIndices(rows.labelTexts, path: path, column: rows.labelIndex,
                                                        minimumClasses: minimumClasses)
            return Dataset(features: features, labels: labels, classCount: classNames.count,
                           featureNames: featureNames, classNames: classNames, labelName: labelName)
        }
    }

    /// What `--task auto` makes of a CSV file's label column (``inferTask(labels:path:column:)``).
    public static func inferCSVTask(_ bytes: [UInt8], path: String, labelColumn: String = "-1",
                                    header: CSVHeaderMode = .auto, format: CSVFormat = CSVFormat()) throws -> LearningTask {
        let (rows, _) = try csvRows(bytes, path: path, labelColumn: labelColumn, header: header, format: format)
        return try inferTask(labels: rows.labelTexts, path: path, column: rows.labelIndex)
    }

    /// Every data record checked and read: features as float32, label cells as text.
    static func csvRows(_ bytes: [UInt8], path: String, labelColumn: String, header: CSVHeaderMode,
                        format: CSVFormat) throws -> (CSVRows, names: [String]?) {
        var reader = CSVRecordReader(bytes: bytes, path: path, delimiter: format.delimiter)
        guard let first = try reader.next() else {
            throw DataError.malformedCSV(path: path, line: 1, column: nil, reason: "the file has no data")
        }
        let second = try reader.next()
        let hasHeader: Bool
        switch header {
        case .present: hasHeader = true
        case .absent: hasHeader = false
        case .auto: hasHeader = looksLikeHeader(first.fields, before: second?.fields)
        }
        let width = try checkedWidth(of: first, path: path, delimiter: format.delimiter)
        let names = hasHeader ? first.fields : nil
        let labelIndex = try resolveColumn(labelColumn, names: names, width: width, path: path,
                                           line: first.line, role: .label)
        let featureColumns = try resolveFeatureColumns(format, names: names, width: width, labelIndex: labelIndex,
                                                       path: path, line: first.line)
        var rows = CSVRows(path: path, width: width, labelIndex: labelIndex, featureColumns: featureColumns,
                           names: names, hasHeader: hasHeader)
        if !hasHeader { try rows.take(first) }
        if let second { try rows.take(second) }
        while let record = try reader.next() { try rows.take(record) }
        guard rows.count > 0 else {
            throw DataError.malformedCSV(path: path, line: first.line, column: nil,
                                         reason: "a header row but no data rows")
        }
        return (rows, names)
    }

    /// The number of fields of the first record, which every record must have: at least a
    /// feature and a label, at most ``maximumCSVColumns``.
    static func checkedWidth(of first: CSVRecord, path: String, delimiter: CSVDelimiter = .comma) throws -> Int {
        let width = first.fields.count
        guard width <= maximumCSVColumns else {
            throw DataError.malformedCSV(path: path, line: first.line, column: nil,
                                         reason: "\(width) columns, more than the limit of \(maximumCSVColumns)")
        }
        guard width >= 2 else {
            throw DataError.malformedCSV(path: path, line: first.line, column: nil,
                                         reason: delimiter == .comma
                                            ? "only one column; need at least one feature and a label (is the file comma-separated? see --delimiter)"
                                            : "only one column when split at each \(delimiter.name); need at least one feature and a label")
        }
        return width
    }

    /// A header if some column holds a non-number in the first record and a number in the
    /// second; with a single record, a header if none of its cells is a number.
    package static func looksLikeHeader(_ first: [String], before second: [String]?) -> Bool {
        let isNumber: (String) -> Bool = { CSVNumber.double($0).map { $0.isFinite } ?? false }
        guard let second else { return !first.contains(where: isNumber) }
        for (a, b) in zip(first, second) where !isNumber(a) && isNumber(b) { return true }
        return false
    }

    /// Class indices in sorted order of the distinct labels: by numeric value when every label
    /// is a finite number (spellings of one value, like `1` and `1.0`, are one class, named by
    /// its first spelling), otherwise by the labels' UTF-8 bytes. Sorting, not first
    /// appearance, so the same classes get the same indices whatever the row order.
    static func classIndices(_ texts: [String], path: String, column: Int,
                             minimumClasses: Int = 2) throws -> ([Int], [String]) {
        var distinct: [String] = []
        var seen: Set<String> = []
        for text in texts where seen.insert(text).inserted { distinct.append(text) }

        // The labels as numbers; they align with `distinct` when every label is one.
        let values = distinct.compactMap { CSVNumber.double($0) }.filter(\.isFinite)
        let numeric = values.count == distinct.count
        var classOf: [String: Int] = [:]
        var classNames: [String] = []
        if numeric {
            var nameOfValue: [Double: String] = [:]
            for (text, value) in zip(distinct, values) where nameOfValue[value] == nil { nameOfValue[value] = text }
            let sortedValues = nameOfValue.keys.sorted()
            var indexOfValue: [Double: Int] = [:]
            for (index, value) in sortedValues.enumerated() {
                indexOfValue[value] = index
                classNames.append(nameOfValue[value] ?? "")
            }
            for (text, value) in zip(distinct, values) { classOf[text] = indexOfValue[value] }
        } else {
            classNames = distinct.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for (index, name) in classNames.enumerated() { classOf[name] = index }
        }
        guard classNames.count <= maximumClasses else {
            throw DataError.unusableDataset(
                "\(path): the label column (\(column + 1)) has \(classNames.count) distinct values, more than "
                    + "\(maximumClasses) classes; is it a numeric target rather than a class label?")
        }
        guard classNames.count >= minimumClasses else {
            throw DataError.unusableDataset(
                "\(path): the label column (\(column + 1)) has a single class '\(classNames.first ?? "")'; "
                    + "a classifier needs at least two")
        }
        return (texts.map { classOf[$0] ?? 0 }, classNames)
    }
}

/// One logical CSV record: its fields (unquoted, trimmed) and the line it starts on.
struct CSVRecord {
    var line: Int
    var fields: [String]
}

/// Splits CSV bytes into records, one at a time, so large files never hold every cell as text.
struct CSVRecordReader {
    private let bytes: [UInt8]
    private let path: String
    private var position: Int
    private var line = 1

    /// `firstLine` and `atFileStart` let a stream parse a file piece by piece: a later piece
    /// starts at a record boundary on a later line, and only the file's start may hold a BOM.
    init(bytes: [UInt8], path: String, delimiter: CSVDelimiter = .comma, firstLine: Int = 1, atFileStart: Bool = true) {
        self.bytes = bytes
        self.path = path
        self.delimiter = delimiter.byte
        line = firstLine
        position = atFileStart && bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    private let delimiter: UInt8
    private static let quote = UInt8(ascii: "\""),
        newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")

    /// A cell's bytes as text; nil when they are not UTF-8. ASCII (every number) is decoded
    /// from a buffer, which the standard library does without the generic validation that
    /// cost a million-row CSV ~10 % of its parsing in runtime type lookups.
    private static func text(of bytes: ArraySlice<UInt8>) -> String? {
        bytes.withUnsafeBufferPointer { buffer in
            buffer.allSatisfy { $0 < 0x80 } ? String(decoding: buffer, as: UTF8.self)
                                            : String(validating: buffer, as: UTF8.self)
        }
    }

    /// The next non-blank record, or nil at the end of the data.
    mutating func next() throws -> CSVRecord? {
        while position < bytes.count {
            let record = try readRecord()
            let blank = record.fields.count == 1 && record.fields[0].isEmpty && !record.quoted
            if !blank { return CSVRecord(line: record.line, fields: record.fields) }
        }
        return nil
    }

    private mutating func endOfLine() {
        if bytes[position] == Self.carriageReturn, position + 1 < bytes.count,
           bytes[position + 1] == Self.newline {
            position += 1
        }
        position += 1
        line += 1
    }

    private mutating func readRecord() throws -> (line: Int, fields: [String], quoted: Bool) {
        let startLine = line
        var fields: [String] = []
        var anyQuoted = false
        var cell: [UInt8] = []
        var quoted = false
        var afterClosingQuote = false
        func finishCell() throws {
            var bytes = cell[...]
            if !quoted {
                let isBlank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
                while let last = bytes.last, isBlank(last) { bytes.removeLast() }
                while let first = bytes.first, isBlank(first) { bytes.removeFirst() }
            }
            guard let text = Self.text(of: bytes) else {
                throw DataError.malformedCSV(path: path, line: line, column: fields.count + 1,
                                             reason: "the cell is not valid UTF-8")
            }
            fields.append(text)
            cell.removeAll(keepingCapacity: true)
            quoted = false
            afterClosingQuote = false
        }
        while position < bytes.count {
            let byte = bytes[position]
            if quoted && !afterClosingQuote {
                if byte == Self.quote {
                    if position + 1 < bytes.count, bytes[position + 1] == Self.quote {
                        cell.append(Self.quote)
                        position += 2
                    } else {
                        afterClosingQuote = true
                        position += 1
                    }
                } else if byte == Self.newline || byte == Self.carriageReturn {
                    cell.append(Self.newline)
                    endOfLine()
                } else {
                    cell.append(byte)
                    position += 1
                }
                continue
            }
            switch byte {
            case delimiter:
                try finishCell()
                position += 1
            case Self.newline, Self.carriageReturn:
                try finishCell()
                endOfLine()
                return (startLine, fields, anyQuoted)
            case Self.quote where !afterClosingQuote && cell.allSatisfy({ $0 == 0x20 || $0 == 0x09 }):
                cell.removeAll()
                quoted = true
                anyQuoted = true
                position += 1
            default:
                if afterClosingQuote {
                    if byte == 0x20 || byte == 0x09 { position += 1; continue }
                    throw DataError.malformedCSV(path: path, line: line, column: fields.count + 1,
                                                 reason: "text after a closing quote; write a quote inside a quoted field as \"\"")
                }
                if byte == Self.quote {
                    throw DataError.malformedCSV(path: path, line: line, column: fields.count + 1,
                                                 reason: "a quote inside an unquoted field; quote the whole field")
                }
                // The run of ordinary bytes up to the next separator, line break or quote is
                // copied at once (each of them would take this branch one by one).
                var end = position + 1
                while end < bytes.count {
                    let next = bytes[end]
                    if next == delimiter || next == Self.newline || next == Self.carriageReturn || next == Self.quote { break }
                    end += 1
                }
                cell.append(contentsOf: bytes[position..<end])
                position = end
            }
        }
        if quoted && !afterClosingQuote {
            throw DataError.malformedCSV(path: path, line: startLine, column: fields.count + 1,
                                         reason: "a quoted field is never closed")
        }
        try finishCell()
        return (startLine, fields, anyQuoted)
    }
}

/// The data records of a CSV file as they are read: feature values row by row (float32) and the
/// label cells as text, every record checked against the first one's width and the size limits.
struct CSVRows {
    let path: String
    let width: Int
    let labelIndex: Int
    /// The columns that are features, in feature order.
    let featureColumns: [Int]
    /// Each feature column with its place among the features, in column order.
    private let columnSlots: [(column: Int, slot: Int)]
    /// The header's column names, for error messages.
    let names: [String]?
    let hasHeader: Bool
    private(set) var values: [Float] = []
    private(set) var labelTexts: [String] = []
    /// The line each label cell is on, for a regression target's error message.
    private(set) var labelLines: [Int] = []
    private(set) var count = 0

    init(path: String, width: Int, labelIndex: Int, featureColumns: [Int], names: [String]?, hasHeader: Bool) {
        self.path = path
        self.width = width
        self.labelIndex = labelIndex
        self.featureColumns = featureColumns
        columnSlots = featureColumns.enumerated().map { ($0.element, $0.offset) }.sorted { $0.0 < $1.0 }
        self.names = names
        self.hasHeader = hasHeader
    }

    mutating func take(_ record: CSVRecord) throws {
        guard record.fields.count == width else {
            throw DataError.malformedCSV(
                path: path, line: record.line, column: nil,
                reason: "\(record.fields.count) fields, but the \(hasHeader ? "header" : "first row") has \(width)")
        }
        let featureCount = featureColumns.count
        guard count < Dataset.maximumCSVRows, values.count + featureCount <= Dataset.maximumCSVValues else {
            let limit = min(Dataset.maximumCSVRows, Dataset.maximumCSVValues / max(featureCount, 1))
            throw DataError.malformedCSV(path: path, line: record.line, column: nil,
                                         reason: "more rows than the limit of \(limit)")
        }
        // Cells are checked left to right, so the first bad one is the one reported; each
        // feature goes to its place in feature order.
        let base = values.count
        values.append(contentsOf: repeatElement(0, count: featureCount))
        var labelTaken = false
        for (column, slot) in columnSlots {
            if !labelTaken, column > labelIndex {
                try takeLabel(record)
                labelTaken = true
            }
            values[base + slot] = try feature(record.fields[column], line: record.line, column: column)
        }
        if !labelTaken { try takeLabel(record) }
        count += 1
    }

    private mutating func takeLabel(_ record: CSVRecord) throws {
        let label = record.fields[labelIndex]
        guard !label.isEmpty else {
            throw DataError.malformedCSV(path: path, line: record.line, column: labelIndex + 1, reason: "empty label")
        }
        labelTexts.append(label)
        labelLines.append(record.line)
    }

    /// The label cells as regression targets: each a finite float32 number (parsed like a
    /// feature cell), else an error naming the line and column.
    func targets() throws -> [Float] {
        try zip(labelTexts, labelLines).map { text, line in
            guard let value = Float(text) else {
                throw DataError.malformedCSV(
                    path: path, line: line, column: labelIndex + 1,
                    reason: "'\(text.prefix(40))' is not a number; a regression target must be one (--task classification for class labels)")
            }
            guard value.isFinite else {
                throw DataError.malformedCSV(path: path, line: line, column: labelIndex + 1,
                                             reason: "'\(text.prefix(40))' is not a finite float32 number")
            }
            return value
        }
    }

    private func feature(_ cell: String, line: Int, column: Int) throws -> Float {
        try Dataset.csvFeature(cell, path: path, line: line, column: column, names: names)
    }
}

extension Dataset {
    /// A feature cell as float32. Parsed straight to float32 (one rounding, strtof's), so writing
    /// a float32's shortest decimal and reading it back gives the same bits. `column` is 0-based.
    static func csvFeature(_ cell: String, path: String, line: Int, column: Int, names: [String]?) throws -> Float {
        guard !cell.isEmpty else {
            throw DataError.malformedCSV(path: path, line: line, column: column + 1,
                                         reason: "empty cell; every feature needs a number")
        }
        guard let value = CSVNumber.float(cell) else {
            let named = names.flatMap { column < $0.count ? " in feature column '\($0[column])'; only the label column may hold text" : nil } ?? ""
            throw DataError.malformedCSV(path: path, line: line, column: column + 1,
                                         reason: "'\(cell.prefix(40))' is not a number\(named)")
        }
        guard value.isFinite else {
            throw DataError.malformedCSV(path: path, line: line, column: column + 1,
                                         reason: "'\(cell.prefix(40))' is not a finite float32 number")
        }
        return value
    }
}
