// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "segel",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "segel", targets: ["segel"]),
        .executable(name: "segel-verify", targets: ["segel-verify"]),
        .library(name: "Verifier", targets: ["Verifier"]),
        // Exported for the libFuzzer package in Fuzz/, which depends on this one by path.
        .library(name: "PDF", targets: ["PDF"]),
        .library(name: "PKI", targets: ["PKI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // BoringSSL's RSA key generation (CryptoExtras), about three times faster than
        // OpenSSL 3.0's EVP_PKEY_generate here; see README "Cryptography".
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // System libraries. Macros Swift cannot import are wrapped in each shim.h.
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CQRPNG", pkgConfig: "libqrencode",
                       providers: [.apt(["libqrencode-dev", "libpng-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),

        // Every digest segel computes (libcrypto's EVP), defined once.
        .target(name: "Hashing", dependencies: ["COpenSSL"]),
        .target(name: "PDF", dependencies: ["CZlib", "COpenSSL", "Hashing"]),
        .target(name: "PKI", dependencies: [
            "COpenSSL", "Hashing",
            .product(name: "CryptoExtras", package: "swift-crypto"),
        ]),
        .target(name: "Stamp", dependencies: ["CQRPNG", "PDF"]),
        // S3-compatible object storage: AWS Signature V4, a small client, and
        // publishing a site folder into a bucket (segel publish --to s3://…).
        .target(name: "ObjectStore", dependencies: ["Hashing"]),
        // A document's published record and public status, shared by the registry,
        // the portal that writes them and the verifier that reads them.
        .target(name: "Record", dependencies: ["Hashing"]),
        // The public issuance log: RFC 6962 Merkle tree, C2SP tlog-tiles and signed-note checkpoints.
        .target(name: "IssuanceLog", dependencies: ["Hashing", "Record", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Registry", dependencies: ["Hashing", "Record", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "Verifier", dependencies: ["PDF", "PKI", "Record", "IssuanceLog"]),
        .target(name: "Authority", dependencies: [
            "PDF", "PKI", "Record", "Stamp", "Registry", "Verifier", "IssuanceLog",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "Portal", dependencies: [
            "Registry", "PKI", "Stamp", "Verifier", "Record", "ObjectStore", "IssuanceLog",
            .product(name: "Mustache", package: "swift-mustache"),
        ]),
        .executableTarget(name: "segel", dependencies: [
            "Authority", "Portal", "ObjectStore", "Verifier", "Registry", "Record", "PKI", "PDF", "IssuanceLog",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Times key generation alone for scripts/bench-batch.
        .executableTarget(name: "segel-keygen-bench", dependencies: ["PKI"]),
        .executableTarget(name: "segel-log-bench", dependencies: [
            "Portal", "IssuanceLog", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .executableTarget(name: "segel-verify", dependencies: [
            "Verifier",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Runners for the external validators (qpdf, pdfsig, pyHanko, zbarimg); tests only.
        .target(name: "TestSupport", path: "Tests/TestSupport"),

        .testTarget(name: "PDFTests", dependencies: ["PDF", "TestSupport"]),
        .testTarget(name: "ObjectStoreTests", dependencies: ["ObjectStore", "Hashing", "TestSupport"]),
        .testTarget(name: "PKITests", dependencies: ["PKI"]),
        .testTarget(name: "StampTests", dependencies: ["Stamp"]),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "Record", "Hashing", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "SigningTests", dependencies: ["Authority", "PKI", "Portal", "Record", "Registry", "TestSupport"]),
        .testTarget(name: "VerifierTests", dependencies: ["Verifier", "PDF", "PKI", "Authority", "Registry", "TestSupport"]),
        .testTarget(name: "PortalTests", dependencies: [
            "Portal", "PKI", "Record", "Registry", "Stamp", "TestSupport", "IssuanceLog",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .testTarget(name: "IssuanceLogTests", dependencies: [
            "IssuanceLog", "Hashing", "PKI", "TestSupport", .product(name: "Crypto", package: "swift-crypto"),
        ]),
    ]
)
