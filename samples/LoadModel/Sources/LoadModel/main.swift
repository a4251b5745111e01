// Loads a model written by `nnm-train` and classifies points given on the command line.
//
//   nnm-train -o circles.nnm
//   swift run LoadModel circles.nnm 0,0 1,0 0.7,0.7
import Foundation
import NNM

let arguments = Array(CommandLine.arguments.dropFirst())
guard let path = arguments.first else {
    print("usage: LoadModel MODEL.nnm [x1,x2,... ...]")
    exit(2)
}

do {
    // The lines that matter: load (every tensor checked), then classify one sample at a time.
    let model = try NNMModel(contentsOf: URL(fileURLWithPath: path))
    print("\(path): \(model.network)")
    print("classes: \(model.classNames?.joined(separator: ", ") ?? "unnamed (0 … \(max(2, model.outputCount) - 1))")")
    for argument in arguments.dropFirst() {
        let sample = try argument.split(separator: ",").map { text in
            guard let value = Float(text) else { throw SampleError("'\(text)' is not a number") }
            return value
        }
        guard sample.count == model.inputCount else {
            throw SampleError("each point needs \(model.inputCount) comma-separated values, got '\(argument)'")
        }
        let result = try model.classify(sample)
        let name = result.className ?? "class \(result.classIndex)"
        let shares = result.probabilities.map { String(format: "%.3f", $0) }.joined(separator: ", ")
        print("\(sample) → \(name)  (probabilities \(shares))")
    }
} catch {
    print("error: \(error.localizedDescription)")
    exit(1)
}

struct SampleError: LocalizedError {
    let errorDescription: String?
    init(_ description: String) { errorDescription = description }
}
