#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// One spelling of each libm function NNM's generators use, so that every caller gets the
// same bits (see spec/random.md: binary64 `log`, `cos`, `sin`, `exp` from the C library).
@inline(__always) func libmLog(_ x: Double) -> Double { log(x) }
@inline(__always) func libmCos(_ x: Double) -> Double { cos(x) }
@inline(__always) func libmSin(_ x: Double) -> Double { sin(x) }
