import Testing
@testable import NNM

/// A CSV number is plain decimal notation; what `strtod` takes beyond that is refused.
@Suite struct CSVNumberTests {
    @Test(arguments: ["0", "-1.5", "+2", ".5", "3.", "2e-3", "1E+10", "007", "-0.0"])
    func decimalNotationIsANumber(_ text: String) {
        #expect(CSVNumber.isDecimal(text))
        #expect(CSVNumber.isDecimal(("x" + text).dropFirst()))   // a substring, as a cell may be
        #expect(CSVNumber.double(text) == Double(text))
    }

    @Test(arguments: ["0x1p3", "0X10", "inf", "-infinity", "nan", "NaN(1)", "1.0\u{0}GARBAGE",
                      "1.0\u{0}", "", "+", ".", "e5", "1e", "1e+", "1.2.3", "1,5", " 1", "1 ", "1_000", "١"])
    func otherSpellingsAreNotNumbers(_ text: String) {
        #expect(!CSVNumber.isDecimal(text))
        #expect(!CSVNumber.isDecimal(("x" + text).dropFirst()))
        #expect(CSVNumber.float(text) == nil)
    }

    @Test func aNulByteInAFeatureCellIsAnErrorNotATruncatedNumber() {
        let csv = Array("x,y\n1.0\u{0}GARBAGE,0\n2,1\n".utf8)
        #expect(throws: DataError.self) { try Dataset.parseCSV(csv, path: "nul.csv") }
    }

    @Test func aHexadecimalFeatureIsAnError() {
        let csv = Array("x,y\n0x1p3,0\n2,1\n".utf8)
        #expect(throws: DataError.self) { try Dataset.parseCSV(csv, path: "hex.csv") }
    }

    @Test func hexadecimalLabelsAreTextNotTheNumberTheySpell() throws {
        // As numbers, 0x1p3 and 8 would be one class; as text they are two.
        let csv = Array("x,y\n1,0x1p3\n2,8\n3,8\n".utf8)
        let data = try Dataset.parseCSV(csv, path: "labels.csv")
        #expect(data.classCount == 2)
    }
}
