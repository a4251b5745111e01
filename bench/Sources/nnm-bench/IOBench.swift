import NNMFormat
import NNM
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Workload S of `shared/guide/peer-baselines.md`: save and load ~40 MB of float32 weights
/// (randn·0.05) through the `.nnm` format, warm page cache, as a user's program does it:
/// `ModelFile.write(to:)` (encode + atomic write with fsync) and `ModelFile(contentsOf:)` with
/// every tensor decoded. The peer (`peers/io_peer.py`) does the same with `np.savez_compressed`
/// and `np.load`.
///
/// The guide's tensors are 2048², 2048², 1024² and 512×1024. A `.nnm` file holds a chained
/// network, so the same element counts are laid out as linear layers 2048→2048→2048→512→1024
/// (weights 2048×2048, 2048×2048, 512×2048, 1024×512) with their biases (5,632 more values,
/// drawn the same way); the peer saves exactly these shapes.
///
/// The file is kept at `$NNM_BENCH_IO_DIR/s.nnm` when that variable is set (bench/run times
/// `nnm-inspect` on it), otherwise written to a fresh temporary directory that is removed.
func benchModelIO(quick: Bool) throws {
    let scale = quick ? 2 : 1   // --quick: every side halved, a quarter of the bytes
    let widths = [2048, 2048, 2048, 512, 1024].map { $0 / scale }
    var rng = SeededRandom(seed: 2024)
    var layers: [LayerRecord] = []
    var tensors: [Tensor] = []
    for i in 0..<(widths.count - 1) {
        let (inputs, outputs) = (widths[i], widths[i + 1])
        layers.append(LayerRecord(kind: .linear, inputs: inputs, outputs: outputs))
        let weight = (0..<(inputs * outputs)).map { _ in Float(rng.normal() * 0.05) }
        let bias = (0..<outputs).map { _ in Float(rng.normal() * 0.05) }
        tensors.append(Tensor(name: "layers.\(i).weight", shape: [outputs, inputs], values: weight))
        tensors.append(Tensor(name: "layers.\(i).bias", shape: [outputs], values: bias))
    }
    let model = ModelFile(layers: layers, tensors: tensors)
    let values = tensors.reduce(0) { $0 + $1.elementCount }
    let rawBytes = Double(values * MemoryLayout<Float>.size)
    let megabytes = rawBytes / 1e6

    let keptDirectory = getenv("NNM_BENCH_IO_DIR").map { String(cString: $0) }
    let directory: String
    if let keptDirectory {
        directory = keptDirectory
    } else {
        var template = Array("/tmp/nnm-bench-io-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw BenchIOError.noTemporaryDirectory }
        directory = String(cString: made)
    }
    let path = directory + "/s.nnm"
    defer {
        if keptDirectory == nil {
            unlink(path)
            rmdir(directory)
        }
    }

    let repeats = quick ? 2 : 5
    var failure: Error?
    let encodeSeconds = medianSeconds(repeats: repeats) {
        do { _ = try model.encoded() } catch { failure = error }
    }
    let saveSeconds = medianSeconds(repeats: repeats) {
        do { try model.write(to: path) } catch { failure = error }
    }
    var checksum: Float = 0
    let loadSeconds = medianSeconds(repeats: repeats) {
        do {
            let read = try ModelFile(contentsOf: path)
            for tensor in read.tensors {
                let decoded = try tensor.values()
                checksum += decoded[decoded.count / 2]
            }
        } catch { failure = error }
    }
    if let failure { throw failure }

    var status = stat()
    guard stat(path, &status) == 0 else { throw BenchIOError.noFile(path) }
    let fraction = Double(status.st_size) / rawBytes
    let label = "S \(Int(megabytes.rounded())) MB float32"
    let size = "file \(fixed(fraction, digits: 3)) of raw (\(status.st_size) bytes for \(values) values)"
    report("\(label) save", seconds: saveSeconds, throughput: megabytes / saveSeconds, unit: "MB/s",
           note: "\(size); write(to:) = encode + atomic write + fsync; encode alone "
               + "\(Int((megabytes / encodeSeconds).rounded())) MB/s")
    report("\(label) load", seconds: loadSeconds, throughput: megabytes / loadSeconds, unit: "MB/s",
           note: "\(size); ModelFile(contentsOf:) + values() of every tensor (checksum \(checksum))")
}

/// `x` with `digits` decimals (no Foundation in the bench).
func fixed(_ x: Double, digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int((x * scale).rounded())
    let whole = scaled / Int(scale)
    var fraction = String(abs(scaled % Int(scale)))
    while fraction.count < digits { fraction = "0" + fraction }
    return digits == 0 ? "\(whole)" : "\(whole).\(fraction)"
}

enum BenchIOError: Error, CustomStringConvertible {
    case noTemporaryDirectory
    case noFile(String)

    var description: String {
        switch self {
        case .noTemporaryDirectory: return "could not create a temporary directory under /tmp"
        case .noFile(let path): return "the model file \(path) was not written"
        }
    }
}
