import Testing
@testable import NNM

@Suite struct ArchitectureTests {
    @Test func specBuildsTheNetwork() throws {
        let model = try Architecture.network(spec: "linear:16, relu,linear:8,leaky-relu:0.2,linear:3,softmax", inputCount: 4)
        #expect(model.widths == [4, 16, 16, 8, 8, 3, 3])
        #expect(model.layers[3].kind == .leakyReLU(slope: 0.2))
        #expect(Architecture.spec(of: model) == "linear:16,relu,linear:8,leaky-relu:0.2,linear:3,softmax")
    }

    /// Five layers of 64 M weights each pass the per-layer cap but not the whole-network one
    /// (what one file can store); the error comes before anything is allocated (before, this
    /// spec built 2.5 GB of weights and gradients and trained a model it could not save).
    @Test func aNetworkTooLargeToSaveIsRefusedBeforeAllocating() throws {
        let spec = Array(repeating: "linear:8000", count: 5).joined(separator: ",")
        do {
            _ = try Architecture.network(spec: spec, inputCount: 8000)
            Issue.record("expected an error")
        } catch let error as ArchitectureError {
            guard case .badLayer(let position, _, let reason) = error else {
                Issue.record("unexpected \(error)"); return
            }
            #expect(position == 5)
            #expect(reason.contains("\(Architecture.maximumParameterCount) parameters"))
        }
        let fits = try Architecture.network(spec: "linear:64,relu,linear:1", inputCount: 2)
        #expect(fits.parameterCount == 2 * 64 + 64 + 64 + 1)
    }

    /// More layers than a file can store are refused up front (they used to train, then fail
    /// to save).
    @Test func aSpecWithMoreLayersThanAFileHoldsIsRefused() throws {
        let spec = "linear:4," + Array(repeating: "relu", count: Sequential.maximumLayerCount).joined(separator: ",")
        do {
            _ = try Architecture.network(spec: spec, inputCount: 2)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("at most \(Sequential.maximumLayerCount) layers"))
        }
        let fits = "linear:4," + Array(repeating: "relu", count: Sequential.maximumLayerCount - 1).joined(separator: ",")
        #expect(try Architecture.network(spec: fits, inputCount: 2).layers.count == Sequential.maximumLayerCount)
    }

    @Test func badSpecsSayWhichLayer() throws {
        #expect(throws: ArchitectureError.self) { try Architecture.network(spec: "", inputCount: 2) }
        do {
            _ = try Architecture.network(spec: "linear:16,rellu,linear:1", inputCount: 2)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("layer 2 'rellu'"))
        }
        do {
            _ = try Architecture.network(spec: "linear:x", inputCount: 2)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("linear:N"))
        }
        #expect(throws: ArchitectureError.self) { try Architecture.network(spec: "linear:4,leaky-relu:2", inputCount: 2) }
        #expect(throws: ArchitectureError.self) { try Architecture.network(spec: "relu:3", inputCount: 2) }
        #expect(throws: ArchitectureError.self) { try Architecture.network(spec: "linear:99999999999", inputCount: 2) }
    }

    @Test func classifierHeads() throws {
        let binary = try Architecture.classifier(inputCount: 2, hidden: [16, 16], classCount: 2)
        #expect(Architecture.spec(of: binary) == "linear:16,relu,linear:16,relu,linear:1,sigmoid")
        let multi = try Architecture.classifier(inputCount: 784, hidden: [32], activation: .tanh, classCount: 10, standardizes: true)
        #expect(Architecture.spec(of: multi) == "standardize,linear:32,tanh,linear:10,softmax")
    }

    @Test func hiddenActivationsParseAndRoundTrip() throws {
        #expect(try HiddenActivation(parsing: "relu") == .relu)
        #expect(try HiddenActivation(parsing: "Leaky-ReLU:0.1") == .leakyReLU(slope: 0.1))
        #expect(try HiddenActivation(parsing: "leaky-relu") == .leakyReLU(slope: 0.01))
        #expect(try HiddenActivation(parsing: "tanh") == .tanh)
        for text in ["softmax", "leaky-relu:5", "relu:1", "linear:4", ""] {
            #expect(throws: ArchitectureError.self) { try HiddenActivation(parsing: text) }
        }
        for activation in [HiddenActivation.relu, .leakyReLU(slope: 0.2), .tanh, .sigmoid, .identity] {
            #expect(try HiddenActivation(parsing: activation.specToken) == activation)
        }
        // The error says which rule: a slope out of range is not "an unknown activation".
        #expect(throws: ArchitectureError.badLayer(position: 0, token: "leaky-relu:nan", reason: "the slope must be a number in [0, 1): write leaky-relu:SLOPE, e.g. leaky-relu:0.1 (plain leaky-relu uses 0.01)")) {
            try HiddenActivation(parsing: "leaky-relu:nan")
        }
        do {
            _ = try HiddenActivation(parsing: "rellu")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("unknown activation"))
        }
    }
}
