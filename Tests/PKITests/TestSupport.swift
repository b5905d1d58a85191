import Foundation
import Testing
@testable import PKI

/// Helpers shared by the PKI tests: running the real `openssl` binary and scratch directories.
/// Written by one reader thread, read after `DispatchGroup.wait()`.
final class DataBox: @unchecked Sendable {
    var data = Data()
}

enum TestSupport {
    struct ProcessResult {
        let status: Int32
        let stdout: String
        let stderr: String
        var output: String { stdout + stderr }
    }

    static let opensslPath: String? = {
        for path in ["/usr/bin/openssl", "/usr/local/bin/openssl"] where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        return nil
    }()

    static var hasOpenSSL: Bool { opensslPath != nil }

    static func openssl(_ arguments: [String], stdin: Data? = nil) throws -> ProcessResult {
        try run(opensslPath ?? "/usr/bin/openssl", arguments, stdin: stdin)
    }

    static func run(_ executable: String, _ arguments: [String], stdin: Data? = nil) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        // Read both pipes before waiting so a chatty child cannot block on a full pipe.
        let errBox = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errBox.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        group.wait()
        return ProcessResult(status: process.terminationStatus,
                             stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errBox.data, as: UTF8.self))
    }

    /// A fresh directory under the system temporary directory, removed by the caller.
    static func scratchDirectory(_ name: String = #function) throws -> URL {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("segel-pki-\(safe)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ data: Data, _ directory: URL, _ name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }

    static func write(_ text: String, _ directory: URL, _ name: String) throws -> String {
        try write(Data(text.utf8), directory, name)
    }

    /// A CA and its key, cached per key type: RSA-3072 generation is slow and the
    /// tests only need one authority each.
    static func authority(_ keyType: KeyType = .p256) throws -> CertificateAuthority {
        let created = try CertificateAuthority.create(
            subject: DistinguishedNameFields(commonName: "Segel Test Root CA", organization: "Universitas Contoh",
                                             organizationalUnit: "Fakultas Ilmu Komputer", country: "ID"),
            validityYears: 10, keyType: keyType)
        return try CertificateAuthority(key: created.key, certificate: created.certificate)
    }
}
