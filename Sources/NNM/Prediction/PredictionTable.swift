import NNMFormat

/// How `nnm-predict` writes a model's outputs as CSV: a header, then one row per sample in
/// input order. A classifier gets `predicted` (the class name when the model records names,
/// else the index) and one probability column per class, named after the class; any other
/// model `predicted` (one output) or `output_0`, `output_1`, … Numbers are the shortest
/// decimals that read back to the same float32.
public struct PredictionTable: Sendable {
    public let model: NNMModel
    public let isClassifier: Bool
    private let classNames: [String]?

    public init(model: NNMModel) {
        self.model = model
        switch model.network.lastLayerKind {
        case .sigmoid where model.outputCount == 1, .softmax: isClassifier = true
        default: isClassifier = false
        }
        let names = model.classNames
        classNames = names?.count == max(2, model.outputCount) ? names : nil
    }

    /// The number of classes of a classifier (2 for one sigmoid output).
    public var classCount: Int { max(2, model.outputCount) }

    /// The name of class `index`: the recorded one, or the index.
    public func className(_ index: Int) -> String { classNames?[index] ?? String(index) }

    /// The class a label means, given the model's class names (`"0"`, `"1"`, … when it records
    /// none): the name it spells, or, for a number, the class whose name has its value (`1.0`
    /// is class `1`). The one rule by which every tool matches a data file's labels to a model.
    public static func classIndex(ofLabel text: String, classNames names: [String]) -> Int? {
        if let index = names.firstIndex(of: text) { return index }
        guard let value = CSVNumber.double(text), value.isFinite else { return nil }
        return names.firstIndex { CSVNumber.double($0) == value }
    }

    /// The header row's cells.
    public var header: [String] {
        if isClassifier { return ["predicted"] + (0..<classCount).map(className) }
        return model.outputCount == 1 ? ["predicted"] : (0..<model.outputCount).map { "output_\($0)" }
    }

    /// The header line, with the line break.
    public func headerLine(delimiter: CSVDelimiter = .comma) -> String {
        header.map { Self.field($0, delimiter) }.joined(separator: delimiter.rawValue) + "\n"
    }

    /// One line per row of `outputs` (the network's outputs for a chunk).
    public func lines(_ outputs: Matrix, delimiter: CSVDelimiter = .comma) -> String {
        var bytes: [UInt8] = []
        appendLines(outputs, delimiter: delimiter, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The text of ``lines(_:delimiter:)``, appended to `bytes` as UTF-8: what nnm-predict
    /// writes. Each number is its `description` (the shortest decimal that reads back to the
    /// same float32) copied straight into the buffer, with no per-row arrays or strings: the
    /// text was nnm-predict's main cost (a million rows: seconds, against 0.1 s of prediction).
    public func appendLines(_ outputs: Matrix, delimiter: CSVDelimiter = .comma, to bytes: inout [UInt8]) {
        let separator = delimiter.byte
        let width = outputs.columns
        guard width > 0 else { return }
        let names: [[UInt8]] = isClassifier
            ? (0..<classCount).map { Array(Self.field(className($0), delimiter).utf8) } : []
        outputs.storage.withUnsafeBufferPointer { y in
            for row in 0..<outputs.rows {
                let start = row * width
                if isClassifier {
                    bytes.append(contentsOf: names[Sequential.classIndex(y, start: start, width: width)])
                    if width == 1 {
                        bytes.append(separator)
                        Self.appendNumber(1 - y[start], to: &bytes)
                    }
                    for j in 0..<width {
                        bytes.append(separator)
                        Self.appendNumber(y[start + j], to: &bytes)
                    }
                } else {
                    for j in 0..<width {
                        if j > 0 { bytes.append(separator) }
                        Self.appendNumber(y[start + j], to: &bytes)
                    }
                }
                bytes.append(UInt8(ascii: "\n"))
            }
        }
    }

    /// `"\(value)"`'s bytes (at most 15: a small string, never on the heap).
    @inline(__always)
    static func appendNumber(_ value: Float, to bytes: inout [UInt8]) {
        var text = value.description
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// The decided class of one output row, as ``NNMModel/classify(_:)-(Array<Float>)`` decides.
    public static func classIndex(_ output: [Float]) -> Int {
        output.withUnsafeBufferPointer { Sequential.classIndex($0, start: 0, width: $0.count) }
    }

    /// A cell quoted when it holds the separator, a quote, a line break or outer spaces.
    static func field(_ text: String, _ delimiter: CSVDelimiter) -> String {
        let quoted = Dataset.csvField(text)
        if quoted.first == "\"" || !text.contains(Character(delimiter.rawValue)) { return quoted }
        return "\"" + text + "\""
    }
}
