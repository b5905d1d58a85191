import Authority
import Foundation
import PDF
import PKI
import TestSupport
import Verifier
import XCTest

/// How segel-verify reads a signature's own timestamp (PAdES B-T) and the
/// CRL a file carries (B-LT): the timestamp is the trusted signing time only
/// when it verifies against the trust; a claim far from it is reported; a CRL
/// in the file that lists the certificate makes the file INVALID.
final class TimestampVerdictTests: XCTestCase {
    let fixture = VerifierFixture.shared

    /// The fixture's signer with its own TSA (issued by the fixture CA) and a DSS.
    private func longTermSigner(revoking serials: [String] = []) throws -> DocumentSigner {
        let key = try PrivateKey.generate(.p256)
        let certificate = try fixture.ca.issueTimestampingCertificate(
            subject: DistinguishedNameFields(commonName: "Fixture TSA", organization: "Universitas Contoh"), publicKeyOf: key)
        var signer = fixture.signer
        signer.timestamps = .local(try LocalTimestampAuthority(key: key, certificate: certificate, chain: [fixture.ca.certificate]))
        let ca = fixture.ca
        signer.validationData = ValidationData(certificates: [ca.certificate]) { now in
            try ca.makeCRL(revoked: serials.map { ($0, now, .cessationOfOperation) }, thisUpdate: now,
                           nextUpdate: now.addingTimeInterval(86_400), crlNumber: 5)
        }
        return signer
    }

    private func sign(with signer: DocumentSigner, now: Date = Date()) throws -> SignedPDF {
        try signer.sign(pdf: TestPDF.make(), fileLabel: "test.pdf", signer: SignerIdentity(name: "Dr. José Müller"),
                        token: try Random.token(), signatureID: "SIG-TIMESTAMPTEST1", keyType: .p256,
                        position: StampPosition(), now: now)
    }

    func testTheAuthoritysOwnTimestampIsTheTrustedSigningTime() throws {
        let signed = try sign(with: longTermSigner())
        let report = fixture.verifier(crl: try fixture.crl()).verify(data: signed.data, name: "a.pdf")
        XCTAssertEqual(report.verdict, .valid, report.humanText())
        let seal = try XCTUnwrap(report.signatures.last)
        let stamp = try XCTUnwrap(seal.timestamp)
        XCTAssertTrue(stamp.trusted, stamp.problem ?? "")
        XCTAssertEqual(stamp.authority, "Fixture TSA")
        XCTAssertTrue(seal.checks.validity.reason.contains("proven by a timestamp from Fixture TSA"), seal.checks.validity.reason)
        XCTAssertTrue(seal.warnings.isEmpty, "\(seal.warnings)")
        XCTAssertTrue(report.jsonLine().contains(#""timestamp":{"#), report.jsonLine())
    }

    func testATimestampFromAnotherAuthorityIsShownButNotTrusted() throws {
        let other = VerifierFixture.other
        let key = try PrivateKey.generate(.p256)
        let certificate = try other.ca.issueTimestampingCertificate(
            subject: DistinguishedNameFields(commonName: "Other TSA", organization: "Institut Lain"), publicKeyOf: key)
        var signer = fixture.signer
        signer.timestamps = .local(try LocalTimestampAuthority(key: key, certificate: certificate, chain: [other.ca.certificate]))
        let signed = try sign(with: signer)
        let report = fixture.verifier(crl: try fixture.crl()).verify(data: signed.data, name: "a.pdf")
        let seal = try XCTUnwrap(report.signatures.last)
        XCTAssertEqual(seal.timestamp?.trusted, false)
        XCTAssertTrue(seal.warnings.contains { $0.contains("not one of this authority's time-stamping authorities") }, "\(seal.warnings)")
        XCTAssertFalse(seal.checks.validity.reason.contains("proven by a timestamp"))
        // The certificate is current, so the claimed time still serves today.
        XCTAssertEqual(report.verdict, .valid, report.summary)
        // Once it has expired, an untrusted timestamp proves nothing.
        let later = fixture.verifier(crl: try fixture.crl(), now: signed.certificate.notAfter.addingTimeInterval(86_400))
        XCTAssertNotEqual(later.verify(data: signed.data, name: "a.pdf").verdict, .valid)
    }

    /// A TSA the verifier is told to trust (an external one) whose clock is 30
    /// minutes ahead of the signer's claim: trusted, and the gap is reported.
    func testAClaimFarFromATrustedTimestampIsReported() throws {
        let work = try TestPaths.temporaryDirectory("ts-gap")
        defer { try? FileManager.default.removeItem(at: work) }
        let server = try LoopbackServer.timestampAuthority(work: work)
        defer { server.stop() }
        let older = try VerifierFixture(name: "Universitas Contoh", siteURL: VerifierFixture.siteURL,
                                        caValidFrom: Date().addingTimeInterval(-86_400))
        var signer = older.signer
        signer.timestamps = .external(try HTTPTimestampAuthority(url: server.url))
        let claimed = Date().addingTimeInterval(-30 * 60)
        let signed = try sign(with: signer, now: claimed)
        let root = try Certificate(pem: String(contentsOf: work.appendingPathComponent("root.pem"), encoding: .utf8))
        var trust = TrustContext(mode: .certificate, ca: older.ca.certificate, revocation: .crl(try older.crl()))
        trust.timestampRoots = [root]
        let report = Verifier(trust: trust).verify(data: signed.data, name: "a.pdf")
        let seal = try XCTUnwrap(report.signatures.last)
        XCTAssertEqual(seal.timestamp?.trusted, true, seal.timestamp?.problem ?? "")
        XCTAssertTrue(seal.warnings.contains { $0.contains("differs from its timestamp") && $0.contains("30 minutes") }, "\(seal.warnings)")
        XCTAssertEqual(report.verdict, .valid, report.summary)
    }

    /// The CRL in the file (signed by the CA) lists the certificate: INVALID,
    /// even while the published list does not.
    func testACRLInTheFileThatListsTheCertificateFailsRevocation() throws {
        let first = try sign(with: longTermSigner())
        // A later DSS revision (pyHanko refuses to embed a CRL that revokes
        // the signer, so it is written here) with a CRL listing the certificate.
        let listing = try fixture.crl(revoking: [first.certificate], thisUpdate: Date().addingTimeInterval(-60))
        let document = try PDFDocument(data: first.data)
        var update = try IncrementalUpdate(document: document)
        var catalog = try XCTUnwrap(document.catalog)
        let stream = update.add(.stream(PDFStream(dictionary: PDFDictionary(), data: listing.der)))
        catalog["DSS"] = .reference(update.add(.dictionary(["Type": .name("DSS"), "CRLs": .array([.reference(stream)])])))
        update.replace(try XCTUnwrap(document.catalogReference), with: .dictionary(catalog))
        let extended = try update.write()
        let report = fixture.verifier(crl: try fixture.crl()).verify(data: extended, name: "a.pdf")
        XCTAssertEqual(report.verdict, .invalid, report.summary)
        XCTAssertTrue(report.summary.contains("revocation list in the file"), report.summary)

        // The DSS segel wrote at signing time shows the status then: not revoked.
        let plain = fixture.verifier().verify(data: first.data, name: "a.pdf")
        XCTAssertTrue(plain.signatures.last?.checks.revocation.reason.contains("shows it was not revoked when signed") == true,
                      plain.signatures.last?.checks.revocation.reason ?? "")
    }

    /// B-LTA: the document timestamp after the DSS keeps the file VALID and covers it all.
    func testALongTermArchiveTimestampClosesTheFile() throws {
        var signer = try longTermSigner()
        signer.closingTimestamp = true
        let signed = try sign(with: signer)
        let report = fixture.verifier(crl: try fixture.crl()).verify(data: signed.data, name: "a.pdf")
        XCTAssertEqual(report.verdict, .valid, report.humanText())
        XCTAssertEqual(report.signatures.map(\.role), [.seal, .timestamp])
        XCTAssertEqual(report.signatures.last?.checks.digest.status, .pass)
    }
}
