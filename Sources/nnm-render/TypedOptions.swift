import ArgumentParser
import NNMRender
import NNMFormat

/// Two whole numbers written `AxB` (or `A×B`), as `--size` and `--as-images` take them, parsed
/// once when the command line is read.
struct Dimensions: Equatable, Sendable {
    var first: Int
    var second: Int

    /// `--size WxH`: a picture's width and height in pixels at scale 1.
    static func size(_ text: String) throws -> Dimensions {
        guard let value = parse(text) else {
            throw ValidationError("--size must look like 1200x450 (width x height in pixels), got '\(text)'")
        }
        guard (64...8192).contains(value.first), (64...8192).contains(value.second) else {
            throw ValidationError("--size: each side must be 64 to 8192 pixels, got \(value.first)x\(value.second)")
        }
        return value
    }

    /// `--as-images RxC`: rows and columns of the image each first-layer unit is drawn as.
    static func imageShape(_ text: String) throws -> Dimensions {
        guard let value = parse(text), (1...1024).contains(value.first), (1...1024).contains(value.second) else {
            throw ValidationError("--as-images must look like 28x28 (rows x columns, 1 to 1024 each), got '\(text)'")
        }
        return value
    }

    private static func parse(_ text: String) -> Dimensions? {
        let parts = text.lowercased().split(whereSeparator: { $0 == "x" || $0 == "×" }).map(String.init)
        guard parts.count == 2, let first = Int(parts[0]), let second = Int(parts[1]) else { return nil }
        return Dimensions(first: first, second: second)
    }
}

extension BoundaryPoints {
    /// `--data csv:PATH` or `--data idx:IMAGES,LABELS`: points from data files instead of the
    /// recipe's.
    static func parse(_ text: String) throws -> BoundaryPoints {
        let lowered = text.lowercased()
        if lowered.hasPrefix("csv:"), text.count > 4 { return .csv(path: String(text.dropFirst(4))) }
        if lowered.hasPrefix("idx:") {
            let paths = text.dropFirst(4).split(separator: ",", omittingEmptySubsequences: false)
            if paths.count == 2, !paths[0].isEmpty, !paths[1].isEmpty {
                return .idx(images: String(paths[0]), labels: String(paths[1]))
            }
        }
        throw ValidationError("--data must be csv:PATH or idx:IMAGES,LABELS (e.g. --data csv:points.csv), got '\(escapeForDisplay(text))'")
    }
}

extension FeatureChoice {
    /// `--features I,J`: two non-empty parts around a comma (which features they name is
    /// checked against the model once it is loaded).
    static func parse(_ text: String) throws -> FeatureChoice {
        guard let comma = text.firstIndex(of: ","), text[..<comma].contains(where: { $0 != " " }),
              text[text.index(after: comma)...].contains(where: { $0 != " " && $0 != "," }) else {
            throw ValidationError("--features must be two features separated by a comma, by name or 0-based index (e.g. --features 0,1), got '\(text)'")
        }
        return FeatureChoice(text)
    }
}
