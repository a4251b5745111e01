/// Everything `nnm-inspect` shows about a file, computed by the library so that the tool is a
/// thin shell and other programs can reuse it.
public struct InspectionReport: Sendable {
    public struct Options: Sendable {
        /// Decode every tensor and compute statistics (checks every tensor CRC-32).
        public var statistics: Bool
        /// Full verification: WGHT CRC, every tensor, content digest, damaged ancillary sections.
        public var verify: Bool
        public var histogramBins: Int
        public init(statistics: Bool = true, verify: Bool = false, histogramBins: Int = 10) {
            self.statistics = statistics
            self.verify = verify
            self.histogramBins = histogramBins
        }
    }

    /// How much of the file was checked.
    public enum Integrity: String, Sendable {
        /// Header and table CRCs (the header-only fast path).
        case tablesChecked = "tables-checked"
        /// Plus every tensor's CRC-32 (statistics decode every tensor).
        case tensorsChecked = "tensors-checked"
        /// Full verification passed: every CRC and the content digest.
        case verified
    }

    public struct LayerRow: Sendable {
        public var index: Int
        public var kind: LayerKind
        public var inputs: Int
        public var outputs: Int
        public var parameters: Int
        public var storedBytes: UInt64
        public var codecs: [String]
    }

    public struct TensorRow: Sendable {
        public var name: String
        public var shape: [Int]
        public var codec: String
        public var filter: String
        public var blocks: Int
        public var rawBytes: UInt64
        public var storedBytes: UInt64
        public var statistics: TensorStatistics?
    }

    public var path: String
    public var model: ModelFile
    public var integrity: Integrity
    public var layers: [LayerRow]
    public var tensors: [TensorRow]
    public var totalParameters: Int
    public var totalRawBytes: UInt64
    public var totalStoredBytes: UInt64

    /// Reads `path` and builds the report. With `statistics == false` and `verify == false`
    /// only the header and tables are read (cost independent of the weights' size).
    public static func inspect(path: String, options: Options = Options()) throws -> InspectionReport {
        let model = try ModelFile(contentsOf: path)
        var integrity = Integrity.tablesChecked
        if options.verify {
            _ = try model.verify()
            integrity = .verified
        }
        var tensorRows: [TensorRow] = []
        for tensor in model.tensors {
            var row = TensorRow(name: tensor.name, shape: tensor.shape, codec: "none", filter: "none", blocks: 0,
                                rawBytes: UInt64(tensor.elementCount) * 4, storedBytes: UInt64(tensor.elementCount) * 4)
            if case .encoded(let blob) = tensor.storage {
                row.codec = blob.codec.description
                row.filter = blob.filter.description
                row.blocks = blob.blockStoredLengths.count
                row.storedBytes = blob.storedLength
            }
            if options.statistics {
                row.statistics = TensorStatistics(try tensor.values(), bins: options.histogramBins)
            }
            tensorRows.append(row)
        }
        if options.statistics && integrity == .tablesChecked { integrity = .tensorsChecked }

        var layerRows: [LayerRow] = []
        for (i, layer) in model.layers.enumerated() {
            let owned = tensorRows.filter { TensorName($0.name)?.layer == i }
            let codecs = owned.map { $0.filter == "none" ? $0.codec : "\($0.codec)+\($0.filter)" }
            layerRows.append(LayerRow(index: i, kind: layer.kind, inputs: layer.inputs, outputs: layer.outputs,
                                      parameters: owned.reduce(0) { $0 + $1.shape.reduce(1, *) },
                                      storedBytes: owned.reduce(0) { $0 + $1.storedBytes },
                                      codecs: Array(Set(codecs)).sorted()))
        }
        return InspectionReport(
            path: path, model: model, integrity: integrity, layers: layerRows, tensors: tensorRows,
            totalParameters: layerRows.reduce(0) { $0 + $1.parameters },
            totalRawBytes: tensorRows.reduce(0) { $0 + $1.rawBytes },
            totalStoredBytes: tensorRows.reduce(0) { $0 + $1.storedBytes })
    }

    /// The codecs used, with tensor counts: "zlib+shuffle4 ×2, none ×2".
    public var codecSummary: String {
        var counts: [String: Int] = [:]
        for t in tensors { counts[t.filter == "none" ? t.codec : "\(t.codec)+\(t.filter)", default: 0] += 1 }
        return counts.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
    }
}
