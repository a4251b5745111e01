import Foundation
import CNNMKernels
import Testing
@testable import NNM

/// Small deterministic inputs for kernel tests (xorshift; not the model PRNG).
struct KernelTestNoise {
    private var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
    mutating func next() -> Float {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return Float(Int64(state >> 40) - (1 << 23)) / Float(1 << 23)
    }
    mutating func matrix(_ rows: Int, _ columns: Int) -> Matrix {
        Matrix(rows: rows, columns: columns, storage: (0..<(rows * columns)).map { _ in next() })
    }
}

/// The contract written out as the plainest loop: start at +0 (or c), FMA over k in order,
/// then the bias (one add), then relu. Every kernel path must equal this bit for bit.
func contractProduct(_ a: Matrix, transposeA: Bool, _ b: Matrix, transposeB: Bool,
                     start: Matrix?, bias: [Float]?, relu: Bool) -> Matrix {
    let m = transposeA ? a.columns : a.rows
    let k = transposeA ? a.rows : a.columns
    let n = transposeB ? b.rows : b.columns
    var c = Matrix(rows: m, columns: n)
    for i in 0..<m {
        for j in 0..<n {
            var sum: Float = start?[i, j] ?? 0
            for p in 0..<k {
                let x = transposeA ? a[p, i] : a[i, p]
                let y = transposeB ? b[j, p] : b[p, j]
                sum = sum.addingProduct(x, y)
            }
            if let bias { sum += bias[j] }
            if relu { sum = sum > 0 ? sum : 0 }
            c[i, j] = sum
        }
    }
    return c
}

/// The exact product in float64, and the bound float32 rounding may add to it.
func float64Product(_ a: Matrix, transposeA: Bool, _ b: Matrix, transposeB: Bool)
    -> (value: [Double], bound: [Double]) {
    let m = transposeA ? a.columns : a.rows
    let k = transposeA ? a.rows : a.columns
    let n = transposeB ? b.rows : b.columns
    var value = [Double](repeating: 0, count: m * n)
    var bound = [Double](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            var s = 0.0, magnitude = 0.0
            for p in 0..<k {
                let x = Double(transposeA ? a[p, i] : a[i, p])
                let y = Double(transposeB ? b[j, p] : b[p, j])
                s += x * y
                magnitude += abs(x * y)
            }
            value[i * n + j] = s
            bound[i * n + j] = Double(k + 1) * 6e-8 * magnitude + 1e-30
        }
    }
    return (value, bound)
}

func operands(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, seed: UInt64)
    -> (Matrix, Matrix) {
    var noise = KernelTestNoise(seed: seed)
    let a = transposeA ? noise.matrix(k, m) : noise.matrix(m, k)
    let b = transposeB ? noise.matrix(n, k) : noise.matrix(k, n)
    return (a, b)
}

/// Shapes around the 6×16 register tile, the 96-row and 256-deep blocks, and degenerate ones;
/// (17, 40, 300) and (32, 96, 300) with a transposed B take the transposed-product path
/// (nnm_sgemm computes Cᵀ for 17–32 rows through a wide, deep B); (100, 40, 32) with a
/// transposed A leaves A unpacked beyond 96 rows (a weight gradient over a small batch).
/// A transposed B of more than 16 rows and 32 columns runs in 256-row × 32-column blocks:
/// (273, 40, 150) ends in a 17-row block whose 32-wide slice takes the transposed-product
/// path, (262, 33, 160) in a 6-row block and a 1-wide slice, (20, 33, 4200) is deeper than one
/// 4096-step k block.
let edgeShapes: [(m: Int, n: Int, k: Int)] = [
    (1, 1, 1), (1, 1, 7), (1, 17, 3), (5, 1, 9), (6, 16, 1), (7, 17, 5), (13, 33, 2),
    (5000 / 50, 5, 2), (12, 48, 256), (11, 35, 257), (97, 50, 300), (3, 2, 600), (2, 3, 0),
    (31, 65, 19), (40, 1, 33), (3, 5, 4200), (17, 40, 300), (32, 96, 300), (100, 40, 32),
    (273, 40, 150), (262, 33, 160), (20, 33, 4200),
]

@Suite("Kernel GEMM")
struct KernelGemmTests {
    @Test("matmul matches the float64 product within float32 rounding, all transposes",
          arguments: [(false, false), (false, true), (true, false), (true, true)])
    func matchesFloat64(transposes: (Bool, Bool)) {
        for (index, shape) in edgeShapes.enumerated() {
            let (a, b) = operands(m: shape.m, n: shape.n, k: shape.k, transposeA: transposes.0,
                                  transposeB: transposes.1, seed: UInt64(index + 1))
            var c = Matrix(rows: 0, columns: 0)
            Ops.matmul(a, transposeA: transposes.0, b, transposeB: transposes.1, into: &c)
            #expect(c.rows == shape.m && c.columns == shape.n)
            let exact = float64Product(a, transposeA: transposes.0, b, transposeB: transposes.1)
            let worst = zip(c.storage.indices, c.storage).map { index, value in
                abs(Double(value) - exact.value[index]) / exact.bound[index]
            }.max() ?? 0
            #expect(worst <= 1, "shape \(shape) transposes \(transposes): error \(worst)× bound")
        }
    }

    @Test("every path equals the FMA-chain contract bit for bit (accumulate, bias, relu)",
          arguments: KernelPath.allCases)
    func bitExactContract(path: KernelPath) {
        ComputeOptions.$current.withValue(ComputeOptions(threads: 1, kernelPath: path)) {
            for (index, shape) in edgeShapes.enumerated() {
                for (ta, tb) in [(false, false), (false, true), (true, false), (true, true)] {
                    let (a, b) = operands(m: shape.m, n: shape.n, k: shape.k, transposeA: ta,
                                          transposeB: tb, seed: UInt64(100 + index))
                    var noise = KernelTestNoise(seed: UInt64(200 + index))
                    let start = noise.matrix(shape.m, shape.n)

                    var c = Matrix(rows: 0, columns: 0)
                    Ops.matmul(a, transposeA: ta, b, transposeB: tb, into: &c)
                    let plain = contractProduct(a, transposeA: ta, b, transposeB: tb,
                                                start: nil, bias: nil, relu: false)
                    #expect(c.storage.map(\.bitPattern) == plain.storage.map(\.bitPattern),
                            "plain \(shape) tA=\(ta) tB=\(tb) \(path)")

                    var acc = start
                    Ops.matmul(a, transposeA: ta, b, transposeB: tb, accumulate: true, into: &acc)
                    let accumulated = contractProduct(a, transposeA: ta, b, transposeB: tb,
                                                      start: start, bias: nil, relu: false)
                    #expect(acc.storage.map(\.bitPattern) == accumulated.storage.map(\.bitPattern),
                            "accumulate \(shape) tA=\(ta) tB=\(tb) \(path)")
                }
                // linear: x [m, k] · weightᵀ (weight [n, k]) + bias, then relu.
                let (x, w) = operands(m: shape.m, n: shape.n, k: shape.k, transposeA: false,
                                      transposeB: true, seed: UInt64(300 + index))
                var noise = KernelTestNoise(seed: UInt64(400 + index))
                let bias = (0..<shape.n).map { _ in noise.next() }
                for fused in [Ops.FusedActivation.identity, .relu] {
                    var y = Matrix(rows: 0, columns: 0)
                    Ops.linear(x, weight: w, bias: bias, activation: fused, into: &y)
                    let expected = contractProduct(x, transposeA: false, w, transposeB: true,
                                                   start: nil, bias: bias, relu: fused == .relu)
                    #expect(y.storage.map(\.bitPattern) == expected.storage.map(\.bitPattern),
                            "linear \(shape) \(fused) \(path)")
                }
            }
        }
    }

    @Test("fast path and forced portable path give identical bits on larger products")
    func pathsAgree() {
        let shapes = [(m: 70, n: 90, k: 530), (m: 200, n: 40, k: 64), (m: 9, n: 2100, k: 3),
                      (m: 20, n: 16, k: 40), (m: 7, n: 33, k: 300)]
        for (index, shape) in shapes.enumerated() {
            for (ta, tb) in [(false, false), (false, true), (true, false)] {
                let (a, b) = operands(m: shape.m, n: shape.n, k: shape.k, transposeA: ta,
                                      transposeB: tb, seed: UInt64(500 + index))
                var results: [[UInt32]] = []
                for path in KernelPath.allCases {
                    var c = Matrix(rows: 0, columns: 0)
                    ComputeOptions.$current.withValue(ComputeOptions(threads: 1, kernelPath: path)) {
                        Ops.matmul(a, transposeA: ta, b, transposeB: tb, into: &c)
                    }
                    results.append(c.storage.map(\.bitPattern))
                }
                #expect(results[0] == results[1], "\(shape) tA=\(ta) tB=\(tb) automatic/avx2")
                #expect(results[0] == results[2], "\(shape) tA=\(ta) tB=\(tb) automatic/portable")
            }
        }
    }

    @Test("1, 2 and 3 threads give identical bits, splitting rows or columns")
    func threadsAgree() throws {
        // Wide (split by columns) and tall (split by rows) products; the threshold is lifted
        // so these small products are split too.
        let shapes = [(m: 40, n: 300, k: 200), (m: 600, n: 20, k: 200), (m: 50, n: 70, k: 5)]
        for (index, shape) in shapes.enumerated() {
            try #require(Kernels.threadsWorthUsing(m: shape.m, n: shape.n, k: shape.k, budget: 2,
                                                   threshold: 0) == 2)
            let (a, b) = operands(m: shape.m, n: shape.n, k: shape.k, transposeA: false,
                                  transposeB: true, seed: UInt64(600 + index))
            let bias = (0..<shape.n).map { Float($0) / 100 - 1 }
            var outputs: [[UInt32]] = []
            for threads in [1, 2, 3] {
                var y = Matrix(rows: 0, columns: 0)
                var options = ComputeOptions(threads: threads)
                options.parallelThreshold = 0
                ComputeOptions.$current.withValue(options) {
                    Ops.linear(a, weight: b, bias: bias, activation: .relu, into: &y)
                }
                outputs.append(y.storage.map(\.bitPattern))
            }
            #expect(outputs[0] == outputs[1], "\(shape) 1 vs 2 threads")
            #expect(outputs[0] == outputs[2], "\(shape) 1 vs 3 threads")
        }
    }

    @Test("sumColumns adds rows in order from +0, on every path", arguments: KernelPath.allCases)
    func sumColumns(path: KernelPath) {
        var noise = KernelTestNoise(seed: 9)
        for (rows, columns) in [(0, 3), (1, 1), (7, 9), (300, 17), (5, 0)] {
            let m = noise.matrix(rows, columns)
            var out: [Float] = []
            ComputeOptions.$current.withValue(ComputeOptions(threads: 1, kernelPath: path)) {
                Ops.sumColumns(m, into: &out)
            }
            var expected = [Float](repeating: 0, count: columns)
            for r in 0..<rows { for c in 0..<columns { expected[c] += m[r, c] } }
            #expect(out.map(\.bitPattern) == expected.map(\.bitPattern), "\(rows)x\(columns)")
        }
    }

    @Test("threads are used only for large products, never more than the budget")
    func threadDecision() {
        #expect(Kernels.threadsWorthUsing(m: 5000, n: 5, k: 2, budget: 2) == 1)
        #expect(Kernels.threadsWorthUsing(m: 1024, n: 1024, k: 1024, budget: 1) == 1)
        #expect(Kernels.threadsWorthUsing(m: 1024, n: 1024, k: 1024, budget: 2) == 2)
        #expect(Kernels.threadsWorthUsing(m: 1024, n: 1024, k: 1024, budget: 64) <= 64)
        // The W3 layer products (2.5 M multiply-adds) get two threads by default; with the
        // threshold raised they stay on one. Products below 64³ stay on one thread.
        #expect(Kernels.threadsWorthUsing(m: 32, n: 100, k: 784, budget: 2) == 2)
        #expect(Kernels.threadsWorthUsing(m: 100, n: 784, k: 32, budget: 2) == 2)
        #expect(Kernels.threadsWorthUsing(m: 32, n: 100, k: 784, budget: 2, threshold: 1 << 24) == 1)
        #expect(Kernels.threadsWorthUsing(m: 64, n: 64, k: 64, budget: 2) == 2)
        #expect(Kernels.threadsWorthUsing(m: 48, n: 64, k: 64, budget: 2) == 1)
        // Too thin to cut into register tiles for two threads.
        #expect(Kernels.threadsWorthUsing(m: 8, n: 16, k: 100_000, budget: 2) == 1)
    }
}

@Suite("Kernel options")
struct KernelOptionsTests {
    @Test("paths resolve to an instruction set this CPU has; portable is always portable")
    func resolution() {
        #expect(Kernels.resolve(.portable) == .portable)
        #expect(Kernels.resolve(.avx2) != .avx512)
        let automatic = Kernels.resolve(.automatic)
        #if arch(x86_64)
        #expect(automatic != .portable || Kernels.resolve(.avx2) == .portable)
        #else
        #expect(automatic == .portable)
        #endif
    }

    @Test("options bind per task and never below one thread")
    func binding() {
        #expect(ComputeOptions(threads: 0).threads == 1)
        let outside = ComputeOptions.current
        ComputeOptions.$current.withValue(ComputeOptions(threads: 1, kernelPath: .portable)) {
            #expect(ComputeOptions.current.threads == 1)
            #expect(ComputeOptions.current.kernelPath == .portable)
        }
        #expect(ComputeOptions.current == outside)
    }
}

@Suite("Kernel FMA")
struct KernelFMATests {
    /// Values over the whole float range: random bit patterns (all exponents, subnormals), and
    /// the special values, so the portable path's FMA (exact emulation on x86-64) meets every
    /// rounding case the hardware FMA meets.
    static func wideValues(count: Int, seed: UInt64) -> [Float] {
        var state = seed | 1
        var values: [Float] = [0, -0.0, 1, -1, .infinity, -.infinity, .nan,
                               .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
                               .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                               .leastNormalMagnitude, 1 + .ulpOfOne, 0.5, 3, 1e-20, 1e20]
        while values.count < count {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            let bits = UInt32(truncatingIfNeeded: state >> 16)
            // Half the draws near 1 (products and sums that round), half anywhere.
            if state & 1 == 0 {
                values.append(Float(bitPattern: (bits & 0x807F_FFFF) | 0x3F00_0000))
            } else {
                values.append(Float(bitPattern: bits))
            }
        }
        return values
    }

    @Test("c + a·b with one FMA: every path gives the same bits over the whole float range")
    func singleFMAEverywhere() {
        let n = 4096
        let a = Matrix(rows: n, columns: 1, storage: Self.wideValues(count: n, seed: 1))
        let b = Matrix(rows: 1, columns: 1, storage: [Self.wideValues(count: 40, seed: 2)[37]])
        let c = Matrix(rows: n, columns: 1, storage: Self.wideValues(count: n, seed: 3))
        // Also a full 1×1 sweep: a[i]·b[i] + c[i] through K = 1 products with distinct b.
        let bWide = Self.wideValues(count: n, seed: 4)
        var results: [[UInt32]] = []
        for path in KernelPath.allCases {
            var out = c
            var sweep: [Float] = []
            ComputeOptions.$current.withValue(ComputeOptions(threads: 1, kernelPath: path)) {
                Ops.matmul(a, b, accumulate: true, into: &out)
                for i in stride(from: 0, to: n, by: 7) {
                    var cell = Matrix(rows: 1, columns: 1, storage: [c.storage[i]])
                    Ops.matmul(Matrix(rows: 1, columns: 1, storage: [a.storage[i]]),
                               Matrix(rows: 1, columns: 1, storage: [bWide[i]]),
                               accumulate: true, into: &cell)
                    sweep.append(cell.storage[0])
                }
            }
            // NaN payloads may differ between an FMA instruction and the emulation; compare
            // every NaN as one canonical pattern.
            results.append((out.storage + sweep).map { $0.isNaN ? 0x7FC0_0000 : $0.bitPattern })
        }
        #expect(results[0] == results[1], "automatic vs avx2")
        #expect(results[0] == results[2], "automatic vs portable")
        // And against Swift's own fused multiply-add.
        #expect(results[2].count == n + (n + 6) / 7)
        let expected = zip(a.storage, c.storage).map { c0, cValue in cValue.addingProduct(c0, b.storage[0]) }
        #expect(Array(results[2].prefix(n)) == expected.map { $0.isNaN ? 0x7FC0_0000 : $0.bitPattern })
    }
}

extension KernelFMATests {
    /// a·b + c whose double-precision sum lands exactly on a float midpoint although the exact
    /// value does not: a = 2⁻²⁴(1+2⁻²³), b = 1−2⁻²³, c = 1+2⁻²³ gives 1+2⁻²³+2⁻²⁴−2⁻⁷⁰, whose
    /// correct float is 1+2⁻²³; rounding twice would give 1+2⁻²². Scaled and negated variants too.
    @Test("double-rounding traps give the correctly rounded FMA on every path")
    func doubleRoundingTraps() {
        let a0 = Float(bitPattern: 0x3380_0001), b0 = Float(bitPattern: 0x3F7F_FFFE)
        let c0 = Float(bitPattern: 0x3F80_0001)
        var triples: [(Float, Float, Float)] = []
        for scale: Float in [1, 2, 0x1p-20, 0x1p20, 0x1p-100, 0x1p100] {
            for sign: Float in [1, -1] {
                triples.append((sign * a0 * scale, b0, sign * c0 * scale))
                triples.append((b0, sign * a0 * scale, sign * c0 * scale))
            }
        }
        let expected = triples.map { $0.2.addingProduct($0.0, $0.1) }
        #expect(expected[0].bitPattern == 0x3F80_0001)
        for path in KernelPath.allCases {
            let got: [Float] = ComputeOptions.$current.withValue(ComputeOptions(threads: 1, kernelPath: path)) {
                triples.map { t in
                    var cell = Matrix(rows: 1, columns: 1, storage: [t.2])
                    Ops.matmul(Matrix(rows: 1, columns: 1, storage: [t.0]),
                               Matrix(rows: 1, columns: 1, storage: [t.1]), accumulate: true, into: &cell)
                    return cell.storage[0]
                }
            }
            #expect(got.map(\.bitPattern) == expected.map(\.bitPattern), "\(path)")
        }
    }
}

@Suite("Kernel helper thread")
struct KernelHelperThreadTests {
    @Test("many concurrent two-way products finish and match one thread bit for bit")
    func concurrentTwoWayProducts() async {
        let (a, b) = operands(m: 37, n: 90, k: 41, transposeA: false, transposeB: true, seed: 77)
        var reference = Matrix(rows: 0, columns: 0)
        ComputeOptions.$current.withValue(ComputeOptions(threads: 1)) {
            Ops.matmul(a, b, transposeB: true, into: &reference)
        }
        let expected = reference.storage.map(\.bitPattern)
        let options: ComputeOptions = {
            var forced = ComputeOptions(threads: 2)
            forced.parallelThreshold = 0
            return forced
        }()
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    ComputeOptions.$current.withValue(options) {
                        var same = true
                        for _ in 0..<25 {
                            var c = Matrix(rows: 0, columns: 0)
                            Ops.matmul(a, b, transposeB: true, into: &c)
                            same = same && c.storage.map(\.bitPattern) == expected
                        }
                        return same
                    }
                }
            }
            var all: [Bool] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 8)
        #expect(results.allSatisfy { $0 })
    }

    /// A batch read ahead (`nnm_background_post`) must not keep the helper from the step's
    /// two-way work: `nnm_run_two_way` on the same thread finishes the background job first,
    /// then shares its own (returns 1). Before, it found the helper held and ran alone (0) until
    /// the read was joined. Other tests may hold the helper for a moment, hence tries for up to 30 s (a
    /// machine loaded five times over its cores once needed more than 5).
    @Test("two-way work after a background job on the same thread still gets the helper")
    func twoWayAfterBackgroundJob() {
        var shared = 0, posted = 0, tries = 0
        let deadline = ContinuousClock.now + .seconds(30)
        while shared == 0, ContinuousClock.now < deadline {
            tries += 1
            guard nnm_background_post({ _, _ in }, nil) == 1 else { usleep(1000); continue }
            posted += 1
            shared += Int(nnm_run_two_way({ _, _ in }, nil, 2))
            nnm_background_join()  // already joined by nnm_run_two_way: returns at once
        }
        #expect(shared == 1, "posted \(posted) of \(tries)")
    }
}
