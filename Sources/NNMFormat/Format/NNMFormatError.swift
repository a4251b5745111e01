/// Everything that can be wrong with a `.nnm` file or with a model about to be written.
///
/// Each case names what is wrong and where (byte offset, section, tensor, layer), so that one
/// line of text is enough for a user to act. `code` is a stable identifier used by the test
/// vector manifest and by `nnm-inspect`'s exit status.
public enum NNMFormatError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened, read, or written (errno from the OS).
    case io(path: String, operation: String, errno: Int32)
    /// A write would replace something that is not a regular file (a device, FIFO, socket or
    /// directory): `kind` names what is there. Renaming over it would destroy it.
    case notARegularFile(path: String, kind: String)
    /// A path to read names something that is not a regular file (a directory, a device, a
    /// FIFO): refused before it is opened. Its identifier is `io`, as it always was.
    case notARegularFileToRead(path: String, kind: String)
    /// The bytes are not an `.nnm` file; `detected` names what they look like instead.
    case notNNM(detected: String)
    /// The signature shows the damage of a text-mode transfer (CR LF conversion, bit 7 stripped).
    case transferDamaged(detail: String)
    /// A major version this reader does not implement.
    case unsupportedVersion(major: UInt16, minor: UInt16)
    /// Header flags this reader does not understand (all flags are zero in v1).
    case unsupportedFlags(UInt32)
    /// The header's CRC-32 does not match its bytes.
    case headerChecksumMismatch(stored: UInt32, computed: UInt32)
    /// The header's file length differs from the real length (truncation or appended bytes).
    case fileLengthMismatch(declared: UInt64, actual: UInt64)
    /// A structure runs past the end of its container.
    case truncated(context: String, offset: Int, needed: UInt64, available: UInt64)
    /// A declared size or count beyond a v1 limit (checked before allocating).
    case limitExceeded(what: String, value: UInt64, limit: UInt64, offset: Int)
    /// A section type code that is not four ASCII letters.
    case invalidSectionType(type: String, offset: Int)
    /// A critical section's CRC-32 does not match.
    case sectionChecksumMismatch(section: String, offset: Int)
    /// A critical section type this reader does not know (it cannot safely ignore it).
    case unknownCriticalSection(type: String, offset: Int)
    /// A section missing, duplicated or out of the canonical order.
    case sectionOrder(section: String, offset: Int, reason: String)
    /// The header's section count differs from the sections actually present.
    case sectionCountMismatch(declared: UInt32, actual: UInt32)
    /// A field inside a section holds a value v1 forbids (bad enum, invalid UTF-8, trailing bytes…).
    case malformed(section: String, offset: Int, reason: String)
    /// A layer kind id this reader does not know.
    case unknownLayerKind(id: UInt16, layer: Int)
    /// A tensor dtype, codec or filter id this reader does not know.
    case unsupportedTensorEncoding(tensor: String, field: String, value: UInt8)
    /// Layers and tensors that do not form a valid v1 model (chain, shapes, tensor set).
    case inconsistentModel(reason: String)
    /// Tensors that do not match what the layers own (missing, extra, misshapen…): an
    /// inconsistent model (its code is `inconsistentModel`), with the reason typed.
    case tensorMismatch(TensorMismatch)
    /// Tensor blob placement that does not tile the `WGHT` payload exactly.
    case tensorLayout(tensor: String, reason: String)
    /// A compressed block that does not inflate to exactly its raw length.
    case blobCorrupt(tensor: String, block: Int, reason: String)
    /// A tensor's decoded bytes do not match the CRC-32 in the tensor table.
    case tensorChecksumMismatch(tensor: String, stored: UInt32, computed: UInt32)
    /// The SHA-256 content digest in `TAIL` differs from the decoded content.
    case digestMismatch(stored: String, computed: String)
    /// A failure of zlib or libcrypto itself (out of memory, library error).
    case library(name: String, detail: String)

    /// Stable identifier of the case (used in `spec/vectors/manifest.txt`).
    public var code: String {
        switch self {
        case .io, .notARegularFileToRead: "io"
        case .notARegularFile: "notARegularFile"
        case .notNNM: "notNNM"
        case .transferDamaged: "transferDamaged"
        case .unsupportedVersion: "unsupportedVersion"
        case .unsupportedFlags: "unsupportedFlags"
        case .headerChecksumMismatch: "headerChecksumMismatch"
        case .fileLengthMismatch: "fileLengthMismatch"
        case .truncated: "truncated"
        case .limitExceeded: "limitExceeded"
        case .invalidSectionType: "invalidSectionType"
        case .sectionChecksumMismatch: "sectionChecksumMismatch"
        case .unknownCriticalSection: "unknownCriticalSection"
        case .sectionOrder: "sectionOrder"
        case .sectionCountMismatch: "sectionCountMismatch"
        case .malformed: "malformed"
        case .unknownLayerKind: "unknownLayerKind"
        case .unsupportedTensorEncoding: "unsupportedTensorEncoding"
        case .inconsistentModel, .tensorMismatch: "inconsistentModel"
        case .tensorLayout: "tensorLayout"
        case .blobCorrupt: "blobCorrupt"
        case .tensorChecksumMismatch: "tensorChecksumMismatch"
        case .digestMismatch: "digestMismatch"
        case .library: "library"
        }
    }

    /// The broad class of the failure, which `nnm-inspect` maps to its exit status.
    public var category: Category {
        switch self {
        case .io, .notARegularFile, .notARegularFileToRead, .library: .io
        case .notNNM, .transferDamaged, .unsupportedVersion, .unsupportedFlags,
             .unknownCriticalSection, .unknownLayerKind, .unsupportedTensorEncoding:
            .unsupported
        case .headerChecksumMismatch, .sectionChecksumMismatch, .blobCorrupt,
             .tensorChecksumMismatch, .digestMismatch:
            .integrity
        case .fileLengthMismatch, .truncated, .limitExceeded, .invalidSectionType, .sectionOrder,
             .sectionCountMismatch, .malformed, .inconsistentModel, .tensorMismatch, .tensorLayout:
            .malformed
        }
    }

    public enum Category: Sendable {
        /// Cannot read or write the file at all.
        case io
        /// Not an `.nnm` file, or one that needs a newer reader.
        case unsupported
        /// Structurally invalid: sizes, limits, order, inconsistent tables.
        case malformed
        /// Checksums or digest do not match: the bytes were damaged.
        case integrity
    }

    public var description: String {
        switch self {
        case let .io(path, operation, errno):
            return "cannot \(operation) '\(escapeForDisplay(path))': \(errnoText(errno))"
        case let .notARegularFile(path, kind):
            return "refusing to replace '\(escapeForDisplay(path))': it is \(kind), not a regular file"
        case let .notARegularFileToRead(path, kind):
            return "cannot read '\(escapeForDisplay(path))': it is \(kind), not a regular file"
        case let .notNNM(detected):
            return "not an .nnm file: \(detected)"
        case let .transferDamaged(detail):
            return "damaged .nnm signature (\(detail)); the file was probably transferred in text mode"
        case let .unsupportedVersion(major, minor):
            return "file is .nnm \(major).\(minor); this reader supports 1.x only"
        case let .unsupportedFlags(flags):
            return "header flags 0x\(String(flags, radix: 16)) are not defined in .nnm 1.x"
        case let .headerChecksumMismatch(stored, computed):
            return "header CRC-32 mismatch at offset 28 (stored \(hex32(stored)), computed \(hex32(computed)))"
        case let .fileLengthMismatch(declared, actual):
            return actual < declared
                ? "file is truncated: header declares \(declared) bytes, file has \(actual)"
                : "file has \(actual - declared) unexpected bytes after its declared end (\(declared) bytes)"
        case let .truncated(context, offset, needed, available):
            return "truncated \(context) at offset \(offset): needs \(needed) bytes, \(available) available"
        case let .limitExceeded(what, value, limit, offset):
            return "\(what) is \(value) at offset \(offset), above the v1 limit of \(limit)"
        case let .invalidSectionType(type, offset):
            return "invalid section type '\(type)' at offset \(offset)"
        case let .sectionChecksumMismatch(section, offset):
            return "CRC-32 mismatch in section \(section) at offset \(offset)"
        case let .unknownCriticalSection(type, offset):
            return "unknown critical section '\(type)' at offset \(offset): this file needs a newer reader"
        case let .sectionOrder(section, offset, reason):
            return "section \(section) at offset \(offset): \(reason)"
        case let .sectionCountMismatch(declared, actual):
            return "header declares \(declared) sections, file has \(actual)"
        case let .malformed(section, offset, reason):
            return "malformed \(section) at offset \(offset): \(reason)"
        case let .unknownLayerKind(id, layer):
            return "layer \(layer) has unknown kind id \(id): this file needs a newer reader"
        case let .unsupportedTensorEncoding(tensor, field, value):
            return "tensor '\(escapeForDisplay(tensor))' has unknown \(field) id \(value)"
        case let .inconsistentModel(reason):
            return "inconsistent model: \(reason)"
        case let .tensorMismatch(mismatch):
            return "inconsistent model: \(mismatch)"
        case let .tensorLayout(tensor, reason):
            return "tensor '\(escapeForDisplay(tensor))': \(reason)"
        case let .blobCorrupt(tensor, block, reason):
            return "tensor '\(escapeForDisplay(tensor))' block \(block) is corrupt: \(reason)"
        case let .tensorChecksumMismatch(tensor, stored, computed):
            return "tensor '\(escapeForDisplay(tensor))' CRC-32 mismatch (stored \(hex32(stored)), computed \(hex32(computed)))"
        case let .digestMismatch(stored, computed):
            return "content digest mismatch (stored \(stored), computed \(computed))"
        case let .library(name, detail):
            return "\(name) failed: \(detail)"
        }
    }
}

func hex32(_ v: UInt32) -> String {
    let s = String(v, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - s.count)) + s
}
