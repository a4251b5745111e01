import Foundation
@testable import NNMPlot

/// PNG files for the tests (looking at demo pictures, reading them back). NNMPlot itself makes
/// bytes and touches no file; the tools write through NNMRender's `PictureFile`.
enum PNGFile {
    static func write(_ canvas: Canvas, to path: String) throws {
        try Data(PNG.encode(canvas)).write(to: URL(fileURLWithPath: path))
    }

    static func read(_ path: String) throws -> PNG.Decoded {
        try PNG.decode(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }
}
