#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Which instruction set the math kernels may use. Every choice gives the same bits.
public enum KernelPath: String, Sendable, CaseIterable {
    /// The fastest path this CPU supports: AVX-512F, else AVX2+FMA, else portable.
    case automatic
    /// At most AVX2+FMA (`NNM_KERNELS=avx2`), for comparing paths on an AVX-512 machine.
    case avx2
    /// Plain C with `fmaf` on every CPU (`NNM_KERNELS=portable`). Same bits as `automatic`,
    /// much slower; exists so tests and users can check that claim.
    case portable
}

/// How the math kernels run: thread budget and instruction set.
///
/// There is no mutable global: the value in force is `ComputeOptions.current`, a task-local
/// whose default (`ComputeOptions.environment`) is read once from the environment. To change it
/// for a piece of work, bind it around that work:
///
/// ```swift
/// try ComputeOptions.$current.withValue(ComputeOptions(threads: 1)) {
///     try trainer.run()          // every Ops call inside uses at most one thread
/// }
/// ```
///
/// Results never depend on these options: every path and thread count gives the same bits.
public struct ComputeOptions: Sendable, Equatable, CustomStringConvertible {
    /// The most threads one product may use. A product uses a second thread only when it is
    /// large enough for the split to pay (see `Ops.threadsWorthUsing`).
    public var threads: Int
    /// Which kernel copy to run.
    public var kernelPath: KernelPath
    /// Multiply-adds below which a product stays on one thread (`Kernels.parallelThreshold`
    /// by default; 0 splits every product that has room, for measuring).
    public var parallelThreshold: Int = Kernels.parallelThreshold

    /// Options with at least one thread.
    public init(threads: Int = ComputeOptions.environment.threads,
                kernelPath: KernelPath = ComputeOptions.environment.kernelPath) {
        self.threads = max(1, threads)
        self.kernelPath = kernelPath
    }

    private init(validatedThreads: Int, kernelPath: KernelPath) {
        self.threads = validatedThreads
        self.kernelPath = kernelPath
    }

    /// Read once per process: `NNM_THREADS` (1 to 64; default: the online cores, at most 8) and `NNM_KERNELS` (`portable` forces the fallback, `avx2` caps the
    /// instruction set at AVX2; anything else, or unset, means `automatic`). Unparseable values
    /// fall back to the defaults (``environmentProblems(checksThreads:)`` names them).
    public static let environment: ComputeOptions = {
        let cores = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        var threads = min(max(cores, 1), 8)
        if let raw = getenv("NNM_THREADS"), let n = Int(String(cString: raw)), (1...64).contains(n) {
            threads = n
        }
        var path = KernelPath.automatic
        if let raw = getenv("NNM_KERNELS"),
           let requested = KernelPath(rawValue: String(cString: raw).lowercased()) {
            path = requested
        }
        return ComputeOptions(validatedThreads: threads, kernelPath: path)
    }()

    /// What is wrong with `NNM_THREADS` and `NNM_KERNELS` as set in this process's environment:
    /// empty when each is unset, empty or valid. ``environment`` falls back to the defaults on a
    /// bad value (a library must not fail on its host's environment); the command-line tools
    /// refuse to run instead, since a typo such as `NNM_KERNELS=portible` would otherwise test
    /// the fast path while claiming to test the fallback.
    /// - Parameter checksThreads: false when the caller sets the thread count itself
    ///   (`nnm-train --threads`), so `NNM_THREADS` does not matter.
    public static func environmentProblems(checksThreads: Bool = true) -> [String] {
        var problems: [String] = []
        if checksThreads, let raw = getenv("NNM_THREADS").map({ String(cString: $0) }), !raw.isEmpty,
           !(Int(raw).map { (1...64).contains($0) } ?? false) {
            problems.append("NNM_THREADS=\(raw) is not a number of threads from 1 to 64 (unset it to use every core)")
        }
        if let raw = getenv("NNM_KERNELS").map({ String(cString: $0) }), !raw.isEmpty,
           KernelPath(rawValue: raw.lowercased()) == nil {
            problems.append("NNM_KERNELS=\(raw) is not one of \(KernelPath.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return problems
    }

    /// The options in force for the current task or thread.
    @TaskLocal public static var current: ComputeOptions = environment

    /// The instruction set `kernelPath` resolves to on this CPU.
    package var resolvedInstructionSet: Kernels.InstructionSet { Kernels.resolve(kernelPath) }

    public var description: String {
        "threads=\(threads) kernels=\(kernelPath.rawValue) (\(resolvedInstructionSet.rawValue))"
    }
}
