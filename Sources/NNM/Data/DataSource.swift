/// Where a model's data comes from: one of the synthetic generators of `spec/datasets.md` with
/// every parameter it uses, or a data file with what was recorded about it when it was first read.
///
/// This is the typed form of a stored recipe's `generator` and `parameters`. Code that must know
/// which kind of data it has switches over this enum (never with a `default:`), so adding a
/// generator is a compile error at every place that has to handle it. The string names of
/// generators and parameter keys exist only in the wire encoding (`DataRecipe+Wire.swift`) and in
/// the raw values of ``Kind`` and ``DataParameter``.
public enum DataSource: Sendable, Hashable {
    /// Two concentric circles; `factor` is the inner radius relative to the outer one.
    case circles(samples: Int, noise: Double, factor: Double)
    /// Two interleaving half circles.
    case moons(samples: Int, noise: Double)
    /// Four quadrants, opposite ones of the same class.
    case xor(samples: Int, noise: Double)
    /// `classes` interleaved spiral arms.
    case spiral(samples: Int, classes: Int, noise: Double)
    /// Gaussian clusters, one class each; `spread` is their standard deviation.
    case blobs(samples: Int, centers: Int, spread: Double)
    /// The 16 patterns of 4 bits, labelled by parity.
    case bits4
    /// A CSV file: which column holds the labels (a name, or a 0-based index, negative from the
    /// end), whether the first record is a header, the separator and which columns are features.
    case csv(file: RecordedFile, labelColumn: String, header: CSVHeaderMode, format: CSVFormat = CSVFormat())
    /// An IDX images file (streamed) and its labels file, as MNIST is distributed.
    case idx(images: RecordedFile, labels: RecordedFile)

    /// The kinds of data source; the raw value is the generator's name in a stored recipe and in
    /// `--dataset`.
    public enum Kind: String, Sendable, CaseIterable {
        case circles, moons, xor, spiral, blobs, bits4, csv, idx

        /// The parameters a user may set for this kind (`--samples`, `--label-column`, ...);
        /// any other is refused, so a typo never silently does nothing.
        public var settableParameters: [DataParameter] {
            switch self {
            case .circles: [.samples, .noise, .factor]
            case .moons, .xor: [.samples, .noise]
            case .spiral: [.samples, .classes, .noise]
            case .blobs: [.samples, .centers, .spread]
            case .bits4, .idx: []
            case .csv: [.labelColumn, .header, .delimiter, .columns, .dropColumns, .task]
            }
        }

        /// Whether samples are generated from the seed (no file is read).
        public var isGenerated: Bool {
            switch self {
            case .circles, .moons, .xor, .spiral, .blobs, .bits4: true
            case .csv, .idx: false
            }
        }

        /// How the kind is written in `--dataset`: `circles`, `csv:PATH`, `idx:IMAGES,LABELS`.
        public var datasetSyntax: String {
            switch self {
            case .circles, .moons, .xor, .spiral, .blobs, .bits4: rawValue
            case .csv: "csv:PATH"
            case .idx: "idx:IMAGES,LABELS"
            }
        }
    }

    public var kind: Kind {
        switch self {
        case .circles: .circles
        case .moons: .moons
        case .xor: .xor
        case .spiral: .spiral
        case .blobs: .blobs
        case .bits4: .bits4
        case .csv: .csv
        case .idx: .idx
        }
    }

    /// The files this source reads, in the order the recipe lists them (none for generators).
    /// A tool that writes files uses it to refuse overwriting its own training data.
    public var inputFiles: [RecordedFile] {
        switch self {
        case .circles, .moons, .xor, .spiral, .blobs, .bits4: []
        case let .csv(file, _, _, _): [file]
        case let .idx(images, labels): [images, labels]
        }
    }

    /// Whether the samples come from files. File data holds raw features of any scale, which is
    /// why a new network trained on it starts with a Standardize layer; generated data is
    /// already centred and small.
    public var readsFiles: Bool { !inputFiles.isEmpty }
}

/// A parameter a user sets beside `--dataset`; the raw value is its key in a stored recipe and
/// the name error messages use.
public enum DataParameter: String, Sendable, CaseIterable {
    case samples, noise, factor, classes, centers, spread
    case labelColumn = "label_column"
    case header
    case delimiter, columns
    case dropColumns = "drop_columns"
    /// csv: `regression` when the label column is a number to predict (absent: classes).
    case task
}

/// A data file as a recipe records it: the path as the user gave it, and what the file was when
/// it was first read (its name, size and SHA-256), so that regenerating the data notices a file
/// that changed. The fingerprint parts are optional because a recipe from another producer may
/// lack them; what is recorded is checked.
public struct RecordedFile: Sendable, Hashable {
    /// The path as given (relative paths are relative to where training ran).
    public var path: String
    /// The last path component, for titles and summaries.
    public var name: String?
    /// The size in bytes.
    public var byteCount: Int?
    /// Lower-case hex SHA-256 of the whole file.
    public var sha256: String?

    public init(path: String, name: String? = nil, byteCount: Int? = nil, sha256: String? = nil) {
        self.path = path
        self.name = name
        self.byteCount = byteCount
        self.sha256 = sha256
    }

    /// Reads the file at `path` once, hashing it as it goes, and records its name, size and
    /// SHA-256. A file that will later be loaded whole passes its loader's `limit`, so an
    /// oversized one is refused before it is hashed.
    public init(fingerprinting path: String, limit: Int? = nil) throws {
        self = try DataFile.fingerprint(path: path, limit: limit)
    }
}
