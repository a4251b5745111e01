// libFuzzer target: a `.nnm` file from bytes, through everything a reader does with it —
// reading (§14 reading order), full verification (tensors, WGHT CRC, digest), decoding every
// tensor, building the network (`Sequential(file:)`) and one forward pass. The structure-aware
// mutator (FuzzSupport/NNMMutator) keeps most inputs close enough to valid files to get past
// the checksums.
import FuzzSupport
import NNM
import NNMFormat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    guard let file = try? ModelFile(bytes: bytes) else { return 0 }
    let verified = (try? file.verify()) != nil
    let decoded = try? file.decodingAllTensors()
    // A verified file has decoded every tensor once already: decoding must succeed again.
    if verified && decoded == nil { fatalError("verify() passed but decodingAllTensors() failed") }
    guard let decoded, let model = try? Sequential(file: decoded) else { return 0 }
    let width = decoded.layers[0].inputs
    if width <= 4096 {
        _ = try? model.predict(Matrix(rows: 1, columns: width, storage: [Float](repeating: 0.5, count: width)))
    }
    return 0
}

@_cdecl("LLVMFuzzerCustomMutator")
public func fuzzCustomMutator(_ data: UnsafeMutablePointer<UInt8>?, _ size: Int, _ maxSize: Int, _ seed: UInt32) -> Int {
    guard let data else { return 0 }
    let mutated = NNMMutator.mutate(Array(UnsafeBufferPointer(start: data, count: size)), maxSize: maxSize, seed: seed)
    mutated.withUnsafeBufferPointer { source in
        if let base = source.baseAddress { data.update(from: base, count: source.count) }
    }
    return mutated.count
}
