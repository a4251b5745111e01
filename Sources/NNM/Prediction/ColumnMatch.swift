import NNMFormat

/// Which columns of a data file feed which inputs of a model, and which holds the labels.
///
/// By name when both the file (a header row) and the model (``NNMModel/featureNames``) name
/// their columns: any order, extra columns ignored (and listed, for a note), a missing feature
/// an error that lists every missing one. Otherwise by position: a file of exactly
/// ``NNMModel/inputCount`` columns is all features; one more column is the label column (the
/// one the model's CSV recipe named, else the last).
public struct ColumnMatch: Sendable, Equatable {
    /// For input k of the model, the 0-based file column that feeds it.
    public let featureColumns: [Int]
    /// The file column holding labels, when there is one.
    public let labelColumn: Int?
    /// Names (or 1-based numbers) of the file's columns that are neither a feature nor the label.
    public let ignoredColumns: [String]
    /// Whether the columns were matched by name.
    public let byName: Bool

    /// Matches a file's columns (`header`: its header row's cells, or nil; `width`: its number of
    /// columns) to `model`. Throws a ``DataError`` naming `path` and the header line.
    public init(header: [String]?, width: Int, model: NNMModel, path: String, line: Int = 1) throws {
        // Names that repeat cannot say which column is which (a model trained before such
        // headers were refused): by position then.
        var names = model.featureNames
        if let features = names {
            let used = features + [model.labelName].compactMap { $0 }
            if Set(used).count != used.count { names = nil }
        }
        if let header, let names {
            try self.init(header: header, featureNames: names, labelName: model.labelName, path: path, line: line)
        } else {
            let why = model.featureNames == nil ? "the model records no feature names to match columns by"
                : header == nil ? "the file has no header row to match the model's feature names by"
                : "the model's feature names repeat, so they cannot tell its columns apart"
            try self.init(width: width, inputCount: model.inputCount, header: header,
                          labelColumn: Self.recordedLabelColumn(of: model), path: path, line: line, why: why)
        }
    }

    /// Matching by name.
    init(header: [String], featureNames: [String], labelName: String?, path: String, line: Int) throws {
        var columnOf: [String: Int] = [:]
        let wanted = Set(featureNames + [labelName].compactMap { $0 })
        for (index, name) in header.enumerated() {
            if let first = columnOf[name], wanted.contains(name) {
                throw DataError.malformedCSV(
                    path: path, line: line, column: nil,
                    reason: "the header names columns \(first + 1) and \(index + 1) both '\(escapeForDisplay(name))'; "
                        + "the model's column of that name cannot be told apart")
            }
            if columnOf[name] == nil { columnOf[name] = index }
        }
        let missing = featureNames.filter { columnOf[$0] == nil }
        guard missing.isEmpty else {
            throw DataError.malformedCSV(
                path: path, line: line, column: nil,
                reason: "missing \(missing.count) of the model's \(featureNames.count) feature columns: "
                    + missing.map { "'\(escapeForDisplay($0))'" }.joined(separator: ", "))
        }
        featureColumns = featureNames.compactMap { columnOf[$0] }
        labelColumn = labelName.flatMap { columnOf[$0] }
        let used = Set(featureColumns + (labelColumn.map { [$0] } ?? []))
        ignoredColumns = header.indices.filter { !used.contains($0) }.map { header[$0].isEmpty ? "column \($0 + 1)" : header[$0] }
        byName = true
    }

    /// Matching by position.
    init(width: Int, inputCount: Int, header: [String]?, labelColumn recorded: String?, path: String, line: Int,
         why: String) throws {
        if width == inputCount {
            featureColumns = Array(0..<width)
            labelColumn = nil
        } else if width == inputCount + 1 {
            let label = (try? Dataset.resolveColumn(recorded ?? "-1", names: header, width: width, path: path,
                                                    line: line, role: .label)) ?? width - 1
            featureColumns = (0..<width).filter { $0 != label }
            labelColumn = label
        } else {
            throw DataError.malformedCSV(
                path: path, line: line, column: nil,
                reason: "\(width) column\(width == 1 ? "" : "s"), but the model takes \(inputCount) inputs (and, optionally, a label column); "
                    + "\(why), so they are matched by position"
                    + (width == 1 && inputCount > 1 ? " (one column only: is --delimiter right?)" : ""))
        }
        ignoredColumns = []
        byName = false
    }

    /// The label column the model's CSV recipe named (a name or an index).
    static func recordedLabelColumn(of model: NNMModel) -> String? {
        guard let recipe = try? model.recipe, case let .csv(_, column, _, _) = recipe.source else { return nil }
        return column
    }
}
