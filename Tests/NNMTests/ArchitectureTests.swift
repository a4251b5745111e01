import Testing
@testable import NNM

@Suite struct ArchitectureTests {
    @Test func specBuildsTheNetwork() throws {
        let model = try Architecture.network(spec: "linear:16, relu,linear:8,leaky-relu:0.2,linear:3,softmax", inputCount: 4)
        #expect(model.widths == [4, 16, 16, 8, 8, 3, 3])
        #expect(model.layers[3].kind == .leakyReLU(slope: 0.2))
        #expect(Architecture.spec(of: model) == "linear:16,relu,linear:8,leaky-relu:0.2,linear:3,softmax")
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
        let multi = try Architecture.classifier(inputCount: 784, hidden: [32], activation: "tanh", classCount: 10, standardizes: true)
        #expect(Architecture.spec(of: multi) == "standardize,linear:32,tanh,linear:10,softmax")
    }

    @Test func activationNames() {
        #expect(Architecture.isActivation("relu") && Architecture.isActivation("Leaky-ReLU:0.1") && Architecture.isActivation("tanh"))
        #expect(!Architecture.isActivation("softmax") && !Architecture.isActivation("leaky-relu:5") && !Architecture.isActivation("relu:1"))
        #expect(!Architecture.isActivation("linear:4") && !Architecture.isActivation(""))
    }
}
