extension Sequential {
    /// The network's output for a batch (`samples × inputCount`): probabilities when it ends
    /// in Sigmoid or Softmax.
    public func callAsFunction(_ input: Matrix) throws -> Matrix {
        try predict(input)
    }

    /// The network's output for a batch (`samples × inputCount`).
    public func predict(_ input: Matrix) throws -> Matrix {
        guard input.columns == inputCount else {
            throw ModelError.inputWidthMismatch(expected: inputCount, found: input.columns)
        }
        var current = input
        var next = Matrix.empty
        for layer in layers {
            layer.forward(current, into: &next)
            swap(&current, &next)
        }
        return current
    }

    /// The class of each sample: for one output, 1 when the output is ≥ 0.5 (a probability
    /// from Sigmoid) and 0 otherwise; for several outputs, the index of the largest (the first
    /// one on ties).
    public func predictClasses(_ input: Matrix) throws -> [Int] {
        Sequential.classes(of: try predict(input))
    }

    /// Class decisions for a batch of outputs (see ``predictClasses(_:)``).
    public static func classes(of output: Matrix) -> [Int] {
        var classes = [Int](repeating: 0, count: output.rows)
        output.storage.withUnsafeBufferPointer { y in
            for row in 0..<output.rows {
                classes[row] = classIndex(y, start: row * output.columns, width: output.columns)
            }
        }
        return classes
    }

    @inline(__always)
    static func classIndex(_ y: UnsafeBufferPointer<Float>, start: Int, width: Int) -> Int {
        if width == 1 { return y[start] >= 0.5 ? 1 : 0 }
        var best = 0
        var largest = y[start]
        for j in 1..<width where y[start + j] > largest {
            largest = y[start + j]
            best = j
        }
        return best
    }
}
