/// The names of a classifier's classes, kept in the `meta` section as one string per class:
/// `data.class_names.0`, `data.class_names.1`, … (spec/training.md §8).
///
/// One entry per class rather than a new value type, because the metadata value types are
/// frozen for format 1.x (spec/nnm-format.md §8) and there is no "strings" type. Keys sort
/// bytewise, so `data.class_names.10` comes before `data.class_names.2`: readers parse the
/// index from the key and never rely on the order of the entries.
///
/// It lives in NNMFormat, not beside `MetadataKey` in NNM, because `nnm-inspect` reads it and
/// depends on NNMFormat alone; `MetadataKey.classNamePrefix` names the same prefix.
extension ModelFile {
    /// The prefix of every class-name key; the rest of the key is the class index in decimal.
    public static let classNameKeyPrefix = "data.class_names."

    /// Most bytes of class names (all names together) a file records. Names come from a CSV
    /// label column, whose fields may be long; above this the names are left out rather than
    /// risk a `meta` section beyond its 16 MiB limit, which would fail only after training.
    public static let maximumClassNameBytes = 1 << 20

    /// The key of class `index`'s name: `data.class_names.<index>`.
    public static func classNameKey(_ index: Int) -> String { classNameKeyPrefix + String(index) }

    /// The metadata entries recording `names` (name of class k at index k).
    ///
    /// Empty — nothing is recorded — when the names only repeat the indices (`"0"`, `"1"`, …,
    /// as IDX labels and CSV files labelled 0…n−1 give), when there are more names than a
    /// `meta` section holds entries, or when together they pass ``maximumClassNameBytes``;
    /// so a model trained without names (a generator) gets the very same bytes as before.
    public static func classNameMetadata(_ names: [String]) -> [String: MetadataValue] {
        guard !names.isEmpty, names != (0..<names.count).map(String.init),
              names.count <= Int(FormatLimits.maxMetadataEntries) / 2,
              names.reduce(0, { $0 + $1.utf8.count }) <= maximumClassNameBytes else { return [:] }
        var entries: [String: MetadataValue] = [:]
        for (index, name) in names.enumerated() { entries[classNameKey(index)] = .string(name) }
        return entries
    }

    /// The class names recorded in `metadata`, index k → the name of class k; nil when there
    /// are none or they do not form one name for each class 0…n−1.
    ///
    /// Entries that are not well-formed are ignored: a suffix that is not a plain decimal index
    /// (`x`, `-1`, `01`, `+1`, more than 4 digits) or a value that is not a string. The names
    /// that remain must cover 0…n−1 without a gap, or none is returned: a partial list would
    /// name the wrong classes.
    public static func classNames(from metadata: [String: MetadataValue]) -> [String]? {
        indexedNames(prefix: classNameKeyPrefix, in: metadata)
    }

    /// The strings recorded under `<prefix>0`, `<prefix>1`, …: index k → the value of key k;
    /// nil when there are none or they leave a gap (see ``classNames(from:)`` for the rules).
    /// Class names and feature names are both kept this way.
    static func indexedNames(prefix: String, in metadata: [String: MetadataValue]) -> [String]? {
        var byIndex: [Int: String] = [:]
        for (key, value) in metadata where key.hasPrefix(prefix) {
            guard case .string(let name) = value,
                  let index = classIndex(ofSuffix: key.utf8.dropFirst(prefix.utf8.count)) else { continue }
            byIndex[index] = name
        }
        guard !byIndex.isEmpty else { return nil }
        var names: [String] = []
        names.reserveCapacity(byIndex.count)
        for index in 0..<byIndex.count {
            guard let name = byIndex[index] else { return nil }
            names.append(name)
        }
        return names
    }

    /// The class names recorded in this file's metadata (see ``classNames(from:)``).
    public var classNames: [String]? { ModelFile.classNames(from: metadata) }

    /// A class index written the one canonical way: ASCII digits, no sign, no leading zero,
    /// at most 4 digits (a `meta` section has at most 4096 entries).
    private static func classIndex(ofSuffix suffix: Substring.UTF8View) -> Int? {
        guard !suffix.isEmpty, suffix.count <= 4 else { return nil }
        if suffix.count > 1, suffix.first == UInt8(ascii: "0") { return nil }
        var value = 0
        for byte in suffix {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
