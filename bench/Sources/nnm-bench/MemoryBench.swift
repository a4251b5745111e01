import NNM
#if canImport(Glibc)
import Glibc
#endif

/// Peak resident memory of W3 through the engine's `Trainer.fit` (what `nnm-train` runs) with
/// the images read from an IDX file batch by batch (`IDXStream`, `storage: .file`), as
/// `nnm-train --dataset idx:…` trains on an images file over 1 GiB (a smaller one it holds):
/// 50,000 MNIST-shaped images (784 random bytes each, 39 MB on disk) are written to a temporary
/// file in chunks of 1,000, then trained on for one epoch; the process's high-water mark
/// (`VmHWM` in /proc/self/status) is read at start, before and after training. bench/run also
/// wraps the whole process in `/usr/bin/time -f %M` as the outside view.
func benchW3MemoryStreamed(samples: Int) throws {
    let start = residentKilobytes()
    var before = start
    let seconds = try trainW3Streamed(samples: samples) { before = residentKilobytes() }
    let end = residentKilobytes()
    let peakMB = Double(end.peak) / 1024
    report("W3 peak RSS (engine Trainer, IDX streamed)", seconds: seconds, throughput: peakMB, unit: "MB peak",
           note: "VmHWM \(fixed(peakMB, digits: 1)) MB; at start \(fixed(Double(start.current) / 1024, digits: 1)) MB; "
               + "before training \(fixed(Double(before.current) / 1024, digits: 1)) MB (the IDX file, "
               + "\(fixed(Double(samples * 784) / 1e6, digits: 1)) MB, stays on disk); training added "
               + "\(fixed(peakMB - Double(before.current) / 1024, digits: 1)) MB")
}

/// W3's speed with the images streamed from an IDX file (the run `benchW3MemoryStreamed` measures),
/// read from the file row by row and held in memory as bytes (what `nnm-train` does with W3's).
func benchW3Streamed(samples: Int) throws {
    let (seconds, _) = try fastestOf(trainingRuns) { (try trainW3Streamed(samples: samples) {}, ()) }
    report("W3 784-100-200-10 (engine Trainer, IDX streamed)", seconds: seconds,
           throughput: Double(samples) / seconds, unit: "samples/s",
           note: "Trainer.fit on an IDXStream: each batch's 32 rows read from the file (pread) and converted from bytes")
    let (held, _) = try fastestOf(trainingRuns) { (try trainW3Streamed(samples: samples, storage: .memory) {}, ()) }
    report("W3 784-100-200-10 (engine Trainer, IDX held)", seconds: held,
           throughput: Double(samples) / held, unit: "samples/s",
           note: "Trainer.fit on an IDXStream holding the file's bytes (storage .memory, as nnm-train holds W3's)")
}

/// Writes W3's images and labels as IDX files in a fresh temporary directory, opens them as an
/// `IDXStream`, calls `ready` just before training, trains one epoch and returns its seconds.
func trainW3Streamed(samples: Int, storage: IDXStream.ImageStorage = .file, ready: () -> Void) throws -> Double {
    let directory = temporaryDirectory("nnm-bench-w3")
    defer { removeTree(directory) }
    let (images, labels) = try writeMNISTShapedIDX(samples: samples, directory: directory)
    let stream = try IDXStream(imagesPath: images, labelsPath: labels, storage: storage)
    var (model, trainer) = try mnistShapedTraining()
    ready()
    let t0 = now()
    _ = try trainer.fit(&model, on: stream)
    return now() - t0
}

/// The same W3 with its 50,000 × 784 float32 inputs (157 MB) in memory, as a `Dataset` built
/// by `mnistShapedData` (the data of the W3 speed rows): what holding the data costs, and
/// what training adds on top of it.
func benchW3MemoryInMemory(samples: Int) throws {
    let start = residentKilobytes()
    let data = mnistShapedData(samples: samples)
    let afterData = residentKilobytes()
    var (model, trainer) = try mnistShapedTraining()
    let t0 = now()
    _ = try trainer.fit(&model, on: data)
    let seconds = now() - t0
    let end = residentKilobytes()
    let dataMB = Double(samples * 784 * MemoryLayout<Float>.size) / 1e6
    let peakMB = Double(end.peak) / 1024
    let beforeTrainingMB = Double(afterData.current) / 1024
    report("W3 peak RSS (engine Trainer, float32 in memory)", seconds: seconds, throughput: peakMB, unit: "MB peak",
           note: "VmHWM \(fixed(peakMB, digits: 1)) MB; at start \(fixed(Double(start.current) / 1024, digits: 1)) MB; "
               + "resident after building the data \(fixed(beforeTrainingMB, digits: 1)) MB "
               + "(input features alone \(fixed(dataMB, digits: 1)) MB, peak while building "
               + "\(fixed(Double(afterData.peak) / 1024, digits: 1)) MB); training added "
               + "\(fixed(peakMB - beforeTrainingMB, digits: 1)) MB above the resident data set")
}

/// Writes `samples` MNIST-shaped images (28 × 28 random bytes) and labels (0–9) as IDX files
/// in `directory`, 1,000 images at a time, so the writer never holds the data set.
func writeMNISTShapedIDX(samples: Int, directory: String) throws -> (images: String, labels: String) {
    struct WriteFailed: Error, CustomStringConvertible { let description: String }
    func bigEndian(_ value: Int) -> [UInt8] { (0..<4).map { UInt8((value >> (24 - 8 * $0)) & 0xFF) } }
    let images = directory + "/images.idx", labels = directory + "/labels.idx"
    guard let imageFile = fopen(images, "wb"), let labelFile = fopen(labels, "wb") else {
        throw WriteFailed(description: "cannot create IDX files in \(directory)")
    }
    defer { fclose(imageFile); fclose(labelFile) }
    var noise = InputNoise(seed: 11)
    var imageBytes = [0, 0, 8, 3] + bigEndian(samples) + bigEndian(28) + bigEndian(28)
    var labelBytes = [0, 0, 8, 1] + bigEndian(samples)
    var written = 0
    while written < samples {
        let count = min(1000, samples - written)
        for _ in 0..<(count * 784) { imageBytes.append(UInt8(min(255, Int(noise.next(0, 256))))) }
        for _ in 0..<count { labelBytes.append(UInt8(Int(noise.next(0, 10)) % 10)) }
        guard fwrite(imageBytes, 1, imageBytes.count, imageFile) == imageBytes.count,
              fwrite(labelBytes, 1, labelBytes.count, labelFile) == labelBytes.count else {
            throw WriteFailed(description: "cannot write IDX files in \(directory)")
        }
        imageBytes.removeAll(keepingCapacity: true)
        labelBytes.removeAll(keepingCapacity: true)
        written += count
    }
    return (images, labels)
}

/// A fresh directory under $TMPDIR (or /tmp) for this process.
func temporaryDirectory(_ prefix: String) -> String {
    let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    let path = base + "/" + prefix + "-\(getpid())"
    mkdir(path, 0o700)
    return path
}

/// Removes the IDX files `writeMNISTShapedIDX` leaves in `directory`, then the directory.
func removeTree(_ directory: String) {
    for name in ["images.idx", "labels.idx"] { unlink(directory + "/" + name) }
    rmdir(directory)
}

/// Current (`VmRSS`) and peak (`VmHWM`) resident size of this process in KiB; 0 where
/// /proc is not available.
func residentKilobytes() -> (current: Int, peak: Int) {
    guard let file = fopen("/proc/self/status", "r") else { return (0, 0) }
    defer { fclose(file) }
    var current = 0, peak = 0
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, Int32(line.count), file) != nil {
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let number = Int(String(text.filter { $0.isASCII && $0.isNumber })) ?? 0
        if text.hasPrefix("VmRSS:") { current = number }
        if text.hasPrefix("VmHWM:") { peak = number }
    }
    return (current, peak)
}
