import NNMFormat

/// A CSV file of samples to predict, read a chunk of rows at a time (constant memory), its
/// columns matched to a model's inputs (``ColumnMatch``): the features of each chunk as a
/// matrix in input order, and the label cells when the file has the model's label column.
public struct CSVPredictionInput {
    public let path: String
    /// The separator used: the given one, or the one detected from the first line.
    public let delimiter: CSVDelimiter
    /// Whether the first record was taken as a header.
    public let hasHeader: Bool
    /// Which column feeds which input.
    public let match: ColumnMatch
    private let width: Int
    private let header: [String]?
    private var stream: CSVRecordStream
    private var lookahead: [(line: Int, fields: [String])]

    /// Opens `path` and matches its columns to `model`. `delimiter` nil: detected as training
    /// does. `header` `.auto`: a header when the first record holds every feature name the model
    /// records, else by the rule of `spec/datasets.md` §6.
    public init(path: String, model: NNMModel, delimiter: CSVDelimiter? = nil, header: CSVHeaderMode = .auto) throws {
        self.path = path
        let chosen = try delimiter ?? CSVDelimiter.detect(in: CSVRecordStream.start(of: path))
        self.delimiter = chosen
        stream = try CSVRecordStream(path: path, delimiter: chosen)
        guard let first = try stream.next() else {
            throw DataError.malformedCSV(path: path, line: 1, column: nil, reason: "the file has no data")
        }
        let second = try stream.next()
        switch header {
        case .present: hasHeader = true
        case .absent: hasHeader = false
        case .auto:
            let names = model.featureNames.map(Set.init) ?? []
            hasHeader = (!names.isEmpty && names.isSubset(of: Set(first.fields)))
                || Dataset.looksLikeHeader(first.fields, before: second?.fields)
        }
        width = first.fields.count
        self.header = hasHeader ? first.fields : nil
        match = try ColumnMatch(header: self.header, width: width, model: model, path: path, line: first.line)
        lookahead = (hasHeader ? [] : [first]) + (second.map { [$0] } ?? [])
    }

    /// The next rows, at most `maxRows`: features (rows × the model's inputs, in input order),
    /// and, when the file has a label column, each row's label cell with its line. Nil at the end.
    public mutating func next(maxRows: Int) throws -> PredictionChunk? {
        var values: [Float] = []
        var labels: [LabelCell] = []
        var rows = 0
        let inputs = match.featureColumns.count
        values.reserveCapacity(max(1, maxRows) * inputs)
        while rows < max(1, maxRows), let record = lookahead.isEmpty ? try stream.next() : lookahead.removeFirst() {
            guard record.fields.count == width else {
                throw DataError.malformedCSV(
                    path: path, line: record.line, column: nil,
                    reason: "\(record.fields.count) fields, but the \(hasHeader ? "header" : "first row") has \(width)")
            }
            for column in match.featureColumns {
                values.append(try Dataset.csvFeature(record.fields[column], path: path, line: record.line,
                                                     column: column, names: header))
            }
            if let label = match.labelColumn {
                labels.append(LabelCell(text: record.fields[label], line: record.line, column: label + 1))
            }
            rows += 1
        }
        guard rows > 0 else { return nil }
        return PredictionChunk(features: Matrix(rows: rows, columns: inputs, storage: values),
                               labels: match.labelColumn == nil ? nil : labels)
    }
}

/// Rows to predict: their features in the model's input order, and their labels when known.
public struct PredictionChunk: Sendable {
    public var features: Matrix
    /// The label cells as written in the file, with where they are (for errors).
    public var labels: [LabelCell]?
}

/// A label cell of a data file, and where it is (1-based line and column).
public struct LabelCell: Sendable, Equatable {
    public var text: String
    public var line: Int
    public var column: Int
}
