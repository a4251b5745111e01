extension Sequential {
    /// The network's output for a batch (`samples × inputCount`): probabilities when it ends
    /// in Sigmoid or Softmax.
    public func callAsFunction(_ input: Matrix) throws -> Matrix {
        try predict(input)
    }

    /// The network's output for a batch (`samples × inputCount`).
    ///
    /// Runs the samples in chunks of ``predictionChunkRows`` rows, so the memory in use is
    /// bounded by the chunk and the widest layer, not by the sample count: a whole test split
    /// of millions of rows through a layer thousands wide would otherwise need one buffer of
    /// rows × width floats (hundreds of gigabytes). Rows are independent, so the output is the
    /// same as one pass over every row.
    public func predict(_ input: Matrix) throws -> Matrix {
        guard input.columns == inputCount else {
            throw ModelError.inputWidthMismatch(expected: inputCount, found: input.columns)
        }
        let chunkRows = predictionChunkRows
        guard input.rows > chunkRows else { return forwardAll(input) }
        var output = [Float]()
        output.reserveCapacity(input.rows * outputCount)
        var start = 0
        while start < input.rows {
            let end = min(start + chunkRows, input.rows)
            let chunk = Matrix(rows: end - start, columns: input.columns,
                               storage: Array(input.storage[(start * input.columns)..<(end * input.columns)]))
            output.append(contentsOf: forwardAll(chunk).storage)
            start = end
        }
        return Matrix(rows: input.rows, columns: outputCount, storage: output)
    }

    /// Rows per chunk in ``predict(_:)``: as many as keep one layer's buffer at about
    /// 4 Mi floats (16 MiB), at least 1 and at most 256 (the batch of `Trainer.evaluate`).
    /// Depends on the network only, so the same network always chunks the same way.
    public var predictionChunkRows: Int {
        let widest = widths.max() ?? 1
        return max(1, min(Trainer.evaluationBatchSize, (1 << 22) / max(1, widest)))
    }

    /// Every layer over every row of `input` (one buffer per layer output).
    private func forwardAll(_ input: Matrix) -> Matrix {
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
