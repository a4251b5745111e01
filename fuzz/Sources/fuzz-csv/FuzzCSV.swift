// libFuzzer target: the CSV loader (`Dataset.parseCSV`, spec/datasets.md). The first byte picks
// the header mode and the label column; the rest is the file.
import NNM

let labelColumns = ["-1", "0", "1", "-2", "label", "class", "2", "x", "-3", "99999999999999999999"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    let selector = Int(data[0])
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let header = CSVHeaderMode.allCases[selector % CSVHeaderMode.allCases.count]
    let column = labelColumns[(selector / 4) % labelColumns.count]
    guard let dataset = try? Dataset.parseCSV(bytes, path: "fuzz.csv", labelColumn: column, header: header) else { return 0 }
    // What every accepted file must give: a full matrix, finite features, labels in range.
    guard dataset.features.rows == dataset.labels.count,
          dataset.features.storage.count == dataset.features.rows * dataset.features.columns,
          dataset.labels.allSatisfy({ $0 >= 0 && $0 < dataset.classCount }),
          dataset.features.storage.allSatisfy(\.isFinite)
    else { fatalError("parseCSV accepted a file and returned an inconsistent data set") }
    return 0
}
