import NNM
import NNMPlot
import Testing
@testable import NNMRender

/// A model that was just trained is drawn straight from memory, with the same pixels as the
/// file it would be saved as: one road from a model to its pictures.
@Suite struct InMemoryModelTests {
    @Test func aJustTrainedModelIsDrawnWithoutAFileAndMatchesItsSavedSelf() throws {
        var settings = TrainingSettings()
        settings.dataset = .moons
        settings.dataOptions.samples = 200
        settings.epochs = 4
        let model = try TrainingSession(settings).run().model
        let theme = Theme(text: FontFile.renderer().renderer)
        let outcomes = renderAll(model, theme: theme)
        let made = outcomes.compactMap { o -> (PictureKind, Canvas)? in
            if case let .made(kind, canvas, _) = o { return (kind, canvas) }
            return nil
        }
        #expect(made.map(\.0) == [.loss, .weights, .boundary, .confusion, .roc, .network])

        let saved = try NNMModel(bytes: try model.modelFile().encoded())
        for (kind, canvas) in made {
            let again = renderAll(saved, theme: theme).compactMap { o -> Canvas? in
                if case let .made(k, c, _) = o, k == kind { return c }
                return nil
            }
            #expect(again.first.map { try? PNG.encode($0) } == (try? PNG.encode(canvas)), "\(kind)")
        }
    }
}
