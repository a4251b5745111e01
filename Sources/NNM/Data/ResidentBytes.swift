/// A whole file's bytes, read once and shared by every stream made from it (``IDXStream``'s
/// ``IDXStream/ImageStorage/memory``): a class, so that a split's parts and their subsets hold
/// one copy, released with the last of them.
final class ResidentBytes: Sendable {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
}
