import ArgumentParser
import NNMRender
import Testing
@testable import nnm_render

/// nnm-render's flags parsed in process (`parseAsRoot`): sizes and point sources arrive typed,
/// and malformed values are a bad command line before any file is read.
@Suite struct RenderFlagTests {
    static func parse(_ arguments: [String]) throws -> any ParsableCommand {
        try RenderCommand.parseAsRoot(arguments)
    }

    static func refusal(_ arguments: [String]) -> String? {
        do {
            _ = try parse(arguments)
            return nil
        } catch {
            #expect(RenderCommand.exitCode(for: error).rawValue == 64, "\(arguments)")
            return RenderCommand.message(for: error)
        }
    }

    @Test func typedOptionsArriveTyped() throws {
        let boundary = try #require(try Self.parse(["boundary", "m.nnm", "-o", "b.png", "--size", "700×600", "--data", "CSV:pts.csv"]) as? BoundaryCommand)
        #expect(boundary.common.size == Dimensions(first: 700, second: 600))
        #expect(boundary.data == .csv(path: "pts.csv"))
        let confusion = try #require(try Self.parse(["confusion", "m.nnm", "-o", "c.png", "--data", "idx:i.idx,l.idx"]) as? ConfusionCommand)
        #expect(confusion.data == .idx(images: "i.idx", labels: "l.idx"))
        let weights = try #require(try Self.parse(["weights", "m.nnm", "-o", "w.png", "--as-images", "28x28"]) as? WeightsCommand)
        #expect(weights.asImages == Dimensions(first: 28, second: 28))
    }

    @Test(arguments: [
        (["loss", "m.nnm", "-o", "l.png", "--size", "big"], "--size must look like 1200x450"),
        (["loss", "m.nnm", "-o", "l.png", "--size", "10x10"], "each side must be 64 to 8192 pixels"),
        (["loss", "m.nnm", "-o", "l.png", "--size", "300x120"], "the minimum is 520x260"),
        (["weights", "m.nnm", "-o", "w.png", "--as-images", "28"], "--as-images must look like 28x28"),
        (["boundary", "m.nnm", "-o", "b.png", "--data", "pts.csv"], "--data must be csv:PATH or idx:IMAGES,LABELS"),
        (["boundary", "m.nnm", "-o", "b.png", "--data", "idx:images.idx"], "--data must be csv:PATH or idx:IMAGES,LABELS"),
        (["boundary", "m.nnm", "-o", "b.png", "--grid", "3"], "--grid must be between 8 and 4096"),
        (["loss", "m.nnm", "-o", "l.png", "--smooth", "1.5"], "--smooth must be between 0 and 0.99"),
        (["loss", "m.nnm", "-o", "l.png", "--scale", "9"], "--scale must be between 0.5 and 4"),
    ])
    func malformedValuesAreABadCommandLine(arguments: [String], expected: String) {
        let message = Self.refusal(arguments)
        #expect(message?.contains(expected) == true, "\(arguments): \(message ?? "accepted")")
    }

    /// A mistyped picture name was reported as "Unknown option '-o'" (the name taken for an
    /// argument of the bare command).
    @Test func aMistypedPictureNameIsNamed() throws {
        let run = try Tool(name: "nnm-render").run(["lose", "m.nnm", "-o", "x.png"])
        #expect(run.status == 64)
        #expect(run.stderr == "nnm-render: error: unknown subcommand 'lose'; one of: loss, weights, boundary, network, confusion, roc, residuals, evolution, weights-over-time, compare, all\n", "\(run.stderr)")
    }
}
