#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Memory advice for buffers of many megabytes (a file of 50,000 images read whole).
///
/// Each first touch of a 4 KiB page is a page fault, and on a virtual machine a fault costs
/// microseconds: reading 39 MB of images into a fresh array spent ~30 ms faulting, more than
/// the read itself. On Linux, where transparent huge pages are usually on "madvise", asking for
/// them turns ~10,000 faults into ~20. The advice is only advice: refused, it changes nothing.
public enum LargeBuffer {
    /// Below this, a buffer is left to the allocator's defaults: not even one huge page fits.
    public static let hugePageMinimum = 4 << 20

    /// Asks for huge pages over the 2 MiB-aligned part of `buffer`, which must not have been
    /// touched yet to benefit. Does nothing for a small buffer or off Linux.
    public static func adviseHugePages(_ buffer: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        guard buffer.count >= hugePageMinimum, let base = buffer.baseAddress else { return }
        let huge = 2 << 20
        let start = (Int(bitPattern: base) + huge - 1) / huge * huge
        let end = (Int(bitPattern: base) + buffer.count) / huge * huge
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(aligned, end - start, MADV_HUGEPAGE)
        #endif
    }
}
