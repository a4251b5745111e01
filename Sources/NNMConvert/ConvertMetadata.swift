import NNM
import NNMFormat

/// What a converted file says about its model beyond the tensors, in the string-to-string
/// metadata ONNX (`metadata_props`) and safetensors (`__metadata__`) both have, and what an
/// imported `.nnm` records about where it came from.
enum ConvertMetadata {
    static let architectureKey = "nnm.architecture"
    static let classNamesKey = "nnm.class_names"
    static let featureNamesKey = "nnm.feature_names"
    static let labelNameKey = "nnm.label_name"
    static let producerKey = "nnm.producer"
    static let sourceDigestKey = "nnm.source_digest"

    /// Keys an imported `.nnm` gets: the source's format and SHA-256, and its producer.
    static let sourceFormatKey = "convert.source_format"
    static let sourceSHA256Key = "convert.source_sha256"
    static let sourceProducerKey = "convert.source_producer"

    /// The entries an exported file carries: architecture, names, the model's producer and
    /// the source `.nnm`'s content digest.
    static func exported(from model: NNMModel, sourceDigest: String?) -> [String: String] {
        var entries: [String: String] = [
            architectureKey: model.network.layerRecords.map { LayerTranslation($0).specToken }.joined(separator: ","),
        ]
        if let names = model.classNames { entries[classNamesKey] = NameList.encode(names) }
        if let names = model.featureNames { entries[featureNamesKey] = NameList.encode(names) }
        if let label = model.labelName { entries[labelNameKey] = label }
        if case .string(let producer)? = model.metadata[MetadataKey.producer] { entries[producerKey] = producer }
        if let sourceDigest { entries[sourceDigestKey] = sourceDigest }
        return entries
    }

    /// The `.nnm` metadata of an imported model: class and feature names found in the
    /// source's string metadata (when they fit the network), and where it came from.
    /// Names that do not fit are dropped with a note.
    static func imported(
        from entries: [String: String], format: ModelFormat, sourceSHA256: String, sourceProducer: String?,
        inputs: Int, outputs: Int, notes: inout [String]
    ) -> [String: MetadataValue] {
        var metadata: [String: MetadataValue] = [
            MetadataKey.producer: .string(NNMVersion.producer),
            sourceFormatKey: .string(format.rawValue),
            sourceSHA256Key: .string(sourceSHA256),
        ]
        if let sourceProducer, !sourceProducer.isEmpty {
            metadata[sourceProducerKey] = .string(String(sourceProducer.prefix(256)))
        }
        if let text = entries[classNamesKey] {
            if let names = NameList.decode(text), names.count == (outputs == 1 ? 2 : outputs) {
                metadata.merge(ModelFile.classNameMetadata(names)) { $1 }
            } else {
                notes.append("the class names in the metadata do not fit the \(outputs) output(s); left out")
            }
        }
        let label = entries[labelNameKey].map { String($0.prefix(4096)) }
        if let text = entries[featureNamesKey] {
            if let names = NameList.decode(text), names.count == inputs {
                metadata.merge(ModelFile.featureNameMetadata(names, labelName: label)) { $1 }
            } else {
                notes.append("the feature names in the metadata do not fit the \(inputs) input(s); left out")
            }
        } else if let label {
            metadata.merge(ModelFile.featureNameMetadata([], labelName: label)) { $1 }
        }
        return metadata
    }
}
