import Testing
@testable import NNM
import NNMFormat

/// Hostile input never crashes a loader: random and mutated bytes either load or throw a
/// `DataError` (a crash would fail the whole test run).
@Suite struct DataRobustnessTests {
    @Test func randomBytesNeverCrashTheCSVReader() {
        var random = SeededRandom(seed: 2026, stream: 99)
        let alphabet = Array("0123456789.,-e\"\r\n ab\u{FEFF}".utf8)
        var loaded = 0
        for _ in 0..<1500 {
            let length = Int(random.integer(below: 60))
            let bytes = (0..<length).map { _ in
                random.integer(below: 8) == 0 ? UInt8(truncatingIfNeeded: random.next())
                    : alphabet[Int(random.integer(below: UInt64(alphabet.count)))]
            }
            do {
                let data = try Dataset.parseCSV(bytes, path: "fuzz.csv")
                #expect(data.features.rows == data.labels.count)
                #expect(data.labels.allSatisfy { $0 >= 0 && $0 < data.classCount })
                loaded += 1
            } catch is DataError {
            } catch {
                Issue.record("unexpected error type: \(error)")
            }
        }
        #expect(loaded < 1500)
    }

    @Test func mutatedIDXHeadersNeverCrashTheReader() {
        let images = DataIDXTests.idxImages(count: 5, rows: 3, columns: 3)
        let labels = DataIDXTests.idxLabels([0, 1, 2, 1, 0])
        var random = SeededRandom(seed: 7, stream: 99)
        for _ in 0..<2000 {
            var a = images, b = labels
            for _ in 0...Int(random.integer(below: 3)) {
                let target = random.integer(below: 2) == 0
                let index = Int(random.integer(below: 24))
                let value = UInt8(truncatingIfNeeded: random.next())
                if target, index < a.count { a[index] = value } else if index < b.count { b[index] = value }
            }
            if random.integer(below: 4) == 0 { a.removeLast(Int(random.integer(below: UInt64(a.count)))) }
            do {
                let data = try Dataset.parseIDX(images: a, imagesPath: "i", labels: b, labelsPath: "l")
                #expect(data.features.storage.count == data.sampleCount * data.featureCount)
            } catch is DataError {
            } catch {
                Issue.record("unexpected error type: \(error)")
            }
        }
    }

    @Test func hostileRecipeValuesAreRefused() {
        let hostile: [(String, [String: MetadataValue])] = [
            ("circles", ["samples": .int(-5), "noise": .double(0.1), "factor": .double(0.5)]),
            ("circles", ["samples": .int(100), "noise": .double(.infinity), "factor": .double(0.5)]),
            ("circles", ["samples": .int(100), "noise": .double(0.1), "factor": .double(.nan)]),
            ("spiral", ["samples": .int(100), "classes": .int(Int64.min), "noise": .double(0)]),
            ("blobs", ["samples": .int(100), "centers": .int(3), "spread": .double(-1)]),
            ("moons", ["samples": .int(100), "noise": .double(0), "extra": .bool(true)]),
            ("bits4", ["samples": .int(3)]),
            ("csv", ["file_path": .int(3)]),
            ("csv", ["file_path": .string("/nonexistent"), "label_column": .string("-1"), "header": .string("maybe")]),
            ("idx", ["images_path": .string("/nonexistent")]),
        ]
        for (generator, parameters) in hostile {
            let recipe = DatasetRecipe(generator: generator, parameters: parameters, seed: 0,
                                       validationFraction: 0, testFraction: 0)
            #expect(throws: DataError.self, "\(generator) \(parameters)") { try DataRecipe(recipe).makeDataset() }
        }
        let badSplit = DatasetRecipe(generator: "bits4", parameters: [:], seed: 0,
                                     validationFraction: .infinity, testFraction: 0)
        #expect(throws: DataError.self) { try DataRecipe(badSplit).makeSplit() }
    }
}
