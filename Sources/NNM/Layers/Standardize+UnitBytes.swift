/// Rows of pixel bytes held in memory, each byte standing for `Float(byte) / 255` (an IDX
/// file's images, as ``IDXStream`` reads them): what the Standardize layer in front of an
/// `nnm-train` network is fitted on when the images are held.
///
/// Only valid inside the call that made it (it points into the caller's bytes); `init` checks
/// every row against them, so the kernels never read outside.
struct UnitByteRows {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Where each row starts in `bytes`, in the order the rows are fitted.
    let offsets: [Int]
    let width: Int

    /// nil when a row would reach outside `bytes` or the width is not positive.
    init?(bytes: UnsafeBufferPointer<UInt8>, offsets: [Int], width: Int) {
        guard width > 0, width <= bytes.count else { return nil }
        let lastStart = bytes.count - width
        guard offsets.allSatisfy({ $0 >= 0 && $0 <= lastStart }) else { return nil }
        self.bytes = bytes
        self.offsets = offsets
        self.width = width
    }
}

extension Standardize {
    /// Rows taken per call of `shouldStop` (and per handing of work to the helper thread).
    static let unitByteBlockRows = 4096

    /// Fits on byte rows without converting them to floats first: the same bits as
    /// ``fit(_:)`` on the converted rows, since each column still takes the rows in order. The
    /// columns are cut in bands that the two threads share, and a converted row is never written to
    /// memory: for 50,000 images this is a few milliseconds where converting took tens.
    /// Rows of another width leave the layer as it was.
    /// - Throws: ``TrainingError/interruptedBeforeTraining`` when `shouldStop` says stop
    ///   (asked before every block of rows); the layer is then left as it was.
    mutating func fit(unitBytes rows: UnitByteRows, shouldStop: (() -> Bool)? = nil,
                      options: ComputeOptions = .current) throws {
        guard rows.width == featureCount, !rows.offsets.isEmpty else { return }
        let bands = Self.columnBands(width: rows.width)
        // Calls `band(rows, columns)` for every block of rows and every band of columns.
        func visit(_ band: (Range<Int>, Range<Int>) -> Void) throws {
            var start = 0
            while start < rows.offsets.count {
                if shouldStop?() == true { throw TrainingError.interruptedBeforeTraining }
                let block = start ..< min(start + Self.unitByteBlockRows, rows.offsets.count)
                TwoWayWork.run(pieces: bands.count, options: options) { piece in band(block, bands[piece]) }
                start = block.upperBound
            }
        }
        try rows.offsets.withUnsafeBufferPointer { offsets in
            try fit(summing: { sums in
                try visit { block, columns in
                    Kernels.unitByteColumnSums(
                        rows: block.count, columns: columns.count, base: rows.bytes.baseAddress.map { $0 + columns.lowerBound },
                        offsets: offsets.baseAddress.map { $0 + block.lowerBound },
                        sums: sums.baseAddress.map { $0 + columns.lowerBound }, options: options)
                }
                return offsets.count
            }, squaring: { mean, squares in
                try visit { block, columns in
                    Kernels.unitByteColumnSquaredDeviations(
                        rows: block.count, columns: columns.count, base: rows.bytes.baseAddress.map { $0 + columns.lowerBound },
                        offsets: offsets.baseAddress.map { $0 + block.lowerBound },
                        mean: mean.baseAddress.map { $0 + columns.lowerBound },
                        squares: squares.baseAddress.map { $0 + columns.lowerBound }, options: options)
                }
            })
        }
    }

    /// The columns cut into up to 4 bands of at least 64, each starting at a multiple of 8
    /// (whole vectors): the helper thread takes bands from the back while this thread takes
    /// them from the front, so a helper that wakes late still finds work.
    static func columnBands(width: Int) -> [Range<Int>] {
        let count = max(1, min(4, width / 64))
        let cuts = (0...count).map { $0 == count ? width : $0 * width / count / 8 * 8 }
        return (0..<count).map { cuts[$0] ..< cuts[$0 + 1] }
    }
}

/// A sample source whose features are pixel bytes held in memory (``IDXStream`` with its
/// images held), so a Standardize layer can be fitted on the bytes themselves.
protocol UnitByteRowSource: SampleSource {
    /// Calls `body` with the held bytes as rows in sample order; nil (without calling it)
    /// when the bytes are not held.
    func withUnitByteRows<Result>(_ body: (UnitByteRows) throws -> Result) rethrows -> Result?
}
