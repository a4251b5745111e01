import NNMFormat

extension DataRecipe {
    /// One line for people: `circles (factor 0.8, noise 0.04, samples 5000), seed 42,
    /// validation 0.1, test 0.2` (parameters in the order of their names); for files, the file
    /// names and the first 12 hex digits of their SHA-256. For the inspector and training
    /// summaries. Strings from the file (names, label column) are escaped with `escapeForDisplay`.
    public var summary: String {
        let shown: [String]
        switch source {
        case let .circles(samples, noise, factor):
            shown = [Self.item(.factor, factor), Self.item(.noise, noise), Self.item(.samples, samples)]
        case let .moons(samples, noise), let .xor(samples, noise):
            shown = [Self.item(.noise, noise), Self.item(.samples, samples)]
        case let .spiral(samples, classes, noise):
            shown = [Self.item(.classes, classes), Self.item(.noise, noise), Self.item(.samples, samples)]
        case let .blobs(samples, centers, spread):
            shown = [Self.item(.centers, centers), Self.item(.samples, samples), Self.item(.spread, spread)]
        case .bits4:
            shown = []
        case let .csv(file, labelColumn, _, format):
            shown = [file.summary, "label column \(escapeForDisplay(labelColumn))"] + format.summary
        case let .idx(images, labels):
            shown = [images.summary, labels.summary]
        }
        let name = source.kind.rawValue
        let head = shown.isEmpty ? name : "\(name) (\(shown.joined(separator: ", ")))"
        return "\(head), seed \(seed), validation \(validationFraction), test \(testFraction)"
    }

    private static func item(_ parameter: DataParameter, _ value: some CustomStringConvertible) -> String {
        "\(parameter.rawValue) \(value)"
    }
}

extension RecordedFile {
    /// `points.csv sha256 96f53f80622a`: the name (or the path when none was recorded) and the
    /// start of the digest, escaped for a terminal.
    var summary: String {
        let shownName = escapeForDisplay(name ?? path)
        guard let sha256 else { return shownName }
        return "\(shownName) sha256 \(escapeForDisplay(sha256).prefix(12))"
    }
}
