// swift-tools-version:6.0
import PackageDescription

// libFuzzer harness for the PDF reader and the verifier. Built on its own so
// that the sanitizer flags never reach the main package's normal builds:
//
//   swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
//
// scripts/fuzz builds it and runs it for a given number of seconds.
let package = Package(
    name: "segel-fuzz",
    dependencies: [
        .package(name: "segel", path: ".."),
    ],
    targets: [
        .executableTarget(name: "FuzzVerifier", dependencies: [
            .product(name: "PDF", package: "segel"),
            .product(name: "PKI", package: "segel"),
            .product(name: "Verifier", package: "segel"),
        ]),
    ]
)
