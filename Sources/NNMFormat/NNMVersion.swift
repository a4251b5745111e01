/// Identifies the library in files it writes (`nnm.producer`). No date or host: files must be
/// byte-identical across runs.
public enum NNMVersion {
    public static let string = "0.1.0"
    public static let producer = "NNM \(string)"
}
