import Foundation
import Testing
@testable import NNM

/// The streaming CSV reader gives the very records, lines and errors the whole-file reader
/// gives, across piece boundaries (quoted line breaks, CRLF split between pieces).
@Suite struct CSVRecordStreamTests {
    static func records(of bytes: [UInt8], delimiter: CSVDelimiter) throws -> [CSVRecord] {
        var reader = CSVRecordReader(bytes: bytes, path: "t.csv", delimiter: delimiter)
        var all: [CSVRecord] = []
        while let record = try reader.next() { all.append(record) }
        return all
    }

    @Test func aFileOfSeveralPiecesStreamsAsItParsesWhole() throws {
        var text = "\u{FEFF}name;value;note\r\n"
        var random = SeededRandom(seed: 3, stream: 4)
        var row = 0
        while text.utf8.count < 3 * CSVRecordStream.pieceBytes + 1000 {
            let note = random.uniform() < 0.1 ? "\"two\nlines; \"\"quoted\"\"\"" : "plain"
            text += "r\(row);\(random.uniform());\(note)" + (row % 3 == 0 ? "\r\n" : row % 3 == 1 ? "\n" : "\r")
            if row % 50 == 0 { text += "\n" }
            row += 1
        }
        let directory = try DataTestDirectory()
        let path = try directory.write("big.csv", text)
        var stream = try CSVRecordStream(path: path, delimiter: .semicolon)
        var streamed: [(line: Int, fields: [String])] = []
        while let record = try stream.next() { streamed.append(record) }
        let whole = try Self.records(of: Array(text.utf8), delimiter: .semicolon)
        #expect(streamed.count == whole.count)
        #expect(streamed.count > 1000)
        #expect(streamed.map(\.line) == whole.map(\.line))
        #expect(streamed.map(\.fields) == whole.map(\.fields))
        #expect(streamed.first?.fields == ["name", "value", "note"])
    }

    @Test func piecesEndOnlyOutsideQuotesAndNotBetweenCRAndLF() {
        #expect(CSVRecordStream.lastRecordEnd(in: Array("a,\"b\nc\"\nd".utf8)) == 8)
        #expect(CSVRecordStream.lastRecordEnd(in: Array("a,\"b\nc".utf8)) == nil)
        #expect(CSVRecordStream.lastRecordEnd(in: Array("a\r\nb\r".utf8)) == 3)
        #expect(CSVRecordStream.lineBreaks(in: Array("a\r\nb\rc\n".utf8)) == 3)
    }

    @Test func anUnclosedQuoteIsAnErrorWithItsLine() throws {
        let directory = try DataTestDirectory()
        let path = try directory.write("bad.csv", "a,b\n1,\"2\n3,4\n")
        var stream = try CSVRecordStream(path: path, delimiter: .comma)
        _ = try stream.next()
        #expect { try stream.next() } throws: { "\($0)".hasPrefix("\(path):2:2: a quoted field is never closed") }
    }
}
