/// Labelled samples that training reads a batch at a time: the features of any rows on request,
/// the labels always at hand.
///
/// The trainer never needs all features at once, only the rows of the next batch. A
/// ``Dataset`` holds them in memory; an ``IDXStream`` reads them from its file as they are
/// asked for, so a data set much larger than memory trains in a few megabytes. Both give the
/// same values, so training on either gives the same bits.
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

    /// Writes the features of the samples `indices` (each in `0..<sampleCount`) into
    /// consecutive rows of `destination`, which holds `indices.count × featureCount` floats.
    /// The trainer may call it from the kernels' helper thread (it reads the next batch while
    /// the current one trains), so it must be safe to call from any thread.
    /// - Throws: ``DataError`` when the values cannot be read (a file that changed or vanished).
    func readRows(_ indices: UnsafeBufferPointer<Int>, into destination: UnsafeMutableBufferPointer<Float>) throws
}

extension SampleSource {
    /// The samples `range` (in stored order), read in chunks of at most `chunkRows` rows: `visit`
    /// gets each chunk's features (`rows × featureCount`) and the range of samples it holds.
    /// Memory stays at one chunk however many samples there are.
    func forEachChunk(of range: Range<Int>? = nil, chunkRows: Int,
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
    public func materialized() throws -> Dataset {
        var features = Matrix(rows: sampleCount, columns: featureCount)
        let indices = Array(0..<sampleCount)
        try indices.withUnsafeBufferPointer { rows in
            try features.storage.withUnsafeMutableBufferPointer { try readRows(rows, into: $0) }
        }
        return Dataset(features: features, labels: labels, classCount: classCount, classNames: classNames)
    }
}

extension Dataset: SampleSource {
    /// Row copies from memory; an index outside the data leaves its row untouched.
    public func readRows(_ indices: UnsafeBufferPointer<Int>, into destination: UnsafeMutableBufferPointer<Float>) {
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
