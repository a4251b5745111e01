/// Everything needed to regenerate the exact data a model saw: where the samples come from, the
/// seed, and how they are split into train, validation and test parts (`spec/datasets.md`).
///
/// The typed form of the wire `DatasetRecipe` stored in a `.nnm` file: `DataRecipe(wire)` decodes
/// and checks one, `DatasetRecipe(recipe)` encodes one (`DataRecipe+Wire.swift`).
public struct DataRecipe: Sendable, Hashable {
    public var source: DataSource
    /// Seeds the generator's noise and the split (each from its own stream).
    public var seed: UInt64
    /// Fraction of the samples held out for validation, in [0, 1).
    public var validationFraction: Double
    /// Fraction of the samples held out for the final test, in [0, 1).
    public var testFraction: Double

    /// Fractions of the samples held out when the user gives none.
    public static let defaultValidationFraction = 0.1
    public static let defaultTestFraction = 0.2

    public init(source: DataSource, seed: UInt64,
                validationFraction: Double = defaultValidationFraction,
                testFraction: Double = defaultTestFraction) {
        self.source = source
        self.seed = seed
        self.validationFraction = validationFraction
        self.testFraction = testFraction
    }

    /// Checks the split fractions, then every parameter of the source, without generating or
    /// reading anything.
    public func validate() throws {
        try Dataset.checkSplitFractions(validation: validationFraction, test: testFraction)
        try source.validate()
    }
}

extension DataSource {
    /// Checks every parameter against what its generator accepts (sample counts, noise, classes),
    /// so that a hostile recipe is refused before anything is allocated.
    public func validate() throws {
        switch self {
        case let .circles(samples, noise, factor):
            try Dataset.checkSamples(samples, of: .circles, minimum: 2)
            try Dataset.checkNoise(noise, of: .circles, parameter: .noise)
            try Dataset.checkFactor(factor)
        case let .moons(samples, noise), let .xor(samples, noise):
            try Dataset.checkSamples(samples, of: kind, minimum: 2)
            try Dataset.checkNoise(noise, of: kind, parameter: .noise)
        case let .spiral(samples, classes, noise):
            try Dataset.checkClasses(classes, of: .spiral, parameter: .classes)
            try Dataset.checkSamples(samples, of: .spiral, minimum: classes)
            try Dataset.checkNoise(noise, of: .spiral, parameter: .noise)
        case let .blobs(samples, centers, spread):
            try Dataset.checkClasses(centers, of: .blobs, parameter: .centers)
            try Dataset.checkSamples(samples, of: .blobs, minimum: centers)
            try Dataset.checkNoise(spread, of: .blobs, parameter: .spread)
        case .bits4, .idx:
            break
        case let .csv(_, labelColumn, _, format):
            guard !labelColumn.isEmpty else {
                throw DataError.invalidParameter(dataset: kind.rawValue, name: DataParameter.labelColumn.rawValue,
                                                 value: "''", expected: "a column name or a 0-based index")
            }
            try format.validate()
        }
    }
}
