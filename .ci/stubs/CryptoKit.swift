// The part of Apple's CryptoKit interface that NNMFiles uses, as documented
// (developer.apple.com/documentation/cryptokit/sha256): `.ci/check-platforms` compiles NNMFiles
// against it on Linux, where `canImport(CryptoKit)` is otherwise false, to type-check the Apple
// branch (Sources/NNMFiles/SHA256Backend+CryptoKit.swift). Declarations only: never linked,
// never run.

/// CryptoKit's `HashFunction` requirements that NNMFiles relies on.
public protocol HashFunction {
    associatedtype Digest: Sequence where Digest.Element == UInt8
    init()
    mutating func update(bufferPointer: UnsafeRawBufferPointer)
    func finalize() -> Digest
}

public struct SHA256Digest: Sequence, Hashable {
    public static var byteCount: Int { 32 }
    public func makeIterator() -> Array<UInt8>.Iterator { fatalError("interface stub: type-checking only") }
}

public struct SHA256: HashFunction {
    public typealias Digest = SHA256Digest
    public static var byteCount: Int { 32 }
    public init() {}
    public mutating func update(bufferPointer: UnsafeRawBufferPointer) {}
    public func finalize() -> SHA256Digest { fatalError("interface stub: type-checking only") }
}
