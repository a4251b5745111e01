import NNMFormat

/// Whether the first record of a CSV file is a header row.
public enum CSVHeaderMode: String, Sendable, CaseIterable {
    /// Decide from the data (see `spec/datasets.md`): a header if some column holds a
    /// non-number in the first record and a number in the second.
    case auto
    /// The first record names the columns.
    case present
    /// Every record is data.
    case absent
}

extension DatasetRecipe {
    /// The generator names `parse` accepts besides `csv:PATH` and `idx:IMAGES,LABELS`.
    public static let syntheticGeneratorNames = ["circles", "moons", "xor", "spiral", "blobs", "bits4"]

    /// Fractions of the samples held out when the user gives none.
    public static let defaultValidationFraction = 0.1
    public static let defaultTestFraction = 0.2

    /// Default parameters per generator, chosen as users of scikit-learn and TF Playground
    /// expect (circles: sklearn's factor 0.8; noise small enough that a small net can reach
    /// ~99 %). Every default is written into the recipe, so changing one later never changes
    /// what an existing `.nnm` file regenerates.
    public static func defaultParameters(for generator: String) -> [String: MetadataValue] {
        switch generator {
        case "circles": return ["samples": .int(1000), "noise": .double(0.05), "factor": .double(0.8)]
        case "moons": return ["samples": .int(1000), "noise": .double(0.1)]
        case "xor": return ["samples": .int(1000), "noise": .double(0.05)]
        case "spiral": return ["samples": .int(1000), "classes": .int(2), "noise": .double(0.02)]
        case "blobs": return ["samples": .int(1000), "centers": .int(3), "spread": .double(0.2)]
        case "csv": return ["label_column": .string("-1"), "header": .string(CSVHeaderMode.auto.rawValue)]
        default: return [:]
        }
    }

    /// The recipe for a `--dataset` value and the optional flags beside it.
    ///
    /// `spec` is one of `circles`, `moons`, `xor`, `spiral`, `blobs`, `bits4`, `csv:PATH` or
    /// `idx:IMAGES,LABELS` (case-insensitive name; paths as given). A parameter left `nil` takes
    /// the generator's default; one that the generator does not use is an error (say, `factor`
    /// for `moons`), so a typo never silently does nothing. For `blobs`, `noise` is accepted as
    /// another name for `spread`. `labelColumn` is a column name, or a 0-based index (negative
    /// counts from the end; default `-1`, the last column).
    ///
    /// For files, the recipe records the path, the file name, its byte size and SHA-256, so
    /// `makeDataset()` can tell when the file changed; this reads each file once.
    public static func parse(
        _ spec: String,
        samples: Int? = nil, noise: Double? = nil, factor: Double? = nil,
        classes: Int? = nil, centers: Int? = nil, spread: Double? = nil,
        labelColumn: String? = nil, header: CSVHeaderMode? = nil,
        seed: UInt64, validationFraction: Double, testFraction: Double
    ) throws -> DatasetRecipe {
        let given: [(String, MetadataValue?)] = [
            ("samples", samples.map { .int(Int64($0)) }), ("noise", noise.map { .double($0) }),
            ("factor", factor.map { .double($0) }), ("classes", classes.map { .int(Int64($0)) }),
            ("centers", centers.map { .int(Int64($0)) }), ("spread", spread.map { .double($0) }),
            ("label_column", labelColumn.map { .string($0) }),
            ("header", header.map { .string($0.rawValue) }),
        ]
        var (generator, parameters) = try generatorAndFileParameters(spec)
        let defaults = defaultParameters(for: generator)
        var explicit: [String: MetadataValue] = [:]
        for case let (name, value?) in given { explicit[name] = value }
        if generator == "blobs", let alias = explicit.removeValue(forKey: "noise") {
            if let own = explicit["spread"], own != alias {
                throw DataError.invalidParameter(
                    dataset: "blobs", name: "noise", value: "\(noise ?? 0)",
                    expected: "the same value as spread (for blobs, noise is another name for spread)")
            }
            explicit["spread"] = alias
        }
        for (name, value) in explicit {
            guard defaults[name] != nil else {
                throw DataError.parameterNotApplicable(dataset: generator, name: name)
            }
            parameters[name] = value
        }
        for (name, value) in defaults where parameters[name] == nil { parameters[name] = value }
        generator = generator.lowercased()
        let recipe = DatasetRecipe(generator: generator, parameters: parameters, seed: seed,
                                   validationFraction: validationFraction, testFraction: testFraction)
        try recipe.validate()
        return recipe
    }

    /// The generator name, and for files the path/name/size/SHA-256 parameters.
    private static func generatorAndFileParameters(_ spec: String) throws -> (String, [String: MetadataValue]) {
        let trimmed = spec.trimmingWhitespace()
        if let colon = trimmed.firstIndex(of: ":") {
            let kind = trimmed[..<colon].lowercased()
            let rest = String(trimmed[trimmed.index(after: colon)...])
            switch kind {
            case "csv":
                guard !rest.isEmpty else {
                    throw DataError.invalidParameter(dataset: "csv", name: "path", value: "''",
                                                     expected: "csv:PATH, e.g. csv:data/iris.csv")
                }
                return ("csv", try DataFile.fingerprintParameters(path: rest, prefix: "file", limit: DataFile.maximumBytes))
            case "idx":
                let paths = rest.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard paths.count == 2, !paths[0].isEmpty, !paths[1].isEmpty else {
                    throw DataError.invalidParameter(
                        dataset: "idx", name: "paths", value: "'\(rest)'",
                        expected: "idx:IMAGES,LABELS, e.g. idx:train-images-idx3-ubyte,train-labels-idx1-ubyte")
                }
                // Images are streamed (any size); labels are read whole, so they are capped first.
                var parameters = try DataFile.fingerprintParameters(path: paths[0], prefix: "images")
                for (key, value) in try DataFile.fingerprintParameters(path: paths[1], prefix: "labels",
                                                                       limit: DataFile.maximumBytes) {
                    parameters[key] = value
                }
                return ("idx", parameters)
            default:
                throw DataError.unknownDataset(trimmed)
            }
        }
        let name = trimmed.lowercased()
        guard syntheticGeneratorNames.contains(name) else { throw DataError.unknownDataset(trimmed) }
        return (name, [:])
    }

    /// Checks every parameter and the split fractions without generating anything; run on
    /// `parse` and again before regenerating from a recipe read out of a file.
    public func validate() throws {
        try Dataset.checkSplitFractions(validation: validationFraction, test: testFraction)
        let known = Set(DatasetRecipe.defaultParameters(for: generator).keys)
        switch generator {
        case "circles", "moons", "xor", "spiral", "blobs":
            for name in parameters.keys where !known.contains(name) {
                throw DataError.parameterNotApplicable(dataset: generator, name: name)
            }
            let samples = try int("samples")
            switch generator {
            case "circles":
                try Dataset.checkSamples(samples, dataset: generator, minimum: 2)
                try Dataset.checkNoise(try double("noise"), dataset: generator, name: "noise")
                try Dataset.checkFactor(try double("factor"))
            case "moons", "xor":
                try Dataset.checkSamples(samples, dataset: generator, minimum: 2)
                try Dataset.checkNoise(try double("noise"), dataset: generator, name: "noise")
            case "spiral":
                let classes = try int("classes")
                try Dataset.checkClasses(classes, dataset: generator, name: "classes")
                try Dataset.checkSamples(samples, dataset: generator, minimum: classes)
                try Dataset.checkNoise(try double("noise"), dataset: generator, name: "noise")
            default:
                let centers = try int("centers")
                try Dataset.checkClasses(centers, dataset: generator, name: "centers")
                try Dataset.checkSamples(samples, dataset: generator, minimum: centers)
                try Dataset.checkNoise(try double("spread"), dataset: generator, name: "spread")
            }
        case "bits4":
            if let name = parameters.keys.sorted().first {
                throw DataError.parameterNotApplicable(dataset: generator, name: name)
            }
        case "csv":
            _ = try string("file_path")
            let mode = try string("header")
            guard CSVHeaderMode(rawValue: mode) != nil else {
                throw DataError.invalidParameter(dataset: generator, name: "header", value: mode,
                                                 expected: "auto, present or absent")
            }
            guard !(try string("label_column")).isEmpty else {
                throw DataError.invalidParameter(dataset: generator, name: "label_column", value: "''",
                                                 expected: "a column name or a 0-based index")
            }
        case "idx":
            _ = try string("images_path")
            _ = try string("labels_path")
        default:
            throw DataError.unknownDataset(generator)
        }
    }

    // MARK: - Typed parameter access (recipes read from files are untrusted)

    func int(_ name: String) throws -> Int {
        switch parameters[name] {
        case .int(let value)?:
            guard let exact = Int(exactly: value) else { break }
            return exact
        case nil:
            throw DataError.missingParameter(dataset: generator, name: name)
        default:
            break
        }
        throw DataError.invalidParameter(dataset: generator, name: name,
                                         value: "\(parameters[name].map { "\($0)" } ?? "")",
                                         expected: "an integer")
    }

    func double(_ name: String) throws -> Double {
        switch parameters[name] {
        case .double(let value)?: return value
        case .int(let value)?: return Double(value)
        case nil: throw DataError.missingParameter(dataset: generator, name: name)
        case let other?:
            throw DataError.invalidParameter(dataset: generator, name: name, value: "\(other)",
                                             expected: "a number")
        }
    }

    func string(_ name: String) throws -> String {
        switch parameters[name] {
        case .string(let value)?: return value
        case nil: throw DataError.missingParameter(dataset: generator, name: name)
        case let other?:
            throw DataError.invalidParameter(dataset: generator, name: name, value: "\(other)",
                                             expected: "a string")
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line breaks.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }),
              let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
