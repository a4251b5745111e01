import NNM
import Testing
import NNMFormat
import NNMPlot
@testable import NNMRender

/// A file whose history section is damaged must not be drawn as if it had no history: the
/// reader drops the section (so the model still loads), and the renderer must say "damaged".
@Suite struct DamagedSectionTests {
    /// The file's bytes with one byte inside the payload of section `type` inverted.
    static func damaging(_ type: SectionType, in file: ModelFile) throws -> ModelFile {
        var bytes = try file.encoded()
        let sections = try #require(ModelFile(bytes: bytes).readInfo?.sections)
        let section = try #require(sections.first { $0.type == type })
        bytes[section.offset + 20] ^= 0xFF
        return try ModelFile(bytes: bytes)
    }

    @Test func damagedHistoryIsReportedAsDamagedNotMissing() throws {
        let damaged = try Self.damaging(.history, in: Fixture.mnistLike())
        #expect(damaged.history == nil)
        #expect(throws: RenderError.self) { _ = try renderLoss(damaged, theme: Fixture.theme()) }
        do {
            _ = try renderLoss(damaged, theme: Fixture.theme())
        } catch let error as RenderError {
            guard case .damagedSection(let type, _, _) = error else {
                Issue.record("expected damagedSection, got \(error)")
                return
            }
            #expect(type == "hist")
            #expect(!error.meansNotApplicable)
        }
    }

    @Test func renderAllFailsOnADamagedHistoryInsteadOfSkippingTheLossPicture() throws {
        let damaged = try Self.damaging(.history, in: Fixture.mnistLike())
        let outcomes = try renderAll(damaged, theme: Fixture.theme())
        let lossFailed = outcomes.contains { outcome in
            if case .failed(.loss, RenderError.damagedSection) = outcome { return true }
            return false
        }
        #expect(lossFailed)
    }

    @Test func aFileWithoutHistoryIsStillJustNotApplicable() throws {
        let error = RenderError.absent(.history, in: try NNMModel(file: Fixture.mnistLike(history: false)), otherwise: .noHistory)
        #expect(error == .noHistory)
    }
}
