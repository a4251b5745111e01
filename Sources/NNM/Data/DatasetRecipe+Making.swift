import NNMFormat

extension DatasetRecipe {
    /// The full dataset the recipe describes, generated or loaded, before any split.
    /// Checks every parameter first, since a recipe may come from an untrusted file, and for
    /// files checks that the size and SHA-256 still match what the recipe recorded.
    public func makeDataset() throws -> Dataset {
        try validate()
        switch generator {
        case "circles":
            return try Dataset.circles(samples: int("samples"), noise: double("noise"),
                                       factor: double("factor"), seed: seed)
        case "moons":
            return try Dataset.moons(samples: int("samples"), noise: double("noise"), seed: seed)
        case "xor":
            return try Dataset.xor(samples: int("samples"), noise: double("noise"), seed: seed)
        case "spiral":
            return try Dataset.spiral(samples: int("samples"), classes: int("classes"),
                                      noise: double("noise"), seed: seed)
        case "blobs":
            return try Dataset.blobs(samples: int("samples"), centers: int("centers"),
                                     spread: double("spread"), seed: seed)
        case "bits4":
            return Dataset.bits4()
        case "csv":
            let file = try DataFile.readVerified(self, prefix: "file")
            return try Dataset.parseCSV(file.bytes, path: file.path, labelColumn: string("label_column"),
                                        header: CSVHeaderMode(rawValue: string("header")) ?? .auto)
        case "idx":
            let images = try DataFile.readVerified(self, prefix: "images")
            let labels = try DataFile.readVerified(self, prefix: "labels")
            return try Dataset.parseIDX(images: images.bytes, imagesPath: images.path,
                                        labels: labels.bytes, labelsPath: labels.path)
        default:
            throw DataError.unknownDataset(generator)
        }
    }

    /// The exact train/validation/test parts the recipe describes: `makeDataset()` then
    /// `split(validationFraction:testFraction:seed:)` with the recipe's seed.
    public func makeSplit() throws -> DatasetSplit {
        try makeDataset().split(validationFraction: validationFraction, testFraction: testFraction,
                                seed: seed)
    }

    /// The recipe's train/validation/test parts, with IDX images left on disk: an `idx` recipe
    /// gives ``IDXStream`` parts (the same samples, values and order as ``makeSplit()``, read
    /// batch by batch); every other recipe gives its ``makeSplit()`` parts in memory.
    public func makeSampleSplit() throws -> SampleSplit {
        guard generator == "idx" else { return SampleSplit(try makeSplit()) }
        try validate()
        let images = try ReadOnlyFile(path: try string("images_path"))
        try DataFile.verify(images, self, prefix: "images")
        let labels = try DataFile.readVerified(self, prefix: "labels")
        return try IDXStream(images: images, labels: labels.bytes, labelsPath: labels.path)
            .split(validationFraction: validationFraction, testFraction: testFraction, seed: seed)
    }
}
