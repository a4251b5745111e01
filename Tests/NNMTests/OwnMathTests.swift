import Foundation
import Testing
@testable import NNM

/// NNM's own elementary functions (CNNMKernels/math.c, spec/math.md): the same bits as the
/// Python reference written from the spec (spec/reference/nnm_math.py), exact values where the
/// spec promises them, and within 1 ulp of the C library's functions (a bar the library meets
/// on Linux; spec/math.md gives the figures against a 200-bit reference).
@Suite struct OwnMathTests {
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("spec/reference/nnm_math.py")

    /// The inputs both implementations see: the generators' kinds of angles, Box–Muller's
    /// arguments from the dataset stream, loss-like exponents, and awkward cases.
    static func binary64Inputs() -> [Double] {
        var random = SeededRandom(seed: 16, stream: .dataset)
        var inputs: [Double] = [0, -0.0, 1, -1, .pi, .pi / 2, 2 * .pi, 1e-300, -1e-300, .leastNonzeroMagnitude,
                                .infinity, -.infinity, .nan, 1e300, 709.78, -745.13, 0x1p30, 0x1.0000000000001p30]
        for i in 0..<100 { inputs.append(2 * Double.pi * Double(i) / 100) }
        for _ in 0..<200 {
            inputs.append(1 - random.uniform())
            inputs.append(2 * Double.pi * random.uniform())
            inputs.append(random.uniform(-40, 40))
            inputs.append(Double(bitPattern: random.next()))
        }
        return inputs
    }

    static func hex(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x == 0 { return x.sign == .minus ? "-0x0.0p+0" : "0x0.0p+0" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        return String(format: "%a", x)
    }

    static func runReference(_ arguments: [String]) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python3 \(script.path) failed (is python3 installed?)")
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Python's float.hex spelling of a result, to compare with Swift's.
    static func pythonHex(_ line: String) -> Double? {
        switch line {
        case "nan": return .nan
        case "inf": return .infinity
        case "-inf": return -.infinity
        default: return Double(line)
        }
    }

    static func sameBits(_ a: Double, _ b: Double) -> Bool { a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN) }

    @Test(arguments: ["cos", "sin", "log", "exp"])
    func binary64FunctionsMatchTheReference(name: String) throws {
        let inputs = Self.binary64Inputs()
        let function: (Double) -> Double = switch name {
        case "cos": doubleCos
        case "sin": doubleSin
        case "log": doubleLog
        default: doubleExp
        }
        let reference = try Self.runReference([name] + inputs.map { Self.hex($0).replacingOccurrences(of: "-0x0.0p+0", with: "-0x0p+0") })
        try #require(reference.count == inputs.count)
        for (x, line) in zip(inputs, reference) {
            let expected = try #require(Self.pythonHex(line), "unreadable reference line \(line)")
            #expect(Self.sameBits(function(x), expected), "\(name)(\(Self.hex(x))): \(Self.hex(function(x))) vs reference \(line)")
        }
    }

    @Test func wholePowersMatchTheReference() throws {
        let cases: [(Double, Int)] = [(0.9, 1), (0.999, 1), (0.9, 7), (0.999, 1000), (0.999, 123_457), (0.9, 5000), (0, 0), (0, 3), (1, 1 << 40)]
        let reference = try Self.runReference(["pow"] + cases.flatMap { [Self.hex($0.0), String($0.1)] })
        try #require(reference.count == cases.count)
        for ((base, n), line) in zip(cases, reference) {
            let expected = try #require(Self.pythonHex(line))
            #expect(Self.sameBits(doublePower(base, n), expected), "\(base)^\(n)")
        }
    }

    @Test func tanhMatchesTheReference() throws {
        var random = SeededRandom(seed: 16, stream: .initialization)
        var inputs: [Float] = [0, -0.0, 1, -1, 9.125, 9.0, -20, .infinity, -.infinity, .nan, 1e-30, Float.leastNonzeroMagnitude]
        for _ in 0..<500 { inputs.append(Float(random.uniform(-10, 10))) }
        for _ in 0..<200 { inputs.append(Float(bitPattern: UInt32(truncatingIfNeeded: random.next()))) }
        let reference = try Self.runReference(["tanhf"] + inputs.map { String(format: "%08x", $0.bitPattern) })
        try #require(reference.count == inputs.count)
        for (x, line) in zip(inputs, reference) {
            let expected = try #require(UInt32(line, radix: 16))
            let mine = floatTanh(x)
            #expect(mine.bitPattern == expected || (mine.isNaN && Float(bitPattern: expected).isNaN), "tanh(\(x))")
        }
    }

    @Test func exactValuesAndSpecialCases() {
        #expect(doubleCos(0) == 1 && doubleSin(0) == 0 && doubleSin(-0.0).sign == .minus)
        #expect(doubleLog(1) == 0 && doubleLog(0) == -.infinity && doubleLog(-1).isNaN && doubleLog(.infinity) == .infinity)
        #expect(doubleExp(0) == 1 && doubleExp(-746) == 0 && doubleExp(710) == .infinity && doubleExp(.nan).isNaN)
        #expect(doubleCos(.infinity).isNaN && doubleSin(.nan).isNaN && doubleCos(0x1p31).isNaN)
        #expect(doublePower(0.5, 3) == 0.125 && doublePower(0.9, 0) == 1)
        #expect(floatTanh(9.125) == 1 && floatTanh(-30) == -1 && floatTanh(-0.0).sign == .minus && floatTanh(.nan).isNaN)
        #expect(floatTanh(1e-20) == 1e-20)
    }

    /// Not a definition (the spec's steps are), but a net under them: never more than 1 ulp from
    /// the C library's result over the inputs NNM feeds them.
    @Test func withinOneUlpOfTheCLibrary() {
        for x in Self.binary64Inputs() where x.isFinite && abs(x) < 0x1p30 {
            for (mine, theirs) in [(doubleCos(x), Foundation.cos(x)), (doubleSin(x), Foundation.sin(x))] {
                #expect(abs(mine - theirs) <= theirs.ulp, "cos/sin(\(Self.hex(x)))")
            }
            if x > 0 { #expect(abs(doubleLog(x) - Foundation.log(x)) <= Foundation.log(x).ulp, "log(\(Self.hex(x)))") }
            if x < 700, x > -700 { #expect(abs(doubleExp(x) - Foundation.exp(x)) <= Foundation.exp(x).ulp, "exp(\(Self.hex(x)))") }
        }
        var random = SeededRandom(seed: 3, stream: .shuffle)
        for _ in 0..<20_000 {
            let x = Float(random.uniform(-10, 10))
            let theirs = Float(Foundation.tanh(Double(x)))
            #expect(abs(floatTanh(x) - theirs) <= theirs.ulp, "tanh(\(x))")
        }
    }

    /// The vector kernels (`nnm_exp_many`, `nnm_log_many`, `nnm_cos_many`, `nnm_sin_many`: the
    /// cross-entropy loss, the normals of weights and noise, the synthetic datasets' points) run
    /// the scalar steps on several lanes at once: every element must have the scalar function's
    /// bits on every path and thread count, for every length (whole vectors and the partial last
    /// one) and every kind of argument.
    @Test(arguments: ["exp", "log", "cos", "sin"])
    func vectorKernelsHaveTheScalarBitsOnEveryPath(name: String) {
        typealias Kernel = (UnsafeMutableBufferPointer<Double>, ComputeOptions) -> Void
        let (scalar, kernel): ((Double) -> Double, Kernel) = switch name {
        case "exp": (doubleExp, { Kernels.exp(inPlace: $0, options: $1) })
        case "log": (doubleLog, { Kernels.log(inPlace: $0, options: $1) })
        case "cos": (doubleCos, { Kernels.cos(inPlace: $0, options: $1) })
        default: (doubleSin, { Kernels.sin(inPlace: $0, options: $1) })
        }
        var random = SeededRandom(seed: 17, stream: .dataset)
        var inputs = Self.binary64Inputs() + [-708.5, -740, -745.1, 709.7, -0x1p-1074, 0x1p-1070, -0x1p-1070,
                                              0x1p-1022, 0x1.fffffffffffffp-1023, 2 * .pi, -0x1p30, 0x1.0000000000001p30]
        for _ in 0..<20_000 {
            inputs.append(-40 * random.uniform())                  // logits minus their largest
            inputs.append(1 - random.uniform())                    // Box–Muller's u1
            inputs.append(2 * Double.pi * random.uniform())        // Box–Muller's angle
            inputs.append(random.uniform(-800, 800))               // every range, both overflows
            inputs.append(Double(bitPattern: random.next()))       // any pattern, NaN payloads too
        }
        let expected = inputs.map { scalar($0).bitPattern }
        // Two threads too: a long exp shares its halves with the helper thread.
        for path in KernelPath.allCases {
            for threads in [1, 2] {
                for length in [0, 1, 7, 8, 9, 15, 16, 17, 31, 33, 255, 256, 321, inputs.count] {
                    var values = Array(inputs.prefix(length))
                    values.withUnsafeMutableBufferPointer { kernel($0, ComputeOptions(threads: threads, kernelPath: path)) }
                    let mismatches = zip(values, expected).filter { $0.bitPattern != $1 }.count
                    #expect(mismatches == 0, "\(name), \(path), \(threads) threads, \(length) elements: \(mismatches) differ")
                }
            }
        }
    }

    /// A block of normals is the same values as one `normal()` call each (weight initialization
    /// draws them a block at a time), whether a large block's logarithms and cosines share the
    /// helper thread or not.
    @Test(arguments: [1, 2]) func blockOfNormalsEqualsOneAtATime(threads: Int) {
        var one = SeededRandom(seed: 99, stream: .initialization)
        var block = one
        let count = 1234 + SeededRandom.twoWayNormals + 5
        let singles = (0..<count).map { _ in one.normal().bitPattern }
        let blocks = ComputeOptions.$current.withValue(ComputeOptions(threads: threads)) {
            block.normals(count: 1234) + block.normals(count: count - 1234)
        }
        #expect(blocks.map(\.bitPattern) == singles)
        #expect(one.next() == block.next())
    }

    /// NaN arguments keep their payload as the scalar steps always did: exp returns the NaN
    /// itself (a signalling one too), log and cos return `(x − x)/(x − x)` (the payload, quieted).
    @Test func nanPayloadsAreKept() {
        let signalling = Double(bitPattern: 0x7FF0_0000_0000_1234), quiet = Double(bitPattern: 0xFFF8_0000_0000_5678)
        #expect(doubleExp(signalling).bitPattern == signalling.bitPattern)
        #expect(doubleExp(quiet).bitPattern == quiet.bitPattern)
        #expect(doubleLog(quiet).bitPattern == quiet.bitPattern)
        #expect(doubleCos(quiet).bitPattern == quiet.bitPattern)
        #expect(doubleLog(signalling).bitPattern == 0x7FF8_0000_0000_1234)
    }

    /// A normal scheme's weights for a layer wider than one block of normals are exactly one
    /// `normal()` per weight, scaled and rounded as spec/training.md says.
    @Test func initializerBlocksEqualOneNormalPerWeight() {
        let inputs = 300, outputs = 20   // 6000 weights: one whole block of 4096 and a partial one
        var blocks = SeededRandom(seed: 5, stream: .initialization)
        var singles = blocks
        let drawn = WeightInitializer.he.weights(inputs: inputs, outputs: outputs, random: &blocks)
        let factor = (2.0 / Double(inputs)).squareRoot()
        let expected = (0..<(inputs * outputs)).map { _ in Float(factor * singles.normal()).bitPattern }
        #expect(drawn.map(\.bitPattern) == expected)
        #expect(blocks.next() == singles.next())
    }
}
