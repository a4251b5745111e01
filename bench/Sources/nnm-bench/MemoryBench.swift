import NNM
#if canImport(Glibc)
import Glibc
#endif

/// Peak resident memory of W3 through the engine's `Trainer.fit` (what `nnm-train` runs), split
/// into what the input data itself costs and what training adds on top. The data set is built
/// by the same `mnistShapedData` as `benchEngineMNISTShaped` (50,000 × 784 float32 = 157 MB), then the
/// process's high-water mark (`VmHWM` in /proc/self/status) is read before and after training.
/// bench/run also wraps the whole process in `/usr/bin/time -f %M` as the outside view.
func benchW3Memory(samples: Int) throws {
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
    report("W3 peak RSS (engine Trainer)", seconds: seconds, throughput: peakMB, unit: "MB peak",
           note: "VmHWM \(fixed(peakMB, digits: 1)) MB; at start \(fixed(Double(start.current) / 1024, digits: 1)) MB; "
               + "resident after building the data \(fixed(beforeTrainingMB, digits: 1)) MB "
               + "(input features alone \(fixed(dataMB, digits: 1)) MB, peak while building "
               + "\(fixed(Double(afterData.peak) / 1024, digits: 1)) MB); training added "
               + "\(fixed(peakMB - beforeTrainingMB, digits: 1)) MB above the resident data set")
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
