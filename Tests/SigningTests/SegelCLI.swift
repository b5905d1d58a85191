import Foundation
import TestSupport
import XCTest

/// Drives the built `segel` executable the way a user does, on a fresh home.
struct SegelCLI {
    let home: URL
    var passphrase = "correct horse battery staple"

    var environment: [String: String] {
        ["SEGEL_HOME": home.path, "SEGEL_PASSPHRASE": passphrase]
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> Tools.Result {
        try Tools.run(TestPaths.executable("segel").path, arguments, environment: environment)
    }

    /// Runs and fails the test unless the command succeeded.
    @discardableResult
    func succeed(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Tools.Result {
        let result = try run(arguments)
        XCTAssertEqual(result.status, 0, "segel \(arguments.joined(separator: " ")) failed: \(result.err)", file: file, line: line)
        return result
    }

    /// `segel init` + one approver; returns the approver's id.
    static func makeAuthority(in directory: URL) throws -> (cli: SegelCLI, approver: String) {
        let cli = SegelCLI(home: directory.appendingPathComponent("home"))
        try cli.succeed(["init", "--name", "Universitas Contoh", "--base-url", "https://verify.example.ac.id",
                         "--site", directory.appendingPathComponent("site").path])
        let added = try cli.succeed(["approver", "add", "--name", "Dr. José Müller, M.Kom.", "--email", "jose@example.ac.id",
                                     "--nidn", "0011223344", "--title", "Ketua Program Studi Informatika"])
        return (cli, added.out.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    var caPEM: URL { home.appendingPathComponent("ca/ca.pem") }
}

struct SignFileOutput: Decodable {
    var request: Int64
    var token: String
    var signature_id: String
    var signed_pdf: String
    var sha256: String
    var verification_url: String
}
