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
        var text = ""
        for row in 0..<outputs.rows {
            let output = outputs.row(row)
            var cells: [String]
            if isClassifier {
                let probabilities = output.count == 1 ? [1 - output[0], output[0]] : output
                cells = [Self.field(className(Self.classIndex(output)), delimiter)] + probabilities.map { "\($0)" }
            } else {
                cells = output.map { "\($0)" }
            }
            text += cells.joined(separator: delimiter.rawValue) + "\n"
        }
        return text
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
