/// A CSV file read record by record in pieces of about a mebibyte, with the rules of
/// ``Dataset/parseCSV(_:path:labelColumn:header:format:)`` (the same ``CSVRecordReader`` parses
/// each piece), so a file of any size is read in constant memory.
///
/// Each piece ends at a line break outside quotes, found by tracking the quote state from the
/// previous piece's end (always a record boundary). A record longer than
/// ``maximumRecordBytes`` is an error, not an unbounded buffer.
public struct CSVRecordStream {
    public let path: String
    public let delimiter: CSVDelimiter
    private let file: ReadOnlyFile
    /// Bytes of the file not yet handed to a reader (they start at a record boundary).
    private var pending: [UInt8] = []
    private var offset = 0
    private var reader: CSVRecordReader?
    private var nextLine = 1
    private var atFileStart = true

    /// Bytes read from the file at a time.
    static let pieceBytes = 1 << 20
    /// Most bytes one record may hold.
    public static let maximumRecordBytes = 1 << 26

    public init(path: String, delimiter: CSVDelimiter) throws {
        file = try ReadOnlyFile(path: path)
        self.path = path
        self.delimiter = delimiter
    }

    /// The file's first MiB (for detecting the separator and the header).
    public static func start(of path: String) throws -> [UInt8] {
        let file = try ReadOnlyFile(path: path)
        return try file.prefix(min(file.length, CSVFormat.sniffBytes))
    }

    /// The next non-blank record: its 1-based line and its fields; nil at the end of the file.
    public mutating func next() throws -> (line: Int, fields: [String])? {
        while true {
            if var current = reader {
                let record = try current.next()
                reader = current
                if let record { return (record.line, record.fields) }
                reader = nil
            }
            guard try loadPiece() else { return nil }
        }
    }

    /// Reads until `pending` holds at least one whole record (or the file's end), and hands
    /// the whole records to a new reader. False when nothing is left.
    private mutating func loadPiece() throws -> Bool {
        var cut: Int?
        while true {
            let atEnd = offset >= file.length
            if atEnd { cut = pending.count }
            else { cut = Self.lastRecordEnd(in: pending) }
            if let cut, cut > 0 || atEnd { break }
            guard pending.count <= Self.maximumRecordBytes else {
                throw DataError.malformedCSV(path: path, line: nextLine, column: nil,
                                             reason: "a record longer than \(Self.maximumRecordBytes) bytes (an unclosed quote?)")
            }
            let count = min(Self.pieceBytes, file.length - offset)
            var piece = [UInt8](repeating: 0, count: count)
            try piece.withUnsafeMutableBytes { try file.read(into: $0, at: offset) }
            offset += count
            pending += piece
        }
        let end = cut ?? 0
        guard end > 0 else { return false }
        let bytes = Array(pending[0..<end])
        pending.removeFirst(end)
        reader = CSVRecordReader(bytes: bytes, path: path, delimiter: delimiter, firstLine: nextLine,
                                 atFileStart: atFileStart)
        nextLine += Self.lineBreaks(in: bytes)
        atFileStart = false
        return true
    }

    /// The index just after the last line feed outside quotes (a lone CR counts when it is not
    /// the last byte, whose LF may be in the next piece); nil when there is none.
    static func lastRecordEnd(in bytes: [UInt8]) -> Int? {
        var quoted = false
        var end: Int?
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            guard !quoted else { continue }
            if byte == UInt8(ascii: "\n") { end = index + 1 }
            else if byte == UInt8(ascii: "\r"), index + 1 < bytes.count, bytes[index + 1] != UInt8(ascii: "\n") {
                end = index + 1
            }
        }
        return end
    }

    /// Lines the bytes span, counted as the reader counts them (CRLF, LF or CR is one break).
    static func lineBreaks(in bytes: [UInt8]) -> Int {
        var count = 0
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "\n") { count += 1 }
            else if byte == UInt8(ascii: "\r"), index + 1 >= bytes.count || bytes[index + 1] != UInt8(ascii: "\n") { count += 1 }
        }
        return count
    }
}
