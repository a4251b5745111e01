// swift-tools-version:6.0
//
// Coverage-guided fuzz targets for NNM's readers (libFuzzer + AddressSanitizer). Kept out of the
// root package so the normal build never sees the sanitizer flags. Build and run one target with
// `fuzz/run TARGET SECONDS`; see fuzz/README.md.
import PackageDescription

// No main.swift: libFuzzer supplies main(), the targets export LLVMFuzzerTestOneInput.
let asLibrary: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "NNMFuzz",
    dependencies: [.package(name: "NNM", path: "..")],
    targets: [
        // zlib for the mutator (inflate/deflate tensor blocks it re-encodes).
        .systemLibrary(name: "CFuzzZlib", pkgConfig: "zlib"),
        // SHA-256 for the mutator's own content digest (it repairs TAIL without asking NNMFormat).
        .systemLibrary(name: "CFuzzCrypto", pkgConfig: "libcrypto"),
        // The .nnm structure-aware mutator and the helpers every target shares.
        .target(name: "FuzzSupport", dependencies: ["CFuzzZlib", "CFuzzCrypto"]),
        .executableTarget(name: "fuzz-nnm", dependencies: [
            "FuzzSupport", .product(name: "NNMFormat", package: "NNM"), .product(name: "NNM", package: "NNM"),
        ], swiftSettings: asLibrary),
        .executableTarget(name: "fuzz-csv", dependencies: [.product(name: "NNM", package: "NNM")],
                          swiftSettings: asLibrary),
        .executableTarget(name: "fuzz-idx", dependencies: [.product(name: "NNM", package: "NNM")],
                          swiftSettings: asLibrary),
        .executableTarget(name: "fuzz-onnx", dependencies: [
            .product(name: "NNM", package: "NNM"), .product(name: "NNMConvert", package: "NNM"),
        ], swiftSettings: asLibrary),
        .executableTarget(name: "fuzz-safetensors", dependencies: [
            .product(name: "NNM", package: "NNM"), .product(name: "NNMConvert", package: "NNM"),
        ], swiftSettings: asLibrary),
    ],
    swiftLanguageModes: [.v6]
)
