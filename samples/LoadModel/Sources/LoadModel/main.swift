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
    // The three lines that matter: load (every tensor checked), build a batch, predict.
    let model = try Sequential(contentsOf: path)
    let rows = try arguments.dropFirst().map { argument in
        try argument.split(separator: ",").map { text in
            guard let value = Float(text) else { throw SampleError("'\(text)' is not a number") }
            return value
        }
    }
    print("\(path): \(model)")
    guard !rows.isEmpty else { exit(0) }
    guard rows.allSatisfy({ $0.count == model.inputCount }) else {
        throw SampleError("each point needs \(model.inputCount) comma-separated values")
    }
    let batch = Matrix(rows.map { $0 })
    let outputs = try model.predict(batch)
    let classes = try model.predictClasses(batch)
    for (index, row) in rows.enumerated() {
        let values = outputs.row(index).map { String($0) }.joined(separator: ", ")
        print("\(row) → class \(classes[index])  (output \(values))")
    }
} catch {
    print("error: \(error)")
    exit(1)
}

struct SampleError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
