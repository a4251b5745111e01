/// The synthetic 2-D datasets, defined exactly in `spec/datasets.md` so that a recipe stored in a
/// `.nnm` file regenerates the same points bit for bit, in Swift or in any other language.
///
/// Every generator follows one shape, which is what makes the spec short:
/// 1. clean points and labels, in a fixed order (drawing from the `dataset` stream only where
///    the clean points themselves are random, as in `xor`);
/// 2. a Fisher–Yates permutation of the sample order (`SeededRandom.shuffle`), as scikit-learn
///    shuffles before it adds noise;
/// 3. Gaussian noise of standard deviation `noise` added to x then y of each sample, in the
///    permuted order, two `normal()` draws per sample (no draws at all when `noise` is 0);
/// 4. rounding to float32 at the very end. All arithmetic before it is binary64.
extension Dataset {
    /// Largest `samples` a generator accepts: keeps a mistyped flag from allocating gigabytes.
    public static let maximumGeneratedSamples = 10_000_000
    /// Largest `noise` (and `spread`) accepted; beyond it the data is only noise.
    public static let maximumNoise = 1000.0
    /// Largest number of classes (`spiral`) or centers (`blobs`).
    public static let maximumGeneratedClasses = 1000

    /// Two concentric circles, scikit-learn's `make_circles`: the outer circle (radius 1, label 0)
    /// gets `samples / 2` points, the inner circle (radius `factor`, label 1) the rest, at angles
    /// `2π·i/count` (linspace without endpoint).
    public static func circles(samples: Int, noise: Double, factor: Double, seed: UInt64) throws -> Dataset {
        try checkSamples(samples, of: .circles, minimum: 2)
        try checkNoise(noise, of: .circles, parameter: .noise)
        try checkFactor(factor)
        let outer = samples / 2
        let inner = samples - outer
        var points = CleanPoints(capacity: samples)
        let outerStep = 2.0 * Double.pi / Double(outer)
        let innerStep = 2.0 * Double.pi / Double(inner)
        let angles = (0..<outer).map { Double($0) * outerStep } + (0..<inner).map { Double($0) * innerStep }
        let (cosines, sines) = cosinesAndSines(of: angles)
        for i in 0..<outer {
            points.append(cosines[i], sines[i], label: 0)
        }
        for i in outer..<samples {
            points.append(factor * cosines[i], factor * sines[i], label: 1)
        }
        var random = SeededRandom(seed: seed, stream: .dataset)
        return points.finished(noise: noise, classCount: 2, random: &random)
    }

    /// Two interleaving half circles, scikit-learn's `make_moons`: the upper moon
    /// `(cos θ, sin θ)` (label 0) and the lower moon `(1 − cos θ, 1 − sin θ − 0.5)` (label 1),
    /// θ over `linspace(0, π, count)` with its endpoint.
    public static func moons(samples: Int, noise: Double, seed: UInt64) throws -> Dataset {
        try checkSamples(samples, of: .moons, minimum: 2)
        try checkNoise(noise, of: .moons, parameter: .noise)
        let outer = samples / 2
        let inner = samples - outer
        var points = CleanPoints(capacity: samples)
        let (cosines, sines) = cosinesAndSines(of: linspaceToPi(outer) + linspaceToPi(inner))
        for i in 0..<outer {
            points.append(cosines[i], sines[i], label: 0)
        }
        for i in outer..<samples {
            points.append(1.0 - cosines[i], 1.0 - sines[i] - 0.5, label: 1)
        }
        var random = SeededRandom(seed: seed, stream: .dataset)
        return points.finished(noise: noise, classCount: 2, random: &random)
    }

    /// The four quadrants: x and y uniform in [−1, 1), each pushed 0.1 away from its axis;
    /// label 1 where the signs of x and y differ, 0 where they agree.
    public static func xor(samples: Int, noise: Double, seed: UInt64) throws -> Dataset {
        try checkSamples(samples, of: .xor, minimum: 2)
        try checkNoise(noise, of: .xor, parameter: .noise)
        var random = SeededRandom(seed: seed, stream: .dataset)
        var points = CleanPoints(capacity: samples)
        let padding = 0.1
        for _ in 0..<samples {
            var x = random.uniform(-1.0, 1.0)
            var y = random.uniform(-1.0, 1.0)
            x = x >= 0 ? x + padding : x - padding
            y = y >= 0 ? y + padding : y - padding
            points.append(x, y, label: (x >= 0) != (y >= 0) ? 1 : 0)
        }
        return points.finished(noise: noise, classCount: 2, random: &random)
    }

    /// `classes` interleaved spiral arms (TF Playground's spiral, generalised): for class k and
    /// its i-th of n points, f = i/n, r = f, t = 1.75·2π·f + 2π·k/classes, point (r sin t, r cos t).
    public static func spiral(samples: Int, classes: Int, noise: Double, seed: UInt64) throws -> Dataset {
        try checkClasses(classes, of: .spiral, parameter: .classes)
        try checkSamples(samples, of: .spiral, minimum: classes)
        try checkNoise(noise, of: .spiral, parameter: .noise)
        var radii: [Double] = [], angles: [Double] = [], labels: [Int] = []
        radii.reserveCapacity(samples)
        angles.reserveCapacity(samples)
        labels.reserveCapacity(samples)
        let turn = 2.0 * Double.pi
        for k in 0..<classes {
            let count = samplesInClass(k, samples: samples, classes: classes)
            let offset = turn * Double(k) / Double(classes)
            for i in 0..<count {
                let f = Double(i) / Double(count)
                radii.append(f)
                angles.append(1.75 * turn * f + offset)
                labels.append(k)
            }
        }
        let (cosines, sines) = cosinesAndSines(of: angles)
        var points = CleanPoints(capacity: samples)
        for i in 0..<samples {
            points.append(radii[i] * sines[i], radii[i] * cosines[i], label: labels[i])
        }
        var random = SeededRandom(seed: seed, stream: .dataset)
        return points.finished(noise: noise, classCount: classes, random: &random)
    }

    /// Isotropic Gaussian blobs: `centers` centers on the unit circle, center k at angle
    /// 2π·k/centers; each sample is its center plus normal noise of standard deviation `spread`.
    public static func blobs(samples: Int, centers: Int, spread: Double, seed: UInt64) throws -> Dataset {
        try checkClasses(centers, of: .blobs, parameter: .centers)
        try checkSamples(samples, of: .blobs, minimum: centers)
        try checkNoise(spread, of: .blobs, parameter: .spread)
        var points = CleanPoints(capacity: samples)
        let turn = 2.0 * Double.pi
        for k in 0..<centers {
            let angle = turn * Double(k) / Double(centers)
            let (cx, cy) = (doubleCos(angle), doubleSin(angle))
            for _ in 0..<samplesInClass(k, samples: samples, classes: centers) {
                points.append(cx, cy, label: k)
            }
        }
        var random = SeededRandom(seed: seed, stream: .dataset)
        return points.finished(noise: spread, classCount: centers, random: &random)
    }

    /// The first seed tutorial's 4-bit toy data, verbatim and in its order: 16 rows of 4 bits
    /// (with its duplicates); the label is the third bit. Fixed data: no seed, no noise.
    public static func bits4() -> Dataset {
        let rows: [[Float]] = [
            [1, 1, 0, 1], [0, 1, 0, 1], [0, 1, 0, 1], [1, 0, 1, 0],
            [0, 1, 1, 0], [1, 0, 1, 1], [0, 0, 0, 0], [1, 1, 1, 0],
            [0, 0, 1, 1], [1, 1, 0, 1], [0, 0, 1, 0], [1, 0, 0, 0],
            [1, 1, 1, 1], [0, 1, 1, 1], [1, 0, 0, 1], [1, 0, 0, 1],
        ]
        let labels = [0, 0, 0, 1, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0]
        return Dataset(features: Matrix(rows: rows.count, columns: 4, storage: rows.flatMap { $0 }), labels: labels, classCount: 2,
                       featureNames: ["bit1", "bit2", "bit3", "bit4"])
    }

    // MARK: - Shared steps

    /// Samples of class k when `samples` are dealt to `classes` classes: `samples / classes`
    /// each, and one more to each of the first `samples % classes` classes.
    static func samplesInClass(_ k: Int, samples: Int, classes: Int) -> Int {
        samples / classes + (k < samples % classes ? 1 : 0)
    }

    /// Angles from which ``cosinesAndSines(of:)`` computes the sines on the helper thread.
    static let twoWayAngles = 1024

    /// `doubleCos` and `doubleSin` of every angle, bit for bit, by the vector kernels
    /// (`nnm_cos_many`, `nnm_sin_many`): one scalar call is a chain of ~0.4 µs, and a few
    /// thousand points' cosines and sines were a third of a small `nnm-train` run.
    static func cosinesAndSines(of angles: [Double]) -> (cosines: [Double], sines: [Double]) {
        var cosines = angles, sines = angles
        let options = ComputeOptions.current
        cosines.withUnsafeMutableBufferPointer { cosines in
            sines.withUnsafeMutableBufferPointer { sines in
                let pieces = angles.count >= twoWayAngles ? 2 : 1
                TwoWayWork.run(pieces: pieces, options: options) { piece in
                    if piece == 0 { Kernels.cos(inPlace: cosines, options: options) }
                    if piece == pieces - 1 { Kernels.sin(inPlace: sines, options: options) }
                }
            }
        }
        return (cosines, sines)
    }

    /// numpy's `linspace(0, π, count)` with its endpoint: `i · (π / (count − 1))`, the last one
    /// exactly π; a single point is 0.
    static func linspaceToPi(_ count: Int) -> [Double] {
        guard count > 1 else { return count == 1 ? [0] : [] }
        let step = Double.pi / Double(count - 1)
        var angles = (0..<count).map { Double($0) * step }
        angles[count - 1] = Double.pi
        return angles
    }

    static func checkSamples(_ samples: Int, of kind: DataSource.Kind, minimum: Int) throws {
        guard samples >= minimum, samples <= maximumGeneratedSamples else {
            throw DataError.invalidParameter(
                dataset: kind.rawValue, name: DataParameter.samples.rawValue, value: "\(samples)",
                expected: "an integer from \(minimum) to \(maximumGeneratedSamples)")
        }
    }

    /// `noise`, or `spread` for blobs: a standard deviation.
    static func checkNoise(_ noise: Double, of kind: DataSource.Kind, parameter: DataParameter) throws {
        guard noise.isFinite, noise >= 0, noise <= maximumNoise else {
            throw DataError.invalidParameter(dataset: kind.rawValue, name: parameter.rawValue, value: "\(noise)",
                                             expected: "a number from 0 to \(maximumNoise)")
        }
    }

    /// circles: the inner radius relative to the outer, in [0, 1) so the circles stay apart.
    static func checkFactor(_ factor: Double) throws {
        guard factor.isFinite, factor >= 0, factor < 1 else {
            throw DataError.invalidParameter(dataset: DataSource.Kind.circles.rawValue,
                                             name: DataParameter.factor.rawValue, value: "\(factor)",
                                             expected: "a number in [0, 1)")
        }
    }

    /// `classes` of spiral, `centers` of blobs.
    static func checkClasses(_ classes: Int, of kind: DataSource.Kind, parameter: DataParameter) throws {
        guard classes >= 2, classes <= maximumGeneratedClasses else {
            throw DataError.invalidParameter(dataset: kind.rawValue, name: parameter.rawValue, value: "\(classes)",
                                             expected: "an integer from 2 to \(maximumGeneratedClasses)")
        }
    }
}

/// Step 1's output in binary64, before the permutation, the noise and the float32 rounding.
struct CleanPoints {
    /// Samples whose noise is drawn in one block: a few pages of normals however many samples.
    static let samplesPerNoiseBlock = 4096

    var xs: [Double] = []
    var ys: [Double] = []
    var labels: [Int] = []

    init(capacity: Int) {
        xs.reserveCapacity(capacity)
        ys.reserveCapacity(capacity)
        labels.reserveCapacity(capacity)
    }

    mutating func append(_ x: Double, _ y: Double, label: Int) {
        xs.append(x)
        ys.append(y)
        labels.append(label)
    }

    /// Steps 2–4: permute the sample order, add noise in the new order, round to float32. The
    /// normals come a block of samples at a time (``SeededRandom/normals(count:)``: the same
    /// draws as one `normal()` each, x then y, computed by the vector kernels).
    func finished(noise: Double, classCount: Int, random: inout SeededRandom) -> Dataset {
        var order = Array(xs.indices)
        random.shuffle(&order)
        var features = [Float](repeating: 0, count: 2 * order.count)
        var shuffledLabels = [Int](repeating: 0, count: order.count)
        var blockStart = 0
        while blockStart < order.count {
            let blockEnd = min(blockStart + Self.samplesPerNoiseBlock, order.count)
            let normals = noise > 0 ? random.normals(count: 2 * (blockEnd - blockStart)) : []
            for position in blockStart..<blockEnd {
                let source = order[position]
                var x = xs[source]
                var y = ys[source]
                if noise > 0 {
                    x = x + noise * normals[2 * (position - blockStart)]
                    y = y + noise * normals[2 * (position - blockStart) + 1]
                }
                features[2 * position] = Float(x)
                features[2 * position + 1] = Float(y)
                shuffledLabels[position] = labels[source]
            }
            blockStart = blockEnd
        }
        return Dataset(features: Matrix(rows: order.count, columns: 2, storage: features),
                       labels: shuffledLabels, classCount: classCount, featureNames: ["x1", "x2"])
    }
}
