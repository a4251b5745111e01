import Foundation
import Testing
@testable import NNM

@Suite struct DataCSVTests {
    static func parse(_ text: String, label: String = "-1", header: CSVHeaderMode = .auto) throws -> Dataset {
        try Dataset.parseCSV(Array(text.utf8), path: "t.csv", labelColumn: label, header: header)
    }

    /// The CSV error thrown by `body`, or nil (and a recorded issue) if it did not throw one.
    static func csvError(_ body: () throws -> Dataset) -> (line: Int, column: Int?, reason: String)? {
        do {
            _ = try body()
            Issue.record("no error thrown")
        } catch let DataError.malformedCSV(_, line, column, reason) {
            return (line, column, reason)
        } catch {
            Issue.record("unexpected error \(error)")
        }
        return nil
    }

    @Test func headerIsDetectedAndNamesAreKept() throws {
        let data = try Self.parse("x1,x2,species\n1.5,2,setosa\n3,4e-1,virginica\n-1,0,setosa\n")
        #expect(data.featureNames == ["x1", "x2"])
        #expect(try data.features == Matrix([[1.5, 2], [3, 0.4], [-1, 0]]))
        #expect(data.classNames == ["setosa", "virginica"] && data.labels == [0, 1, 0])
    }

    @Test func headerlessFilesAreDetectedToo() throws {
        let data = try Self.parse("1,2,b\n3,4,a\n")
        #expect(data.sampleCount == 2 && data.featureNames == nil)
        #expect(data.classNames == ["a", "b"] && data.labels == [1, 0])
        let numeric = try Self.parse("1,2,0\n3,4,1\n")
        #expect(numeric.sampleCount == 2)
    }

    @Test func headerModeCanBeForced() throws {
        let data = try Self.parse("1,2,3\n4,5,6\n7,8,9\n", header: .present)
        #expect(data.sampleCount == 2 && data.featureNames == ["1", "2"])
        // Auto sees 'cat' above '5' in the label column and guesses a header; absent overrides.
        #expect(try Self.parse("1,2,cat\n3,4,5\n5,6,cat\n").sampleCount == 2)
        let noHeader = try Self.parse("1,2,cat\n3,4,5\n5,6,cat\n", header: .absent)
        #expect(noHeader.sampleCount == 3 && noHeader.classNames == ["5", "cat"])
    }

    @Test func labelColumnByNameOrIndex() throws {
        let text = "label,a,b\ncat,1,2\ndog,3,4\n"
        let byName = try Self.parse(text, label: "label")
        let byIndex = try Self.parse(text, label: "0")
        #expect(byName == byIndex)
        #expect(try byName.features == Matrix([[1, 2], [3, 4]]) && byName.featureNames == ["a", "b"])
        let negative = try Self.parse("1,0,2\n3,1,4\n", label: "-2")
        #expect(try negative.labels == [0, 1] && negative.features == Matrix([[1, 2], [3, 4]]))
        let missing = Self.csvError { try Self.parse(text, label: "kind") }
        #expect(missing?.reason.contains("label, a, b") == true)
        #expect(Self.csvError { try Self.parse(text, label: "7") } != nil)
        #expect(Self.csvError { try Self.parse("1,2,a\n3,4,b\n", label: "kind") }?.reason.contains("index") == true)
    }

    @Test func numericLabelsSortByValue() throws {
        let data = try Self.parse("f,y\n1,10\n2,9\n3,10.0\n4,-1\n")
        #expect(data.classNames == ["-1", "9", "10"])
        #expect(data.labels == [2, 1, 2, 0])
    }

    @Test func bomCrlfQuotesAndBlankLines() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a,b,name\r\n\"1\",2,\"x, \"\"quoted\"\"\"\r\n\r\n3 , 4,y\r\n\n".utf8)
        let data = try Dataset.parseCSV(bytes, path: "t.csv")
        #expect(data.featureNames == ["a", "b"])
        #expect(try data.features == Matrix([[1, 2], [3, 4]]))
        #expect(data.classNames == ["x, \"quoted\"", "y"])
        let lonelyCR = try Self.parse("a,b,c\r1,2,p\r3,4,q")
        #expect(lonelyCR.sampleCount == 2)
        let multiline = try Self.parse("a,b,c\n1,2,\"two\nlines\"\n3,4,q\n5,6,\"x\"\n")
        #expect(multiline.classNames == ["q", "two\nlines", "x"])
    }

    @Test func errorsNameLineAndColumn() {
        let bad = Self.csvError { try Self.parse("a,b,c\n1,2,x\n3,oops,y\n") }
        #expect(bad?.line == 3 && bad?.column == 2 && bad?.reason.contains("oops") == true)
        #expect(bad?.reason.contains("feature column 'b'") == true)
        let empty = Self.csvError { try Self.parse("a,b,c\n1,,x\n") }
        #expect(empty?.line == 2 && empty?.column == 2)
        let nan = Self.csvError { try Self.parse("a,b,c\n1,2,x\n1,nan,y\n") }
        #expect(nan?.line == 3 && nan?.column == 2)
        let inf = Self.csvError { try Self.parse("a,b,c\n1,2,x\n1e39,1,y\n") }
        #expect(inf?.line == 3 && inf?.column == 1)
        let ragged = Self.csvError { try Self.parse("a,b,c\n1,2,x\n\n3,4\n") }
        #expect(ragged?.line == 4 && ragged?.reason.contains("2 fields") == true)
        let emptyLabel = Self.csvError { try Self.parse("a,b,c\n1,2,x\n3,4,\n") }
        #expect(emptyLabel?.line == 3 && emptyLabel?.column == 3)
        let afterMultiline = Self.csvError { try Self.parse("a,b,c\n1,2,\"p\nq\"\n3,x,r\n") }
        #expect(afterMultiline?.line == 4 && afterMultiline?.column == 2)
        let message = "\(DataError.malformedCSV(path: "t.csv", line: 3, column: 2, reason: "'oops' is not a number"))"
        #expect(message == "t.csv:3:2: 'oops' is not a number")
    }

    /// Cells must be UTF-8: a stray byte of another encoding is an error at its cell (ASCII
    /// cells take a faster decoding than others, and both must judge alike), while UTF-8 text
    /// beyond ASCII (a class named "café", quoted or not) is read as written.
    @Test func cellsMustBeUTF8() throws {
        let latin1 = Array("a,b,c\n1,2,x\n3,4,caf".utf8) + [0xE9] + Array("\n".utf8)
        let bad = Self.csvError { try Dataset.parseCSV(latin1, path: "t.csv") }
        #expect(bad?.line == 3 && bad?.column == 3 && bad?.reason == "the cell is not valid UTF-8")
        let truncated = Array("a,b,c\n1,2,x\n3,4,\"caf".utf8) + [0xC3] + Array("\"\n".utf8)
        #expect(Self.csvError { try Dataset.parseCSV(truncated, path: "t.csv") }?.column == 3)
        let dataset = try Self.parse("a,b,c\n1,2,café\n3,4,\"naïve\"\n5,6,café\n")
        #expect(dataset.classNames == ["café", "naïve"])
        #expect(dataset.labels == [0, 1, 0])
    }

    @Test func degenerateFilesAreRejected() {
        #expect(Self.csvError { try Self.parse("") }?.reason.contains("no data") == true)
        #expect(Self.csvError { try Self.parse("\n\n\r\n") } != nil)
        #expect(Self.csvError { try Self.parse("a,b,c\n") } != nil)
        #expect(Self.csvError { try Self.parse("1\n2\n") }?.reason.contains("one column") == true)
        #expect(Self.csvError { try Self.parse("a,b,c\n1,2,\"open\n") }?.reason.contains("never closed") == true)
        #expect(Self.csvError { try Self.parse("a,b,c\n1,2,\"x\"y\n") } != nil)
        #expect(Self.csvError { try Self.parse("a,b,c\n1,2,x\"y\n") } != nil)
        #expect(throws: DataError.self) { try Self.parse("a,b\n1,same\n2,same\n") }
        #expect(throws: DataError.self) {
            try Dataset.parseCSV([0x61, 0x2C, 0x62, 0x0A, 0x31, 0x2C, 0xFF, 0x0A, 0x32, 0x2C, 0x63], path: "t.csv")
        }
    }

    @Test func tooManyClassesLooksLikeRegression() {
        let rows = (0...1000).map { "\($0),\(Double($0) * 0.5)" }.joined(separator: "\n")
        do {
            _ = try Self.parse("x,target\n" + rows)
            Issue.record("a 1001-class column was accepted")
        } catch {
            #expect("\(error)".contains("numeric target"))
        }
    }

    @Test func writtenCSVReadsBackBitForBit() throws {
        let spiral = try Dataset.spiral(samples: 300, classes: 3, noise: 0.05, seed: 8)
        let back = try Dataset.parseCSV(Array(spiral.csvText().utf8), path: "spiral.csv")
        #expect(back.features.storage.map(\.bitPattern) == spiral.features.storage.map(\.bitPattern))
        #expect(back.labels == spiral.labels && back.featureNames == ["x1", "x2"])
        let named = try Dataset(features: Matrix([[1e-30, -0.0], [3.4e38, 1]]), labels: [1, 0], classCount: 2,
                            featureNames: ["a,b", "c"], classNames: ["say \"no\"", " yes"])
        let text = named.csvText()
        #expect(text.hasPrefix("\"a,b\",c,label\n"))
        let reread = try Dataset.parseCSV(Array(text.utf8), path: "named.csv")
        #expect(reread.features.storage.map(\.bitPattern) == named.features.storage.map(\.bitPattern))
        #expect(reread.classNames == [" yes", "say \"no\""] && reread.labels == [0, 1])
    }

    @Test func fileLoadingReportsMissingFiles() throws {
        #expect(throws: DataError.self) { try Dataset.loadCSV(path: "/nonexistent/x.csv") }
        let directory = try DataTestDirectory()
        #expect(throws: DataError.self) { try Dataset.loadCSV(path: directory.path) }
        let path = try directory.write("ok.csv", "a,b\n1,x\n2,y\n")
        #expect(try Dataset.loadCSV(path: path).sampleCount == 2)
        #expect(throws: DataError.fileTooLarge(path: path, bytes: 12, limit: 5)) { try DataFile.read(path, limit: 5) }
        #expect(throws: DataError.unreadableFile(path: "/dev/null", reason: "it is not a regular file")) {
            try Dataset.loadCSV(path: "/dev/null")
        }
        let link = directory.path + "/link.csv"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        #expect(try Dataset.loadCSV(path: link).sampleCount == 2)
    }
}
