// libFuzzer target: IDX images and labels, read whole (`Dataset.parseIDX`) and streamed from
// files (`IDXStream`, every row read back). The first two bytes give the length of the label
// file; the rest after it is the images file. Where both readers accept, they must agree.
import Glibc
import NNM

/// One directory per fuzzing process for the two files the stream opens: in memory
/// (/dev/shm) where there is one, which is 10x faster than a disk; removed at exit.
let scratchDirectory: String = {
    let parent = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    var template = Array("\(parent)/nnm-fuzz-idx-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer in
        guard let base = buffer.baseAddress, let made = mkdtemp(base) else { fatalError("mkdtemp failed") }
        return String(cString: made)
    }
    atexit {
        unlink(scratchDirectory + "/images.idx")
        unlink(scratchDirectory + "/labels.idx")
        rmdir(scratchDirectory)
    }
    return made
}()

func writeFile(_ path: String, _ bytes: ArraySlice<UInt8>) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard descriptor >= 0 else { fatalError("cannot write \(path)") }
    defer { close(descriptor) }
    let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    guard written == bytes.count else { fatalError("short write to \(path)") }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size >= 2 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let labelLength = min(Int(input[0]) | Int(input[1]) << 8, size - 2)
    let labels = input[2..<(2 + labelLength)]
    let images = input[(2 + labelLength)...]
    let whole = try? Dataset.parseIDX(images: Array(images), imagesPath: "images.idx", labels: Array(labels), labelsPath: "labels.idx")

    let imagesPath = scratchDirectory + "/images.idx", labelsPath = scratchDirectory + "/labels.idx"
    writeFile(imagesPath, images)
    writeFile(labelsPath, labels)
    guard let stream = try? IDXStream(imagesPath: imagesPath, labelsPath: labelsPath) else {
        if whole != nil { fatalError("parseIDX accepted what IDXStream refused") }
        return 0
    }
    guard let whole else { fatalError("IDXStream accepted what parseIDX refused") }
    var rows: [Float] = []
    rows.reserveCapacity(stream.sampleCount * stream.featureCount)
    do {
        for index in 0..<stream.sampleCount { rows += try stream.features(at: index) }
    } catch {
        fatalError("IDXStream could not read back its own rows: \(error)")
    }
    guard stream.labels == whole.labels, stream.classCount == whole.classCount,
          stream.featureCount == whole.featureCount, rows == whole.features.storage
    else { fatalError("IDXStream and parseIDX disagree") }
    return 0
}
