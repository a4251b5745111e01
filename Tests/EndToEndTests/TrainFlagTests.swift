import ArgumentParser
import NNM
import Testing
@testable import nnm_train

/// nnm-train's flags parsed in process (`parseAsRoot`, no subprocess): typed values arrive
/// typed, and contradictions are refused as a bad command line before anything runs.
@Suite struct TrainFlagTests {
    static func parse(_ arguments: [String]) throws -> NNMTrain {
        let command = try NNMTrain.parseAsRoot(["-o", "m.nnm"] + arguments)
        return try #require(command as? NNMTrain)
    }

    static func refusal(_ arguments: [String]) -> String? {
        do {
            _ = try parse(arguments)
            return nil
        } catch {
            #expect(NNMTrain.exitCode(for: error).rawValue == 64, "\(arguments)")
            return NNMTrain.message(for: error)
        }
    }

    @Test func typedOptionsArriveTyped() throws {
        let command = try Self.parse([
            "--dataset", "CSV:data/iris.csv", "--header", "Present", "--hidden", "32, 8", "--activation", "leaky-relu:0.2",
            "--init", "xavier", "--loss", "MSE", "--optimizer", "Nesterov", "--lr-schedule", "constant",
        ])
        #expect(command.data.dataset == .csv(path: "data/iris.csv"))
        #expect(command.data.header == .present)
        #expect(command.network.choice == .classifier(hidden: [32, 8], activation: .leakyReLU(slope: 0.2)))
        #expect(command.network.initializer == .xavier)
        #expect(command.training.loss == .meanSquaredError && command.training.optimizer == .nesterov)
        #expect(command.training.learningRateSchedule == .constant)
        #expect(try Self.parse(["--hidden", "none"]).network.choice == .classifier(hidden: [], activation: .relu))
        #expect(try Self.parse([]).network.choice == nil)
    }

    @Test(arguments: [
        (["--dataset", "mnist"], "mnist"),
        (["--loss", "hinge"], "hinge"),
        (["--optimizer", "adagrad"], "adagrad"),
        (["--header", "maybe"], "maybe"),
        (["--hidden", "16,0"], "'0' is not a width"),
        (["--activation", "softmax"], "softmax belongs to the output layer"),
        (["--layers", "linear:4,sigmoid", "--hidden", "4"], "--layers gives the whole network"),
        (["--momentum", "0.5"], "--momentum is used only by --optimizer momentum or nesterov"),
        (["--resume", "old.nnm", "--hidden", "4"], "--resume continues a saved network"),
        (["--epochs", "0"], "--epochs must be at least 1"),
        (["--threads", "65"], "--threads must be between 1 and 64"),
        (["--lr", "-1"], "learning rate must be a positive number"),
        (["--seed", "-1"], "a seed is a whole number from 0 to 18446744073709551615"),
    ])
    func contradictionsAreABadCommandLine(arguments: [String], expected: String) {
        let message = Self.refusal(arguments)
        #expect(message?.contains(expected) == true, "\(arguments): \(message ?? "accepted")")
    }

    @Test func momentumWithAResumedOptimizerIsLeftToTheSession() throws {
        #expect(Self.refusal(["--resume", "old.nnm", "--momentum", "0.5"]) == nil)
        #expect(Self.refusal(["--resume", "old.nnm", "--momentum", "0.5", "--optimizer", "adam"]) != nil)
    }
}
