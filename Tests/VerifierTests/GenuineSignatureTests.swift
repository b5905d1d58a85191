import Foundation
import PDF
import PKI
import TestSupport
import Verifier
import XCTest

/// Genuine segel signatures under each trust mode, and what the authority's
/// published state (CRL, records) does to their verdict.
final class GenuineSignatureTests: XCTestCase {
    let fixture = VerifierFixture.shared

    func testValidWithCAAndCurrentCRL() throws {
        let signed = try fixture.sign()
        let report = fixture.verifier(crl: try fixture.crl()).verify(data: signed.data, name: "a.pdf")
        XCTAssertEqual(report.verdict, .valid, report.humanText())
        XCTAssertEqual(report.token, signed.token)
        XCTAssertEqual(report.sha256, signed.sha256)
        let seal = try XCTUnwrap(report.seal)
        for name in CheckName.allCases where name != .record && name != .log {
            XCTAssertEqual(seal.checks[name].status, .pass, "\(name): \(seal.checks[name].reason)")
        }
        XCTAssertEqual(seal.checks.record.status, .unknown, "no records in --ca mode")
        XCTAssertEqual(seal.checks.log.status, .unknown, "no issuance log in --ca mode")
        XCTAssertEqual(seal.signer, "Dr. José Müller")
        XCTAssertTrue(report.summary.contains("Dr. José Müller"), report.summary)
    }

    func testCAWithoutCRLIsIndeterminate() throws {
        let signed = try fixture.sign()
        let report = fixture.verifier().verify(data: signed.data, name: "a.pdf")
        XCTAssertEqual(report.verdict, .indeterminate)
        XCTAssertEqual(report.seal?.checks.revocation.status, .unknown)
    }

    func testValidWithBundleFile() throws {
        let signed = try fixture.sign()
        let directory = try TestPaths.temporaryDirectory("verify-bundle")
        defer { try? FileManager.default.removeItem(at: directory) }
        let crl = try fixture.crl()
        try fixture.writeSite(in: directory, crl: crl, records: [])
        let trust = try TrustContext.bundle(trustFile: directory.appendingPathComponent("trust.json"))
        XCTAssertEqual(trust.siteURL, VerifierFixture.siteURL)
        XCTAssertNil(trust.records)
        let report = Verifier(trust: trust).verify(data: signed.data, name: "a.pdf")
        XCTAssertEqual(report.verdict, .valid, report.humanText())
        XCTAssertEqual(report.seal?.checks.record.status, .unknown)
    }

    func testValidWithSiteFolder() throws {
        let signed = try fixture.sign()
        let report = try verifyWithSite(signed, records: [fixture.record(for: signed)])
        XCTAssertEqual(report.verdict, .valid, report.humanText())
        XCTAssertEqual(report.seal?.checks.record.status, .pass)
    }

    func testSiteRecordInvalidatedIsInvalid() throws {
        let signed = try fixture.sign()
        let report = try verifyWithSite(signed, records: [
            fixture.record(for: signed, status: .invalidated, reason: "issued to the wrong student"),
        ])
        XCTAssertEqual(report.verdict, .invalid)
        XCTAssertEqual(report.seal?.checks.record.status, .fail)
        XCTAssertTrue(report.summary.contains("issued to the wrong student"), report.summary)
    }

    func testSiteRecordRevokedIsInvalid() throws {
        let signed = try fixture.sign()
        let report = try verifyWithSite(signed, records: [fixture.record(for: signed, status: .revoked, reason: "key compromise")])
        XCTAssertEqual(report.verdict, .invalid)
        XCTAssertEqual(report.seal?.checks.record.status, .fail)
    }

    func testSerialOnCRLIsInvalid() throws {
        let signed = try fixture.sign()
        let crl = try fixture.crl(revoking: [signed.certificate])
        let report = try verifyWithSite(signed, records: [fixture.record(for: signed)], crl: crl)
        XCTAssertEqual(report.verdict, .invalid)
        XCTAssertEqual(report.seal?.checks.revocation.status, .fail)
        XCTAssertTrue(report.seal?.checks.revocation.reason.contains("cessationOfOperation") ?? false)
        // The same with --ca --crl.
        XCTAssertEqual(fixture.verifier(crl: crl).verify(data: signed.data, name: "a.pdf").verdict, .invalid)
    }

    func testRecordWithOtherHashIsInvalid() throws {
        let signed = try fixture.sign()
        let report = try verifyWithSite(signed, records: [fixture.record(for: signed, sha256: String(repeating: "ab", count: 32))])
        XCTAssertEqual(report.verdict, .invalid)
        XCTAssertTrue(report.seal?.checks.record.reason.contains("SHA-256") ?? false)
    }

    func testRecordWithOtherCertificateIsInvalid() throws {
        let signed = try fixture.sign()
        let other = try fixture.sign()
        var record = fixture.record(for: signed)
        record.certificate = .init(serial: other.certificate.serialHex, fingerprintSHA256: other.certificate.sha256FingerprintHex)
        let report = fixture.verifier(crl: try fixture.crl(), records: [record]).verify(data: signed.data, name: "a.pdf")
        XCTAssertEqual(report.verdict, .invalid)
        XCTAssertEqual(report.seal?.checks.record.status, .fail)
    }

    func testStaleCRLIsIndeterminate() throws {
        let signed = try fixture.sign()
        let stale = try fixture.crl(thisUpdate: Date().addingTimeInterval(-10 * 86_400),
                                    nextUpdate: Date().addingTimeInterval(-3 * 86_400))
        let report = try verifyWithSite(signed, records: [fixture.record(for: signed)], crl: stale)
        XCTAssertEqual(report.verdict, .indeterminate, report.humanText())
        XCTAssertEqual(report.seal?.checks.revocation.status, .unknown)
        XCTAssertTrue(report.summary.contains("expired"), report.summary)
    }

    func testMissingRecordIsIndeterminate() throws {
        let signed = try fixture.sign()
        let report = try verifyWithSite(signed, records: [])
        XCTAssertEqual(report.verdict, .indeterminate)
        XCTAssertEqual(report.seal?.checks.record.status, .unknown)
    }

    func testTrailingWhitespaceIsTolerated() throws {
        let signed = try fixture.sign()
        let report = fixture.verifier(crl: try fixture.crl()).verify(data: signed.data + Data("\r\n".utf8), name: "a.pdf")
        XCTAssertEqual(report.verdict, .valid, report.humanText())
    }

    /// An input already signed by someone else keeps that signature; the seal covers it.
    func testForeignEarlierSignatureDoesNotDowngrade() throws {
        let foreign = try VerifierFixture.other.sign()
        let sealed = try fixture.sign(foreign.data)
        let report = fixture.verifier(crl: try fixture.crl()).verify(data: sealed.data, name: "twice.pdf")
        XCTAssertEqual(report.verdict, .valid, report.humanText())
        XCTAssertEqual(report.signatures.map(\.role), [.foreign, .seal])
        let first = report.signatures[0]
        XCTAssertEqual(first.checks.chain.status, .unknown)
        XCTAssertTrue(first.checks.chain.reason.contains("not by this authority"), first.checks.chain.reason)
        XCTAssertEqual(first.checks.digest.status, .pass)
        XCTAssertEqual(first.checks.signature.status, .pass)
        XCTAssertEqual(report.token, sealed.token)
    }

    /// The other way round: the seal is someone else's, so the file is not this authority's.
    func testSealByAnotherAuthorityIsInvalid() throws {
        let ours = try fixture.sign()
        let theirs = try VerifierFixture.other.sign(ours.data)
        let report = fixture.verifier(crl: try fixture.crl()).verify(data: theirs.data, name: "a.pdf")
        XCTAssertEqual(report.verdict, .invalid)
        XCTAssertEqual(report.seal?.checks.chain.status, .fail)
    }

    /// Validation data appended after the seal (PAdES B-LT) keeps the file VALID,
    /// and the record still matches through the hash of the signed revision.
    func testDSSRevisionAfterSealStaysValid() throws {
        let signed = try fixture.sign()
        let withDSS = try appendDSS(to: signed.data)
        let report = try verifyWithSite(signed, records: [fixture.record(for: signed)], file: withDSS)
        XCTAssertEqual(report.verdict, .valid, report.humanText())
        XCTAssertTrue(report.seal?.checks.coverage.reason.contains("DSS") ?? false, report.seal?.checks.coverage.reason ?? "")
        XCTAssertTrue(report.seal?.checks.record.reason.contains("validation data") ?? false)
    }

    /// The record is read where the certificate's verification URL puts it
    /// (`v/<f>/<token>/` → `api/verify/<f>/<token>.json`), not at another address.
    func testRecordIsReadAtTheAddressTheCertificateNames() throws {
        let signed = try fixture.sign()
        let uri = try XCTUnwrap(signed.certificate.subjectAltNameURIs.first)
        XCTAssertEqual(uri, "\(VerifierFixture.siteURL)/v/\(signed.token.prefix(1).lowercased())/\(signed.token)/")
        let found = try verifyWithSite(signed, records: [fixture.record(for: signed)])
        XCTAssertEqual(found.verdict, .valid, found.humanText())
        let elsewhere = try verifyWithSite(signed, records: [fixture.record(for: signed)], layout: .flat)
        XCTAssertEqual(elsewhere.verdict, .indeterminate, elsewhere.humanText())
        XCTAssertTrue(elsewhere.seal?.checks.record.reason.contains("api/verify/\(signed.token.prefix(1).lowercased())/") ?? false,
                      elsewhere.seal?.checks.record.reason ?? "")
    }

    /// A DSS revision that also changes a page is not validation data.
    func testDSSRevisionThatAlsoChangesAPageIsInvalid() throws {
        let signed = try fixture.sign()
        let document = try PDFDocument(data: signed.data, options: .strict)
        var update = try IncrementalUpdate(document: document)
        let page = try XCTUnwrap(document.pages.first)
        var pageDictionary = try XCTUnwrap(document.resolve(page.ref).dictionaryValue)
        pageDictionary["MediaBox"] = .numbers([0, 0, 300, 300])
        update.replace(page.ref, with: .dictionary(pageDictionary))
        let certificate = update.add(.stream(PDFStream(dictionary: [:], data: fixture.ca.certificate.der)))
        let dss = update.add(.dictionary(["Certs": .array([.reference(certificate)])]))
        var catalog = try XCTUnwrap(document.catalog)
        catalog["DSS"] = .reference(dss)
        update.replace(try XCTUnwrap(document.catalogReference), with: .dictionary(catalog))
        let report = fixture.verifier(crl: try fixture.crl()).verify(data: try update.write(), name: "a.pdf")
        XCTAssertEqual(report.verdict, .invalid)
        XCTAssertEqual(report.seal?.checks.coverage.status, .fail)
        XCTAssertTrue(report.seal?.checks.coverage.reason.contains("page") ?? false, report.seal?.checks.coverage.reason ?? "")
    }

    func testJSONHasTheCLIShape() throws {
        let signed = try fixture.sign()
        let report = fixture.verifier(crl: try fixture.crl()).verify(data: signed.data, name: "a.pdf")
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(report.jsonLine().utf8)) as? [String: Any])
        XCTAssertEqual(object["file"] as? String, "a.pdf")
        XCTAssertEqual(object["verdict"] as? String, "VALID")
        XCTAssertEqual(object["sha256"] as? String, signed.sha256)
        XCTAssertEqual(object["token"] as? String, signed.token)
        let signatures = try XCTUnwrap(object["signatures"] as? [[String: Any]])
        XCTAssertEqual(signatures.count, 1)
        let signature = signatures[0]
        for key in ["field", "signer", "signed_at", "subfilter", "checks", "reasons"] {
            XCTAssertNotNil(signature[key], "missing key \(key)")
        }
        let checks = try XCTUnwrap(signature["checks"] as? [String: String])
        XCTAssertEqual(Set(checks.keys), Set(CheckName.allCases.map(\.rawValue)))
        XCTAssertEqual(checks["digest"], "pass")
        XCTAssertEqual(checks["record"], "unknown")
        XCTAssertEqual(signature["subfilter"] as? String, "ETSI.CAdES.detached")
        XCTAssertFalse(report.jsonLine().contains("\n"))
    }

    // MARK: - Helpers

    private func verifyWithSite(_ signed: VerifierFixture.Signed, records: [PublishedRecord], crl: CRL? = nil,
                                file: Data? = nil, layout: DocumentAddress.Layout = .sharded) throws -> VerificationReport {
        let directory = try TestPaths.temporaryDirectory("verify-site")
        defer { try? FileManager.default.removeItem(at: directory) }
        try fixture.writeSite(in: directory, crl: try crl ?? fixture.crl(), records: records, layout: layout)
        let pdf = directory.appendingPathComponent("document.pdf")
        try (file ?? signed.data).write(to: pdf)
        let trust = try TrustContext.site(directory: directory)
        XCTAssertEqual(trust.mode, .site)
        return try Verifier(trust: trust).verify(fileAt: pdf, name: "document.pdf")
    }

    /// A PAdES B-LT style update: a DSS with the CA certificate, and the catalog pointing at it.
    private func appendDSS(to data: Data) throws -> Data {
        let document = try PDFDocument(data: data, options: .strict)
        var update = try IncrementalUpdate(document: document)
        let certificate = update.add(.stream(PDFStream(dictionary: [:], data: fixture.ca.certificate.der)))
        let vri = update.add(.dictionary([:]))
        let dss = update.add(.dictionary(["Type": .name("DSS"), "Certs": .array([.reference(certificate)]),
                                          "VRI": .reference(vri)]))
        var catalog = try XCTUnwrap(document.catalog)
        catalog["DSS"] = .reference(dss)
        update.replace(try XCTUnwrap(document.catalogReference), with: .dictionary(catalog))
        return try update.write()
    }
}
