import Foundation
import NNMPlot

/// Reading PNG files back in the tests: NNMPlot decodes bytes and touches no file.
enum PNGFile {
    static func read(_ path: String) throws -> PNG.Decoded {
        try PNG.decode(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }
}
