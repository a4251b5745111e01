// swift-tools-version:6.0
//
// NNM — small neural-network models in Swift, and the `.nnm` model file.
//
// Dependency direction (each arrow reads "is used by"):
//
//   CLibCrypto ──► NNMFiles ──► NNMFormat ──► NNM ──► NNMRender ──► nnm-render
//                    CZlib ──────┘    │        ▲ │       ▲
//                                     │ CNNMKernels      NNMPlot ◄── CPNG, CFreeType
//                                     ▼          ▼
//                               nnm-inspect    nnm-train
//
// NNMFiles is the one file layer (positional reads, the atomic writer, the output-path policy,
// streaming SHA-256); besides NNMFormat, NNM (data files), NNMRender and nnm-render (PNG
// files) and nnm-train (the output policy) use it directly. NNMPlot produces PNG bytes and
// touches no file.
//
// NNM ──► nnm-predict (runs a saved model on data; NNMFiles for its atomic CSV output).
//
// NNM + swift-protobuf ──► NNMConvert ──► nnm-convert (.nnm <-> ONNX and safetensors). The
// protobuf runtime stays out of the `NNM` product: only NNMConvert and the tool link it.
//
// NNMCommandLine (ArgumentParser) ──► nnm-train, nnm-inspect, nnm-render, nnm-predict: their shared main()
// and stderr writing.
//
// No target that the `NNM` product links carries unsafe build flags, so other packages can
// depend on NNM by version. Fast kernels pick their instruction set at run time (CNNMKernels).
//
// Platforms: the libraries NNMFiles, NNMFormat and NNM need only what every Swift platform has
// (zlib, the C library, pthreads) plus SHA-256: CryptoKit on Apple platforms, OpenSSL's
// libcrypto elsewhere (`CLibCrypto` is a dependency only on `libcryptoPlatforms`). libpng and
// FreeType are NNMPlot's alone. The minimum versions are those of `ContinuousClock`/`Duration`
// (macOS 13, iOS 16), which the training progress uses. README "Platforms" lists what was
// checked on Linux only (.ci/check-platforms).
import PackageDescription

/// Where SHA-256 comes from libcrypto: everywhere CryptoKit is not.
let libcryptoPlatforms: [Platform] = [.linux, .android, .windows, .openbsd, .wasi]

let package = Package(
    name: "NNM",
    platforms: [.macOS(.v13), .iOS(.v16), .tvOS(.v16), .watchOS(.v9), .visionOS(.v1)],
    products: [
        .library(name: "NNM", targets: ["NNM"]),
        .library(name: "NNMFormat", targets: ["NNMFormat"]),
        .library(name: "NNMPlot", targets: ["NNMPlot"]),
        // Its own product so that the protobuf runtime it needs never rides along with `NNM`.
        .library(name: "NNMConvert", targets: ["NNMConvert"]),
        .executable(name: "nnm-train", targets: ["nnm-train"]),
        .executable(name: "nnm-inspect", targets: ["nnm-inspect"]),
        .executable(name: "nnm-render", targets: ["nnm-render"]),
        .executable(name: "nnm-predict", targets: ["nnm-predict"]),
        .executable(name: "nnm-convert", targets: ["nnm-convert"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // System libraries, found through pkg-config; Debian package names as providers.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CFreeType", pkgConfig: "freetype2", providers: [.apt(["libfreetype-dev"])]),

        // Files: read-only positional file, atomic writer, output policy, streaming SHA-256.
        // Its own target (not part of NNMFormat) because PNG pictures and data files use it
        // too, and none of them should depend on the `.nnm` codec to write or hash a file.
        .target(name: "NNMFiles", dependencies: [
            .target(name: "CLibCrypto", condition: .when(platforms: libcryptoPlatforms)),
        ]),

        // The `.nnm` codec: bytes <-> ModelFile. No model math, no plotting.
        .target(name: "NNMFormat", dependencies: ["CZlib", "NNMFiles"]),

        // Hot loops in C, compiled for baseline and for AVX2+FMA, chosen at run time.
        .target(name: "CNNMKernels", linkerSettings: [.linkedLibrary("m")]),

        // The engine: matrices, layers, losses, optimizers, datasets, training, model <-> file.
        .target(name: "NNM", dependencies: ["NNMFormat", "NNMFiles", "CNNMKernels"],
                linkerSettings: [.linkedLibrary("m")]),

        // Pictures: canvas, text, colormaps, axes, PNG. Knows nothing of models or files.
        .target(name: "NNMPlot", dependencies: ["CPNG", "CFreeType"]),

        // Model -> pictures: loss curves, weight heatmaps, decision boundaries.
        .target(name: "NNMRender", dependencies: ["NNM", "NNMPlot", "NNMFiles"]),

        // What the three command-line tools share: one-line errors, writing to stderr.
        .target(name: "NNMCommandLine", dependencies: [
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Thin command-line shells over the libraries.
        .executableTarget(name: "nnm-inspect", dependencies: [
            "NNMFormat", "NNMCommandLine", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "nnm-train", dependencies: [
            "NNM", "NNMFiles", "NNMCommandLine", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "nnm-render", dependencies: [
            "NNMRender", "NNM", "NNMFiles", "NNMCommandLine", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .executableTarget(name: "nnm-predict", dependencies: [
            "NNM", "NNMFormat", "NNMFiles", "NNMCommandLine", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Conversions: .nnm <-> ONNX (through swift-protobuf, generated code committed under
        // Proto/) and .nnm <-> safetensors. Its own target so that the `NNM` product does not
        // carry the protobuf runtime.
        .target(name: "NNMConvert", dependencies: [
            "NNM", "NNMFormat", "NNMFiles", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ], exclude: ["Proto/onnx.proto", "Proto/regenerate"]),
        .executableTarget(name: "nnm-convert", dependencies: [
            "NNMConvert", "NNM", "NNMFormat", "NNMCommandLine", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Benchmarks (bench/run): NNM's side of the workloads in bench/README.md.
        .executableTarget(name: "nnm-bench", dependencies: ["NNM"], path: "bench/Sources/nnm-bench"),

        .testTarget(name: "NNMFilesTests", dependencies: ["NNMFiles"]),
        .testTarget(name: "NNMFormatTests", dependencies: ["NNMFormat", "NNMFiles"]),
        .testTarget(name: "NNMTests", dependencies: ["NNM"]),
        .testTarget(name: "NNMPlotTests", dependencies: ["NNMPlot", "CPNG"]),
        .testTarget(name: "NNMRenderTests", dependencies: ["NNMRender", "CPNG"]),
        .testTarget(name: "EndToEndTests", dependencies: ["nnm-train", "nnm-inspect", "nnm-render", "nnm-predict", "NNM", "NNMFiles", "CPNG"]),
        .testTarget(name: "NNMConvertTests", dependencies: ["NNMConvert", "NNM", "NNMFormat", "nnm-convert", "nnm-predict", "nnm-train"],
                    exclude: ["check_onnx.py", "check_import.py"]),
    ],
    swiftLanguageModes: [.v6]
)
