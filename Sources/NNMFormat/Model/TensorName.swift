/// What a tensor is to the layer that owns it (spec §7's roles). A Linear layer owns a weight
/// and a bias, a Standardize layer a mean and a scale, a Rescale layer a scale and a shift;
/// activations own nothing.
///
/// (Named `TensorRole`, not `ParameterRole`: NNM's `ParameterRole` is the narrower set of
/// *trainable* parameters an optimizer steps.)
public enum TensorRole: String, Sendable, Hashable, CaseIterable {
    case weight, bias, mean, scale, shift
}

/// The name of a layer's tensor in a `.nnm` file: `layers.<index>.<role>` (spec §7), with
/// the index in plain decimal (no sign, no leading zero). The one place the name is built
/// and parsed.
public struct TensorName: Hashable, Sendable, CustomStringConvertible {
    /// Index of the owning layer in the layer table (0-based).
    public var layer: Int
    public var role: TensorRole

    public init(layer: Int, role: TensorRole) {
        self.layer = layer
        self.role = role
    }

    /// Parses a canonical name; nil for any other string (`layers.01.weight`, `layers.0.w`).
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "layers", let role = TensorRole(rawValue: String(parts[2])) else { return nil }
        let digits = parts[1]
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              digits == "0" || digits.first != "0", let index = Int(digits) else { return nil }
        self.init(layer: index, role: role)
    }

    /// `layers.<index>.<role>`.
    public var description: String { "layers.\(layer).\(role.rawValue)" }
}
