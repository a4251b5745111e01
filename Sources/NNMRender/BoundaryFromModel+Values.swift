import NNM
import NNMFormat
import NNMPlot

/// The boundary picture of a two-input regression model: no classes, so no boundary; instead
/// the model's prediction over the input plane (a value field), the points coloured by their
/// targets on the same scale, and RMSE and R² where a classifier states its accuracy.
extension BoundaryFromModel {
    static func valueFieldInput(network: Sequential, recipe: DataRecipe?, labelName: String?,
                                points: BoundaryPoints, title: String?,
                                request: SliceRequest = SliceRequest()) throws -> (input: BoundaryInput, summary: Summary) {
        let data = try pointData(recipe: recipe, points: points, features: network.inputCount,
                                 columns: ModelColumns(request))
        let plan = try slicePlan(network: network, data: data, request: request)
        let held = data.test.sampleCount > 0 ? data.test : data.train
        guard held.sampleCount == 0 || held.targets != nil else { throw RenderError.noTargets(source: data.source) }
        let testFit = try fit(of: network, on: data.test)
        let trainFit = try fit(of: network, on: data.train)
        let (scatter, subsampleNotes) = drawnPoints(data, plan: plan)
        let notes = plan.notes + subsampleNotes
        // R² alone in the title (RMSE goes to the summary on stderr): a title stays short
        // enough for the smallest picture, and R² reads the same whatever the target's units.
        var parts: [String] = []
        if let trainFit { parts.append("train \(MetricText.r2(trainFit.r2))") }
        if let testFit { parts.append("\(data.testLabel) \(MetricText.r2(testFit.r2))") }
        let figures = parts.isEmpty ? nil : "R² " + parts.joined(separator: ", ")
        let short = shortName(recipe, points)
        let full = title ?? [data.source, figures].compactMap { $0 }.joined(separator: " · ")
        var input = BoundaryInput(points: scatter, classCount: 1, evaluate: evaluator(of: network, slice: plan.slice),
                                  cornerText: title == nil ? [] : [figures].compactMap { $0 }, title: full)
        input.compactTitle = title == nil ? [short, figures].compactMap { $0 }.joined(separator: " · ") : nil
        input.titleSuffix = title == nil ? figures : nil
        input.valueLabel = targetLabel(labelName ?? held.labelName ?? data.train.labelName)
        input.axisNames = plan.axisNames
        input.footnote = plan.footnote
        if plan.slice.heldCount > 0 { input.equalAspect = false }
        let measured = testFit ?? trainFit
        var summary = Summary(source: data.source, trainCount: data.train.sampleCount, testCount: data.test.sampleCount,
                              accuracy: nil, accuracyOn: testFit != nil ? data.testLabel : "train")
        summary.notes = notes
        if let measured {
            summary.notes.append("on the \(summary.accuracyOn) points: RMSE \(MetricText.loss(measured.rootMeanSquaredError)), R² \(MetricText.r2(measured.r2))")
        }
        return (input, summary)
    }

    /// The colour bar's label: the target column's name ("predicted price"), or "prediction".
    static func targetLabel(_ name: String?) -> String {
        guard let name, !name.isEmpty else { return "prediction" }
        return "predicted " + NetworkLabels.clipped(escapeForDisplay(name))
    }

    /// RMSE and R² of the network on `d`'s targets (nil with no samples or no targets).
    static func fit(of network: Sequential, on d: Dataset) throws -> RegressionMetrics? {
        guard d.sampleCount > 0, let targets = d.targets else { return nil }
        return RegressionMetrics(predictions: try RegressionEvaluation.predict(network, d.features), targets: targets)
    }
}
