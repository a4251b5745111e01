// swift-tools-version:6.0
// A separate package that uses NNM the way any other Swift code would: by depending on it.
// Here the dependency is the repository itself, by path; elsewhere use its git URL.
import PackageDescription

let package = Package(
    name: "LoadModel",
    dependencies: [
        .package(name: "NNM", path: "../.."),
    ],
    targets: [
        .executableTarget(name: "LoadModel", dependencies: [.product(name: "NNM", package: "NNM")]),
    ],
    swiftLanguageModes: [.v6]
)
