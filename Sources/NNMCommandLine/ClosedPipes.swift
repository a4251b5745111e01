#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes a write to a closed pipe (`nnm-inspect … | head -1`) fail with `EPIPE`, which the
/// tools report as a one-line error and exit status 1, instead of `SIGPIPE` killing the
/// process with status 141 and nothing on stderr. Every tool calls it first thing.
public func reportClosedPipesAsErrors() {
    signal(SIGPIPE, SIG_IGN)
}
