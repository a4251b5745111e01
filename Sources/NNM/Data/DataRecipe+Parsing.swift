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

/// What a `--dataset` value names, before any file is read: a generator, `csv:PATH` or
/// `idx:IMAGES,LABELS` (`spec/datasets.md` §5.1).
public enum DatasetChoice: Sendable, Hashable {
    case circles, moons, xor, spiral, blobs, bits4
    case csv(path: String)
    case idx(images: String, labels: String)

    /// Parses `circles`, ..., `bits4`, `csv:PATH` or `idx:IMAGES,LABELS`: the name is
    /// case-insensitive, paths are kept as given, spaces around the whole value are ignored.
    public init(_ text: String) throws {
        let trimmed = text.trimmingWhitespace()
        guard let colon = trimmed.firstIndex(of: ":") else {
            switch DataSource.Kind(rawValue: trimmed.lowercased()) {
            case .circles?: self = .circles
            case .moons?: self = .moons
            case .xor?: self = .xor
            case .spiral?: self = .spiral
            case .blobs?: self = .blobs
            case .bits4?: self = .bits4
            case .csv?, .idx?, nil: throw DataError.unknownDataset(trimmed)
            }
            return
        }
        let rest = String(trimmed[trimmed.index(after: colon)...])
        switch DataSource.Kind(rawValue: trimmed[..<colon].lowercased()) {
        case .csv?:
            guard !rest.isEmpty else {
                throw DataError.invalidParameter(dataset: DataSource.Kind.csv.rawValue, name: "path", value: "''",
                                                 expected: "csv:PATH, e.g. csv:data/iris.csv")
            }
            self = .csv(path: rest)
        case .idx?:
            let paths = rest.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard paths.count == 2, !paths[0].isEmpty, !paths[1].isEmpty else {
                throw DataError.invalidParameter(
                    dataset: DataSource.Kind.idx.rawValue, name: "paths", value: "'\(rest)'",
                    expected: "idx:IMAGES,LABELS, e.g. idx:train-images-idx3-ubyte,train-labels-idx1-ubyte")
            }
            self = .idx(images: paths[0], labels: paths[1])
        case .circles?, .moons?, .xor?, .spiral?, .blobs?, .bits4?, nil:
            throw DataError.unknownDataset(trimmed)
        }
    }
}

/// The parameters a user gave beside `--dataset`; `nil` takes the generator's default.
public struct DataSourceOptions: Sendable, Hashable {
    public var samples: Int?
    public var noise: Double?
    public var factor: Double?
    public var classes: Int?
    public var centers: Int?
    public var spread: Double?
    public var labelColumn: String?
    public var header: CSVHeaderMode?
    /// csv: the separator; nil detects it from the file's first line.
    public var delimiter: CSVDelimiter?
    /// csv: the feature columns (names or indices), in feature order.
    public var columns: [String]?
    /// csv: columns that are not features.
    public var dropColumns: [String]?
    /// csv: classes or regression; nil decides from the label column (`--task auto`,
    /// ``Dataset/inferTask(labels:path:column:)``). Only a CSV file can hold a regression
    /// target; `classification` is accepted for every data set.
    public var task: LearningTask?

    public init(samples: Int? = nil, noise: Double? = nil, factor: Double? = nil,
                classes: Int? = nil, centers: Int? = nil, spread: Double? = nil,
                labelColumn: String? = nil, header: CSVHeaderMode? = nil,
                delimiter: CSVDelimiter? = nil, columns: [String]? = nil, dropColumns: [String]? = nil) {
        self.samples = samples; self.noise = noise; self.factor = factor
        self.classes = classes; self.centers = centers; self.spread = spread
        self.labelColumn = labelColumn; self.header = header
        self.delimiter = delimiter; self.columns = columns; self.dropColumns = dropColumns
    }

    /// These options with `task` set (nil: auto).
    public func with(task: LearningTask?) -> DataSourceOptions {
        var options = self
        options.task = task
        return options
    }

    /// The parameters that were given, in the order of ``DataParameter/allCases``.
    var given: [DataParameter] {
        DataParameter.allCases.filter { parameter in
            switch parameter {
            case .samples: samples != nil
            case .noise: noise != nil
            case .factor: factor != nil
            case .classes: classes != nil
            case .centers: centers != nil
            case .spread: spread != nil
            case .labelColumn: labelColumn != nil
            case .header: header != nil
            case .delimiter: delimiter != nil
            case .columns: columns != nil
            case .dropColumns: dropColumns != nil
            case .task: task == .regression
            }
        }
    }

    /// Throws ``DataError/parameterNotApplicable(dataset:name:)`` for the first given parameter
    /// that `kind` does not use (say, `factor` for `moons`).
    func checkApplicable(to kind: DataSource.Kind) throws {
        let used = kind.settableParameters
        if let stray = given.first(where: { !used.contains($0) }) {
            throw DataError.parameterNotApplicable(dataset: kind.rawValue, name: stray.rawValue)
        }
    }

    /// For blobs, `noise` is another name for `spread` (as in the other generators' flags);
    /// giving both with different values is an error.
    func resolvingBlobsNoise() throws -> DataSourceOptions {
        guard let noise else { return self }
        if let spread, spread != noise {
            throw DataError.invalidParameter(
                dataset: DataSource.Kind.blobs.rawValue, name: DataParameter.noise.rawValue, value: "\(noise)",
                expected: "the same value as spread (for blobs, noise is another name for spread)")
        }
        var resolved = self
        resolved.noise = nil
        resolved.spread = noise
        return resolved
    }
}

extension DataSource {
    /// When a new recipe's data files are fingerprinted (name, size, SHA-256).
    public enum FingerprintTiming: Sendable {
        /// Right away, each file read and hashed for it: a recipe that is kept or compared before
        /// (or without) its data being read.
        case now
        /// By the first read of the data, ``DataRecipe/makeSampleSplitRecordingFiles()``: a run
        /// that reads its data right away (training) hashes each file once, as it reads it.
        case atFirstRead
    }

    /// The source a `--dataset` choice and its options describe. Defaults are chosen as users of
    /// scikit-learn and TF Playground expect (circles: sklearn's factor 0.8; noise small enough
    /// that a small net can reach ~99 %); every default is written into the recipe, so changing
    /// one later never changes what an existing `.nnm` file regenerates. A file's name, size and
    /// SHA-256 are recorded as `fingerprints` says: here, by reading and hashing it (the
    /// default), or by the first read of its data.
    public init(_ choice: DatasetChoice, options: DataSourceOptions = DataSourceOptions(),
                fingerprints: FingerprintTiming = .now) throws {
        let recorded: (String, Int?) throws -> RecordedFile = switch fingerprints {
        case .now: RecordedFile.init(fingerprinting:limit:)
        case .atFirstRead: DataFile.unfingerprinted(path:limit:)
        }
        switch choice {
        case .csv(let path):
            let file = try recorded(path, DataFile.maximumBytes)
            try options.checkApplicable(to: .csv)
            let format = CSVFormat(delimiter: options.delimiter ?? .comma, columns: options.columns,
                                   dropColumns: options.dropColumns ?? [])
            try format.validate()
            self = .csv(file: file, labelColumn: options.labelColumn ?? "-1", header: options.header ?? .auto,
                        format: try CSVFormat.resolved(for: path, options: options))
        case let .idx(imagesPath, labelsPath):
            // Images are streamed (any size); labels are read whole, so they are capped first.
            // The images header is checked before the file is hashed, so a sparse file that
            // claims billions of images is refused at once rather than after hashing it all.
            try IDXStream.checkImagesHeader(imagesPath)
            let images = try recorded(imagesPath, nil)
            let labels = try recorded(labelsPath, DataFile.maximumBytes)
            try options.checkApplicable(to: .idx)
            self = .idx(images: images, labels: labels)
        case .circles:
            try options.checkApplicable(to: .circles)
            self = .circles(samples: options.samples ?? 1000, noise: options.noise ?? 0.05,
                            factor: options.factor ?? 0.8)
        case .moons:
            try options.checkApplicable(to: .moons)
            self = .moons(samples: options.samples ?? 1000, noise: options.noise ?? 0.1)
        case .xor:
            try options.checkApplicable(to: .xor)
            self = .xor(samples: options.samples ?? 1000, noise: options.noise ?? 0.05)
        case .spiral:
            try options.checkApplicable(to: .spiral)
            self = .spiral(samples: options.samples ?? 1000, classes: options.classes ?? 2,
                           noise: options.noise ?? 0.02)
        case .blobs:
            let options = try options.resolvingBlobsNoise()
            try options.checkApplicable(to: .blobs)
            self = .blobs(samples: options.samples ?? 1000, centers: options.centers ?? 3,
                          spread: options.spread ?? 0.2)
        case .bits4:
            try options.checkApplicable(to: .bits4)
            self = .bits4
        }
    }
}

extension DataRecipe {
    /// The recipe for a `--dataset` value and the optional flags beside it (see ``DatasetChoice``
    /// and ``DataSource/init(_:options:fingerprints:)``), checked with ``validate()``. For files, this
    /// reads each file once to record its fingerprint.
    public static func parse(
        _ spec: String,
        samples: Int? = nil, noise: Double? = nil, factor: Double? = nil,
        classes: Int? = nil, centers: Int? = nil, spread: Double? = nil,
        labelColumn: String? = nil, header: CSVHeaderMode? = nil,
        delimiter: CSVDelimiter? = nil, columns: [String]? = nil, dropColumns: [String]? = nil,
        seed: UInt64, validationFraction: Double, testFraction: Double
    ) throws -> DataRecipe {
        let options = DataSourceOptions(samples: samples, noise: noise, factor: factor, classes: classes,
                                        centers: centers, spread: spread, labelColumn: labelColumn, header: header,
                                        delimiter: delimiter, columns: columns, dropColumns: dropColumns)
        let source = try DataSource(try DatasetChoice(spec), options: options)
        let recipe = DataRecipe(source: source, seed: seed, validationFraction: validationFraction,
                                testFraction: testFraction)
        try recipe.validate()
        return recipe
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line breaks.
    package func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }),
              let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
