/// What a reader learned about the file itself, beyond the model: its length, sections,
/// stored digest, and what it skipped or dropped. `nil` for a model built in memory.
public struct ReadInfo: Sendable {
    /// Version written in the header (also in `ModelFile.version`).
    public var fileVersion: FormatVersion
    public var fileLength: UInt64
    /// SHA-256 content digest stored in the `TAIL` section (not yet verified: see `verify()`).
    public var storedDigest: [UInt8]
    /// Every section in file order.
    public var sections: [SectionInfo]
    /// Non-fatal findings: newer minor version, skipped unknown sections, dropped damaged
    /// ancillary sections. A file with a dropped section fails `verify()`.
    public var warnings: [ReadWarning]
    /// Where the tensor bytes live (for lazy decoding and verification).
    let source: BlobSource
}

/// One section as found in the file.
public struct SectionInfo: Sendable, Hashable {
    /// The section's type (its code; `description` escapes it for display).
    public var type: SectionType
    /// Offset of the section's first byte (its type code).
    public var offset: Int
    public var payloadLength: UInt64
    /// Upper-case first letter: a reader that does not know it must refuse the file.
    public var isCritical: Bool
    /// Whether this reader knows the type.
    public var isKnown: Bool
}

/// A finding that does not stop the model from loading (PNG's ancillary-chunk policy).
public enum ReadWarning: Sendable, Equatable, CustomStringConvertible {
    /// The file was written by a newer minor version; unknown additions were skipped.
    case newerMinorVersion(FormatVersion)
    /// An ancillary section this reader does not know, skipped.
    case skippedUnknownSection(type: SectionType, offset: Int)
    /// A known ancillary section (metadata, history, recipe) whose CRC or content is bad; it
    /// was dropped and the model loaded without it.
    case droppedDamagedSection(type: SectionType, offset: Int, error: NNMFormatError)

    public var description: String {
        switch self {
        case .newerMinorVersion(let v): "file is .nnm \(v), newer than this reader's \(FormatVersion.current); unknown additions skipped"
        case let .skippedUnknownSection(type, offset): "skipped unknown ancillary section '\(type)' at offset \(offset)"
        case let .droppedDamagedSection(type, offset, error): "dropped damaged section \(type) at offset \(offset): \(error)"
        }
    }
}

/// Where a file's bytes are: in memory, or in a file re-opened when a tensor is decoded.
enum BlobSource: Sendable {
    case memory([UInt8])
    case file(path: String)

    /// Runs `body` over `count` bytes at `offset`, after checking the range.
    func withBytes<R>(at offset: UInt64, count: Int, context: String,
                      _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        switch self {
        case .memory(let bytes):
            let (end, overflow) = offset.addingReportingOverflow(UInt64(count))
            guard !overflow, end <= UInt64(bytes.count) else {
                throw NNMFormatError.truncated(context: context, offset: Int(clamping: offset), needed: UInt64(count),
                                               available: UInt64(bytes.count) > offset ? UInt64(bytes.count) - offset : 0)
            }
            return try bytes.withUnsafeBytes { raw in
                try body(UnsafeRawBufferPointer(rebasing: raw[Int(offset)..<Int(end)]))
            }
        case .file(let path):
            let file = try FileInput(path: path)
            let (end, overflow) = offset.addingReportingOverflow(UInt64(count))
            guard !overflow, end <= file.length else {
                throw NNMFormatError.truncated(context: "\(context) (file changed since it was opened?)",
                                               offset: Int(clamping: offset), needed: UInt64(count),
                                               available: file.length > offset ? file.length - offset : 0)
            }
            return try file.read(at: offset, count: count).withUnsafeBytes(body)
        }
    }
}

/// Positional access used while parsing the header and tables.
protocol PositionalInput {
    var length: UInt64 { get }
    func read(at offset: UInt64, count: Int) throws -> [UInt8]
}

struct MemoryInput: PositionalInput {
    let bytes: [UInt8]
    var length: UInt64 { UInt64(bytes.count) }
    func read(at offset: UInt64, count: Int) throws -> [UInt8] {
        let start = Int(offset)
        guard start >= 0, count >= 0, start <= bytes.count - count else {
            throw NNMFormatError.truncated(context: "file", offset: start, needed: UInt64(max(0, count)),
                                           available: UInt64(max(0, bytes.count - start)))
        }
        return Array(bytes[start..<(start + count)])
    }
}
