/// Labelled samples that training reads a batch at a time: the features of any sample on
/// request, the labels always at hand.
///
/// The trainer never needs all features at once, only the rows of the next batch. A
/// ``Dataset`` holds them in memory; an ``IDXStream`` reads them from its file as they are
/// asked for, so a data set much larger than memory trains in a few megabytes. Both give the
/// same values, so training on either gives the same bits.
///
/// A source of your own implements ``features(at:)``, one sample at a time, with no pointers;
/// training on it gives the same bits as training on a ``Dataset`` holding the same values.
/// (The library's own sources also copy a whole batch at once, internally, which is faster.)
public protocol SampleSource: Sendable {
    /// Number of samples.
    var sampleCount: Int { get }
    /// Values per sample.
    var featureCount: Int { get }
    /// Number of classes (2 for binary problems).
    var classCount: Int { get }
    /// Class index of each sample, in `0..<classCount` (labels are small: always in memory).
    var labels: [Int] { get }
    /// Optional names of the classes, indexed by class.
    var classNames: [String]? { get }
    /// Optional names of the features, in input order (a CSV header's); nil by default.
    var featureNames: [String]? { get }
    /// Optional name of the column the labels came from; nil by default.
    var labelName: String? { get }
    /// Regression: the target value of each sample (then ``labels`` are all 0 and
    /// ``classCount`` is 1); nil, the default, for classification.
    var targets: [Float]? { get }

    /// The ``featureCount`` values of sample `index` (in `0..<sampleCount`).
    ///
    /// The trainer may call it from the kernels' helper thread (it reads the next batch while
    /// the current one trains), so it must be safe to call from any thread.
    /// - Throws: when the values cannot be read (for the library's sources, ``DataError``: a
    ///   file that changed or vanished). Training stops with that error; an array of another
    ///   length stops it with ``TrainingError/inconsistentData(_:)``.
    func features(at index: Int) throws -> [Float]
}

/// A source that copies a whole batch of rows straight into the trainer's buffer: the
/// library's own sources, for which one ``SampleSource/features(at:)`` array per sample would
/// cost a measurable part of a small network's step.
protocol BatchReadingSource: SampleSource {
    /// Writes the features of the samples `indices` (each in `0..<sampleCount`) into
    /// consecutive rows of `destination`, which holds `indices.count × featureCount` floats.
    /// Safe to call from any thread.
    /// - Throws: ``DataError`` when the values cannot be read (a file that changed or vanished).
    func readBatch(_ indices: UnsafeBufferPointer<Int>, into destination: UnsafeMutableBufferPointer<Float>) throws
}

extension SampleSource {
    /// No feature names unless the source has them (a ``Dataset`` read from a CSV header).
    public var featureNames: [String]? { nil }
    /// No label column name unless the source has one.
    public var labelName: String? { nil }
    /// Classification unless the source says otherwise.
    public var targets: [Float]? { nil }
    /// Whether the samples carry regression targets rather than class labels.
    public var isRegression: Bool { targets != nil }

    /// Writes the features of the samples `indices` into consecutive rows of `destination`
    /// (`indices.count × featureCount` floats): in one batch copy when the source has one
    /// (``BatchReadingSource``), else sample by sample through ``features(at:)``.
    /// - Throws: the source's error, or ``TrainingError/inconsistentData(_:)`` when a sample
    ///   has another number of values than ``featureCount``.
    func readRows(_ indices: UnsafeBufferPointer<Int>, into destination: UnsafeMutableBufferPointer<Float>) throws {
        if let source = self as? any BatchReadingSource {
            return try source.readBatch(indices, into: destination)
        }
        let width = featureCount
        guard indices.count * width <= destination.count else {
            throw TrainingError.inconsistentData(
                "\(indices.count) rows of \(width) values do not fit in \(destination.count) floats")
        }
        for (row, sample) in indices.enumerated() {
            let values = try features(at: sample)
            guard values.count == width else {
                throw TrainingError.inconsistentData(
                    "sample \(sample) has \(values.count) values; the source's featureCount is \(width)")
            }
            for (column, value) in values.enumerated() { destination[row * width + column] = value }
        }
    }

    /// The samples `range` (in stored order), read in chunks of at most `chunkRows` rows: `visit`
    /// gets each chunk's features (`rows × featureCount`) and the range of samples it holds.
    /// Memory stays at one chunk however many samples there are.
    public func forEachChunk(of range: Range<Int>? = nil, chunkRows: Int,
                      _ visit: (Matrix, Range<Int>) throws -> Void) throws {
        let all = range ?? 0..<sampleCount
        var chunk = Matrix.empty
        var indices = [Int]()
        var start = all.lowerBound
        while start < all.upperBound {
            let end = min(start + max(chunkRows, 1), all.upperBound)
            indices.removeAll(keepingCapacity: true)
            indices.append(contentsOf: start..<end)
            chunk.reshape(rows: end - start, columns: featureCount)
            try indices.withUnsafeBufferPointer { rows in
                try chunk.storage.withUnsafeMutableBufferPointer { try readRows(rows, into: $0) }
            }
            try visit(chunk, start..<end)
            start = end
        }
    }

    /// Every sample in memory, as a ``Dataset``.
    /// - Throws: the source's error when a sample cannot be read.
    public func materialized() throws -> Dataset {
        var features = Matrix(rows: sampleCount, columns: featureCount)
        let indices = Array(0..<sampleCount)
        try indices.withUnsafeBufferPointer { rows in
            try features.storage.withUnsafeMutableBufferPointer { try readRows(rows, into: $0) }
        }
        return Dataset(features: features, labels: labels, classCount: classCount, featureNames: featureNames,
                       classNames: classNames, labelName: labelName, targets: targets)
    }
}

extension Dataset: BatchReadingSource {
    /// One row of ``features``.
    /// - Throws: ``DataError/unusableDataset(_:)`` when `index` is not a sample of the data set.
    public func features(at index: Int) throws -> [Float] {
        guard index >= 0, index < min(sampleCount, features.rows) else {
            throw DataError.unusableDataset("sample \(index) asked for, the data set has \(sampleCount)")
        }
        return features.row(index)
    }

    /// Row copies from memory; an index outside the data leaves its row untouched.
    func readBatch(_ indices: UnsafeBufferPointer<Int>, into destination: UnsafeMutableBufferPointer<Float>) {
        let width = featureCount
        let rows = min(sampleCount, features.rows)
        guard let to = destination.baseAddress, indices.count * width <= destination.count else { return }
        features.storage.withUnsafeBufferPointer { source in
            guard let from = source.baseAddress else { return }
            for (row, sample) in indices.enumerated() where sample >= 0 && sample < rows {
                let target = to + row * width, origin = from + sample * width
                if width == 2 {  // the 2-D data sets: two moves, no loop
                    target[0] = origin[0]
                    target[1] = origin[1]
                } else if width <= 16 {  // a call to memmove costs more than a few floats
                    for j in 0..<width { target[j] = origin[j] }
                } else {
                    target.update(from: origin, count: width)
                }
            }
        }
    }
}

/// A data set cut into the parts training uses, whatever holds their samples. `validation`
/// and `test` may be empty.
public struct SampleSplit: Sendable {
    public var train: any SampleSource
    public var validation: any SampleSource
    public var test: any SampleSource
    public init(train: any SampleSource, validation: any SampleSource, test: any SampleSource) {
        self.train = train
        self.validation = validation
        self.test = test
    }

    public init(_ split: DatasetSplit) {
        self.init(train: split.train, validation: split.validation, test: split.test)
    }
}
