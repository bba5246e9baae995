// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for the input readers, in their own package so that fuzz builds (with
// -sanitize=fuzzer,address) never touch the main build. Build and run them with scripts/fuzz.
let package = Package(
    name: "aq-import-fuzz",
    dependencies: [.package(name: "aq-import", path: "..")],
    targets: [
        .target(name: "CFuzzerDriver"),
        .target(
            name: "FuzzSupport", dependencies: ["CFuzzerDriver", .product(name: "AQImportCore", package: "aq-import")]),
        .executableTarget(
            name: "FuzzCSV", dependencies: ["FuzzSupport", .product(name: "AQImportCore", package: "aq-import")]),
        .executableTarget(
            name: "FuzzNDJSON", dependencies: ["FuzzSupport", .product(name: "AQImportCore", package: "aq-import")]),
        .executableTarget(
            name: "FuzzJSONArray", dependencies: ["FuzzSupport", .product(name: "AQImportCore", package: "aq-import")]),
        .executableTarget(
            name: "FuzzParquetThrift", dependencies: ["FuzzSupport", .product(name: "AQImportCore", package: "aq-import")]
        ),
        .executableTarget(
            name: "FuzzParquetPages", dependencies: ["FuzzSupport", .product(name: "AQImportCore", package: "aq-import")]),
        .executableTarget(
            name: "FuzzTimestamp", dependencies: ["FuzzSupport", .product(name: "AQImportCore", package: "aq-import")]),
    ]
)
