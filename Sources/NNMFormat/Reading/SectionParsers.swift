/// Parsers for section payloads: the exact inverse of `SectionPayloads`. Every count is
/// checked against its limit and against the bytes left before anything is allocated.
enum SectionParsers {
    static func layers(_ r: inout ByteReader) throws -> [LayerRecord] {
        let at = r.offset
        let count = UInt64(try r.u32("layer count"))
        try r.limit(count, FormatLimits.maxLayers, "layer count", at: at)
        guard count >= 1 else { throw r.malformed("a model needs at least one layer", at: at) }
        try r.requireRoom(count: count, elementSize: 12, "layer entries")
        var layers: [LayerRecord] = []
        layers.reserveCapacity(Int(count))
        for i in 0..<Int(count) {
            let entryAt = r.offset
            let kindID = try r.u16("layer \(i) kind")
            let paramCount = UInt64(try r.u16("layer \(i) parameter count"))
            let inputs = try r.u32("layer \(i) inputs")
            let outputs = try r.u32("layer \(i) outputs")
            try r.limit(paramCount, FormatLimits.maxLayerParameters, "layer \(i) parameter count", at: entryAt + 2)
            try r.requireRoom(count: paramCount, elementSize: 4, "layer \(i) parameters")
            var parameters: [Float] = []
            for p in 0..<Int(paramCount) { parameters.append(try r.f32("layer \(i) parameter \(p)")) }
            guard let expected = LayerKind.parameterCount(wireID: kindID) else {
                throw NNMFormatError.unknownLayerKind(id: kindID, layer: i)
            }
            guard expected == parameters.count else {
                throw r.malformed("layer \(i) has \(parameters.count) parameters, its kind takes \(expected)", at: entryAt + 2)
            }
            for (name, width) in [("inputs", inputs), ("outputs", outputs)] {
                guard UInt64(width) <= FormatLimits.maxWidth else {
                    throw NNMFormatError.limitExceeded(what: "layer \(i) \(name)", value: UInt64(width),
                                                       limit: FormatLimits.maxWidth, offset: entryAt)
                }
                // A range 1…N field: 0 is `malformed`, above N `limitExceeded` (spec §12).
                guard width >= 1 else { throw r.malformed("layer \(i) \(name) is 0", at: entryAt + 4) }
            }
            guard let kind = LayerKind.from(wireID: kindID, parameters: parameters) else {
                throw NNMFormatError.unknownLayerKind(id: kindID, layer: i)
            }
            layers.append(LayerRecord(kind: kind, inputs: Int(inputs), outputs: Int(outputs)))
        }
        try r.requireEnd()
        return layers
    }

    static func tensors(_ r: inout ByteReader) throws -> [TensorTableEntry] {
        let at = r.offset
        let count = UInt64(try r.u32("tensor count"))
        try r.limit(count, FormatLimits.maxTensors, "tensor count", at: at)
        // Smallest entry (spec §7): empty name, rank 1, one block length = 46 bytes.
        try r.requireRoom(count: count, elementSize: 2 + 4 + 4 + 8 * 3 + 4 + 4 + 4, "tensor entries")
        var entries: [TensorTableEntry] = []
        entries.reserveCapacity(Int(count))
        var totalRaw: UInt64 = 0
        for i in 0..<Int(count) {
            entries.append(try tensorEntry(&r, index: i, totalRaw: &totalRaw))
        }
        try r.requireEnd()
        return entries
    }

    /// One tensor table entry (spec §7); `totalRaw` accumulates the raw bytes of all tensors.
    private static func tensorEntry(_ r: inout ByteReader, index i: Int, totalRaw: inout UInt64) throws -> TensorTableEntry {
        let entryAt = r.offset
        let name = try r.string(short: true, maxBytes: FormatLimits.maxNameBytes, "tensor \(i) name")
        let dtype = try r.u8("tensor \(i) dtype")
        let rankAt = r.offset
        let rank = UInt64(try r.u8("tensor \(i) rank"))
        let (codec, filter) = try encoding(&r, index: i, name: name, dtype: dtype, rankAt: rankAt)
        let (shape, elements) = try shape(&r, index: i, name: name, rank: rank, rankAt: rankAt)
        let offset = try r.u64("tensor \(i) offset")
        let stored = try r.u64("tensor \(i) stored length")
        let rawAt = r.offset
        let raw = try r.u64("tensor \(i) raw length")
        let crc = try r.u32("tensor \(i) raw CRC-32")
        let blocksAt = r.offset
        let blockCount = UInt64(try r.u32("tensor \(i) block count"))
        guard raw == elements * 4 else {
            throw r.malformed("tensor '\(escapeForDisplay(name))' raw length \(raw) is not 4 × \(elements) elements", at: rawAt)
        }
        totalRaw += raw
        try r.limit(totalRaw, FormatLimits.maxTotalRawBytes, "total raw tensor bytes", at: rawAt)
        guard blockCount == Blocks.count(raw: raw) else {
            throw r.malformed("tensor '\(escapeForDisplay(name))' declares \(blockCount) blocks, its raw length needs \(Blocks.count(raw: raw))", at: blocksAt)
        }
        let blocks = try blockLengths(&r, index: i, name: name, count: blockCount, raw: raw, codec: codec)
        let sum = blocks.reduce(UInt64(0)) { $0 + UInt64($1) }
        guard sum == stored else {
            throw r.malformed("tensor '\(escapeForDisplay(name))' stored length \(stored) ≠ sum of its block lengths \(sum)", at: entryAt)
        }
        return TensorTableEntry(name: name, shape: shape, codec: codec, filter: filter, offset: offset,
                                rawLength: raw, rawCRC: crc, blockStoredLengths: blocks)
    }

    /// Codec and filter ids (read after the rank), checked with the dtype.
    private static func encoding(_ r: inout ByteReader, index i: Int, name: String, dtype: UInt8,
                                 rankAt: Int) throws -> (BlobCodec, BlobFilter) {
        let codecID = try r.u8("tensor \(i) codec")
        let filterID = try r.u8("tensor \(i) filter")
        guard dtype == WireID.dtypeFloat32 else {
            throw NNMFormatError.unsupportedTensorEncoding(tensor: name, field: "dtype", value: dtype)
        }
        guard let codec = BlobCodec(rawValue: codecID) else {
            throw NNMFormatError.unsupportedTensorEncoding(tensor: name, field: "codec", value: codecID)
        }
        guard let filter = BlobFilter(rawValue: filterID) else {
            throw NNMFormatError.unsupportedTensorEncoding(tensor: name, field: "filter", value: filterID)
        }
        if codec == .none && filter != .none {
            throw r.malformed("tensor '\(escapeForDisplay(name))' uses a filter without a codec", at: rankAt + 2)
        }
        return (codec, filter)
    }

    /// The dimensions (each at least 1, within limits) and their product.
    private static func shape(_ r: inout ByteReader, index i: Int, name: String, rank: UInt64,
                              rankAt: Int) throws -> (shape: [Int], elements: UInt64) {
        try r.limit(rank, FormatLimits.maxRank, "tensor '\(escapeForDisplay(name))' rank", at: rankAt)
        guard rank >= 1 else { throw r.malformed("tensor '\(escapeForDisplay(name))' has rank 0", at: rankAt) }
        var shape: [Int] = []
        var elements: UInt64 = 1
        for d in 0..<Int(rank) {
            let dimAt = r.offset
            let dim = UInt64(try r.u32("tensor \(i) dimension \(d)"))
            guard dim >= 1 else { throw r.malformed("tensor '\(escapeForDisplay(name))' dimension \(d) is 0", at: dimAt) }
            try r.limit(dim, FormatLimits.maxWidth, "tensor '\(escapeForDisplay(name))' dimension \(d)", at: dimAt)
            let (product, overflow) = elements.multipliedReportingOverflow(by: dim)
            elements = overflow ? UInt64.max : product
            shape.append(Int(dim))
        }
        try r.limit(elements, FormatLimits.maxTensorElements, "tensor '\(escapeForDisplay(name))' element count", at: rankAt)
        return (shape, elements)
    }

    /// The stored length of each block: exactly its raw length for codec none, at most
    /// 1032:1 smaller for zlib (a larger claim is a decompression bomb).
    private static func blockLengths(_ r: inout ByteReader, index i: Int, name: String, count blockCount: UInt64,
                                     raw: UInt64, codec: BlobCodec) throws -> [UInt32] {
        try r.requireRoom(count: blockCount, elementSize: 4, "tensor \(i) block lengths")
        var blocks: [UInt32] = []
        blocks.reserveCapacity(Int(blockCount))
        for b in 0..<Int(blockCount) {
            let blockAt = r.offset
            let length = try r.u32("tensor \(i) block \(b) length")
            let blockRaw = UInt64(Blocks.rawLength(block: b, raw: Int(raw)))
            switch codec {
            case .none:
                guard UInt64(length) == blockRaw else {
                    throw r.malformed("tensor '\(escapeForDisplay(name))' block \(b) stores \(length) bytes, codec none needs \(blockRaw)", at: blockAt)
                }
            case .zlib:
                let ceiling = UInt64(length) * UInt64(NNMConstants.maxInflateRatio)
                try r.limit(blockRaw, ceiling, "raw length of tensor '\(escapeForDisplay(name))' block \(b) (max 1032 × its \(length) stored bytes)", at: blockAt)
            }
            blocks.append(length)
        }
        return blocks
    }

    static func keyValues(_ r: inout ByteReader) throws -> [String: MetadataValue] {
        let at = r.offset
        let count = UInt64(try r.u32("entry count"))
        try r.limit(count, FormatLimits.maxMetadataEntries, "\(r.context) entry count", at: at)
        // Smallest entry (spec §8): a 1-byte key (2 + 1), the type byte and a bool = 5 bytes.
        try r.requireRoom(count: count, elementSize: 5, "entries")
        var dict: [String: MetadataValue] = [:]
        var previousKey: [UInt8]? = nil
        for i in 0..<Int(count) {
            let keyAt = r.offset
            let key = try r.string(short: true, maxBytes: FormatLimits.maxNameBytes, "key \(i)")
            let keyBytes = Array(key.utf8)
            guard !keyBytes.isEmpty else { throw r.malformed("key \(i) is empty", at: keyAt) }
            if let previousKey, !previousKey.lexicographicallyPrecedes(keyBytes) {
                throw r.malformed("key '\(escapeForDisplay(key))' is not after the previous key in UTF-8 byte order (keys must be sorted and unique)", at: keyAt)
            }
            previousKey = keyBytes
            let typeAt = r.offset
            let type = try r.u8("value type of '\(key)'")
            let value: MetadataValue
            switch type {
            case WireID.metaBool:
                let b = try r.u8("bool")
                guard b <= 1 else { throw r.malformed("bool value \(b) for '\(escapeForDisplay(key))' (must be 0 or 1)", at: typeAt + 1) }
                value = .bool(b == 1)
            case WireID.metaInt: value = .int(try r.i64("int"))
            case WireID.metaDouble: value = .double(try r.f64("double"))
            case WireID.metaString:
                value = .string(try r.string(short: false, maxBytes: FormatLimits.maxStringBytes, "string value of '\(escapeForDisplay(key))'"))
            case WireID.metaInts, WireID.metaDoubles:
                let n = UInt64(try r.u32("array length"))
                try r.limit(n, FormatLimits.maxArrayElements, "array length of '\(escapeForDisplay(key))'", at: typeAt + 1)
                try r.requireRoom(count: n, elementSize: 8, "array of '\(escapeForDisplay(key))'")
                if type == WireID.metaInts {
                    var a: [Int64] = []
                    a.reserveCapacity(Int(n))
                    for _ in 0..<Int(n) { a.append(try r.i64("int")) }
                    value = .ints(a)
                } else {
                    var a: [Double] = []
                    a.reserveCapacity(Int(n))
                    for _ in 0..<Int(n) { a.append(try r.f64("double")) }
                    value = .doubles(a)
                }
            default:
                throw r.malformed("unknown value type \(type) for key '\(escapeForDisplay(key))'", at: typeAt)
            }
            guard dict.updateValue(value, forKey: key) == nil else {
                throw r.malformed("key '\(escapeForDisplay(key))' duplicates a canonically equivalent key", at: keyAt)
            }
        }
        return dict
    }

    static func history(_ r: inout ByteReader) throws -> TrainingHistory {
        let at = r.offset
        let seriesCount = UInt64(try r.u32("series count"))
        let epochs = UInt64(try r.u32("epoch count"))
        try r.limit(seriesCount, FormatLimits.maxHistorySeries, "history series count", at: at)
        try r.limit(epochs, FormatLimits.maxHistoryEpochs, "history epoch count", at: at + 4)
        // Canonical encoding (spec §9): history without series is written as no `hist` section.
        guard seriesCount >= 1 else { throw r.malformed("history has no series (omit the section instead)", at: at) }
        // Smallest name: a u16 length and one byte.
        try r.requireRoom(count: seriesCount, elementSize: 3, "series names")
        var names: [String] = []
        var seen = Set<String>()
        for s in 0..<Int(seriesCount) {
            let nameAt = r.offset
            let name = try r.string(short: true, maxBytes: FormatLimits.maxNameBytes, "series \(s) name")
            guard !name.isEmpty else { throw r.malformed("series \(s) name is empty", at: nameAt) }
            guard seen.insert(name).inserted else { throw r.malformed("series '\(escapeForDisplay(name))' appears twice", at: nameAt) }
            names.append(name)
        }
        try r.requireRoom(count: seriesCount * epochs, elementSize: 4, "series values")
        var series: [HistorySeries] = []
        for name in names {
            var values: [Float] = []
            values.reserveCapacity(Int(epochs))
            for _ in 0..<Int(epochs) { values.append(try r.f32("value")) }
            series.append(HistorySeries(name: name, values: values))
        }
        try r.requireEnd()
        return TrainingHistory(series: series)
    }

    static func recipe(_ r: inout ByteReader) throws -> DatasetRecipe {
        let at = r.offset
        let generator = try r.string(short: true, maxBytes: FormatLimits.maxNameBytes, "generator name")
        guard !generator.isEmpty else { throw r.malformed("generator name is empty", at: at) }
        let seed = try r.u64("seed")
        let validation = try r.f64("validation fraction")
        let test = try r.f64("test fraction")
        guard DatasetRecipe.fractionsAreValid(validation: validation, test: test) else {
            throw r.malformed("validation fraction \(validation) and test fraction \(test) must be finite, ≥ 0, with a sum below 1", at: at)
        }
        let parameters = try keyValues(&r)
        try r.requireEnd()
        return DatasetRecipe(generator: generator, parameters: parameters, seed: seed,
                             validationFraction: validation, testFraction: test)
    }
}
