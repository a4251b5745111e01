import NNMFormat

extension DatasetRecipe {
    /// One line for people: `circles (samples 5000, noise 0.04, factor 0.8), seed 42,
    /// validation 0.1, test 0.2`; for files, the file names and the first 12 hex digits of
    /// their SHA-256. For titles of plots, the inspector and training summaries. Strings from
    /// the file (names, label column) are escaped with `escapeForDisplay`.
    public var summary: String {
        let shown: [String]
        switch generator {
        case "csv":
            shown = [fileSummary("file"), parameterText("label_column").map { "label column \($0)" }]
                .compactMap { $0 }
        case "idx":
            shown = [fileSummary("images"), fileSummary("labels")].compactMap { $0 }
        default:
            shown = parameters.keys.sorted().compactMap { key in parameterText(key).map { "\(key) \($0)" } }
        }
        let head = shown.isEmpty ? generator : "\(generator) (\(shown.joined(separator: ", ")))"
        return "\(head), seed \(seed), validation \(validationFraction), test \(testFraction)"
    }

    private func parameterText(_ key: String) -> String? {
        switch parameters[key] {
        case .int(let value)?: return String(value)
        case .double(let value)?: return "\(value)"
        case .string(let value)?: return escapeForDisplay(value)
        case .bool(let value)?: return String(value)
        default: return nil
        }
    }

    private func fileSummary(_ prefix: String) -> String? {
        guard let name = parameterText("\(prefix)_name") ?? parameterText("\(prefix)_path") else { return nil }
        guard let digest = parameterText("\(prefix)_sha256") else { return name }
        return "\(name) sha256 \(digest.prefix(12))"
    }
}
