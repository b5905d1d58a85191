import Foundation
import PKI
import TestSupport
import Verifier
import XCTest

/// `segel-verify` run the way a user runs it: flags, output, exit codes, many files.
final class SegelVerifyCLITests: XCTestCase {
    let fixture = VerifierFixture.shared
    var work: URL!

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: TestPaths.executable("segel-verify").path) else {
            throw XCTSkip("segel-verify is not built (swift build --product segel-verify)")
        }
        work = try TestPaths.temporaryDirectory("segel-verify-cli")
    }

    override func tearDownWithError() throws {
        if let work { try? FileManager.default.removeItem(at: work) }
    }

    @discardableResult
    private func run(_ arguments: [String]) throws -> Tools.Result {
        try Tools.run(TestPaths.executable("segel-verify").path, arguments)
    }

    private func write(_ data: Data, _ name: String) throws -> String {
        let url = work.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }

    private func writeTrust(crl: CRL? = nil, records: [PublishedRecord] = []) throws -> (ca: String, crl: String, site: URL) {
        let site = work.appendingPathComponent("site")
        let crl = try crl ?? fixture.crl()
        try fixture.writeSite(in: site, crl: crl, records: records)
        return (site.appendingPathComponent("ca.pem").path, site.appendingPathComponent("crl.pem").path, site)
    }

    func testExitCodesAndHumanOutput() throws {
        let signed = try fixture.sign()
        let good = try write(signed.data, "good.pdf")
        let bad = try write(Tamper.flip(signed.data, at: 400), "bad.pdf")
        let trust = try writeTrust(records: [fixture.record(for: signed)])

        let valid = try run([good, "--ca", trust.ca, "--crl", trust.crl])
        XCTAssertEqual(valid.status, 0, valid.out + valid.err)
        let firstLine = try XCTUnwrap(valid.out.split(separator: "\n").first)
        XCTAssertTrue(firstLine.hasPrefix("\(good): VALID — "), String(firstLine))
        XCTAssertTrue(valid.out.contains("✓ digest"))
        XCTAssertTrue(valid.out.contains("? record"))

        let invalid = try run([bad, "--ca", trust.ca, "--crl", trust.crl])
        XCTAssertEqual(invalid.status, 1)
        XCTAssertTrue(invalid.out.hasPrefix("\(bad): INVALID — "), invalid.out)
        XCTAssertTrue(invalid.out.contains("✗ digest"))

        let indeterminate = try run([good, "--ca", trust.ca])
        XCTAssertEqual(indeterminate.status, 2)
        XCTAssertTrue(indeterminate.out.contains("INDETERMINATE"))

        XCTAssertEqual(try run([good, "--site", trust.site.path]).status, 0)
        XCTAssertEqual(try run([good, "--bundle", trust.site.appendingPathComponent("trust.json").path]).status, 0)
        // Any INVALID file makes the run 1, whatever the others say.
        XCTAssertEqual(try run([good, bad, "--site", trust.site.path]).status, 1)
    }

    func testUsageAndIOErrorsExitThree() throws {
        let signed = try fixture.sign()
        let good = try write(signed.data, "good.pdf")
        let trust = try writeTrust()
        XCTAssertEqual(try run([good]).status, 3, "no trust source")
        XCTAssertEqual(try run([good, "--ca", trust.ca, "--site", trust.site.path]).status, 3, "two trust sources")
        XCTAssertEqual(try run([good, "--site", trust.site.path, "--crl", trust.crl]).status, 3)
        XCTAssertEqual(try run(["--ca", trust.ca]).status, 3, "no file")
        XCTAssertEqual(try run([good, "--ca", trust.ca, "--jobs", "0"]).status, 3)
        let missing = try run([work.appendingPathComponent("missing.pdf").path, "--ca", trust.ca, "--crl", trust.crl])
        XCTAssertEqual(missing.status, 3)
        XCTAssertTrue(missing.err.contains("missing.pdf"), missing.err)
        XCTAssertEqual(missing.err.split(separator: "\n").count, 1, "one sentence: \(missing.err)")
        let badCA = try run([good, "--ca", good])
        XCTAssertEqual(badCA.status, 3)
        XCTAssertTrue(badCA.err.contains("not a PEM or DER certificate"), badCA.err)
    }

    func testSiteWhoseCADisagreesWithTrustJSONIsRefused() throws {
        let signed = try fixture.sign()
        let good = try write(signed.data, "good.pdf")
        let trust = try writeTrust(records: [fixture.record(for: signed)])
        try Data(VerifierFixture.other.ca.certificate.pem.utf8).write(to: trust.site.appendingPathComponent("ca.pem"))
        let result = try run([good, "--site", trust.site.path])
        XCTAssertEqual(result.status, 3)
        XCTAssertTrue(result.err.contains("is not the CA certificate"), result.err)
        // A CRL signed by another CA is refused too.
        let other = try VerifierFixture.other.crl()
        let ours = try write(Data(fixture.ca.certificate.pem.utf8), "ours.pem")
        let mismatch = try run([good, "--ca", ours, "--crl", try write(Data(other.pem.utf8), "other.crl")])
        XCTAssertEqual(mismatch.status, 3)
        XCTAssertTrue(mismatch.err.contains("is not signed by the CA"), mismatch.err)
    }

    func testJSONLinesInArgumentOrderWithJobs() throws {
        let trust = try writeTrust()
        var paths: [String] = []
        var expected: [String] = []
        for index in 0..<8 {
            let signed = try fixture.sign(TestPDF.make(pages: 1 + index % 3, text: "Dokumen \(index)"))
            let data = index % 3 == 2 ? Tamper.append(signed.data, "garbage") : signed.data
            paths.append(try write(data, "file-\(index).pdf"))
            expected.append(index % 3 == 2 ? "INVALID" : "VALID")
        }
        let result = try run(paths + ["--ca", trust.ca, "--crl", trust.crl, "--json", "--jobs", "3"])
        XCTAssertEqual(result.status, 1)
        let lines = result.out.split(separator: "\n")
        XCTAssertEqual(lines.count, paths.count)
        for (index, line) in lines.enumerated() {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            XCTAssertEqual(object["file"] as? String, paths[index], "output order = argument order")
            XCTAssertEqual(object["verdict"] as? String, expected[index])
        }
    }

    func testCorpusFilesThroughTheExecutable() throws {
        let files = TestPaths.corpusFiles()
        guard !files.isEmpty else { throw XCTSkip(TestPaths.corpusMissingMessage) }
        let trust = try writeTrust()
        let picked = ["dss_pades-ltv.pdf", "openpdf_pades_infinite_loop.pdf", "qpdf_append-xref-loop.pdf",
                      "pypdf_r6-user-password.pdf", "hanko_circular-page-tree.pdf", "dss_25sigs.pdf"]
        let chosen = files.filter { picked.contains($0.lastPathComponent) }
        XCTAssertEqual(chosen.count, picked.count)
        let result = try run(chosen.map(\.path) + ["--ca", trust.ca, "--crl", trust.crl, "--json"])
        XCTAssertTrue([1, 2].contains(result.status), "a verdict, not a crash: \(result.status) \(result.err)")
        XCTAssertEqual(result.out.split(separator: "\n").count, chosen.count)
        XCTAssertTrue(result.err.isEmpty, result.err)
    }
}
