import Foundation
import NNMFormat
import Testing
@testable import NNM

/// The CSV options beyond the label column: the separator (given or detected), the feature
/// columns, and the pandas index column; and their recipe parameters, stored only when they
/// differ from the defaults.
@Suite struct CSVOptionTests {
    static let rows = [["id", "a", "b", "kind"], ["7", "1.5", "2", "x"], ["9", "0.5", "1", "y"], ["3", "2.5", "0", "x"]]

    static func text(_ separator: String, rows: [[String]] = rows) -> String {
        rows.map { $0.joined(separator: separator) }.joined(separator: "\n") + "\n"
    }

    @Test(arguments: CSVDelimiter.allCases) func everySeparatorReadsTheSameData(delimiter: CSVDelimiter) throws {
        let data = try Dataset.parseCSV(Array(Self.text(delimiter.rawValue).utf8), path: "t.csv",
                                        format: CSVFormat(delimiter: delimiter))
        #expect(data.featureNames == ["id", "a", "b"])
        #expect(data.features.storage == [7, 1.5, 2, 9, 0.5, 1, 3, 2.5, 0])
        #expect(CSVDelimiter.detect(in: Array(Self.text(delimiter.rawValue).utf8)) == delimiter)
    }

    @Test func detectionIgnoresSeparatorsInQuotesAndPrefersCommaOnATie() {
        #expect(CSVDelimiter.detect(in: Array("\"a;b;c\",d\n1,2\n".utf8)) == .comma)
        #expect(CSVDelimiter.detect(in: Array("\n\na;b,c;d\n".utf8)) == .semicolon)
        #expect(CSVDelimiter.detect(in: Array("a;b,c\n".utf8)) == .comma)
        #expect(CSVDelimiter.detect(in: Array("abc\n".utf8)) == .comma)
    }

    @Test func columnsChooseAndOrderTheFeatures() throws {
        let bytes = Array(Self.text(",").utf8)
        let chosen = try Dataset.parseCSV(bytes, path: "t.csv", format: CSVFormat(columns: ["b", "1"]))
        #expect(chosen.featureNames == ["b", "a"])
        #expect(chosen.features.storage == [2, 1.5, 1, 0.5, 0, 2.5])
        let dropped = try Dataset.parseCSV(bytes, path: "t.csv", format: CSVFormat(dropColumns: ["id"]))
        #expect(dropped.featureNames == ["a", "b"])
        #expect(dropped.features.storage == [1.5, 2, 0.5, 1, 2.5, 0])
        // A text column that is dropped is never parsed.
        let withText = Self.text(",", rows: Self.rows.map { ["note"] + $0 }.enumerated().map { i, r in
            i == 0 ? r : ["word \(i)"] + r.dropFirst() })
        let kept = try Dataset.parseCSV(Array(withText.utf8), path: "t.csv", format: CSVFormat(dropColumns: ["note", "0"]))
        #expect(kept.featureNames == ["id", "a", "b"])
    }

    @Test func badColumnChoicesAreRefusedWithTheirReason() throws {
        let bytes = Array(Self.text(",").utf8)
        for (format, words) in [
            (CSVFormat(columns: ["kind"]), "is the label column"),
            (CSVFormat(columns: ["a", "1"]), "given twice"),
            (CSVFormat(columns: ["nope"]), "no column named 'nope'"),
            (CSVFormat(dropColumns: ["kind"]), "cannot be dropped"),
            (CSVFormat(dropColumns: ["id", "a", "b"]), "no feature column is left"),
            (CSVFormat(columns: ["9"]), "feature column 9 is outside the 4 columns"),
        ] {
            #expect { try Dataset.parseCSV(bytes, path: "t.csv", format: format) } throws: { error in
                "\(error)".contains(words) && "\(error)".hasPrefix("t.csv:1: ")
            }
        }
        #expect(throws: DataError.self) { try CSVFormat(columns: ["a"], dropColumns: ["b"]).validate() }
        #expect(throws: DataError.self) { try CSVFormat(columns: []).validate() }
    }

    @Test func aSemicolonFileReadAsCommasSaysWhy() {
        #expect { try Dataset.parseCSV(Array(Self.text(";").utf8), path: "t.csv") } throws: { error in
            "\(error)".contains("see --delimiter")
        }
    }

    @Test func aNewRecipeDetectsTheSeparatorAndDropsAnIndexColumn() throws {
        let directory = try DataTestDirectory()
        var pandas = [";a;b;kind"]
        for row in 0..<20 { pandas.append("\(row);\(Double(row) * 0.5);\(row % 3);\(row < 10 ? "lo" : "hi")") }
        let path = try directory.write("pandas.csv", pandas.joined(separator: "\n"))
        let recipe = try DataRecipe.parse("csv:" + path, seed: 1, validationFraction: 0, testFraction: 0)
        guard case let .csv(_, _, _, format) = recipe.source else { Issue.record("not csv"); return }
        #expect(format == CSVFormat(delimiter: .semicolon, dropColumns: ["0"]))
        #expect(recipe.csvNotes(given: DataSourceOptions()).count == 2)
        #expect(recipe.csvNotes(given: DataSourceOptions(delimiter: .semicolon)).count == 1)
        let data = try recipe.makeDataset()
        #expect(data.featureNames == ["a", "b"])
        // Stored and read back: the same recipe, the options among its parameters.
        let wire = DatasetRecipe(recipe)
        #expect(wire.parameters["delimiter"] == .string(";"))
        #expect(wire.parameters["drop_columns"] == .string("0"))
        #expect(try DataRecipe(wire) == recipe)
        // Given columns: nothing is dropped by itself.
        let chosen = try DataRecipe.parse("csv:" + path, dropColumns: [], seed: 1, validationFraction: 0, testFraction: 0)
        #expect(try chosen.makeDataset().featureNames == ["", "a", "b"])
    }

    @Test func anUnnamedColumnThatIsNotARowNumberIsKept() throws {
        let directory = try DataTestDirectory()
        let path = try directory.write("odd.csv", ",a,kind\n5,1,x\n1,2,y\n2,3,x\n")
        let recipe = try DataRecipe.parse("csv:" + path, seed: 1, validationFraction: 0, testFraction: 0)
        #expect(recipe.csvNotes(given: DataSourceOptions()).isEmpty)
        #expect(try recipe.makeDataset().featureCount == 2)
    }

    @Test func defaultOptionsAddNoRecipeParameter() throws {
        let directory = try DataTestDirectory()
        let path = try directory.write("plain.csv", Self.text(","))
        let wire = DatasetRecipe(try DataRecipe.parse("csv:" + path, seed: 1, validationFraction: 0, testFraction: 0))
        #expect(Set(wire.parameters.keys) == ["file_path", "file_name", "file_bytes", "file_sha256", "label_column", "header"])
        #expect(throws: DataError.self) {
            var bad = wire
            bad.parameters["delimiter"] = .string("|")
            _ = try DataRecipe(bad)
        }
    }
}
