import NNM

extension BoundaryFromModel {
    /// The column names a model records (`data.feature_names`, `data.label_name`), by which a
    /// user's CSV file's columns are found, as nnm-predict finds them (``ColumnMatch``).
    struct ModelColumns {
        var featureNames: [String]?
        var labelName: String?

        static let unnamed = ModelColumns()

        init(featureNames: [String]? = nil, labelName: String? = nil) {
            (self.featureNames, self.labelName) = (featureNames, labelName)
        }

        init(_ model: NNMModel) { self.init(featureNames: model.featureNames, labelName: model.labelName) }

        init(_ request: SliceRequest) { self.init(featureNames: request.featureNames, labelName: request.labelName) }
    }
}
