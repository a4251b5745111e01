import Foundation
import NNM
import NNMFormat
import Testing
@testable import NNMConvert

/// nnm-convert run as a user runs it.
@Suite struct ConvertToolTests {
    static let samples = ["circles", "moons", "xor", "spiral", "spiral3", "digits"]
        .map { Tools.repository + "/samples/\($0)/model.nnm" }

    @Test func convertsThroughEveryFormatAndSaysWhatItWrote() throws {
        try TestModels.inTemporaryDirectory { directory in
            let sample = Self.samples[0]
            let run = try Tools.convert([sample, "-o", directory + "/m.onnx"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == "wrote \(directory)/m.onnx (ONNX, 6 layers, 2 → 1, 337 parameters) from \(sample) (.nnm)\n")
            for (input, output) in [("m.onnx", "a.nnm"), ("a.nnm", "b.safetensors"), ("b.safetensors", "c.onnx"), ("c.onnx", "d.safetensors")] {
                let step = try Tools.convert([directory + "/" + input, "-o", directory + "/" + output, "--quiet"])
                #expect(step.status == 0 && step.stdout.isEmpty, "\(input) → \(output): \(step.stderr)")
            }
            let original = try NNMModel(contentsOf: sample)
            let back = try NNMModel(contentsOf: directory + "/a.nnm")
            #expect(TestModels.bits(back) == TestModels.bits(original))
            #expect(back.metadata["convert.source_format"] == .string("onnx"))
            let forced = try Tools.convert([directory + "/a.nnm", "-o", directory + "/model.bin", "--to", "onnx", "-q"])
            #expect(forced.status == 0, "\(forced.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/model.bin")).first == 0x08)
        }
    }

    @Test func badCommandLinesExit64AndBadInputsExit1() throws {
        try TestModels.inTemporaryDirectory { directory in
            let sample = Self.samples[0]
            let cases: [([String], Int32, String)] = [
                ([sample, "-o", directory + "/m.txt"], 64, "cannot tell the format of"),
                ([sample], 64, "Missing expected argument"),
                ([sample, "-o", directory + "/m.onnx", "--to", "tflite"], 64, "tflite"),
                ([sample, "-o", directory + "/m.onnx", "--layers", "linear"], 64, "--layers is for a safetensors input only"),
                ([directory + "/missing.onnx", "-o", directory + "/m.nnm"], 1, "missing.onnx"),
                ([sample, "-o", sample], 1, "it is the input file"),
                ([sample, "-o", directory, "--to", "onnx"], 1, "not a regular file"),
            ]
            for (arguments, status, message) in cases {
                let run = try Tools.convert(arguments)
                #expect(run.status == status, "\(arguments): \(run.stderr)")
                #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
                #expect(run.stderr.split(separator: "\n").count == 1, "one line: \(run.stderr)")
            }
        }
    }

    @Test func anotherKindOfFileIsReplacedOnlyWithForce() throws {
        try TestModels.inTemporaryDirectory { directory in
            let csv = directory + "/data.onnx"
            try Data("a,b\n1,2\n".utf8).write(to: URL(fileURLWithPath: csv))
            let refused = try Tools.convert([Self.samples[0], "-o", csv])
            #expect(refused.status == 1 && refused.stderr.contains("pass --force"))
            #expect(try String(contentsOfFile: csv, encoding: .utf8) == "a,b\n1,2\n")
            #expect(try Tools.convert([Self.samples[0], "-o", csv, "--force", "-q"]).status == 0)
            // The same output again: an ONNX file is replaced without asking.
            #expect(try Tools.convert([Self.samples[0], "-o", csv, "-q"]).status == 0)
        }
    }

    @Test func hostileFilesGiveOneLineAndExit1() throws {
        try TestModels.inTemporaryDirectory { directory in
            let files: [(String, [UInt8])] = [
                ("garbage.onnx", Array("definitely not protobuf".utf8)),
                ("empty.onnx", []),
                ("short.safetensors", [1, 2, 3]),
                ("huge.safetensors", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7B]),
                ("garbage.nnm", Array("not a model".utf8)),
            ]
            for (name, bytes) in files {
                let path = directory + "/" + name
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                let run = try Tools.convert([path, "-o", directory + "/out.nnm", "--to", name.hasSuffix(".nnm") ? "onnx" : "nnm"])
                #expect(run.status == 1, "\(name): \(run.stderr)")
                #expect(run.stderr.hasPrefix("nnm-convert: error: ") && run.stderr.split(separator: "\n").count == 1, "\(name): \(run.stderr)")
            }
        }
    }

    /// Every sample and fresh models of every layer kind, checked by onnx.checker, onnxruntime
    /// and onnx.reference against nnm-predict (Tests/NNMConvertTests/check_onnx.py).
    @Test(.enabled(if: Tools.pythonHas(["numpy", "onnx", "onnxruntime", "safetensors"]),
                   "needs python3 with numpy, onnx, onnxruntime and safetensors"))
    func realRuntimesAgreeWithNNMPredict() throws {
        try TestModels.inTemporaryDirectory { directory in
            var models = Self.samples
            for (name, model) in try TestModels.all() {
                let path = directory + "/\(name).nnm"
                try model.write(to: path)
                models.append(path)
            }
            let run = try Tools.run("/usr/bin/env", ["python3", Tools.repository + "/Tests/NNMConvertTests/check_onnx.py",
                                                     "--bin", Tools.directory, "--work", directory + "/work"] + models)
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            #expect(run.stdout.split(separator: "\n").filter { $0.hasPrefix("ok ") }.count == models.count, "\(run.stdout)")
        }
    }
}

/// The importers on files written by onnx.helper, safetensors and (when importable) torch,
/// compared with onnxruntime, numpy and torch (Tests/NNMConvertTests/check_import.py).
@Suite struct ForeignFileTests {
    @Test(.enabled(if: Tools.pythonHas(["numpy", "onnx", "onnxruntime", "safetensors"]),
                   "needs python3 with numpy, onnx, onnxruntime and safetensors"))
    func filesFromOtherProducersImportAndAgree() throws {
        try TestModels.inTemporaryDirectory { directory in
            let run = try Tools.run("/usr/bin/env", ["python3", Tools.repository + "/Tests/NNMConvertTests/check_import.py",
                                                     "--bin", Tools.directory, "--work", directory])
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            #expect(run.stdout.split(separator: "\n").filter { $0.hasPrefix("ok ") }.count >= 3, "\(run.stdout)")
        }
    }
}
