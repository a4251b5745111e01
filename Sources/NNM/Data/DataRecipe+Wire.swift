import NNMFormat

// The one place where generator names and parameter keys are strings: the typed recipe to and
// from the wire `DatasetRecipe` of a `.nnm` file (keys and types in `spec/datasets.md` §5).

extension DatasetRecipe {
    /// The recipe as a `.nnm` file stores it: every parameter the source uses, defaults included,
    /// and for files the recorded path, name, size and SHA-256.
    public init(_ recipe: DataRecipe) {
        self.init(generator: recipe.source.kind.rawValue, parameters: recipe.source.wireParameters,
                  seed: recipe.seed, validationFraction: recipe.validationFraction,
                  testFraction: recipe.testFraction)
    }
}

extension DataRecipe {
    /// Decodes and checks a stored recipe. A recipe read from a file is untrusted: an unknown
    /// generator, an unknown parameter of a synthetic generator, a missing parameter, one of the
    /// wrong type or out of range, or bad split fractions throw a ``DataError`` naming it.
    public init(_ wire: DatasetRecipe) throws {
        try Dataset.checkSplitFractions(validation: wire.validationFraction, test: wire.testFraction)
        guard let kind = DataSource.Kind(rawValue: wire.generator) else {
            throw DataError.unknownDataset(wire.generator)
        }
        let source = try DataSource(kind: kind, parameters: WireParameters(wire.parameters, dataset: kind.rawValue))
        self.init(source: source, seed: wire.seed, validationFraction: wire.validationFraction,
                  testFraction: wire.testFraction)
        try validate()
    }
}

extension DataSource {
    var wireParameters: [String: MetadataValue] {
        switch self {
        case let .circles(samples, noise, factor):
            return wire([(.samples, .int(Int64(samples))), (.noise, .double(noise)), (.factor, .double(factor))])
        case let .moons(samples, noise), let .xor(samples, noise):
            return wire([(.samples, .int(Int64(samples))), (.noise, .double(noise))])
        case let .spiral(samples, classes, noise):
            return wire([(.samples, .int(Int64(samples))), (.classes, .int(Int64(classes))), (.noise, .double(noise))])
        case let .blobs(samples, centers, spread):
            return wire([(.samples, .int(Int64(samples))), (.centers, .int(Int64(centers))), (.spread, .double(spread))])
        case .bits4:
            return [:]
        case let .csv(file, labelColumn, header, format):
            return file.wireParameters(prefix: "file").merging(
                wire([(.labelColumn, .string(labelColumn)), (.header, .string(header.rawValue))] + format.wirePairs)) { $1 }
        case let .idx(images, labels):
            return images.wireParameters(prefix: "images").merging(labels.wireParameters(prefix: "labels")) { $1 }
        }
    }

    /// The source of a stored recipe's parameters; see ``DataRecipe/init(_:)``.
    init(kind: Kind, parameters p: WireParameters) throws {
        switch kind {
        case .circles, .moons, .xor, .spiral, .blobs, .bits4:
            // Synthetic generators take exactly their own parameters.
            if let stray = p.keys.first(where: { DataParameter(rawValue: $0).map(kind.settableParameters.contains) != true }) {
                throw DataError.parameterNotApplicable(dataset: kind.rawValue, name: stray)
            }
        case .csv, .idx:
            break  // other keys are ignored, as before
        }
        switch kind {
        case .circles:
            self = .circles(samples: try p.int(.samples), noise: try p.double(.noise), factor: try p.double(.factor))
        case .moons:
            self = .moons(samples: try p.int(.samples), noise: try p.double(.noise))
        case .xor:
            self = .xor(samples: try p.int(.samples), noise: try p.double(.noise))
        case .spiral:
            self = .spiral(samples: try p.int(.samples), classes: try p.int(.classes), noise: try p.double(.noise))
        case .blobs:
            self = .blobs(samples: try p.int(.samples), centers: try p.int(.centers), spread: try p.double(.spread))
        case .bits4:
            self = .bits4
        case .csv:
            let file = try RecordedFile(p, prefix: "file")
            let mode = try p.string(DataParameter.header.rawValue)
            guard let header = CSVHeaderMode(rawValue: mode) else {
                throw DataError.invalidParameter(dataset: kind.rawValue, name: DataParameter.header.rawValue,
                                                 value: mode, expected: "auto, present or absent")
            }
            self = .csv(file: file, labelColumn: try p.string(DataParameter.labelColumn.rawValue), header: header,
                        format: try CSVFormat(p))
        case .idx:
            let images = try RecordedFile(p, prefix: "images")
            self = .idx(images: images, labels: try RecordedFile(p, prefix: "labels"))
        }
    }
}

extension CSVFormat {
    /// Only what differs from the defaults, so a recipe of the old options keeps its bytes:
    /// `delimiter` (`;` or a tab), `columns`, `drop_columns` (comma-separated names or indices).
    var wirePairs: [(DataParameter, MetadataValue)] {
        var pairs: [(DataParameter, MetadataValue)] = []
        if delimiter != .comma { pairs.append((.delimiter, .string(delimiter.rawValue))) }
        if let columns { pairs.append((.columns, .string(columns.joined(separator: ",")))) }
        if !dropColumns.isEmpty { pairs.append((.dropColumns, .string(dropColumns.joined(separator: ",")))) }
        if task != .classification { pairs.append((.task, .string(task.rawValue))) }
        return pairs
    }

    /// The options of a stored recipe; each absent one is its default.
    init(_ p: WireParameters) throws {
        self.init()
        let dataset = DataSource.Kind.csv.rawValue
        if let text = try p.optionalString(DataParameter.delimiter.rawValue) {
            guard let delimiter = CSVDelimiter(rawValue: text) else {
                throw DataError.invalidParameter(dataset: dataset, name: DataParameter.delimiter.rawValue,
                                                 value: "'\(text)'", expected: "',', ';' or a tab")
            }
            self.delimiter = delimiter
        }
        columns = try p.optionalString(DataParameter.columns.rawValue).map(CSVFormat.list)
        dropColumns = try p.optionalString(DataParameter.dropColumns.rawValue).map(CSVFormat.list) ?? []
        if let text = try p.optionalString(DataParameter.task.rawValue) {
            guard let task = LearningTask(rawValue: text) else {
                throw DataError.invalidParameter(dataset: dataset, name: DataParameter.task.rawValue,
                                                 value: "'\(text)'", expected: "classification or regression")
            }
            self.task = task
        }
    }
}

extension RecordedFile {
    /// `<prefix>_path`, and `<prefix>_name`, `_bytes`, `_sha256` for what was recorded.
    func wireParameters(prefix: String) -> [String: MetadataValue] {
        var parameters: [String: MetadataValue] = ["\(prefix)_path": .string(path)]
        if let name { parameters["\(prefix)_name"] = .string(name) }
        if let byteCount { parameters["\(prefix)_bytes"] = .int(Int64(byteCount)) }
        if let sha256 { parameters["\(prefix)_sha256"] = .string(sha256) }
        return parameters
    }

    /// The path is required; the fingerprint parts are optional but must have their types.
    init(_ p: WireParameters, prefix: String) throws {
        self.init(path: try p.string("\(prefix)_path"), name: try p.optionalString("\(prefix)_name"),
                  byteCount: try p.optionalInt("\(prefix)_bytes"), sha256: try p.optionalString("\(prefix)_sha256"))
    }
}

/// The values under their wire keys.
private func wire(_ pairs: [(DataParameter, MetadataValue)]) -> [String: MetadataValue] {
    Dictionary(uniqueKeysWithValues: pairs.map { ($0.0.rawValue, $0.1) })
}

/// A stored recipe's parameters, read with their types checked: errors name the generator and
/// the key.
struct WireParameters {
    let values: [String: MetadataValue]
    let dataset: String

    init(_ values: [String: MetadataValue], dataset: String) {
        self.values = values
        self.dataset = dataset
    }

    /// The keys in sorted order, so that the first bad one reported is always the same.
    var keys: [String] { values.keys.sorted() }

    func int(_ parameter: DataParameter) throws -> Int { try required(parameter.rawValue, optionalInt) }
    func double(_ parameter: DataParameter) throws -> Double { try required(parameter.rawValue, optionalDouble) }
    func string(_ key: String) throws -> String { try required(key, optionalString) }

    func optionalInt(_ key: String) throws -> Int? {
        switch values[key] {
        case nil: return nil
        case .int(let value)?: if let exact = Int(exactly: value) { return exact }
        case .some: break
        }
        throw invalid(key, expected: "an integer")
    }

    /// An int is accepted where a double is expected (`spec/datasets.md` §5).
    func optionalDouble(_ key: String) throws -> Double? {
        switch values[key] {
        case nil: return nil
        case .double(let value)?: return value
        case .int(let value)?: return Double(value)
        case .some: throw invalid(key, expected: "a number")
        }
    }

    func optionalString(_ key: String) throws -> String? {
        switch values[key] {
        case nil: return nil
        case .string(let value)?: return value
        case .some: throw invalid(key, expected: "a string")
        }
    }

    private func required<T>(_ key: String, _ read: (String) throws -> T?) throws -> T {
        guard let value = try read(key) else { throw DataError.missingParameter(dataset: dataset, name: key) }
        return value
    }

    private func invalid(_ key: String, expected: String) -> DataError {
        DataError.invalidParameter(dataset: dataset, name: key, value: "\(values[key].map { "\($0)" } ?? "")",
                                   expected: expected)
    }
}
