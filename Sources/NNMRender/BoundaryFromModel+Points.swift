import NNM
import NNMFormat
import NNMPlot
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the picture's points come from: the model's recipe regenerated, or a CSV file.
extension BoundaryFromModel {
    /// Train points, held-out points, a short name of their source, and the name of the
    /// held-out part ("test", or "data" when every point of a CSV file is held out).
    struct PointData {
        var train: Dataset
        var test: Dataset
        var source: String
        var testLabel: String
        /// A data file's header names the axes ("height", "weight" rather than x₁, x₂).
        var fromFile: Bool
        /// Whether a user's data file's labels were matched to the model's classes
        /// (``matchedToModelClasses``); false when they kept their sorted order.
        var classesMatchedByName = false

        var axisNames: (x: String, y: String)? {
            guard fromFile, let names = train.featureNames ?? test.featureNames, names.count == 2,
                  !names.contains(where: { $0.isEmpty }) else { return nil }
            return (names[0], names[1])
        }
    }

    /// The stored recipe, decoded, its data files looked for beside the model too when they are
    /// not at their recorded paths (as nnm-predict finds them: ``NNMModel/recipe``). With the
    /// recipe's points, a missing or undecodable recipe is an error; with a CSV file's points it
    /// only lends its label column and header mode, so one that cannot be decoded is left out.
    static func storedRecipe(of model: NNMModel, points: BoundaryPoints) throws -> DataRecipe? {
        guard let wire = model.datasetRecipe else {
            guard case .recipe = points else { return nil }
            throw RenderError.absent(.recipe, in: model, otherwise: .noRecipe)
        }
        do {
            return try model.recipe
        } catch {
            guard case .recipe = points else { return nil }
            throw RenderError.cannotRegenerate(generator: wire.generator, reason: String(describing: error))
        }
    }

    /// `features`: the feature count the data must have (the model's inputs); nil accepts any
    /// (confusion and ROC pictures check the width themselves).
    static func pointData(recipe: DataRecipe?, points: BoundaryPoints, features: Int? = 2,
                          columns: ModelColumns = .unnamed) throws -> PointData {
        switch points {
        case .recipe:
            guard let recipe else { throw RenderError.noRecipe }
            try checkRecordedSizes(recipe)
            let split = try regenerate(recipe)
            let source = recipeName(recipe)
            try checkFeatures(split.train, source: source, expected: features)
            return PointData(train: split.train, test: split.test, source: source, testLabel: "test",
                             fromFile: recipe.source.readsFiles)
        case .csv(let path):
            return try csvPointData(path: path, recipe: recipe, features: features, columns: columns)
        case let .idx(images, labels):
            return try idxPointData(images: images, labels: labels, recipe: recipe, features: features)
        }
    }

    /// Points from a CSV file the user named. When the model was trained on a CSV file, its label
    /// column and header mode are used, and if this is the very same file, the same split. A file
    /// whose header holds every one of the model's feature names gives those columns, in the
    /// model's order, whatever its own (as nnm-predict matches them); else columns go by position.
    static func csvPointData(path: String, recipe: DataRecipe?, features: Int? = 2,
                             columns: ModelColumns = .unnamed) throws -> PointData {
        let name = fileName(path)
        var labelColumn = "-1", header = CSVHeaderMode.auto, csvFormat = CSVFormat()
        if var moved = recipe, case let .csv(file, column, mode, format) = moved.source {
            (labelColumn, header, csvFormat) = (column, mode, format)
            // The same file as in training: show the very same split.
            // A different size is a different file: known from `stat`, before reading it.
            moved.source = .csv(file: RecordedFile(path: path, name: file.name, byteCount: file.byteCount,
                                                   sha256: file.sha256),
                                labelColumn: column, header: mode, format: format)
            if (try? checkRecordedSizes(moved)) != nil, let split = try? moved.makeSplit() {
                try checkFeatures(split.train, source: name, expected: features)
                return PointData(train: split.train, test: split.test, source: "\(name) (the training file)",
                                 testLabel: "test", fromFile: true)
            }
        }
        if let byName = try byModelNames(csvFormat, header: header, path: path, columns: columns) {
            (csvFormat, header, labelColumn) = (byName.format, .present, byName.labelColumn ?? labelColumn)
        }
        let all: Dataset
        do {
            all = try Dataset.loadCSV(path: path, labelColumn: labelColumn, header: header, format: csvFormat,
                                      minimumClasses: 1)
        } catch {
            throw RenderError.unreadablePoints(path: path, reason: String(describing: error))
        }
        try checkFeatures(all, source: name, expected: features)
        return heldOut(all, source: name, fromFile: true)
    }

    /// `format` choosing the model's feature columns by name, and the label column by the
    /// model's label name, when the file's first row is a header that holds every feature name
    /// (distinct names, none the label's): nil when the file has no header row (or the model no
    /// names), and the columns go by position. A file that cannot be read is left for the
    /// loader to report.
    /// - Throws: ``RenderError/unreadablePoints(path:reason:)``, as nnm-predict refuses them,
    ///   when a header row lacks some of the model's feature names, or has the features but not
    ///   the label column the model records: a column found by position in a file whose other
    ///   columns were found by name would be a guess (an `id` taken as labels).
    static func byModelNames(_ format: CSVFormat, header: CSVHeaderMode, path: String,
                             columns: ModelColumns) throws -> (format: CSVFormat, labelColumn: String?)? {
        guard let names = columns.featureNames, !names.isEmpty, header != .absent,
              Set(names + [columns.labelName].compactMap { $0 }).count == names.count + (columns.labelName == nil ? 0 : 1),
              var records = try? CSVRecordStream(path: path, delimiter: format.delimiter),
              let first = try? records.next() else { return nil }
        let missing = names.filter { !first.fields.contains($0) }
        guard missing.isEmpty else {
            let second = try? records.next()
            guard header == .present || Dataset.looksLikeHeader(first.fields, before: second?.fields) else { return nil }
            throw RenderError.unreadablePoints(
                path: path, reason: "its header lacks \(missing.count) of the model's \(names.count) feature columns: "
                    + missing.map { "'\(escapeForDisplay($0))'" }.joined(separator: ", "))
        }
        if let label = columns.labelName, !first.fields.contains(label) {
            throw RenderError.unreadablePoints(
                path: path, reason: "its header has the model's feature columns but no '\(escapeForDisplay(label))' column "
                    + "for the labels the points are drawn and measured by")
        }
        var byName = format
        byName.columns = names
        byName.dropColumns = []
        return (byName, columns.labelName)
    }

    /// A user's data file as points: every row held out (labelled "data"), no training part.
    static func heldOut(_ all: Dataset, source: String, fromFile: Bool) -> PointData {
        let empty = Dataset(features: Matrix(rows: 0, columns: all.featureCount, storage: []), labels: [],
                            classCount: all.classCount, featureNames: all.featureNames, classNames: all.classNames)
        return PointData(train: empty, test: all, source: source, testLabel: "data", fromFile: fromFile)
    }

    /// A user's data file's labels as the model's classes, by the rule nnm-predict uses
    /// (``PredictionTable/classIndex(ofLabel:classNames:)``): the name a label spells, or for a
    /// number the class of that value; a model without recorded names has classes "0", "1", ….
    /// Loading the file numbered its classes in sorted order, which is the model's order only by
    /// chance (a file holding two of three classes, or labels the model never saw).
    /// - Throws: ``RenderError/labelNotAClass`` for a label that is none of the model's recorded
    ///   class names, or, for a model without names, that is not a class number while others
    ///   are. A model without names keeps the file's sorted order only when no label is a class
    ///   number (text labels; the boundary picture notes the mapping).
    static func matchedToModelClasses(_ data: PointData, points: BoundaryPoints, classNames: [String]?,
                                      classCount: Int) throws -> PointData {
        guard let path = points.fileForMessages, data.testLabel == "data", data.test.targets == nil,
              let fileClasses = data.test.classNames else { return data }
        let recorded = classNames.flatMap { $0.count == classCount ? $0 : nil }
        let names = recorded ?? (0..<classCount).map(String.init)
        let matches = fileClasses.map { PredictionTable.classIndex(ofLabel: $0, classNames: names) }
        // Only the classes some point has: an IDX label file's classes run to its largest
        // label, and a class number no label uses says nothing (the error names a real label).
        let used = Set(data.test.labels).sorted().filter { fileClasses.indices.contains($0) }
        if let unmatched = used.first(where: { matches[$0] == nil }) {
            guard recorded == nil, !used.contains(where: { matches[$0] != nil }) else {
                throw RenderError.labelNotAClass(path: path, label: fileClasses[unmatched], classes: names)
            }
            return data
        }
        let index = matches.map { $0 ?? 0 }  // a class no point has maps anywhere
        var matched = data
        matched.test.labels = data.test.labels.map { index[$0] }
        matched.test.classCount = classCount
        matched.test.classNames = names
        matched.train.classCount = classCount
        matched.train.classNames = names
        matched.classesMatchedByName = true
        return matched
    }

    /// Points from IDX files the user named: the files the model was trained on (same sizes
    /// and SHA-256 as recorded) give the same split; any others are all held out, their labels
    /// class numbers.
    static func idxPointData(images: String, labels: String, recipe: DataRecipe?, features: Int? = 2) throws -> PointData {
        let name = fileName(images)
        if var moved = recipe, case let .idx(recordedImages, recordedLabels) = moved.source {
            func at(_ path: String, _ file: RecordedFile) -> RecordedFile {
                RecordedFile(path: path, name: file.name, byteCount: file.byteCount, sha256: file.sha256)
            }
            moved.source = .idx(images: at(images, recordedImages), labels: at(labels, recordedLabels))
            if (try? checkRecordedSizes(moved)) != nil, let split = try? moved.makeSplit() {
                try checkFeatures(split.train, source: name, expected: features)
                return PointData(train: split.train, test: split.test, source: "\(name) (the training files)",
                                 testLabel: "test", fromFile: false)
            }
        }
        // The headers first: images of another width are refused before they are read.
        let all: Dataset
        do {
            let width = try IDXStream(imagesPath: images, labelsPath: labels).featureCount
            try checkFeatures(width, source: name, expected: features)
            all = try Dataset.loadIDX(imagesPath: images, labelsPath: labels)
        } catch let error as RenderError {
            throw error
        } catch {
            throw RenderError.unreadablePoints(path: "\(images),\(labels)", reason: String(describing: error))
        }
        return heldOut(all, source: name, fromFile: false)
    }

    /// Refuses a recipe's data file whose size is not the recorded one, from `stat` alone: a
    /// changed 375 MB file is rejected at once instead of after reading and hashing it.
    static func checkRecordedSizes(_ recipe: DataRecipe) throws {
        for file in recipe.source.inputFiles {
            guard let expected = file.byteCount else { continue }
            var st = stat()
            guard stat(file.path, &st) == 0 else { continue }  // missing: the reader says so
            guard (st.st_mode & S_IFMT) == S_IFREG else {
                throw RenderError.dataFileChanged(path: file.path, detail: "it is not a regular file")
            }
            if Int(st.st_size) != expected {
                throw RenderError.dataFileChanged(path: file.path, detail: "recorded \(expected) bytes, found \(st.st_size)")
            }
        }
    }

    /// `recipe.makeSplit()` with the data-file errors a user can fix turned into advice.
    static func regenerate(_ recipe: DataRecipe) throws -> DatasetSplit {
        let generator = recipe.source.kind.rawValue
        do {
            return try recipe.makeSplit()
        } catch let error as DataError {
            switch error {
            case let .unreadableFile(path, reason):
                throw RenderError.dataFileMissing(path: path, reason: reason)
            case let .fileChanged(path, detail):
                throw RenderError.dataFileChanged(path: path, detail: detail)
            default:
                throw RenderError.cannotRegenerate(generator: generator, reason: error.description)
            }
        } catch {
            throw RenderError.cannotRegenerate(generator: generator, reason: String(describing: error))
        }
    }

    /// Refuses data whose rows are not `expected` wide (nil: any width).
    static func checkFeatures(_ d: Dataset, source: String, expected: Int?) throws {
        try checkFeatures(d.featureCount, source: source, expected: expected)
    }

    static func checkFeatures(_ featureCount: Int, source: String, expected: Int?) throws {
        guard let expected, featureCount != expected else { return }
        if expected == 2 { throw RenderError.dataNotTwoDimensional(source: source, features: featureCount) }
        throw RenderError.dataDoesNotFitModel(source: source, features: featureCount, inputs: expected)
    }

    /// "circles (1000 samples, noise 0.05)" or "data.csv".
    static func recipeName(_ recipe: DataRecipe) -> String {
        let kind = recipe.source.kind.rawValue
        let parts: [String]
        switch recipe.source {
        case let .circles(samples, noise, _), let .moons(samples, noise), let .xor(samples, noise):
            parts = ["\(samples) samples", "noise \(NiceTicks.shortest(noise))"]
        case let .spiral(samples, classes, noise):
            parts = (classes != 2 ? ["\(classes) arms"] : []) + ["\(samples) samples", "noise \(NiceTicks.shortest(noise))"]
        case let .blobs(samples, centers, _):
            parts = ["\(centers) centers", "\(samples) samples"]
        case let .csv(file, _, _, _):
            if let name = file.name { return name }
            parts = []
        case .bits4, .idx:
            parts = []
        }
        return parts.isEmpty ? kind : "\(kind) (\(parts.joined(separator: ", ")))"
    }

    /// "spiral (3 arms)", "moons", "data.csv": the source without its parameters.
    static func shortName(_ recipe: DataRecipe?, _ points: BoundaryPoints) -> String? {
        switch points {
        case .csv(let path), .idx(let path, _): return fileName(path)
        case .recipe: break
        }
        guard let recipe else { return nil }
        let kind = recipe.source.kind.rawValue
        switch recipe.source {
        case let .csv(file, _, _, _): return file.name ?? kind
        case let .spiral(_, classes, _) where classes != 2: return "spiral (\(classes) arms)"
        case let .blobs(_, centers, _): return "blobs (\(centers) centers)"
        case .circles, .moons, .xor, .spiral, .bits4, .idx: return kind
        }
    }

    /// The last component of a path, as titles show a file.
    static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
