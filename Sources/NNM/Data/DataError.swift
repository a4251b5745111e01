/// Everything that can be wrong with a dataset request, a data file or a split, said so that a
/// user can fix it: which generator or parameter, which file, and for text files the line and
/// column (both 1-based, as editors count them).
public enum DataError: Error, Equatable, CustomStringConvertible {
    /// The `--dataset` value names no known generator or file kind.
    case unknownDataset(String)
    /// A parameter has a value outside what the generator accepts.
    case invalidParameter(dataset: String, name: String, value: String, expected: String)
    /// A parameter was given that this generator does not use (e.g. `factor` for `moons`).
    case parameterNotApplicable(dataset: String, name: String)
    /// A recipe (e.g. read back from a `.nnm` file) lacks a parameter its generator needs.
    case missingParameter(dataset: String, name: String)
    /// Validation/test fractions that leave no training samples, or are not in [0, 1).
    case invalidSplit(String)
    /// A file could not be opened or read.
    case unreadableFile(path: String, reason: String)
    /// A file is larger than NNM is willing to load.
    case fileTooLarge(path: String, bytes: Int, limit: Int)
    /// A file's size or SHA-256 no longer match what the recipe recorded.
    case fileChanged(path: String, detail: String)
    /// A CSV file is malformed at `line` (and `column`, when one cell is at fault).
    case malformedCSV(path: String, line: Int, column: Int?, reason: String)
    /// An IDX file is malformed; `offset` is the byte offset of the bad field, when known.
    case malformedIDX(path: String, offset: Int?, reason: String)
    /// A dataset has too few samples or classes to be used for training.
    case unusableDataset(String)

    public var description: String {
        switch self {
        case .unknownDataset(let name):
            return "unknown dataset '\(name)'; expected circles, moons, xor, spiral, blobs, bits4, "
                + "csv:PATH or idx:IMAGES,LABELS"
        case let .invalidParameter(dataset, name, value, expected):
            return "\(dataset): \(name) = \(value) is invalid; expected \(expected)"
        case let .parameterNotApplicable(dataset, name):
            return "\(dataset) does not take the parameter '\(name)'"
        case let .missingParameter(dataset, name):
            return "\(dataset): the recipe lacks the parameter '\(name)'"
        case .invalidSplit(let reason):
            return "invalid split: \(reason)"
        case let .unreadableFile(path, reason):
            return "\(path): cannot read: \(reason)"
        case let .fileTooLarge(path, bytes, limit):
            return "\(path): file is \(bytes) bytes, more than the limit of \(limit) bytes"
        case let .fileChanged(path, detail):
            return "\(path): the file differs from the one the recipe recorded (\(detail))"
        case let .malformedCSV(path, line, column, reason):
            if let column { return "\(path):\(line):\(column): \(reason)" }
            return "\(path):\(line): \(reason)"
        case let .malformedIDX(path, offset, reason):
            if let offset { return "\(path): at byte \(offset): \(reason)" }
            return "\(path): \(reason)"
        case .unusableDataset(let reason):
            return "unusable dataset: \(reason)"
        }
    }
}
