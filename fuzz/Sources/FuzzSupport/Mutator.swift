/// libFuzzer's own byte-level mutator (exported by the fuzzer runtime).
@_silgen_name("LLVMFuzzerMutate")
func LLVMFuzzerMutate(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int) -> Int

/// `bytes` after libFuzzer's generic mutations, at most `maxSize` bytes long.
func genericMutation(_ bytes: [UInt8], maxSize: Int) -> [UInt8] {
    // A buffer of libFuzzer's whole max_len per call would dominate the run time: allow growth
    // by a few hundred bytes, which the next mutation can extend.
    let capacity = max(min(maxSize, bytes.count + 512), bytes.count, 1)
    var buffer = [UInt8](repeating: 0, count: capacity)
    buffer.replaceSubrange(0..<bytes.count, with: bytes)
    let size = buffer.withUnsafeMutableBufferPointer { LLVMFuzzerMutate($0.baseAddress!, bytes.count, capacity) }
    return Array(buffer.prefix(size))
}

/// The structure-aware `.nnm` mutator: it cuts a file into header and sections, changes one
/// thing that a parser looks at (a section's bytes or counts, a layer or tensor-table field,
/// the tensor values, blob bytes, the section list, a freshly built ancillary section, a header
/// field), and half of the time repairs the tensor CRCs, the section CRCs and the content
/// digest so that the change reaches the parsers behind the checksums. Generic byte flips die
/// at the first CRC.
public enum NNMMutator {
    enum Mutation: CaseIterable {
        case payloadBytes, payloadInteger, layerField, layerList, tensorField, tensorList, tensorValues
        case blobBytes, sectionList, ancillarySection, headerField, wholeFile
    }

    public static func mutate(_ bytes: [UInt8], maxSize: Int, seed: UInt32) -> [UInt8] {
        var random = FuzzRandom(seed: seed)
        guard var image = NNMImage(bytes), !random.chance(1, in: 16) else {
            return genericMutation(bytes, maxSize: maxSize)
        }
        let mutation = random.pick(Mutation.allCases)
        var changed = false
        switch mutation {
        case .payloadBytes: changed = image.mutatePayloadBytes(&random, maxSize: maxSize - bytes.count)
        case .payloadInteger: changed = image.mutatePayloadInteger(&random)
        case .layerField: changed = image.mutateLayerField(&random)
        case .layerList: changed = image.mutateLayerList(&random)
        case .tensorField: changed = image.mutateTensorField(&random)
        case .tensorList: changed = image.mutateTensorList(&random)
        case .tensorValues: changed = image.mutateTensorValues(&random)
        case .blobBytes: changed = image.mutateBlobBytes(&random)
        case .sectionList: changed = image.mutateSectionList(&random)
        case .ancillarySection: changed = image.replaceAncillarySection(&random)
        case .headerField: changed = image.mutateHeaderField(&random)
        case .wholeFile: break
        }
        guard changed else { return genericMutation(bytes, maxSize: maxSize) }
        let repair = random.chance(1, in: 2)
        if repair {
            let touchesTensors: Set<Mutation> = [.tensorField, .tensorList, .blobBytes, .payloadBytes, .payloadInteger, .sectionList]
            image.repairChecksums(tensorsChanged: touchesTensors.contains(mutation))
        }
        var out = image.serialized(repairCRCs: repair, fixHeader: mutation != .headerField)
        if mutation == .headerField && repair { out.storeLittleEndian(crc32Of(out[0..<28]), at: 28) }
        return out.count <= maxSize ? out : genericMutation(bytes, maxSize: maxSize)
    }
}
