import NNM
import NNMFormat
import NNMPlot
@testable import NNMRender

// The suites build model files in memory; every picture is drawn from the `NNMModel` such a
// file loads as (checksums checked, damaged ancillary sections dropped with a warning), the
// one road the tool takes.

func renderLoss(_ file: ModelFile, options: LossOptions = LossOptions(), theme: Theme) throws -> Canvas {
    try renderLoss(NNMModel(file: file), options: options, theme: theme)
}

func renderWeights(_ file: ModelFile, options: WeightOptions = WeightOptions(), theme: Theme) throws -> Canvas {
    try renderWeights(NNMModel(file: file), options: options, theme: theme)
}

func renderAll(_ file: ModelFile, options: AllOptions = AllOptions(), theme: Theme) throws -> [PictureOutcome] {
    renderAll(try NNMModel(file: file), options: options, theme: theme)
}

extension BoundaryFromModel {
    static func input(for file: ModelFile, points: BoundaryPoints = .recipe,
                      title: String? = nil) throws -> (input: BoundaryInput, summary: Summary) {
        try input(for: NNMModel(file: file), points: points, title: title)
    }
}
