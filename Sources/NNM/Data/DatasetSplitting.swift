extension Dataset {
    /// The samples at `indices`, in that order (features, labels; names and class count kept).
    /// Indices must be in `0..<sampleCount`; callers pass indices they computed, never user input.
    public func subset(_ indices: [Int]) -> Dataset {
        let width = featureCount
        var values = [Float]()
        values.reserveCapacity(indices.count * width)
        features.storage.withUnsafeBufferPointer { source in
            for index in indices {
                values.append(contentsOf: source[(index * width)..<((index + 1) * width)])
            }
        }
        return Dataset(features: Matrix(rows: indices.count, columns: width, storage: values),
                       labels: indices.map { labels[$0] }, classCount: classCount,
                       featureNames: featureNames, classNames: classNames, labelName: labelName,
                       targets: targets.map { all in indices.map { all[$0] } })
    }

    /// The number of validation and test samples for `count` samples and the given fractions:
    /// `floor(count · fraction + 0.5)` each, computed in binary64 (see `spec/datasets.md`).
    public static func splitSizes(count: Int, validationFraction: Double, testFraction: Double)
        throws -> (train: Int, validation: Int, test: Int)
    {
        try checkSplitFractions(validation: validationFraction, test: testFraction)
        let validation = Int((Double(count) * validationFraction + 0.5).rounded(.down))
        let test = Int((Double(count) * testFraction + 0.5).rounded(.down))
        let train = count - validation - test
        guard train >= 1 else {
            throw DataError.invalidSplit(
                "validation fraction \(validationFraction) and test fraction \(testFraction) of "
                    + "\(count) samples leave no training samples")
        }
        return (train, validation, test)
    }

    /// Rule 1 of the split (`spec/datasets.md` §4): each fraction finite and in [0, 1), and
    /// their sum below 1. Needs no sample count, so a recipe can be checked before any data
    /// exists.
    public static func checkSplitFractions(validation: Double, test: Double) throws {
        for (name, fraction) in [("validation", validation), ("test", test)] {
            guard fraction.isFinite, fraction >= 0, fraction < 1 else {
                throw DataError.invalidSplit("the \(name) fraction \(fraction) is not in [0, 1)")
            }
        }
        guard validation + test < 1 else {
            throw DataError.invalidSplit("validation fraction \(validation) + test fraction \(test) must be below 1")
        }
    }

    /// Train/validation/test by fraction, seeded: one Fisher–Yates permutation of the sample
    /// indices from the `split` stream of `seed`; the first part of the permutation is the
    /// training set, then validation, then test — each in permutation order.
    public func split(validationFraction: Double, testFraction: Double, seed: UInt64) throws -> DatasetSplit {
        let parts = try Dataset.splitIndices(count: sampleCount, validationFraction: validationFraction,
                                             testFraction: testFraction, seed: seed)
        return DatasetSplit(train: subset(parts.train), validation: subset(parts.validation), test: subset(parts.test))
    }

    /// The sample indices of each part of a split of `count` samples (see
    /// ``split(validationFraction:testFraction:seed:)``): what every kind of sample source cuts by.
    public static func splitIndices(count: Int, validationFraction: Double, testFraction: Double, seed: UInt64)
        throws -> (train: [Int], validation: [Int], test: [Int])
    {
        let sizes = try splitSizes(count: count, validationFraction: validationFraction, testFraction: testFraction)
        var order = Array(0..<count)
        var random = SeededRandom(seed: seed, stream: .split)
        random.shuffle(&order)
        let validationEnd = sizes.train + sizes.validation
        return (Array(order[0..<sizes.train]), Array(order[sizes.train..<validationEnd]), Array(order[validationEnd...]))
    }
}
