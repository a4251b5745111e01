import NNMFormat

/// How a resumed run takes up the ``TrainingState`` its file stored (spec/training.md §3a).
///
/// With ``Mode/exact`` everything continues as if the run had never stopped: the optimizer's
/// buffers and step count, the learning-rate plan and its position, the shuffle generator and
/// an epoch stopped part-way (the history's last, part-done epoch is completed and replaced),
/// so `train 150 of 200` + `resume` writes the bytes `train 200` writes. With
/// ``Mode/optimizerOnly`` (the data or a hyperparameter changed) only the optimizer's buffers
/// and step count carry over; the run plans its own schedule and shuffle, as a new segment.
public struct TrainingContinuation: Sendable {
    public enum Mode: Sendable, Equatable {
        case exact
        case optimizerOnly
    }

    public var state: TrainingState
    public var mode: Mode

    public init(state: TrainingState, mode: Mode) {
        self.state = state
        self.mode = mode
    }

    /// The state's part-done epoch that an exact continuation completes, if any.
    var partialEpoch: PartialEpoch? {
        guard mode == .exact, state.batchesDone > 0 else { return nil }
        return PartialEpoch(batches: Int(state.batchesDone), lossSum: state.partialLossSum,
                            correct: Int(state.partialCorrect), seen: Int(state.partialSamples))
    }
}

/// The batches of an epoch trained so far and their sums (what `train_loss` and
/// `train_accuracy` of the epoch will be computed from).
struct PartialEpoch: Sendable, Equatable {
    var batches: Int
    var lossSum: Double
    var correct: Int
    var seen: Int
}

extension Sequential {
    /// The names of the tensors the optimizer steps, in its slot order (layer by layer, weight
    /// before bias): the ones a ``TrainingState`` keeps buffers for.
    var trainableTensorNames: [String] {
        var copy = self
        var names: [String] = []
        for index in copy.layers.indices {
            copy.layers[index].updateParameters { _, _, role in
                names.append(TensorName(layer: index, role: role == .weight ? .weight : .bias).description)
            }
        }
        return names
    }

    /// This network's trainable values, by ``trainableTensorNames``.
    var trainableValues: [[Float]] {
        var copy = self
        var values: [[Float]] = []
        for index in copy.layers.indices {
            copy.layers[index].updateParameters { parameter, _, _ in values.append(parameter) }
        }
        return values
    }

    /// Replaces the trainable values (as ``trainableValues`` lists them).
    mutating func setTrainableValues(_ values: [[Float]]) {
        var slot = 0
        for index in layers.indices {
            layers[index].updateParameters { parameter, _, _ in
                if slot < values.count, values[slot].count == parameter.count { parameter = values[slot] }
                slot += 1
            }
        }
    }
}
