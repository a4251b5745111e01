/// The names of a model's input features and of its label column, kept in the `meta` section:
/// `data.feature_names.0`, `data.feature_names.1`, … (one string per input, in input order) and
/// `data.label_name` (spec/training.md §8).
///
/// Recorded when the training data names its columns: a CSV file with a header row. Generated
/// data and IDX images have none, so their models carry no such key and keep their bytes. The
/// same one-entry-per-index scheme as the class names (``classNameKeyPrefix``), for the same
/// reason: the metadata value types are frozen for format 1.x and there is no list of strings.
///
/// With the names, `nnm-predict` matches a CSV file's columns to the inputs by name, in any
/// order, and `nnm-inspect` and the weights picture say which input is which.
extension ModelFile {
    /// The prefix of every feature-name key; the rest of the key is the input index in decimal.
    public static let featureNameKeyPrefix = "data.feature_names."

    /// The key of the label column's name (the CSV header cell of the column that held the
    /// classes), so a tool given a file with that column can evaluate the model on it.
    public static let labelNameKey = "data.label_name"

    /// Most inputs whose names a file records. A `meta` section holds 4096 entries; with at
    /// most 1000 class names and the `train.*`/`eval.*` keys, 2048 feature names always fit.
    /// Wider inputs (a 100 000-column file) are recorded without names and matched by position.
    public static let maximumFeatureNames = 2048

    /// Most bytes of feature names (all names together) a file records, as for class names.
    public static let maximumFeatureNameBytes = 1 << 20

    /// The key of input `index`'s name: `data.feature_names.<index>`.
    public static func featureNameKey(_ index: Int) -> String { featureNameKeyPrefix + String(index) }

    /// The metadata entries recording `names` (the name of input k at index k), and the label
    /// column's name when given. The feature names are left out when there are none, more than
    /// ``maximumFeatureNames``, or more than ``maximumFeatureNameBytes`` together.
    public static func featureNameMetadata(_ names: [String], labelName: String? = nil) -> [String: MetadataValue] {
        var entries: [String: MetadataValue] = [:]
        if let labelName, !labelName.isEmpty, UInt64(labelName.utf8.count) <= FormatLimits.maxStringBytes {
            entries[labelNameKey] = .string(labelName)
        }
        guard !names.isEmpty, names.count <= maximumFeatureNames,
              names.reduce(0, { $0 + $1.utf8.count }) <= maximumFeatureNameBytes else { return entries }
        for (index, name) in names.enumerated() { entries[featureNameKey(index)] = .string(name) }
        return entries
    }

    /// The feature names recorded in `metadata`, input k → the name of input k; nil when there
    /// are none or they leave a gap (the rules of ``classNames(from:)``).
    public static func featureNames(from metadata: [String: MetadataValue]) -> [String]? {
        indexedNames(prefix: featureNameKeyPrefix, in: metadata)
    }

    /// The label column's recorded name; nil when none is recorded or it is not a string.
    public static func labelName(from metadata: [String: MetadataValue]) -> String? {
        guard case .string(let name)? = metadata[labelNameKey], !name.isEmpty else { return nil }
        return name
    }

    /// The feature names recorded in this file's metadata (see ``featureNames(from:)``); nil
    /// also when their count is not the model's input width.
    public var featureNames: [String]? {
        guard let names = ModelFile.featureNames(from: metadata) else { return nil }
        if let inputs = layers.first?.inputs, inputs != names.count { return nil }
        return names
    }
}
