extension Sequential {
    /// Rows pushed through the earlier layers at a time while fitting ``Standardize`` layers:
    /// memory stays bounded however many rows the training split has and however wide the
    /// earlier layers are.
    static let standardizationChunkRows = 256

    /// Fits every unfitted ``Standardize`` layer on `features` as they reach that layer.
    ///
    /// The rows travel through the earlier layers in chunks of ``standardizationChunkRows``;
    /// every layer computes each row on its own, and the statistics accumulate row by row in
    /// order, so the result has the same bits as one pass over all rows (spec/training.md §1).
    public mutating func fitStandardization(on features: Matrix) {
        fitStandardization { visit in
            var chunk = Matrix.empty
            var start = 0
            while start < features.rows {
                let end = min(start + Self.standardizationChunkRows, features.rows)
                chunk.reshape(rows: end - start, columns: features.columns)
                chunk.storage.withUnsafeMutableBufferPointer { target in
                    features.storage.withUnsafeBufferPointer { all in
                        let from = start * features.columns
                        for i in 0..<target.count { target[i] = all[from + i] }
                    }
                }
                visit(chunk)
                start = end
            }
        }
    }

    /// Fits every unfitted ``Standardize`` layer on the features of `samples`, read chunk by
    /// chunk (the same bits as ``fitStandardization(on:)-(Matrix)`` on the same rows). An IDX
    /// stream holding its images in memory has a first Standardize layer fitted on its bytes
    /// directly, without converting them (the same bits again, in a fraction of the time). When a
    /// read fails the model is left as it was and the error is thrown. `shouldStop` is asked
    /// as each chunk is read, before it is used (on held bytes: before each block of
    /// ``Standardize/unitByteBlockRows`` rows of each pass; a Ctrl-C flag: a fit over millions
    /// of images takes a while); when it
    /// says stop, the model is left as it was and ``TrainingError/interruptedBeforeTraining``
    /// is thrown.
    public mutating func fitStandardization(on samples: some SampleSource,
                                            shouldStop: (() -> Bool)? = nil) throws {
        var failure: (any Error)?
        var fitted = self
        // A Standardize layer in front of held pixel bytes is fitted on the bytes themselves.
        if var first = layers.first as? Standardize, !first.isFitted, let source = samples as? any UnitByteRowSource {
            _ = try source.withUnitByteRows { rows in try first.fit(unitBytes: rows, shouldStop: shouldStop) }
            if first.isFitted { fitted.layers[0] = first }
        }
        fitted.fitStandardization { visit in
            guard failure == nil else { return }
            do {
                try samples.forEachChunk(chunkRows: Self.standardizationChunkRows) { chunk, _ in
                    if shouldStop?() == true { throw TrainingError.interruptedBeforeTraining }
                    visit(chunk)
                }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        self = fitted
    }

    /// The shared walk: `rows` hands over the input rows chunk by chunk (and must hand over the
    /// same ones each time it is called); each unfitted ``Standardize`` layer sees them after
    /// the layers before it.
    private mutating func fitStandardization(rows: ((Matrix) -> Void) -> Void) {
        for index in layers.indices {
            guard var layer = layers[index] as? Standardize, !layer.isFitted else { continue }
            let earlierLayers = layers[..<index]
            layer.fit(chunks: { visit in
                // `rows` and `visit` are both non-escaping and neither outlives this call.
                withoutActuallyEscaping(visit) { visit in
                    rows { chunk in
                        var current = chunk
                        var next = Matrix.empty
                        for earlier in earlierLayers {
                            earlier.forward(current, into: &next)
                            swap(&current, &next)
                        }
                        visit(current)
                    }
                }
            })
            layers[index] = layer
        }
    }
}
