import NNM
import NNMFormat
/// Why a picture cannot be made from a model file. Each case names what is missing and where,
/// so `nnm-render` can print one clear line instead of an empty picture.
public enum RenderError: Error, CustomStringConvertible, Equatable {
    /// The file records no training history.
    case noHistory
    /// The history has none of the series a loss picture needs.
    case noLossSeries(available: [String])
    /// The model has no Linear layer, so there are no weights to draw.
    case noLinearLayer
    /// `--as-images RxC` asked for a shape no Linear layer's inputs fit.
    case noLayerForImages(rows: Int, cols: Int, inputCounts: [Int])
    /// A decision boundary needs a model with at least two inputs.
    case notTwoDimensional(inputs: Int)
    /// `--features` is not two features separated by a comma.
    case badFeatureChoice(text: String)
    /// `--features` names no feature of the model (`known`: the recorded names, if any).
    case unknownFeature(name: String, known: [String]?)
    /// `--features` gives an index the model has no input for.
    case featureOutOfRange(index: Int, inputs: Int)
    /// `--features` names the same feature for both axes.
    case sameFeatureTwice(feature: String)
    /// A slice holds the other inputs at their training means, and neither the model (no
    /// standardization layer) nor any data gives them.
    case noSliceMeans(held: Int)
    /// The data's rows are not as wide as the model's input.
    case dataDoesNotFitModel(source: String, features: Int, inputs: Int)
    /// The model's answers for the grid had an unexpected size.
    case badModelOutput(expected: Int, got: Int)
    /// The file has no dataset recipe, so there are no points to regenerate.
    case noRecipe
    /// The recipe names a data file that cannot be read (moved, deleted, no permission).
    case dataFileMissing(path: String, reason: String)
    /// The recipe's data file is there but is not the file the model was trained on.
    case dataFileChanged(path: String, detail: String)
    /// The recipe could not regenerate its data (unknown generator, bad parameter, ...).
    case cannotRegenerate(generator: String, reason: String)
    /// The data has a number of features other than the model's 2 inputs.
    case dataNotTwoDimensional(source: String, features: Int)
    /// The asked picture size is below the smallest at which its text stays readable.
    case sizeTooSmall(picture: String, width: Int, height: Int, minimumWidth: Int, minimumHeight: Int)
    /// The data has more classes than the model outputs.
    case tooManyClasses(source: String, found: Int, model: Int)
    /// The section a picture needs is in the file but damaged, so the reader dropped it.
    case damagedSection(type: String, offset: Int, reason: String)
    /// Confusion and ROC pictures need class outputs (a Sigmoid, Softmax or several outputs).
    case notAClassifier
    /// ROC and precision–recall curves are drawn for two classes.
    case needsTwoClasses(classes: Int)
    /// `compare` draws 1 to `maximum` runs.
    case tooManyRuns(count: Int, maximum: Int)
    /// A run given to `compare` has no training history.
    case runWithoutHistory(path: String)
    /// `--labels` gave another number of labels than runs.
    case labelCount(labels: Int, runs: Int)
    /// The residuals picture needs a regression model (one that ends in rescale); this one is
    /// a classifier of `classes` classes.
    case notARegressionModel(classes: Int)
    /// The points of a regression picture carry no target values (a CSV read without the
    /// model's recipe, so its label column was read as classes).
    case noTargets(source: String)
    /// The evolution pictures need the weights at several epochs (`nnm-train --snapshots N`).
    case noSnapshots
    /// ROC and precision–recall curves need held-out points of both classes.
    case curvesNeedBothClasses(positives: Int, negatives: Int)
    /// The evolution picture draws the whole input plane of a model with exactly two inputs.
    case evolutionNeedsTwoInputs(inputs: Int)
    /// A `--data` file could not be read as points.
    case unreadablePoints(path: String, reason: String)
    /// A `--data` file's label is none of the classes the model records.
    case labelNotAClass(path: String, label: String, classes: [String])

    public var description: String {
        switch self {
        case let .notARegressionModel(classes):
            // The ROC picture is drawn for two classes only: it is named only when it exists.
            let instead = classes == 2 ? "the confusion and roc pictures" : "the confusion picture"
            return "the model is a classifier (it does not end in rescale): residuals are drawn for regression models (see \(instead))"
        case let .noTargets(source):
            return "\(source) gives no target values for this regression model (its label column was read as classes)"
        case .noSnapshots:
            return "the model file has no weight snapshots: train it with nnm-train --snapshots N (e.g. 8) to record the weights at N epochs"
        case .noHistory:
            return "the model file has no training history (train with nnm-train, which records one per epoch)"
        case let .noLossSeries(available):
            let list = available.isEmpty ? "none" : available.joined(separator: ", ")
            return "the training history has no 'train_loss' or 'val_loss' series (series present: \(list))"
        case .noLinearLayer:
            return "the model has no Linear layer, so there are no weights to draw"
        case let .noLayerForImages(rows, cols, inputs):
            return "no Linear layer has \(rows * cols) inputs to show as \(rows)×\(cols) images (Linear input counts: \(inputs.map(String.init).joined(separator: ", ")))"
        case let .notTwoDimensional(inputs):
            return "a decision boundary needs a model with at least 2 inputs; this one has \(inputs)"
        case let .badFeatureChoice(text):
            return "--features '\(text)': give two features separated by a comma, by name or 0-based index (e.g. --features 0,1)"
        case let .unknownFeature(name, known):
            guard let known else {
                return "--features: the model records no feature names, so '\(name)' names none of its inputs; give 0-based indices (e.g. --features 0,1) or x1, x2, …"
            }
            let shown = known.prefix(12).map { "'\($0)'" }.joined(separator: ", ") + (known.count > 12 ? ", … (\(known.count) in all)" : "")
            return "--features: the model has no feature named '\(name)'; its features: \(shown)"
        case let .featureOutOfRange(index, inputs):
            return "--features: index \(index) is out of range: the model has \(inputs) inputs, indices 0 to \(inputs - 1)"
        case let .sameFeatureTwice(feature):
            return "--features: '\(feature)' is given for both axes; a slice needs two different features"
        case let .noSliceMeans(held):
            return "the model has no standardization layer and no dataset recipe, so there are no training means to hold the other \(held) features at (and no points to draw); give the training data with --data csv:PATH"
        case let .dataDoesNotFitModel(source, features, inputs):
            return "\(source) has \(features) feature columns but the model has \(inputs) inputs"
        case let .badModelOutput(expected, got):
            return "the model gave \(got) values for the grid, expected \(expected)"
        case .noRecipe:
            return "the model file has no dataset recipe, so there are no training points to show (give points with --data csv:PATH)"
        case let .dataFileMissing(path, reason):
            return "the training data file '\(path)' recorded in the model cannot be read (\(reason)); give its new place with --data csv:PATH (--data idx:IMAGES,LABELS for IDX files)"
        case let .dataFileChanged(path, detail):
            return "the training data file '\(path)' is not the one the model was trained on (\(detail)); give the original with --data csv:PATH (--data idx:IMAGES,LABELS for IDX files)"
        case let .cannotRegenerate(generator, reason):
            return "cannot regenerate the '\(generator)' training data from the recipe: \(reason)"
        case let .dataNotTwoDimensional(source, features):
            return "\(source) has \(features) feature columns; a decision boundary needs 2"
        case let .sizeTooSmall(picture, w, h, mw, mh):
            return "a \(w)x\(h) \(picture) picture is too small to read (title, axes and legend would be cut): the minimum is \(mw)x\(mh)"
        case let .tooManyClasses(source, found, model):
            return "\(source) has \(found) classes but the model has \(model); its labels cannot be the model's classes"
        case .notAClassifier:
            return "the model is not a classifier (one output without a sigmoid, or a regression model); confusion and ROC pictures need classes"
        case let .needsTwoClasses(classes):
            return "ROC and precision–recall curves are drawn for two classes; this model has \(classes) (see the confusion picture)"
        case let .tooManyRuns(count, maximum):
            return "compare draws 1 to \(maximum) runs (one colour each); \(count) were given"
        case let .runWithoutHistory(path):
            return "\(path) has no training history to compare"
        case let .labelCount(labels, runs):
            return "--labels gave \(labels) labels for \(runs) runs"
        case let .curvesNeedBothClasses(positives, negatives):
            return "ROC and precision–recall curves need points of both classes; these have \(positives) positive and \(negatives) negative (see the confusion picture)"
        case let .evolutionNeedsTwoInputs(inputs):
            return "the evolution picture is drawn for a model of exactly 2 inputs (its whole input plane); this one has \(inputs) (see the weights-over-time picture)"
        case let .unreadablePoints(path, reason):
            return "cannot read the points in '\(escapeForDisplay(path))': \(reason)"
        case let .labelNotAClass(path, label, classes):
            let known = classes.prefix(20).map { escapeForDisplay($0) }.joined(separator: ", ") + (classes.count > 20 ? ", …" : "")
            return "\(escapeForDisplay(path)): the label '\(escapeForDisplay(String(label.prefix(40))))' is none of the model's classes (\(known))"
        case let .damagedSection(type, offset, reason):
            return "the file's \(type) section at offset \(offset) is damaged (\(reason)); check the file with nnm-inspect --verify"
        }
    }
}

extension RenderError {
    /// True when the picture simply does not apply to this model (no history, no recipe, not
    /// 2-D, no Linear layer), as opposed to a damaged file or missing data: `renderAll` skips
    /// the former quietly and reports the latter.
    public var meansNotApplicable: Bool {
        switch self {
        case .noHistory, .noLossSeries, .noLinearLayer, .noLayerForImages, .notTwoDimensional, .evolutionNeedsTwoInputs, .curvesNeedBothClasses, .noRecipe,
             .notAClassifier, .needsTwoClasses, .notARegressionModel, .noSnapshots:
            return true
        default:
            return false
        }
    }
}

extension RenderError {
    /// True for a `--features` choice the model cannot honour (an unknown name, an index out of
    /// range, one feature twice): a bad command line, which `renderAll` reports as a failure,
    /// never as a picture that quietly does not apply.
    public var isBadChoice: Bool {
        switch self {
        case .badFeatureChoice, .unknownFeature, .featureOutOfRange, .sameFeatureTwice: return true
        default: return false
        }
    }
}

extension RenderError {
    /// The error to report when `model` lacks the section of this `type` (`hist`, `rcpe`):
    /// `damagedSection` if the reader dropped it as damaged, else `missing` — so a damaged
    /// file is never mistaken for one that simply has no history or recipe.
    static func absent(_ type: SectionType, in model: NNMModel, otherwise missing: RenderError) -> RenderError {
        for warning in model.warnings {
            if case let .droppedDamagedSection(dropped, offset, error) = warning, dropped == type {
                return .damagedSection(type: type.description, offset: offset, reason: error.description)
            }
        }
        return missing
    }
}

func shapeText(_ s: [Int]) -> String { "[" + s.map(String.init).joined(separator: ", ") + "]" }
