import NNMFormat
import Foundation
import NNM
import Testing

/// End-to-end tests of the `nnm-train` executable: defaults, accuracy bars, byte-identical
/// files, IDX data, resume, and one-line errors with a non-zero exit.
@Suite struct TrainTests: ToolSuite {
    static let tool = Tool(name: "nnm-train")

    static func summary(_ run: Run) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
        return try #require(object as? [String: Any])
    }

    static func testAccuracy(_ run: Run) throws -> Double {
        let test = try #require(try summary(run)["test"] as? [String: Any])
        return try #require(test["accuracy"] as? Double)
    }

    @Test func onlyAnOutputPathTrainsCirclesAndSavesALoadableModel() throws {
        try Self.inTemporaryDirectory { directory in
            let path = directory + "/model.nnm"
            let run = try Self.run(["-o", path])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("accuracy"))
            #expect(run.stdout.contains("ROC AUC"))
            #expect(run.stdout.contains("confusion matrix (test):"))
            #expect(run.stdout.contains("wrote     \(path)"))
            #expect(run.stderr.isEmpty, "no progress line when stderr is not a terminal")
            let file = try ModelFile(contentsOf: path)
            #expect(file.dataset?.generator == "circles")
            #expect(file.history?.epochCount == TrainingConfiguration.defaultEpochs)
            #expect(file.metadata[MetadataKey.optimizer] == .string("adam"))
            #expect(file.metadata[MetadataKey.learningRate] == .double(0.01))
            #expect(file.metadata[MetadataKey.batchSize] == .int(32))
            #expect(file.metadata[MetadataKey.loss] == .string("bce"))
            #expect(file.metadata[MetadataKey.seed] == .int(42))
            let model = try Sequential(file: file)
            #expect(Architecture.spec(of: model) == "linear:16,relu,linear:16,relu,linear:1,sigmoid")
            // The recipe regenerates the data; the saved model classifies its test part well.
            let split = try DataRecipe(try #require(file.dataset)).makeSplit()
            let predictions = try model.predictClasses(split.test.features)
            let correct = zip(predictions, split.test.labels).filter { $0 == $1 }.count
            #expect(Double(correct) / Double(split.test.sampleCount) >= 0.95)
            if case .double(let stored)? = file.metadata[MetadataKey.testAccuracy] {
                #expect(stored == Double(correct) / Double(split.test.sampleCount))
            } else {
                Issue.record("eval.test_accuracy missing")
            }
        }
    }

    /// The issue's bars, with plain defaults and only the dataset flags.
    @Test(arguments: [
        (["--dataset", "circles", "--samples", "5000", "--noise", "0.04"], 0.99),
        (["--dataset", "moons", "--noise", "0.1"], 0.99),
        (["--dataset", "xor"], 0.98),
        (["--dataset", "spiral", "--classes", "2"], 0.95),
    ])
    func defaultsReachTheAccuracyBars(flags: [String], bar: Double) throws {
        try Self.inTemporaryDirectory { directory in
            let run = try Self.run(["-o", directory + "/m.nnm", "--json"] + flags)
            #expect(run.status == 0, "\(run.stderr)")
            let accuracy = try Self.testAccuracy(run)
            #expect(accuracy >= bar, "\(flags): test accuracy \(accuracy)")
        }
    }

    @Test func sameCommandSameBytes() throws {
        try Self.inTemporaryDirectory { directory in
            let flags = ["--dataset", "moons", "--samples", "300", "--epochs", "20", "--hidden", "8,8",
                         "--weight-decay", "0.0001", "--patience", "5"]
            #expect(try Self.run(["-o", directory + "/a.nnm"] + flags).status == 0)
            #expect(try Self.run(["-o", directory + "/b.nnm"] + flags).status == 0)
            #expect(try Self.run(["-o", directory + "/c.nnm", "--seed", "7"] + flags).status == 0)
            let a = try Data(contentsOf: URL(fileURLWithPath: directory + "/a.nnm"))
            let b = try Data(contentsOf: URL(fileURLWithPath: directory + "/b.nnm"))
            let c = try Data(contentsOf: URL(fileURLWithPath: directory + "/c.nnm"))
            #expect(a == b)
            #expect(a != c)
        }
    }

    /// Thread count and kernel path change speed, never the bytes.
    @Test func threadCountDoesNotChangeTheFile() throws {
        try Self.inTemporaryDirectory { directory in
            let flags = ["--samples", "2000", "--hidden", "96,96", "--batch-size", "500", "--epochs", "3"]
            #expect(try Self.run(["-o", directory + "/one.nnm", "--threads", "1"] + flags).status == 0)
            #expect(try Self.run(["-o", directory + "/two.nnm", "--threads", "2"] + flags).status == 0)
            let one = try Data(contentsOf: URL(fileURLWithPath: directory + "/one.nnm"))
            let two = try Data(contentsOf: URL(fileURLWithPath: directory + "/two.nnm"))
            #expect(one == two)
        }
    }

    @Test func layersSpecOptimizersAndJSON() throws {
        try Self.inTemporaryDirectory { directory in
            let run = try Self.run([
                "-o", directory + "/m.nnm", "--dataset", "blobs", "--samples", "300", "--epochs", "10",
                "--layers", "linear:8,tanh,linear:3,softmax", "--optimizer", "nesterov", "--lr", "0.05",
                "--loss", "nll", "--init", "lecun", "--threads", "2", "--json",
            ])
            #expect(run.status == 0, "\(run.stderr)")
            let summary = try Self.summary(run)
            #expect(summary["network"] as? String == "linear:8,tanh,linear:3,softmax")
            #expect(summary["loss"] as? String == "nll")
            #expect(summary["optimizer"] as? String == "nesterov")
            #expect(summary["learning_rate"] as? Double == 0.05)
            #expect(summary["test_roc_auc"] is NSNull, "ROC AUC is for two classes")
            let confusion = try #require(summary["test_confusion"] as? [[Int]])
            #expect(confusion.count == 3 && confusion.allSatisfy { $0.count == 3 })
            #expect(confusion.joined().reduce(0, +) == 60, "every test sample counted once")
            #expect(try Self.testAccuracy(run) >= 0.95)
            let file = try ModelFile(contentsOf: directory + "/m.nnm")
            #expect(file.metadata[MetadataKey.initializer] == .string("lecun"))
            #expect(file.metadata[MetadataKey.momentum] == .double(0.9))
        }
    }

    @Test func resumeContinuesTheHistoryAndKeepsTheNetwork() throws {
        try Self.inTemporaryDirectory { directory in
            let first = directory + "/first.nnm", second = directory + "/second.nnm"
            #expect(try Self.run(["-o", first, "--dataset", "xor", "--samples", "200", "--epochs", "4", "--hidden", "8"]).status == 0)
            let run = try Self.run(["-o", second, "--resume", first, "--epochs", "3", "--json"])
            #expect(run.status == 0, "\(run.stderr)")
            let file = try ModelFile(contentsOf: second)
            #expect(file.history?.epochCount == 7)
            #expect(file.dataset == (try ModelFile(contentsOf: first)).dataset)
            #expect(Architecture.spec(of: try Sequential(file: file)) == "linear:8,relu,linear:1,sigmoid")
            let refused = try Self.run(["-o", second, "--resume", first, "--hidden", "4"])
            #expect(refused.status != 0)
        }
    }

    /// A 784-input MLP on small generated IDX files: ten classes, each a bright bar at its own
    /// row of a 28×28 image, plus noise.
    @Test func trainsA784InputNetworkOnIDXFiles() throws {
        try Self.inTemporaryDirectory { directory in
            let count = 400
            var random = SeededRandom(seed: 5, stream: 50)
            var images: [UInt8] = [0, 0, 8, 3, 0, 0, UInt8(count >> 8), UInt8(count & 0xFF), 0, 0, 0, 28, 0, 0, 0, 28]
            var labels: [UInt8] = [0, 0, 8, 1, 0, 0, UInt8(count >> 8), UInt8(count & 0xFF)]
            for sample in 0..<count {
                let label = sample % 10
                labels.append(UInt8(label))
                for row in 0..<28 {
                    for _ in 0..<28 {
                        let bar = row / 2 == label + 2 ? 180.0 : 0
                        images.append(UInt8(min(255, bar + random.uniform(0, 60))))
                    }
                }
            }
            try Data(images).write(to: URL(fileURLWithPath: directory + "/images.idx"))
            try Data(labels).write(to: URL(fileURLWithPath: directory + "/labels.idx"))
            let path = directory + "/mnist.nnm"
            let run = try Self.run([
                "-o", path, "--dataset", "idx:\(directory)/images.idx,\(directory)/labels.idx",
                "--hidden", "32", "--epochs", "5", "--json",
            ])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(try Self.testAccuracy(run) >= 0.9)
            let model = try NNMModel(contentsOf: path).network
            #expect(model.inputCount == 784)
            #expect(Architecture.spec(of: model) == "standardize,linear:32,relu,linear:10,softmax")

            // The files moved: nnm-render names --data idx:IMAGES,LABELS (it offered only
            // csv:PATH), and with it draws the recipe's test split again from the moved files.
            let render = Tool(name: "nnm-render")
            try FileManager.default.createDirectory(atPath: directory + "/moved", withIntermediateDirectories: false)
            for name in ["images.idx", "labels.idx"] {
                try FileManager.default.moveItem(atPath: "\(directory)/\(name)", toPath: "\(directory)/moved/\(name)")
            }
            let lost = try render.run(["confusion", path, "-o", directory + "/c.png"])
            #expect(lost.status == 1 && lost.stderr.contains("--data idx:IMAGES,LABELS"), "\(lost.stderr)")
            let found = try render.run(["confusion", path, "-o", directory + "/c.png",
                                        "--data", "idx:\(directory)/moved/images.idx,\(directory)/moved/labels.idx"])
            #expect(found.status == 0, "\(found.stderr)")
            #expect(FileManager.default.fileExists(atPath: directory + "/c.png"))
            // A model beside its moved files finds them, as nnm-predict does.
            try FileManager.default.copyItem(atPath: path, toPath: directory + "/moved/mnist.nnm")
            let beside = try render.run(["confusion", directory + "/moved/mnist.nnm", "-o", directory + "/b.png"])
            #expect(beside.status == 0, "\(beside.stderr)")

            // A label the 10-class model has no class for (12, at sample 37): nnm-predict refuses
            // before writing anything (it wrote every row, then failed), nnm-render names it.
            var stray = labels
            stray[8 + 37] = 12
            try Data(stray).write(to: URL(fileURLWithPath: directory + "/moved/stray.idx"))
            let data = "idx:\(directory)/moved/images.idx,\(directory)/moved/stray.idx"
            let predicted = try Tool(name: "nnm-predict").run([path, "--data", data, "-o", directory + "/p.csv"])
            #expect(predicted.status == 1 && predicted.stderr.contains("sample 37 has label 12, but the model has 10 classes"),
                    "\(predicted.stderr)")
            #expect(!FileManager.default.fileExists(atPath: directory + "/p.csv"))
            let drawn = try render.run(["confusion", path, "-o", directory + "/s.png", "--data", data])
            #expect(drawn.status == 1 && drawn.stderr.contains("the label '12' is none of the model's classes"), "\(drawn.stderr)")
        }
    }

    /// A CSV file with a header, features of very different scales and text labels.
    @Test func trainsOnACSVFileWithNamedLabelColumn() throws {
        try Self.inTemporaryDirectory { directory in
            var random = SeededRandom(seed: 8, stream: 51)
            var text = "length,width,weight_g,species\n"
            let names = ["setosa", "versicolor", "virginica"]
            for sample in 0..<240 {
                let k = sample % 3
                text += "\(1.5 + 2 * Double(k) + 0.4 * random.normal()),\(0.2 + 0.8 * Double(k) + 0.2 * random.normal()),"
                text += "\(500 + 50 * Double(k) + 30 * random.normal()),\(names[k])\n"
            }
            try text.write(toFile: directory + "/flowers.csv", atomically: true, encoding: .utf8)
            let path = directory + "/flowers.nnm"
            let run = try Self.run(["-o", path, "--dataset", "csv:\(directory)/flowers.csv",
                                    "--label-column", "species", "--epochs", "30", "--json"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(try Self.testAccuracy(run) >= 0.9)
            let model = try NNMModel(contentsOf: path).network
            #expect(Architecture.spec(of: model) == "standardize,linear:16,relu,linear:16,relu,linear:3,softmax")
            let standardize = try #require(model.layers[0] as? Standardize)
            #expect(abs(standardize.mean[2] - 550) < 20, "fitted on the raw training features")
            let missing = try Self.run(["-o", path + "2", "--dataset", "csv:\(directory)/flowers.csv",
                                        "--label-column", "colour"])
            #expect(missing.status != 0)
            #expect(missing.stderr.contains("colour"))
        }
    }

    /// A CSV whose labels are names: the model records which class index is which name
    /// (`data.class_names.K`, sorted order = index), and `nnm-inspect` shows them.
    @Test func aCSVModelRecordsItsClassNamesAndInspectShowsThem() throws {
        try Self.inTemporaryDirectory { directory in
            var random = SeededRandom(seed: 3, stream: 7)
            var text = "x,y,level\n"
            for _ in 0..<60 {
                let x = 2 * random.uniform() - 1, y = 2 * random.uniform() - 1
                text += "\(x),\(y),\(x + y > 0 ? "lo" : "hi")\n"
            }
            try text.write(toFile: directory + "/levels.csv", atomically: true, encoding: .utf8)
            let path = directory + "/levels.nnm"
            let run = try Self.run(["-o", path, "--dataset", "csv:\(directory)/levels.csv", "--epochs", "2", "--quiet"])
            #expect(run.status == 0, "\(run.stderr)")
            let file = try ModelFile(contentsOf: path)
            #expect(file.metadata[MetadataKey.className(0)] == .string("hi"))
            #expect(file.metadata["data.class_names.1"] == .string("lo"))
            #expect(file.metadata.keys.filter { $0.hasPrefix(MetadataKey.classNamePrefix) }.count == 2)
            #expect(file.classNames == ["hi", "lo"])

            let inspect = try Tool(name: "nnm-inspect").run(["--no-stats", path])
            #expect(inspect.status == 0, "\(inspect.stderr)")
            let training = try #require(inspect.stdout.components(separatedBy: "\nTraining\n").last)
            #expect(training.contains("\n  classes: 0 = hi, 1 = lo\n"), "\(inspect.stdout)")
            let json = try Tool(name: "nnm-inspect").run(["--json", "--no-stats", path])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let metadata = try #require(object["metadata"] as? [String: Any])
            #expect(metadata["data.class_names.0"] as? String == "hi" && metadata["data.class_names.1"] as? String == "lo")

            // Generated data has no names: no key, and no classes line.
            let plain = directory + "/xor.nnm"
            #expect(try Self.run(["-o", plain, "--dataset", "xor", "--samples", "40", "--epochs", "1", "--quiet"]).status == 0)
            #expect(try ModelFile(contentsOf: plain).metadata.keys.allSatisfy { !$0.hasPrefix("data.") })
            #expect(!(try Tool(name: "nnm-inspect").run(["--no-stats", plain]).stdout.contains("classes:")))
        }
    }

    @Test(arguments: [
        (["--epochs=-1"], "epochs"),
        (["--dataset", "nonsense"], "nonsense"),
        (["--dataset", "csv:/nonexistent/data.csv"], "/nonexistent/data.csv"),
        (["--layers", "linear:3,sigmoid"], "bce"),
        (["--layers", "linear:4,rellu,linear:1,sigmoid"], "rellu"),
        (["--hidden", "16,x"], "--hidden"),
        (["--activation", "leaky-relu:2"], "slope"),
        (["--threads", "0"], "--threads"),
        (["--loss", "hinge"], "--loss"),
        (["--optimizer", "adam", "--lr=-1"], "learning rate"),
        (["--val-split", "0.6", "--test-split", "0.6"], "fraction"),
        (["--resume", "/nonexistent/model.nnm"], "/nonexistent/model.nnm"),
        (["--dataset", "moons", "--factor", "0.5"], "factor"),
        (["--val-split", "0", "--patience", "3"], "--patience"),
        (["--hidden", "16000,16000"], "16000"),
        (["--hidden", "8000,8000,8000,8000,8000,8000"], "parameters"),
        (["--hidden", "65536", "--batch-size", "1048576", "--samples", "100000"], "--batch-size"),
        (["--optimizer", "sgd", "--momentum", "0.5"], "--momentum is used only by"),
        (["--momentum", "0.5"], "the optimizer is adam"),
        (["--activation", "leaky-relu:nan"], "leaky-relu:SLOPE"),
    ])
    func badInputGivesOneClearLineAndNonZeroExit(flags: [String], mention: String) throws {
        try Self.inTemporaryDirectory { directory in
            let path = directory + "/never.nnm"
            let run = try Self.run(["-o", path, "--epochs", "1"] + flags)
            #expect(run.status != 0)
            #expect(run.stderr.contains(mention), "\(flags): \(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1, "one line, no usage screen: \(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    /// A data flag that the dataset does not take, or whose value it refuses, is named as the
    /// user typed it (`--label-column`), never by the recipe's parameter name (`label_column`).
    @Test(arguments: [
        (["--label-column", "-2"], "--label-column", "label_column"),
        (["--dataset", "moons", "--factor", "0.5"], "--factor", "parameter 'factor'"),
        (["--dataset", "blobs", "--classes", "3"], "--classes", "parameter 'classes'"),
        (["--noise=-1"], "--noise", "noise ="),
    ])
    func dataFlagErrorsNameTheFlag(flags: [String], flag: String, leak: String) throws {
        try Self.inTemporaryDirectory { directory in
            let run = try Self.run(["-o", directory + "/never.nnm", "--epochs", "1"] + flags)
            #expect(run.status == 64, "\(flags): \(run.stderr)")
            #expect(run.stderr.contains(flag), "\(flags): \(run.stderr)")
            #expect(!run.stderr.contains(leak), "\(flags): \(run.stderr)")
        }
    }

    /// A bad NNM_THREADS or NNM_KERNELS is refused before anything runs (the library would fall
    /// back to its defaults: a typo would silently test the fast path); empty means unset.
    @Test(arguments: [
        (["NNM_THREADS": "two"], "NNM_THREADS=two"), (["NNM_THREADS": "0"], "NNM_THREADS=0"),
        (["NNM_KERNELS": "portible"], "NNM_KERNELS=portible"),
    ])
    func badComputeEnvironmentIsRefused(environment: [String: String], named: String) throws {
        try Self.inTemporaryDirectory { directory in
            let output = directory + "/never.nnm"
            let run = try Self.run(["-o", output, "--epochs", "1"], environment: environment)
            #expect(run.status == 64, "\(environment): \(run.stderr)")
            #expect(run.stderr.contains(named), "\(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: output))
            let fine = try Self.run(["-o", output, "--epochs", "1", "--quiet"],
                                    environment: ["NNM_THREADS": "", "NNM_KERNELS": "PORTABLE"])
            #expect(fine.status == 0, "\(fine.stderr)")
            // --threads overrides NNM_THREADS, so a bad NNM_THREADS does not matter then.
            let overridden = try Self.run(["-o", output, "--epochs", "1", "--quiet", "--force", "--threads", "1"],
                                          environment: ["NNM_THREADS": "two"])
            #expect(overridden.status == 0, "\(overridden.stderr)")
        }
    }

    /// A resumed run whose history could not be saved fails before training (it used to
    /// train every epoch, then fail to write the file).
    @Test func aHistoryTooLongToSaveFailsBeforeTraining() throws {
        try Self.inTemporaryDirectory { directory in
            let small = directory + "/small.nnm"
            #expect(try Self.run(["-o", small, "--dataset", "xor", "--samples", "100", "--epochs", "1", "--hidden", "4"]).status == 0)
            var file = try ModelFile(contentsOf: small)
            let epochs = 1_048_000
            file.history = TrainingHistory(series: ["train_loss", "train_accuracy", "val_loss", "val_accuracy"].map {
                HistorySeries(name: $0, values: [Float](repeating: 0.5, count: epochs))
            })
            let long = directory + "/long.nnm"
            try file.write(to: long)
            let run = try Self.run(["-o", directory + "/more.nnm", "--resume", long, "--epochs", "1000"])
            #expect(run.status == 1)
            #expect(run.stderr.contains("epochs of history"), "\(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: directory + "/more.nnm"))
        }
    }

    /// An empty path or one ending in '/' fails at once (a new directory name with a
    /// trailing slash used to train fully, then fail to write).
    @Test func anOutputPathThatNamesNoFileFailsBeforeTraining() throws {
        try Self.inTemporaryDirectory { directory in
            let empty = try Self.run(["-o", ""])
            #expect(empty.status == 1 && empty.stderr.contains("empty"), "\(empty.stderr)")
            let slash = try Self.run(["-o", directory + "/new-dir/"])
            #expect(slash.status == 1 && slash.stderr.contains("ends in '/'"), "\(slash.stderr)")
        }
    }

    @Test func aMissingOutputDirectoryFailsBeforeTraining() throws {
        let run = try Self.run(["-o", "/nonexistent-nnm-dir/m.nnm"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("does not exist"))
    }

    @Test func divergenceWritesNoFile() throws {
        try Self.inTemporaryDirectory { directory in
            let path = directory + "/diverged.nnm"
            let run = try Self.run(["-o", path, "--optimizer", "sgd", "--lr", "1e30", "--epochs", "3"])
            #expect(run.status == 2, "divergence has its own exit status")
            #expect(run.stderr.contains("diverged"))
            // A learning rate worth trying, not a tenth of an absurd one ("1e+29").
            #expect(run.stderr.contains("smaller learning rate than 1e+30, e.g. --lr 0.1"), "\(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1)
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }
    // MARK: - The output path never destroys what is there

    static let quick = ["--dataset", "xor", "--samples", "64", "--epochs", "1", "--hidden", "4"]

    @Test func anExistingFileThatIsNotAModelIsRefusedUnlessForced() throws {
        try Self.inTemporaryDirectory { directory in
            let notes = directory + "/notes.txt"
            try "precious\n".write(toFile: notes, atomically: false, encoding: .utf8)
            let refused = try Self.run(["-o", notes] + Self.quick)
            #expect(refused.status == 1 && refused.stderr.contains("--force"), "\(refused.stderr)")
            #expect(try String(contentsOfFile: notes, encoding: .utf8) == "precious\n")
            let forced = try Self.run(["-o", notes, "--force"] + Self.quick)
            #expect(forced.status == 0, "\(forced.stderr)")
            #expect(OutputSafetyProbe.isModel(notes))
            // An existing model is replaced without --force.
            #expect(try Self.run(["-o", notes] + Self.quick).status == 0)
        }
    }

    @Test func theTrainingCSVIsNeverTheOutputEvenWithForce() throws {
        try Self.inTemporaryDirectory { directory in
            let csv = directory + "/victim.csv"
            let rows = (0..<40).map { "\($0 % 7),\($0 % 3),\($0 % 2)" }.joined(separator: "\n")
            try ("a,b,label\n" + rows + "\n").write(toFile: csv, atomically: false, encoding: .utf8)
            let before = try Data(contentsOf: URL(fileURLWithPath: csv))
            let plain = try Self.run(["-o", csv, "--dataset", "csv:\(csv)", "--epochs", "1"])
            #expect(plain.status == 1 && plain.stderr.contains("not an .nnm model file"), "\(plain.stderr)")
            let forced = try Self.run(["-o", csv, "--dataset", "csv:\(csv)", "--epochs", "1", "--force"])
            #expect(forced.status == 1 && forced.stderr.contains("data file"), "\(forced.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: csv)) == before)
        }
    }

    @Test func resumingInPlaceAndWritingThroughASymlinkWork() throws {
        try Self.inTemporaryDirectory { directory in
            let model = directory + "/m.nnm", link = directory + "/link.nnm"
            #expect(try Self.run(["-o", model] + Self.quick).status == 0)
            let resumed = try Self.run(["-o", model, "--resume", model, "--epochs", "1"])
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(try ModelFile(contentsOf: model).history?.epochCount == 2)
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "m.nnm")
            #expect(try Self.run(["-o", link] + Self.quick).status == 0)
            let attributes = try FileManager.default.attributesOfItem(atPath: link)
            #expect(attributes[.type] as? FileAttributeType == .typeSymbolicLink, "the link is kept")
            #expect(try ModelFile(contentsOf: model).history?.epochCount == 1, "its target was written")
        }
    }

    @Test func aFIFOIsRefusedBeforeTraining() throws {
        try Self.inTemporaryDirectory { directory in
            let fifo = directory + "/fifo.nnm"
            #expect(mkfifo(fifo, 0o644) == 0)
            let run = try Self.run(["-o", fifo, "--force"] + Self.quick)
            #expect(run.status == 1 && run.stderr.contains("not a regular file"), "\(run.stderr)")
            let attributes = try FileManager.default.attributesOfItem(atPath: fifo)
            #expect(attributes[.type] as? FileAttributeType != .typeRegular, "the FIFO is still there")
        }
    }
    /// A file whose meta section was dropped as damaged used to resume with default
    /// hyperparameters and exit 0; now it is refused with one line naming the section.
    @Test func resumingFromAFileWithADamagedSectionIsRefused() throws {
        try Self.inTemporaryDirectory { directory in
            let model = directory + "/m.nnm", damaged = directory + "/damaged.nnm"
            #expect(try Self.run(["-o", model] + Self.quick).status == 0)
            let meta = try #require(try ModelFile(contentsOf: model).readInfo?.sections.first { $0.type == .metadata })
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: model)))
            bytes[meta.offset + 12 + 3] ^= 0x20
            try Data(bytes).write(to: URL(fileURLWithPath: damaged))
            let run = try Self.run(["-o", directory + "/more.nnm", "--resume", damaged, "--epochs", "1"])
            #expect(run.status == 1, "\(run.stderr)")
            #expect(run.stderr.contains("meta section") && run.stderr.contains("nnm-inspect --verify"), "\(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1)
            #expect(!FileManager.default.fileExists(atPath: directory + "/more.nnm"))
        }
    }
    /// A negative number is the option's value, so the real range error shows (it used to be
    /// "Missing value for '--epochs <epochs>'", the minus sign read as a flag).
    @Test(arguments: [
        (["--epochs", "-5"], "epochs must be"),
        (["--lr", "-1"], "learning rate"),
        (["--seed", "-1"], "'-1'"),
        (["--noise", "-1"], "noise"),
        (["--weight-decay", "-1"], "weight decay"),
        (["--batch-size", "-3"], "batch size"),
    ])
    func aNegativeNumberReachesItsRangeCheck(flags: [String], mention: String) throws {
        try Self.inTemporaryDirectory { directory in
            let run = try Self.run(["-o", directory + "/never.nnm"] + flags)
            #expect(run.status != 0)
            #expect(!run.stderr.contains("Missing value"), "\(run.stderr)")
            #expect(run.stderr.contains(mention), "\(flags): \(run.stderr)")
        }
    }
    /// Resuming a CSV model whose recorded (relative) data path does not resolve says how to
    /// give the data's place.
    @Test func resumingACSVModelWhoseDataMovedSaysToPassDataset() throws {
        try Self.inTemporaryDirectory { directory in
            let csv = directory + "/pts.csv", model = directory + "/m.nnm"
            let rows = (0..<40).map { "\($0 % 7),\($0 % 3),\($0 % 2)" }.joined(separator: "\n")
            try ("a,b,label\n" + rows + "\n").write(toFile: csv, atomically: false, encoding: .utf8)
            #expect(try Self.run(["-o", model, "--dataset", "csv:\(csv)", "--epochs", "1"]).status == 0)
            try FileManager.default.moveItem(atPath: csv, toPath: directory + "/moved.csv")
            let run = try Self.run(["-o", model, "--resume", model, "--epochs", "1"])
            #expect(run.status == 1)
            #expect(run.stderr.contains("pts.csv") && run.stderr.contains("--dataset csv:PATH"), "\(run.stderr)")
            let fixed = try Self.run(["-o", model, "--resume", model, "--epochs", "1", "--dataset", "csv:\(directory)/moved.csv"])
            #expect(fixed.status == 0, "\(fixed.stderr)")
        }
    }
    /// A CSV label or column name holding ESC[2J (clear screen) is printed escaped.
    @Test func controlCharactersFromTheCSVArePrintedEscaped() throws {
        try Self.inTemporaryDirectory { directory in
            let csv = directory + "/esc.csv"
            let rows = (0..<40).map { "\($0 % 7),\($0 % 3),c\u{1B}[2J\($0 % 2)" }.joined(separator: "\n")
            try ("a,b,lab\u{1B}[31mel\n" + rows + "\n").write(toFile: csv, atomically: false, encoding: .utf8)
            let run = try Self.run(["-o", directory + "/m.nnm", "--dataset", "csv:\(csv)", "--epochs", "1"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(!run.stdout.contains("\u{1B}"), "\(run.stdout)")
            #expect(run.stdout.contains("c\\x1b[2J1"), "\(run.stdout)")
        }
    }
    /// "1 epoch in 12 ms", not "1 epochs in 0.0 s".
    @Test func aShortRunSaysEpochAndMilliseconds() throws {
        try Self.inTemporaryDirectory { directory in
            let run = try Self.run(["-o", directory + "/m.nnm"] + Self.quick)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains(" 1 epoch in ") && run.stdout.contains(" ms\n"), "\(run.stdout)")
            #expect(!run.stdout.contains("0.0 s"))
        }
    }
    /// Exit statuses (README, --help): 64 for anything to fix on the command line, including
    /// flags that do not fit the data or network; 1 for files that cannot be read or written.
    @Test(arguments: [
        (["--epochs", "x"], 64),
        (["--dataset", "foo"], 64),
        (["--header", "maybe", "--dataset", "csv:/nonexistent.csv"], 64),
        (["--layers", "bogus"], 64),
        (["--dataset", "circles", "--classes", "3"], 64),
        (["--layers", "linear:3,sigmoid"], 64),
        (["--optimizer", "sgd", "--momentum", "0.5"], 64),
        (["--val-split", "0", "--patience", "3"], 64),
        (["--patience", "-1"], 64),
        (["--val-split", "0", "--patience", "0"], 0),
        (["--dataset", "csv:/nonexistent/data.csv"], 1),
        (["--resume", "/nonexistent/model.nnm"], 1),
    ] as [([String], Int32)])
    func exitStatusSaysWhatToFix(flags: [String], status: Int32) throws {
        try Self.inTemporaryDirectory { directory in
            let run = try Self.run(["-o", directory + "/never.nnm", "--epochs", "1"] + flags)
            #expect(run.status == status, "\(flags): \(run.stderr)")
            if status != 0 { #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)") }
        }
    }

    @Test func helpDocumentsTheExitStatuses() throws {
        let help = try Self.run(["--help"])
        #expect(help.stdout.contains("Exit status:") && help.stdout.contains("64 bad command line"), "\(help.stdout)")
    }
}

/// Whether a file starts with the `.nnm` signature.
enum OutputSafetyProbe {
    static func isModel(_ path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        return Array(data.prefix(8)) == NNMConstants.signature
    }
}

/// nnm-train's CSV options: a semicolon file with an index column trains on the right columns,
/// says what it decided, and the summary names the label column and the counts.
@Suite struct TrainCSVOptionTests {
    @Test func aPandasSemicolonFileTrainsWithNotes() throws {
        try Tool.inTemporaryDirectory { directory in
            var lines = [";size;weight;id;kind"]
            for row in 0..<60 {
                let k = row < 30 ? 0 : 1
                lines.append("\(row);\(Double(k) * 2 + Double(row % 7) * 0.1);\(Double(row % 5));A\(row);\(k == 0 ? "small" : "large")")
            }
            try lines.joined(separator: "\n").write(toFile: directory + "/p.csv", atomically: true, encoding: .utf8)
            let model = directory + "/p.nnm"
            let run = try Tool(name: "nnm-train").run(["-o", model, "--dataset", "csv:\(directory)/p.csv",
                                                      "--drop-columns", "id,0", "--epochs", "2"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.contains("note: p.csv: fields are separated by semicolons"))
            #expect(!run.stderr.contains("pandas index"), "--drop-columns was given")
            #expect(run.stdout.contains("data      2 features, 2 classes, label column 'kind'"))
            #expect(try NNMModel(contentsOf: model).featureNames == ["size", "weight"])

            let auto = try Tool(name: "nnm-train").run(["-o", model, "--dataset", "csv:\(directory)/p.csv",
                                                       "--delimiter", ";", "--columns", "weight,size", "--epochs", "1", "--quiet"])
            #expect(auto.status == 0, "\(auto.stderr)")
            #expect(!auto.stderr.contains("note"))
            #expect(try NNMModel(contentsOf: model).featureNames == ["weight", "size"])

            let both = try Tool(name: "nnm-train").run(["-o", model, "--dataset", "csv:\(directory)/p.csv",
                                                       "--columns", "size", "--drop-columns", "id"])
            #expect(both.status == 64)
            let badSeparator = try Tool(name: "nnm-train").run(["-o", model, "--dataset", "csv:\(directory)/p.csv",
                                                               "--delimiter", "|"])
            #expect(badSeparator.status == 64)
            #expect(badSeparator.stderr.contains("not a separator"))
            let textFeature = try Tool(name: "nnm-train").run(["-o", model, "--dataset", "csv:\(directory)/p.csv",
                                                              "--drop-columns", "0"])
            #expect(textFeature.status == 1)
            #expect(textFeature.stderr.contains("p.csv:2:4: 'A0' is not a number"), "\(textFeature.stderr)")
        }
    }

    @Test func anIndexColumnIsDroppedWithANote() throws {
        try Tool.inTemporaryDirectory { directory in
            var lines = ["Unnamed: 0,x,y,label"]
            for row in 0..<40 { lines.append("\(row),\(Double(row % 9) * 0.3),\(Double(row % 4)),\(row < 20 ? 0 : 1)") }
            try lines.joined(separator: "\n").write(toFile: directory + "/i.csv", atomically: true, encoding: .utf8)
            let model = directory + "/i.nnm"
            let run = try Tool(name: "nnm-train").run(["-o", model, "--dataset", "csv:\(directory)/i.csv", "--epochs", "1"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.contains("pandas index"))
            #expect(try NNMModel(contentsOf: model).featureNames == ["x", "y"])
        }
    }
}
