import NNM
import NNMFormat

/// The words of nnm-train's progress line, and how they shrink to fit a terminal.
///
/// A line is a list of fields (`epoch 12/300`, `loss 0.1523`, …). When the whole line is wider
/// than the terminal, ``fitted(width:)`` gives up detail in one fixed order, least important
/// first, and stops as soon as the line fits:
///
/// 1. the throughput says `/s` instead of ` samples/s`; 2. the throughput goes;
/// 3. fields are separated by one space instead of two; 4. the batch counter goes;
/// 5. the training accuracy goes (the losses say whether it learns, the validation accuracy
///    how well); 6. labels shorten (`epoch 12/300` → `12/300`, `val_loss` → `vl`,
///    `val_acc` → `va`, `loss` → `l`); 7. the time (ETA) goes; 8. the validation accuracy
///    goes; 9. the training loss goes when a validation loss is shown; 10. what is left is
///    cut, ending in `…`.
///
/// So the epoch and a loss survive longest: they say where the run is and whether it learns.
struct ProgressText: Equatable {
    enum Kind: Equatable {
        case epoch, batch, loss, accuracy, validationLoss, validationAccuracy, rate, time
    }

    struct Field: Equatable {
        var kind: Kind
        /// The label, e.g. `val_loss`, and its short form (`vl`); empty for none.
        var label: String
        var shortLabel: String
        var value: String
        /// The value's short form (the throughput's `12.3k/s`); nil when it has none.
        var shortValue: String?
    }

    var fields: [Field]

    /// The line with everything, two spaces between fields.
    var full: String { render(fields, separator: "  ", short: false) }

    /// The line at most `width` characters wide (see the type's comment for the order).
    func fitted(width: Int) -> String {
        let width = max(width, 1)
        var fields = self.fields
        var separator = "  "
        var short = false
        func line() -> String { render(fields, separator: separator, short: short) }
        func drop(_ kind: Kind) { fields.removeAll { $0.kind == kind } }
        let steps: [() -> Void] = [
            { fields = fields.map { var f = $0; if f.kind == .rate { f.value = f.shortValue ?? f.value }; return f } },
            { drop(.rate) },
            { separator = " " },
            { drop(.batch) },
            { drop(.accuracy) },
            { short = true },
            { drop(.time) },
            { drop(.validationAccuracy) },
            { if fields.contains(where: { $0.kind == .validationLoss }) { drop(.loss) } },
        ]
        for step in steps {
            if line().count <= width { return line() }
            step()
        }
        return Self.cut(line(), to: width)
    }

    private func render(_ fields: [Field], separator: String, short: Bool) -> String {
        fields.map { field in
            let label = short ? field.shortLabel : field.label
            return label.isEmpty ? field.value : label + " " + field.value
        }.joined(separator: separator)
    }

    /// `text` cut to `width` characters, the last one `…` when anything was cut.
    static func cut(_ text: String, to width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 1 else { return String(text.prefix(width)) }
        return String(text.prefix(width - 1)) + "…"
    }
}

extension ProgressText {
    /// The line during an epoch (with the batch and the estimated time left) or at its end.
    /// `validation` is the latest validation figures: this epoch's at its end, else the
    /// previous epoch's, so a slow epoch still shows how the last one validated.
    init(_ progress: TrainingProgress, validation: (loss: Double, accuracy: Double)?) {
        fields = [Field(kind: .epoch, label: "epoch", shortLabel: "", value: "\(progress.epoch)/\(progress.epochs)")]
        if !progress.isEpochEnd {
            fields.append(Field(kind: .batch, label: "batch", shortLabel: "b", value: "\(progress.batch)/\(progress.batchCount)"))
        }
        fields += Self.figures(loss: progress.loss, accuracy: progress.accuracy, validation: validation, task: progress.task)
        let rate = Format.rate(progress.samplesPerSecond)
        fields.append(Field(kind: .rate, label: "", shortLabel: "", value: rate + " samples/s", shortValue: rate + "/s"))
        fields.append(Field(kind: .time, label: "ETA", shortLabel: "ETA", value: Format.duration(progress.remainingSeconds)))
    }

    /// The line kept on screen for a finished epoch: its figures and the time since the start.
    init(record progress: TrainingProgress, validation: (loss: Double, accuracy: Double)?) {
        fields = [Field(kind: .epoch, label: "epoch", shortLabel: "", value: "\(progress.epoch)/\(progress.epochs)")]
        fields += Self.figures(loss: progress.loss, accuracy: progress.accuracy, validation: validation, task: progress.task)
        fields.append(Field(kind: .time, label: "time", shortLabel: "t", value: Format.duration(progress.elapsedSeconds)))
    }

    /// Loss and accuracy, or for regression loss and R² (`r2`, `val_r2`): a regression run
    /// shows no accuracy.
    private static func figures(loss: Double, accuracy: Double, validation: (loss: Double, accuracy: Double)?,
                                task: LearningTask) -> [Field] {
        let regression = task == .regression
        let second = { (value: Double) -> String in regression ? MetricText.r2(value) : MetricText.accuracy(value) }
        var fields = [
            Field(kind: .loss, label: "loss", shortLabel: "l", value: MetricText.loss(loss)),
            Field(kind: .accuracy, label: regression ? "r2" : "acc", shortLabel: regression ? "r2" : "a",
                  value: second(accuracy)),
        ]
        if let validation {
            fields.append(Field(kind: .validationLoss, label: "val_loss", shortLabel: "vl", value: MetricText.loss(validation.loss)))
            fields.append(Field(kind: .validationAccuracy, label: regression ? "val_r2" : "val_acc",
                                shortLabel: regression ? "vr2" : "va", value: second(validation.accuracy)))
        }
        return fields
    }
}

/// Summary lines on a terminal: a `label     value` line wider than the screen is broken
/// after a space or a comma and continued under the value (indented by 10), instead of
/// wrapping at the margin. A piece longer than a whole line is left to the terminal.
enum SummaryWrapping {
    static func wrap(_ line: String, width: Int) -> [String] {
        guard line.count > width, width > 20 else { return [line] }
        var pieces: [String] = []
        var piece = ""
        for character in line {
            piece.append(character)
            if character == " " || character == "," { pieces.append(piece); piece = "" }
        }
        pieces.append(piece)
        let indent = String(repeating: " ", count: 10)
        var lines: [String] = []
        var current = ""
        for piece in pieces {
            if current.count > 10, current.count + piece.trimmingTrailingSpace.count > width {
                lines.append(current.trimmingTrailingSpace)
                current = indent
                if piece == " " { continue }
            }
            current += piece
        }
        lines.append(current)
        return lines
    }
}

private extension String {
    var trimmingTrailingSpace: String { hasSuffix(" ") ? String(dropLast()) : self }
}
