import NNMFormat

extension Sequential {
    /// Loads the network saved at `path` (a `.nnm` file), checking every tensor against its
    /// layer. To also read the history, recipe or metadata, read the `ModelFile` yourself:
    /// `let file = try ModelFile(contentsOf: path); let model = try Sequential(file: file)`.
    public init(contentsOf path: String) throws {
        try self.init(file: ModelFile(contentsOf: path))
    }

    /// Saves the network to `path` atomically (temporary file + rename), with optional
    /// metadata, history and dataset recipe.
    public func write(
        to path: String, metadata: [String: MetadataValue] = [:], history: TrainingHistory? = nil,
        dataset: DatasetRecipe? = nil
    ) throws {
        try modelFile(metadata: metadata, history: history, dataset: dataset).write(to: path)
    }
}
