/// Samples of an IDX image file, read from the file as training asks for them, or from the
/// file's bytes read into memory once (``ImageStorage``).
///
/// Opening checks the header against the file's length, as ``Dataset/loadIDX(imagesPath:labelsPath:)``
/// does, and reads the (small) label file. Each batch the trainer asks for reads the requested
/// items — with `pread` from the file (so threads may share one stream), or copied from memory —
/// and turns their bytes into `Float(byte) / 255`, the values `loadIDX` gives: training on a
/// stream, either way, and on the loaded data set gives the same bits. Read from the file, memory
/// holds one batch of features whatever the file's size (plus the labels and item numbers: 16
/// bytes per sample); held in memory, the file's bytes too (a quarter of the floats).
///
/// A stream may stand for a part of its file (``subset(_:)``, ``split(validationFraction:testFraction:seed:)``);
/// copies share the open file (and the bytes), released when the last of them goes away.
public struct IDXStream: SampleSource, BatchReadingSource {
    /// Most samples a stream takes: its labels and the trainer's visiting order hold 16 bytes
    /// each (1 GiB at this count), more than that is refused, not attempted.
    public static let maximumSamples = 1 << 26

    public let featureCount: Int
    public let classCount: Int
    public let labels: [Int]
    public let classNames: [String]?
    /// The images file, as given.
    public var imagesPath: String { file.path }
    public var sampleCount: Int { labels.count }

    /// Where the rows are read from.
    public var storage: ImageStorage { resident == nil ? .file : .memory }

    let file: ReadOnlyFile
    /// The whole images file when it was read into memory; nil when rows are read from the file.
    let resident: ResidentBytes?
    let dataOffset: Int
    /// The file item of each sample; nil when the samples are the file's items in order.
    let items: [Int]?

    /// Where a stream reads its rows from.
    public enum ImageStorage: Sendable {
        /// From the file, as they are asked for: memory holds one batch whatever the file's size.
        case file
        /// From the file's bytes, read once when the stream opens (at most 1 GiB, as for every
        /// data file read whole): a row is then a copy, not a system call, and the samples
        /// cannot change under a run after they were read.
        case memory
    }

    /// The largest images file ``DataRecipe/makeSampleSplit()`` (and so `nnm-train`) holds in
    /// memory: 1 GiB, the cap of every data file read whole (MNIST's training images are 47 MB;
    /// a stream's bookkeeping already takes 24 bytes a sample). A larger one is read from the
    /// file, row by row.
    public static let recipeMemoryLimit = DataFile.maximumBytes

    /// Opens `imagesPath` (unsigned-byte IDX, any rank ≥ 1) and reads `labelsPath` (rank 1);
    /// `storage` says whether the images are read into memory now or from the file later.
    public init(imagesPath: String, labelsPath: String, storage: ImageStorage = .file) throws {
        let file = try ReadOnlyFile(path: imagesPath)
        let resident: ResidentBytes?
        let labels: [UInt8]
        switch storage {
        case .file:
            resident = nil
            labels = try DataFile.read(labelsPath, limit: IDXHeader.maximumSize + IDXStream.maximumSamples)
        case .memory:
            // The cheap checks first: the images' header and size, then the (small) labels;
            // only then up to 1 GiB of images.
            try Self.checkImagesHeader(of: file)
            guard file.length <= DataFile.maximumBytes else {
                throw DataError.fileTooLarge(path: imagesPath, bytes: file.length, limit: DataFile.maximumBytes)
            }
            labels = try DataFile.read(labelsPath, limit: IDXHeader.maximumSize + IDXStream.maximumSamples)
            resident = ResidentBytes(try file.prefix(file.length))
        }
        try self.init(images: file, resident: resident, labels: labels, labelsPath: labelsPath)
    }

    /// Checks the images file's header (its sizes against the file's length, the image count
    /// against ``maximumSamples``) without reading the images.
    static func checkImagesHeader(_ imagesPath: String) throws {
        try checkImagesHeader(of: try ReadOnlyFile(path: imagesPath))
    }

    /// The same check on an open images file.
    static func checkImagesHeader(of file: ReadOnlyFile) throws {
        _ = try imagesHeader(of: file)
    }

    private static func imagesHeader(of file: ReadOnlyFile) throws -> IDXHeader {
        try checkedCount(try IDXHeader(try file.prefix(IDXHeader.maximumSize), fileLength: file.length, path: file.path),
                         path: file.path)
    }

    /// `header`, unless it claims more images than a stream takes.
    private static func checkedCount(_ header: IDXHeader, path: String) throws -> IDXHeader {
        let count = header.dimensions[0]
        guard count <= IDXStream.maximumSamples else {
            throw DataError.malformedIDX(path: path, offset: 4,
                                         reason: "\(count) images, more than the \(IDXStream.maximumSamples) NNM streams")
        }
        return header
    }

    /// A stream over an open images file with the bytes of its label file; `resident`, when
    /// given, is the whole images file, read from `file` (rows are then copied from it, and the
    /// header is read from those very bytes: the ones that were hashed).
    init(images file: ReadOnlyFile, resident: ResidentBytes? = nil, labels labelBytes: [UInt8],
         labelsPath: String) throws {
        let imagesPath = file.path
        let header: IDXHeader
        if let resident {
            guard resident.bytes.count == file.length else {
                throw DataError.unreadableFile(path: imagesPath, reason: "its bytes in memory are not the whole file")
            }
            header = try Self.checkedCount(IDXHeader(resident.bytes, path: imagesPath), path: imagesPath)
        } else {
            header = try Self.imagesHeader(of: file)
        }
        let count = header.dimensions[0]
        let (labels, classCount) = try Dataset.parseIDXLabels(labelBytes, path: labelsPath, count: count,
                                                              imagesPath: imagesPath)
        self.init(file: file, resident: resident, dataOffset: header.dataOffset, featureCount: header.itemSize,
                  labels: labels, classCount: classCount, classNames: (0..<classCount).map { String($0) }, items: nil)
    }

    init(file: ReadOnlyFile, resident: ResidentBytes?, dataOffset: Int, featureCount: Int, labels: [Int],
         classCount: Int, classNames: [String]?, items: [Int]?) {
        self.file = file
        self.resident = resident
        self.dataOffset = dataOffset
        self.featureCount = featureCount
        self.labels = labels
        self.classCount = classCount
        self.classNames = classNames
        self.items = items
    }

    /// The samples at `indices` (each in `0..<sampleCount`), in that order; the file is shared.
    public func subset(_ indices: [Int]) -> IDXStream {
        IDXStream(file: file, resident: resident, dataOffset: dataOffset, featureCount: featureCount,
                  labels: indices.map { labels[$0] }, classCount: classCount, classNames: classNames,
                  items: indices.map { items?[$0] ?? $0 })
    }

    /// Train/validation/test parts of the stream: the same samples, in the same order, as
    /// ``Dataset/split(validationFraction:testFraction:seed:)`` picks from the loaded data set.
    public func split(validationFraction: Double, testFraction: Double, seed: UInt64) throws -> SampleSplit {
        let parts = try Dataset.splitIndices(count: sampleCount, validationFraction: validationFraction,
                                             testFraction: testFraction, seed: seed)
        return SampleSplit(train: subset(parts.train), validation: subset(parts.validation), test: subset(parts.test))
    }

    /// The pixels of sample `index` as `Float(byte) / 255`.
    /// - Throws: ``DataError`` when the file cannot be read or `index` is not a sample.
    public func features(at index: Int) throws -> [Float] {
        var row = [Float](repeating: 0, count: featureCount)
        try [index].withUnsafeBufferPointer { indices in
            try row.withUnsafeMutableBufferPointer { try readBatch(indices, into: $0) }
        }
        return row
    }

    /// Rows from which a batch read is shared with the kernels' helper thread: each half is
    /// then up to 32 system calls (fewer when its rows are consecutive in the file), or 25,000
    /// pixels to convert from held bytes, more than waking the helper costs. This serves the
    /// whole-split passes (the Standardize fit on images read from the file, an evaluation too
    /// small to be cut in pieces: 256-row chunks); a training batch read ahead runs on the
    /// helper, and an evaluation cut in pieces already shares it, so there the split finds the
    /// helper taken and reads alone. (Held images are fitted on their bytes directly:
    /// ``Standardize`` `fit(unitBytes:)`.)
    static let twoWayReadRows = 64

    /// Reads rows `indices` into `destination` (see ``BatchReadingSource``). On an error, the
    /// rows of a half that was read may already be in `destination`; the rest are untouched.

    func readBatch(_ indices: UnsafeBufferPointer<Int>, into destination: UnsafeMutableBufferPointer<Float>) throws {
        let width = featureCount
        guard indices.count * width <= destination.count else {
            throw DataError.unreadableFile(
                path: file.path, reason: "\(indices.count) rows of \(width) values do not fit in \(destination.count) floats")
        }
        // Checked up front, so the reads below cannot meet a bad index on either thread.
        for sample in indices where !(0..<sampleCount).contains(sample) {
            throw DataError.unreadableFile(path: file.path, reason: "sample \(sample) of \(sampleCount) asked for")
        }
        let options = ComputeOptions.current
        let pieces = indices.count >= Self.twoWayReadRows ? 2 : 1
        let rowsPerPiece = (indices.count + pieces - 1) / pieces
        if let resident {
            // In range: every index was checked above, and the header check at opening put every
            // item's bytes inside the file.
            let offsets = indices.map(byteOffset(of:))
            resident.bytes.withUnsafeBufferPointer { bytes in
                offsets.withUnsafeBufferPointer { offsets in
                    TwoWayWork.run(pieces: pieces, options: options) { piece in
                        let rows = (piece * rowsPerPiece)..<min((piece + 1) * rowsPerPiece, indices.count)
                        Kernels.unitByteRows(rows: rows.count, width: width, base: bytes.baseAddress,
                                             offsets: offsets.baseAddress.map { $0 + rows.lowerBound },
                                             floats: destination.baseAddress.map { $0 + rows.lowerBound * width },
                                             options: options)
                    }
                }
            }
            return
        }
        var failures = [(any Error)?](repeating: nil, count: pieces)
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(indices.count * width, 1)) { bytes in
            failures.withUnsafeMutableBufferPointer { failures in
                TwoWayWork.run(pieces: pieces, options: options) { piece in
                    let rows = (piece * rowsPerPiece)..<min((piece + 1) * rowsPerPiece, indices.count)
                    do {
                        // Rows of consecutive file items (a part in file order, as nnm-predict
                        // reads) are one read; a shuffled batch is a read per row.
                        var row = rows.lowerBound
                        while row < rows.upperBound {
                            let first = item(indices[row])
                            var end = row + 1
                            while end < rows.upperBound, item(indices[end]) == first + (end - row) { end += 1 }
                            try file.read(into: UnsafeMutableRawBufferPointer(
                                              UnsafeMutableBufferPointer(rebasing: bytes[(row * width)..<(end * width)])),
                                          at: dataOffset + first * width)
                            row = end
                        }
                        Kernels.unitBytes(count: rows.count * width, bytes: bytes.baseAddress.map { $0 + rows.lowerBound * width },
                                          floats: destination.baseAddress.map { $0 + rows.lowerBound * width }, options: options)
                    } catch {
                        failures[piece] = error
                    }
                }
            }
            if let failure = failures.compactMap({ $0 }).first { throw failure }
        }
    }
}

extension IDXStream {
    /// The file item of sample `sample`.
    func item(_ sample: Int) -> Int { items?[sample] ?? sample }

    /// Where sample `sample`'s pixels start in the images file (and in its held bytes).
    func byteOffset(of sample: Int) -> Int { dataOffset + item(sample) * featureCount }
}

extension IDXStream: UnitByteRowSource {
    func withUnitByteRows<Result>(_ body: (UnitByteRows) throws -> Result) rethrows -> Result? {
        guard let resident else { return nil }
        let offsets = (0..<sampleCount).map(byteOffset(of:))
        return try resident.bytes.withUnsafeBufferPointer { bytes in
            try UnitByteRows(bytes: bytes, offsets: offsets, width: featureCount).map(body)
        }
    }
}
