import NNMFormat
import Foundation
import Testing
@testable import NNM

/// `IDXStream` against `Dataset.loadIDX`: the same values, the same splits, the same trained
/// bits, and clear errors for bad or changing files.
@Suite struct IDXStreamTests {
    /// 60 images of 3 × 5 pixels with 3 classes, written to a fresh directory.
    static func files(count: Int = 60) throws -> (DataTestDirectory, images: String, labels: String) {
        let directory = try DataTestDirectory()
        let images = try directory.write("images", DataIDXTests.idxImages(count: count, rows: 3, columns: 5))
        let labels = try directory.write("labels", DataIDXTests.idxLabels((0..<count).map { UInt8($0 * 7 % 3) }))
        return (directory, images, labels)
    }

    static func errorText(_ body: () throws -> Void) -> String {
        do {
            try body()
            Issue.record("no error thrown")
        } catch {
            return "\(error)"
        }
        return ""
    }

    @Test(arguments: [IDXStream.ImageStorage.file, .memory])
    func streamGivesTheLoadedValues(storage: IDXStream.ImageStorage) throws {
        let (directory, images, labels) = try Self.files()
        let loaded = try Dataset.loadIDX(imagesPath: images, labelsPath: labels)
        let stream = try IDXStream(imagesPath: images, labelsPath: labels, storage: storage)
        #expect(stream.storage == storage)
        #expect(stream.sampleCount == 60 && stream.featureCount == 15 && stream.classCount == 3)
        #expect(stream.labels == loaded.labels && stream.classNames == loaded.classNames)
        let streamed = try stream.materialized()
        #expect(streamed.features.storage.map(\.bitPattern) == loaded.features.storage.map(\.bitPattern))
        // Rows in any order, repeats and runs of consecutive items (read at once) included.
        let indices = [59, 0, 1, 2, 31, 31, 32, 7, 58, 59]
        var rows = [Float](repeating: -1, count: indices.count * 15)
        try indices.withUnsafeBufferPointer { i in try rows.withUnsafeMutableBufferPointer { try stream.readRows(i, into: $0) } }
        for (row, sample) in indices.enumerated() {
            #expect(Array(rows[(row * 15)..<((row + 1) * 15)]) == Array(loaded.features.storage[(sample * 15)..<((sample + 1) * 15)]))
        }
        _ = directory
    }

    /// From `IDXStream.twoWayReadRows` rows a batch is read (or converted from held bytes) in
    /// two halves, the second on the kernels' helper thread when it is free: the same values
    /// either way, and a bad index anywhere in the batch is refused before any read.
    @Test(arguments: [IDXStream.ImageStorage.file, .memory])
    func largeBatchesReadInTwoHalvesGiveTheLoadedValues(storage: IDXStream.ImageStorage) throws {
        let (directory, images, labels) = try Self.files(count: 3 * IDXStream.twoWayReadRows + 5)
        let loaded = try Dataset.loadIDX(imagesPath: images, labelsPath: labels)
        let stream = try IDXStream(imagesPath: images, labelsPath: labels, storage: storage)
        let shuffled = try stream.split(validationFraction: 0, testFraction: 0, seed: 3)
        let loadedShuffled = try loaded.split(validationFraction: 0, testFraction: 0, seed: 3)
        for threads in [1, 2] {
            try ComputeOptions.$current.withValue(ComputeOptions(threads: threads)) {
                for _ in 0..<20 {  // the helper wakes late or early: every interleaving reads alike
                    let whole = try stream.materialized(), part = try shuffled.train.materialized()
                    #expect(whole == loaded, "threads \(threads)")
                    #expect(part == loadedShuffled.train, "threads \(threads)")
                }
                var indices = Array(0..<(2 * IDXStream.twoWayReadRows))
                indices[indices.count - 1] = stream.sampleCount
                var rows = [Float](repeating: -1, count: indices.count * stream.featureCount)
                let message = Self.errorText {
                    try indices.withUnsafeBufferPointer { i in
                        try rows.withUnsafeMutableBufferPointer { try stream.readRows(i, into: $0) }
                    }
                }
                #expect(message.contains("sample \(stream.sampleCount) of \(stream.sampleCount)"), "\(message)")
                #expect(rows.allSatisfy { $0 == -1 }, "nothing read before the index check")
            }
        }
        // A file cut short after opening: the half that fails reports it, whichever thread ran
        // it (held bytes are what was read at opening: nothing to fail).
        guard storage == .file else { return }
        let count = 3 * IDXStream.twoWayReadRows + 5
        _ = try directory.write("images", Array(DataIDXTests.idxImages(count: count, rows: 3, columns: 5).prefix(16 + 15 * count / 2)))
        for threads in [1, 2] {
            let message = ComputeOptions.$current.withValue(ComputeOptions(threads: threads)) {
                Self.errorText { _ = try stream.materialized() }
            }
            #expect(message.contains("shorter than the \(16 + 15 * count) bytes it had when opened"), "\(threads) threads: \(message)")
        }
        _ = directory
    }

    @Test func pixelBytesConvertAlikeOnEveryPath() {
        let bytes = (0..<1000).map { UInt8($0 % 256) }
        let expected = bytes.map { (Float($0) / 255).bitPattern }
        for path in LogisticKernelTests.paths {
            var floats = [Float](repeating: .nan, count: bytes.count)
            ComputeOptions.$current.withValue(ComputeOptions(threads: 1, kernelPath: path)) {
                bytes.withUnsafeBufferPointer { b in
                    floats.withUnsafeMutableBufferPointer { Kernels.unitBytes(count: b.count, bytes: b.baseAddress, floats: $0.baseAddress) }
                }
            }
            #expect(floats.map(\.bitPattern) == expected, "\(path)")
        }
    }

    @Test func splitPartsMatchTheLoadedSplit() throws {
        let (directory, images, labels) = try Self.files()
        let loaded = try Dataset.loadIDX(imagesPath: images, labelsPath: labels)
            .split(validationFraction: 0.2, testFraction: 0.1, seed: 9)
        let streamed = try IDXStream(imagesPath: images, labelsPath: labels)
            .split(validationFraction: 0.2, testFraction: 0.1, seed: 9)
        #expect(try streamed.train.materialized() == loaded.train)
        #expect(try streamed.validation.materialized() == loaded.validation)
        #expect(try streamed.test.materialized() == loaded.test)
        // A subset of a subset still points at the right file items.
        let part = try #require(streamed.train as? IDXStream)
        #expect(try part.subset([5, 2]).materialized() == loaded.train.subset([5, 2]))
        // Runs of consecutive file items in a subset are read at once, through the item map.
        let whole = try IDXStream(imagesPath: images, labelsPath: labels)
        let picked = [3, 4, 5, 9, 10, 2, 59, 58, 57, 6]
        #expect(try whole.subset(picked).materialized() == (try Dataset.loadIDX(imagesPath: images, labelsPath: labels)).subset(picked))
        #expect(try whole.subset(picked).subset([1, 2, 0]).materialized()
            == (try Dataset.loadIDX(imagesPath: images, labelsPath: labels)).subset([4, 5, 3]))
        _ = directory
    }

    @Test func trainingOnTheStreamGivesTheSameBits() throws {
        let (directory, images, labels) = try Self.files()
        let loaded = try Dataset.loadIDX(imagesPath: images, labelsPath: labels)
        let stream = try IDXStream(imagesPath: images, labelsPath: labels)
        let trainer = Trainer(TrainingConfiguration(epochs: 3, batchSize: 7, optimizer: .momentum, seed: 4))
        var first = try Architecture.classifier(inputCount: 15, hidden: [8], classCount: 3, standardizes: true)
        first.initializeParameters(seed: 2)
        var second = first
        let bits = { (model: Sequential) in model.layers.flatMap(\.parameters).flatMap(\.values).map(\.bitPattern) }
        let initial = bits(first)
        let a = try trainer.fit(&first, on: loaded, validation: loaded)
        let b = try trainer.fit(&second, on: stream, validation: stream)
        #expect(bits(first) == bits(second) && bits(first) != initial)
        #expect(a.history == b.history)
        let report = try SplitReport(model: second, split: SampleSplit(train: stream, validation: stream, test: stream),
                                     plan: b.lossPlan)
        #expect(report == (try SplitReport(model: first, split: DatasetSplit(train: loaded, validation: loaded, test: loaded),
                                            plan: a.lossPlan)))
        _ = directory
    }

    @Test func idxRecipeStreamsTheSameSplit() throws {
        let (directory, images, labels) = try Self.files()
        let recipe = try DataRecipe.parse("idx:\(images),\(labels)", seed: 3, validationFraction: 0.25, testFraction: 0.25)
        let inMemory = try recipe.makeSplit()
        let streamed = try recipe.makeSampleSplit()
        // A small images file is read once and held: rows are copies, not system calls.
        #expect((streamed.train as? IDXStream)?.storage == .memory)
        // Over the limit, the same parts read from the file.
        let fromFile = try recipe.makeSampleSplit(holdingImagesUpTo: 100)
        #expect((fromFile.train as? IDXStream)?.storage == .file)
        #expect(try fromFile.train.materialized() == inMemory.train)
        #expect(try fromFile.validation.materialized() == inMemory.validation)
        #expect(try streamed.train.materialized() == inMemory.train)
        #expect(try streamed.test.materialized() == inMemory.test)
        // The recorded SHA-256 is checked before streaming: one changed pixel is refused.
        var changed = DataIDXTests.idxImages(count: 60, rows: 3, columns: 5)
        changed[changed.count - 1] ^= 1
        _ = try directory.write("images", changed)
        #expect(Self.errorText { _ = try recipe.makeSampleSplit() }.contains("SHA-256"))
    }

    @Test func badFilesAreRefusedWithTheirReason() throws {
        let (directory, images, labels) = try Self.files()
        #expect(Self.errorText { _ = try IDXStream(imagesPath: directory.path, labelsPath: labels) }.contains("directory"))
        #expect(Self.errorText { _ = try IDXStream(imagesPath: images + ".missing", labelsPath: labels) }.contains("no such file"))
        let truncated = try directory.write("short", Array(DataIDXTests.idxImages(count: 60, rows: 3, columns: 5).dropLast()))
        #expect(Self.errorText { _ = try IDXStream(imagesPath: truncated, labelsPath: labels) }.contains("truncated"))
        let gzip = try directory.write("gz", [0x1F, 0x8B, 8, 0])
        #expect(Self.errorText { _ = try IDXStream(imagesPath: gzip, labelsPath: labels) }.contains("gunzip"))
        // A FIFO with no writer: refused at once, not waited on (opening it blocked before).
        let fifo = directory.path + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(Self.errorText { _ = try IDXStream(imagesPath: fifo, labelsPath: labels) }.contains("not a regular file"))
        #expect(Self.errorText { _ = try DataRecipe.parse("csv:\(fifo)", seed: 1, validationFraction: 0, testFraction: 0) }
            .contains("not a regular file"))
        let fewLabels = try directory.write("few", DataIDXTests.idxLabels([0, 1]))
        #expect(Self.errorText { _ = try IDXStream(imagesPath: images, labelsPath: fewLabels) }.contains("2 labels for 60 images"))
    }

    @Test func aFileCutShortDuringTrainingIsAnErrorNotACrash() throws {
        let (directory, images, labels) = try Self.files()
        let stream = try IDXStream(imagesPath: images, labelsPath: labels)
        // Cut the file to its header and first item once the stream has checked it.
        _ = try directory.write("images", Array(DataIDXTests.idxImages(count: 60, rows: 3, columns: 5).prefix(16 + 15)))
        var model = try Architecture.classifier(inputCount: 15, hidden: [4], classCount: 3)
        model.initializeParameters(seed: 1)
        // One thread reads each batch itself; two read the next batch ahead on the helper.
        for threads in [1, 2] {
            let message = ComputeOptions.$current.withValue(ComputeOptions(threads: threads)) {
                Self.errorText { _ = try Trainer(TrainingConfiguration(epochs: 1, batchSize: 8, seed: 1)).fit(&model, on: stream) }
            }
            #expect(message.contains("shorter than the 916 bytes it had when opened"), "\(threads) threads: \(message)")
        }
    }

    /// Images held in memory are the bytes read (and hashed) at opening: a file changed or cut
    /// short afterwards changes nothing, where a stream reading the file reports the cut.
    @Test func imagesHeldInMemoryCannotChangeUnderARun() throws {
        let (directory, images, labels) = try Self.files()
        let loaded = try Dataset.loadIDX(imagesPath: images, labelsPath: labels)
        let recipe = try DataRecipe.parse("idx:\(images),\(labels)", seed: 3, validationFraction: 0, testFraction: 0)
        let (recorded, split) = try recipe.makeSampleSplitRecordingFiles()
        let held = try IDXStream(imagesPath: images, labelsPath: labels, storage: .memory)
        let fromFile = try IDXStream(imagesPath: images, labelsPath: labels, storage: .file)
        _ = try directory.write("images", Array(DataIDXTests.idxImages(count: 60, rows: 3, columns: 5).prefix(16 + 15)))
        #expect(try held.materialized() == loaded)
        #expect(try split.train.materialized() == loaded.split(validationFraction: 0, testFraction: 0, seed: 3).train)
        #expect(Self.errorText { _ = try fromFile.materialized() }.contains("shorter than the 916 bytes"))
        // The recipe records the bytes trained on, so the changed file is refused at the next use.
        #expect(Self.errorText { _ = try recorded.makeSampleSplit() }.contains("recorded 916 bytes"))
    }

    /// Holding a file in memory has the cap of every data file read whole (1 GiB), checked
    /// before anything is read: a sparse file that claims 1,074 images of 10⁶ pixels is refused.
    @Test func anImagesFileTooLargeToHoldIsRefusedBeforeItIsRead() throws {
        let directory = try DataTestDirectory()
        let header: [UInt8] = [0, 0, 0x08, 3] + [1074, 1000, 1000].flatMap {
            withUnsafeBytes(of: UInt32($0).bigEndian, Array.init)
        }
        let images = try directory.write("images", header)
        #expect(truncate(images, off_t(header.count + 1_074_000_000)) == 0)
        do {
            _ = try IDXStream(imagesPath: images, labelsPath: directory.path + "/missing", storage: .memory)
            Issue.record("no error thrown")
        } catch let DataError.fileTooLarge(_, bytes, limit) {
            #expect(bytes == 1_074_000_016 && limit == 1 << 30)
        }
        // Read from the file, the same images are fine (it is the missing labels that stop it).
        #expect(Self.errorText { _ = try IDXStream(imagesPath: images, labelsPath: directory.path + "/missing") }
            .contains("no such file"))
    }

    /// Reading batches ahead on the helper thread (2 threads) moves only when rows are read.
    @Test func readingAheadGivesTheSameBits() throws {
        let (directory, images, labels) = try Self.files(count: 200)
        let stream = try IDXStream(imagesPath: images, labelsPath: labels)
        let loaded = try stream.materialized()
        func trained(_ source: any SampleSource, threads: Int) throws -> [UInt32] {
            var model = try Architecture.classifier(inputCount: 15, hidden: [6], classCount: 3)
            model.initializeParameters(seed: 8)
            try ComputeOptions.$current.withValue(ComputeOptions(threads: threads)) {
                _ = try Trainer(TrainingConfiguration(epochs: 4, batchSize: 9, seed: 5)).fit(&model, on: source)
            }
            return model.layers.flatMap(\.parameters).flatMap(\.values).map(\.bitPattern)
        }
        let reference = try trained(loaded, threads: 1)
        #expect(try trained(loaded, threads: 2) == reference)
        #expect(try trained(stream, threads: 2) == reference)
        #expect(try trained(stream, threads: 1) == reference)
        _ = directory
    }
}

/// An images file that claims more images than NNM streams is refused from its header, before
/// the file is hashed for the recipe (a sparse file of 2³¹ images took 15 s to hash).
@Suite struct IDXHeaderFirstTests {
    @Test func tooManyImagesIsRefusedBeforeTheLabelsAreLookedAt() throws {
        let directory = try DataTestDirectory()
        let count = IDXStream.maximumSamples + 1
        let header: [UInt8] = [0, 0, 0x08, 1] + withUnsafeBytes(of: UInt32(count).bigEndian, Array.init)
        let images = try directory.write("images", header)
        // A sparse file of the claimed length: cheap to make, slow to hash.
        #expect(truncate(images, off_t(header.count + count)) == 0)
        // The labels file is missing: only a check of the images header before anything else
        // reports the image count.
        do {
            _ = try DataSource(.idx(images: images, labels: directory.path + "/missing"))
            Issue.record("no error thrown")
        } catch let DataError.malformedIDX(_, _, reason) {
            #expect(reason.contains("more than"))
        }
    }
}
