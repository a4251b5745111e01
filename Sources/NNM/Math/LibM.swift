#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// One spelling of each C library function NNM calls, so that every caller and every build
// gets the same bits: binary32 `expf` (softmax) and `tanhf` for the layers (spec/training.md;
// the logistic function and binary cross-entropy use NNM's own exp and log in the C kernels,
// CNNMKernels/logistic_template.h), binary64 `log`, `cos`, `sin`, `exp` for the generators, the losses'
// double accumulations and the learning-rate schedule (spec/random.md, spec/training.md).

@inline(__always) func floatExp(_ x: Float) -> Float { expf(x) }
@inline(__always) func floatTanh(_ x: Float) -> Float { tanhf(x) }
@inline(__always) func doubleLog(_ x: Double) -> Double { log(x) }
@inline(__always) func doubleExp(_ x: Double) -> Double { exp(x) }
@inline(__always) func doubleCos(_ x: Double) -> Double { cos(x) }
@inline(__always) func doubleSin(_ x: Double) -> Double { sin(x) }
@inline(__always) func doublePow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
