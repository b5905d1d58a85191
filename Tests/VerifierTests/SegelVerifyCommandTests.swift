import Foundation
import Registry
import TestSupport
import XCTest

/// `segel verify FILE...` on the authority machine: the authority's own
/// trust, and every result in the registry's verification log.
final class SegelVerifyCommandTests: XCTestCase {
    struct SignOutput: Decodable {
        var token: String
        var signed_pdf: String
        var sha256: String
    }

    func testVerifyLogsEachResultAndMarksValidDocumentsVerified() throws {
        let segel = TestPaths.executable("segel")
        guard FileManager.default.isExecutableFile(atPath: segel.path) else {
            throw XCTSkip("segel is not built (swift build --product segel)")
        }
        let work = try TestPaths.temporaryDirectory("segel-verify-command")
        defer { try? FileManager.default.removeItem(at: work) }
        let home = work.appendingPathComponent("home")
        let environment = ["SEGEL_HOME": home.path, "SEGEL_PASSPHRASE": "correct horse battery staple"]
        func segelRun(_ arguments: [String]) throws -> Tools.Result {
            try Tools.run(segel.path, arguments, environment: environment)
        }
        XCTAssertEqual(try segelRun(["init", "--name", "Universitas Contoh", "--base-url", VerifierFixture.siteURL,
                                     "--site", work.appendingPathComponent("site").path]).status, 0)
        let approver = try segelRun(["approver", "add", "--name", "Dr. José Müller", "--email", "jose@example.ac.id",
                                     "--nidn", "0011223344"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        let input = work.appendingPathComponent("in.pdf")
        try TestPDF.make().write(to: input)
        var signed: [SignOutput] = []
        for index in 0..<2 {
            let result = try segelRun(["sign-file", input.path, "--by", approver, "--name", "Dokumen \(index)", "--json"])
            XCTAssertEqual(result.status, 0, result.err)
            signed.append(try JSONDecoder().decode(SignOutput.self, from: result.stdout))
        }
        let tampered = work.appendingPathComponent("tampered.pdf")
        try Tamper.append(try Data(contentsOf: URL(fileURLWithPath: signed[0].signed_pdf)), "unsigned tail").write(to: tampered)

        // Valid, then invalid (tampered), then the second document after it was invalidated.
        let first = try segelRun(["verify", signed[0].signed_pdf, "--json"])
        XCTAssertEqual(first.status, 0, first.out + first.err)
        XCTAssertTrue(first.out.contains("\"verdict\":\"VALID\""), first.out)
        XCTAssertEqual(try segelRun(["verify", tampered.path]).status, 1)
        XCTAssertEqual(try segelRun(["invalidate", signed[1].token, "--reason", "issued by mistake"]).status, 0)
        let revoked = try segelRun(["verify", signed[1].signed_pdf, "--json"])
        XCTAssertEqual(revoked.status, 1)
        XCTAssertTrue(revoked.out.contains("issued by mistake"), revoked.out)

        let registry = try Registry(home: home)
        let firstLogs = try registry.verificationLogs(token: signed[0].token)
        XCTAssertEqual(firstLogs.count, 2, "the valid run and the tampered copy (found by its token)")
        XCTAssertEqual(Set(firstLogs.map(\.verdict)), [.valid, .invalid])
        XCTAssertEqual(firstLogs.first { $0.verdict == .valid }?.fileSHA256, signed[0].sha256)
        XCTAssertEqual(firstLogs.first { $0.verdict == .valid }?.resultStatus, .success)
        XCTAssertEqual(try registry.signature(token: signed[0].token).signatureStatus, .verified)
        let secondLogs = try registry.verificationLogs(token: signed[1].token)
        XCTAssertEqual(secondLogs.map(\.verdict), [.invalid])
        XCTAssertEqual(secondLogs.first?.isValid, false)
        XCTAssertEqual(try registry.signature(token: signed[1].token).signatureStatus, .invalid)
    }
}
