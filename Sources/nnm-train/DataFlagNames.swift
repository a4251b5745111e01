import NNM

/// The library names a recipe's parameters as they are stored in a file (`label_column`); a
/// user who typed `--label-column` must read that flag in the error, so errors from parsing the
/// data flags are reworded here, at the one place that knows both names.
enum DataFlagNames {
    /// The flag that sets a recipe parameter.
    static func flag(of parameter: DataParameter) -> String {
        switch parameter {
        case .samples: "--samples"
        case .noise: "--noise"
        case .factor: "--factor"
        case .classes: "--classes"
        case .centers: "--centers"
        case .spread: "--spread"
        case .labelColumn: "--label-column"
        case .header: "--header"
        case .delimiter: "--delimiter"
        case .columns: "--columns"
        case .dropColumns: "--drop-columns"
        case .task: "--task regression"
        }
    }

    /// `error` said with the flag instead of the parameter name; other errors (and parameters
    /// that come from the `--dataset` value itself, such as a csv path) pass through unchanged.
    static func naming(_ error: DataError) -> Error {
        switch error {
        case let .parameterNotApplicable(dataset, name):
            guard let flag = DataParameter(rawValue: name).map(flag(of:)) else { return error }
            return RunError.usage("\(dataset) does not take \(flag)")
        case let .invalidParameter(dataset, name, value, expected):
            guard let flag = DataParameter(rawValue: name).map(flag(of:)) else { return error }
            return RunError.usage("\(dataset): \(flag) \(value) is invalid; expected \(expected)")
        default:
            return error
        }
    }
}
