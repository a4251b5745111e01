extension DataRecipe {
    /// The recipe with each recorded data file looked for beside the model too: a file that is
    /// not at its recorded path (relative to where training ran) is tried at that relative path
    /// under the directory of `modelPath`, then by its recorded name there (`spec/datasets.md`
    /// §5). Regenerating still checks the recorded size and SHA-256. Generators are unchanged.
    public func locatingFiles(besideModelAt modelPath: String) -> DataRecipe {
        var located = self
        switch source {
        case .circles, .moons, .xor, .spiral, .blobs, .bits4:
            return self
        case let .csv(file, labelColumn, header, format):
            located.source = .csv(file: DataFile.locate(file, besideModelAt: modelPath), labelColumn: labelColumn,
                                  header: header, format: format)
        case let .idx(images, labels):
            located.source = .idx(images: DataFile.locate(images, besideModelAt: modelPath),
                                  labels: DataFile.locate(labels, besideModelAt: modelPath))
        }
        return located
    }

    /// The full dataset the recipe describes, generated or loaded, before any split.
    /// Checks every parameter first, and for files checks that the size and SHA-256 still match
    /// what the recipe recorded.
    public func makeDataset() throws -> Dataset {
        try validate()
        switch source {
        case let .circles(samples, noise, factor):
            return try Dataset.circles(samples: samples, noise: noise, factor: factor, seed: seed)
        case let .moons(samples, noise):
            return try Dataset.moons(samples: samples, noise: noise, seed: seed)
        case let .xor(samples, noise):
            return try Dataset.xor(samples: samples, noise: noise, seed: seed)
        case let .spiral(samples, classes, noise):
            return try Dataset.spiral(samples: samples, classes: classes, noise: noise, seed: seed)
        case let .blobs(samples, centers, spread):
            return try Dataset.blobs(samples: samples, centers: centers, spread: spread, seed: seed)
        case .bits4:
            return Dataset.bits4()
        case let .csv(file, labelColumn, header, format):
            return try Self.csvDataset(file, labelColumn: labelColumn, header: header, format: format, .verifying).data
        case .idx(var images, var labels):
            let imageBytes = try DataFile.read(&images, .verifying)
            let labelBytes = try DataFile.read(&labels, .verifying)
            return try Dataset.parseIDX(images: imageBytes, imagesPath: images.path,
                                        labels: labelBytes, labelsPath: labels.path)
        }
    }

    /// The exact train/validation/test parts the recipe describes: `makeDataset()` then
    /// `split(validationFraction:testFraction:seed:)` with the recipe's seed.
    public func makeSplit() throws -> DatasetSplit {
        try makeDataset().split(validationFraction: validationFraction, testFraction: testFraction,
                                seed: seed)
    }

    /// The recipe's train/validation/test parts without the float32 copy of IDX images: an
    /// `idx` recipe gives ``IDXStream`` parts (the same samples, values and order as
    /// ``makeSplit()``) that hold the images file's bytes when it is at most
    /// ``IDXStream/recipeMemoryLimit``, else read it batch by batch; every other recipe gives
    /// its ``makeSplit()`` parts in memory.
    public func makeSampleSplit() throws -> SampleSplit {
        try sampleSplit(.verifying).split
    }

    /// ``makeSampleSplit()`` with another limit on the images held in memory (tests reach the
    /// read-from-the-file path with small files this way).
    func makeSampleSplit(holdingImagesUpTo limit: Int) throws -> SampleSplit {
        try sampleSplit(.verifying, holdingImagesUpTo: limit).split
    }

    /// For a recipe made with ``DataSource/FingerprintTiming/atFirstRead``: its parts, as
    /// ``makeSampleSplit()`` gives them, and the recipe with each data file's size and SHA-256
    /// taken from the bytes those parts were read from. Training a new model hashes each file
    /// once this way, and the fingerprint it saves is that of the data it trained on.
    public func makeSampleSplitRecordingFiles() throws -> (recipe: DataRecipe, split: SampleSplit) {
        let (source, split) = try sampleSplit(.recording)
        var recipe = self
        recipe.source = source
        return (recipe, split)
    }

    private func sampleSplit(_ use: DataFile.FileUse, holdingImagesUpTo memoryLimit: Int = IDXStream.recipeMemoryLimit)
        throws -> (source: DataSource, split: SampleSplit) {
        switch source {
        case .circles, .moons, .xor, .spiral, .blobs, .bits4:
            return (source, SampleSplit(try makeSplit()))
        case let .csv(file, labelColumn, header, format):
            try validate()
            let (read, data) = try Self.csvDataset(file, labelColumn: labelColumn, header: header, format: format, use)
            let split = try data.split(validationFraction: validationFraction, testFraction: testFraction, seed: seed)
            return (.csv(file: read, labelColumn: labelColumn, header: header, format: format), SampleSplit(split))
        case .idx(var images, var labels):
            try validate()
            // The recorded size, then the header are checked on the open file before it is
            // hashed: a changed file, or one swapped for a sparse file that claims billions of
            // images, is refused before a long read.
            let imageFile = try ReadOnlyFile(path: images.path)
            try DataFile.checkSize(of: imageFile, against: images)
            try IDXStream.checkImagesHeader(of: imageFile)
            let labelBytes = try DataFile.read(&labels, use)
            var resident: ResidentBytes?
            if imageFile.length <= memoryLimit {
                resident = ResidentBytes(try DataFile.read(imageFile, into: &images, use, limit: memoryLimit))
            } else {
                try DataFile.hash(imageFile, into: &images, use)
            }
            let stream = try IDXStream(images: imageFile, resident: resident, labels: labelBytes, labelsPath: labels.path)
            return (.idx(images: images, labels: labels),
                    try stream.split(validationFraction: validationFraction, testFraction: testFraction, seed: seed))
        }
    }

    /// A CSV file's data set, and the file verified (and recorded) as `use` says.
    private static func csvDataset(_ file: RecordedFile, labelColumn: String, header: CSVHeaderMode,
                                   format: CSVFormat, _ use: DataFile.FileUse) throws -> (file: RecordedFile, data: Dataset) {
        var file = file
        let bytes = try DataFile.read(&file, use)
        return (file, try Dataset.parseCSV(bytes, path: file.path, labelColumn: labelColumn, header: header, format: format))
    }
}
