/// MNIST-style IDX files → `Dataset`. An IDX file is: two zero bytes, a type byte, a byte with
/// the number of dimensions, each dimension as a big-endian UInt32, then the data. NNM reads
/// unsigned-byte files (type 0x08): images of any rank ≥ 1 (each item flattened row-major,
/// pixels scaled to [0, 1] as `Float(byte) / 255` in float32) and labels of rank 1 (class
/// index = byte value, class count = largest label + 1). Every size is checked against the
/// file length before anything is allocated.
extension Dataset {
    /// Largest number of values in one item (an image of 1000 × 1000 pixels).
    public static let maximumIDXItemSize = 1_000_000

    public static func loadIDX(imagesPath: String, labelsPath: String) throws -> Dataset {
        try parseIDX(images: try DataFile.read(imagesPath), imagesPath: imagesPath,
                     labels: try DataFile.read(labelsPath), labelsPath: labelsPath)
    }

    /// Parses IDX bytes; the paths are used in error messages only.
    public static func parseIDX(images: [UInt8], imagesPath: String,
                                labels: [UInt8], labelsPath: String) throws -> Dataset {
        let imageHeader = try IDXHeader(images, path: imagesPath)
        let count = imageHeader.dimensions[0]
        let (labelValues, classCount) = try parseIDXLabels(labels, path: labelsPath, count: count, imagesPath: imagesPath)
        let width = imageHeader.itemSize
        var values = [Float](repeating: 0, count: count * width)
        images.withUnsafeBufferPointer { bytes in
            values.withUnsafeMutableBufferPointer { floats in
                Kernels.unitBytes(count: count * width, bytes: bytes.baseAddress.map { $0 + imageHeader.dataOffset },
                                  floats: floats.baseAddress)
            }
        }
        return Dataset(features: Matrix(rows: count, columns: width, storage: values),
                       labels: labelValues, classCount: classCount,
                       classNames: (0..<classCount).map { String($0) })
    }

    /// The labels of an IDX label file for `count` images: rank 1, one byte per image, class
    /// count = largest label + 1 (at least 2).
    static func parseIDXLabels(_ labels: [UInt8], path labelsPath: String, count: Int,
                               imagesPath: String) throws -> (labels: [Int], classCount: Int) {
        let labelHeader = try IDXHeader(labels, path: labelsPath)
        guard labelHeader.dimensions.count == 1 else {
            throw DataError.malformedIDX(path: labelsPath, offset: 3,
                                         reason: "a label file has 1 dimension, this one has \(labelHeader.dimensions.count)")
        }
        guard labelHeader.dimensions[0] == count else {
            throw DataError.malformedIDX(path: labelsPath, offset: 4,
                                         reason: "\(labelHeader.dimensions[0]) labels for \(count) images in \(imagesPath)")
        }
        guard count > 0 else { throw DataError.unusableDataset("\(imagesPath): the file holds no images") }
        let labelValues = labels[labelHeader.dataOffset...].map { Int($0) }
        let classCount = (labelValues.max() ?? 0) + 1
        guard classCount >= 2 else {
            throw DataError.unusableDataset("\(labelsPath): every label is 0; a classifier needs at least two classes")
        }
        return (labelValues, classCount)
    }
}

/// The checked header of an unsigned-byte IDX file.
struct IDXHeader {
    var dimensions: [Int]
    /// Values per item: the product of all dimensions but the first.
    var itemSize: Int
    var dataOffset: Int

    /// Largest header: the magic number and 255 dimensions.
    static let maximumSize = 4 + 4 * 255

    /// Checks the header at the start of `bytes` against a file of `fileLength` bytes (by
    /// default `bytes` is the whole file; a streaming reader passes the first
    /// ``maximumSize`` bytes and the file's length).
    init(_ bytes: [UInt8], fileLength: Int? = nil, path: String) throws {
        guard bytes.count >= 4 else {
            throw DataError.malformedIDX(path: path, offset: nil,
                                         reason: "truncated: \(bytes.count) bytes, shorter than the 4-byte magic number")
        }
        if bytes[0] == 0x1F && bytes[1] == 0x8B {
            throw DataError.malformedIDX(path: path, offset: 0,
                                         reason: "the file is gzip-compressed; decompress it first (gunzip)")
        }
        guard bytes[0] == 0, bytes[1] == 0 else {
            throw DataError.malformedIDX(path: path, offset: 0,
                                         reason: "bad magic number: an IDX file starts with two zero bytes")
        }
        guard bytes[2] == 0x08 else {
            let names: [UInt8: String] = [0x09: "signed byte", 0x0B: "int16", 0x0C: "int32",
                                          0x0D: "float32", 0x0E: "float64"]
            let kind = names[bytes[2]].map { "type \($0)" } ?? "unknown type"
            throw DataError.malformedIDX(path: path, offset: 2,
                                         reason: "data type 0x\(String(bytes[2], radix: 16)) (\(kind)); NNM reads unsigned-byte (0x08) IDX files")
        }
        let rank = Int(bytes[3])
        guard rank >= 1 else {
            throw DataError.malformedIDX(path: path, offset: 3, reason: "0 dimensions")
        }
        let headerSize = 4 + 4 * rank
        guard bytes.count >= headerSize else {
            throw DataError.malformedIDX(path: path, offset: bytes.count,
                                         reason: "truncated header: \(rank) dimensions need \(headerSize) bytes, the file has \(bytes.count)")
        }
        dimensions = (0..<rank).map { d in
            let o = 4 + 4 * d
            return Int(bytes[o]) << 24 | Int(bytes[o + 1]) << 16 | Int(bytes[o + 2]) << 8 | Int(bytes[o + 3])
        }
        var size = 1
        for (d, dimension) in dimensions.enumerated().dropFirst() {
            let (product, overflow) = size.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= Dataset.maximumIDXItemSize else {
                let shown = dimensions.dropFirst().prefix(4).map(String.init).joined(separator: " × ")
                    + (rank > 5 ? " × …" : "")
                // An image has 2 or 3 dimensions besides the count; far more, or sizes whose
                // product overflows, are more likely bytes that are not an IDX header at all.
                let doubt = overflow || rank > 4 ? " (\(rank) dimensions: is it an IDX file?)" : ""
                throw DataError.malformedIDX(
                    path: path, offset: 4 + 4 * d,
                    reason: "the header declares items of \(shown) values, more than the \(Dataset.maximumIDXItemSize) "
                        + "NNM reads" + doubt)
            }
            size = product
        }
        guard size > 0 else {
            throw DataError.malformedIDX(path: path, offset: 4, reason: "a dimension of size 0")
        }
        itemSize = size
        dataOffset = headerSize
        // dimensions[0] < 2³² and size ≤ 10⁶, so the product fits in Int.
        let expected = dimensions[0] * size
        let available = (fileLength ?? bytes.count) - headerSize
        guard available >= expected else {
            throw DataError.malformedIDX(path: path, offset: fileLength ?? bytes.count,
                                         reason: "truncated: the header declares \(dimensions[0]) items of \(size) bytes (\(expected) bytes of data), the file has \(available)")
        }
        guard available == expected else {
            throw DataError.malformedIDX(path: path, offset: headerSize + expected,
                                         reason: "\(available - expected) bytes after the \(expected) bytes of data the header declares")
        }
    }
}
