import Foundation
import PKI
@testable import Portal
import Registry
import TestSupport
import XCTest

/// The CRL is the one clock-dependent file: kept while it is fresh and lists
/// the same certificates, signed again (cRLNumber + 1, thisUpdate = now) once
/// it is half-way to nextUpdate or the revocations change. Driven through the
/// library with a controlled clock.
final class CRLPolicyTests: XCTestCase {
    var work: URL!
    let passphrase = "crl policy passphrase"

    override func setUpWithError() throws {
        work = try TestPaths.temporaryDirectory("portal-crl")
        let environment = ["SEGEL_HOME": home.path, "SEGEL_PASSPHRASE": passphrase]
        let segel = TestPaths.executable("segel").path
        for arguments in [
            ["init", "--name", "Politeknik Contoh", "--base-url", "https://verify.example.ac.id/portal"],
            ["approver", "add", "--name", "Dr. Sari Wulandari", "--email", "sari@example.ac.id", "--nidn", "0101010101"],
        ] {
            let result = try Tools.run(segel, arguments, environment: environment)
            XCTAssertEqual(result.status, 0, result.err)
        }
        for index in 1...2 {
            let pdf = try SamplePDF.write(to: work.appendingPathComponent("\(index).pdf"), lines: ["Dokumen \(index)"])
            let result = try Tools.run(segel, ["sign-file", pdf.path, "--by", "sari@example.ac.id", "--name", "Dokumen \(index)",
                                               "--key-type", "p256"], environment: environment)
            XCTAssertEqual(result.status, 0, result.err)
        }
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: work)
    }

    var home: URL { work.appendingPathComponent("home") }
    var site: URL { work.appendingPathComponent("site") }

    final class UnlockCounter: @unchecked Sendable {
        var count = 0
    }

    func publish(at now: Date, days: Int = 7, unlocks: UnlockCounter) throws -> PublishSummary {
        let registry = try Registry(home: home)
        let caPEM = try String(contentsOf: home.appendingPathComponent("ca/ca.pem"), encoding: .utf8)
        let keyPEM = try Data(contentsOf: home.appendingPathComponent("ca/ca.key.pem"))
        let passphrase = self.passphrase
        let source = PublishSource(
            registry: registry, caCertificate: try Certificate(pem: caPEM),
            unlockCA: {
                unlocks.count += 1
                return try CertificateAuthority(key: PrivateKey(encryptedPKCS8PEM: keyPEM, passphrase: passphrase),
                                                certificate: Certificate(pem: caPEM))
            },
            signedPDF: { [home] token in home.appendingPathComponent("signed/\(token).pdf") },
            crlArchive: home.appendingPathComponent("ca/crl.der"))
        var options = PublishOptions(site: site)
        options.now = now
        options.crlValidityDays = days
        return try SitePublisher(source: source, options: options).publish()
    }

    func crl() throws -> CRL { try CRL(der: Data(contentsOf: site.appendingPathComponent("crl.crl"))) }

    func testKeptWhileFreshReissuedAfterHalfTimeOrOnChangeNumberedAcrossSites() throws {
        let unlocks = UnlockCounter()
        let start = Date()
        let first = try publish(at: start, unlocks: unlocks)
        XCTAssertTrue(first.crlIssued)
        XCTAssertEqual(first.crlNumber, 1)
        XCTAssertEqual(unlocks.count, 1)
        XCTAssertEqual(try crl().thisUpdate.timeIntervalSince1970, start.timeIntervalSince1970.rounded(.down), accuracy: 0.5)

        // 3 days later: still less than half of 7 days, same revocations: the same bytes, no key.
        let kept = try publish(at: start.addingTimeInterval(3 * 86_400), unlocks: unlocks)
        XCTAssertFalse(kept.crlIssued)
        XCTAssertEqual(kept.written, 0)
        XCTAssertEqual(unlocks.count, 1)

        // 4 days later: past half-way, a fresh CRL with the next number.
        let later = start.addingTimeInterval(4 * 86_400)
        let renewed = try publish(at: later, unlocks: unlocks)
        XCTAssertTrue(renewed.crlIssued)
        XCTAssertEqual(renewed.crlNumber, 2)
        XCTAssertEqual(Set(renewed.writtenPaths), ["crl.pem", "crl.crl", "trust.json"])
        XCTAssertEqual(try crl().thisUpdate.timeIntervalSince1970, later.timeIntervalSince1970.rounded(.down), accuracy: 0.5)

        // A revocation forces a new CRL at once.
        let registry = try Registry(home: home)
        let document = try XCTUnwrap(try registry.allPublishedDocuments().first)
        try registry.revokeKey(signatureID: document.key.signatureID, reason: "Kunci bocor")
        let revoked = try publish(at: later.addingTimeInterval(60), unlocks: unlocks)
        XCTAssertTrue(revoked.crlIssued)
        XCTAssertEqual(revoked.crlNumber, 3)
        XCTAssertEqual(try crl().revokedSerials[document.key.serialHex]?.reason, .keyCompromise)

        // A different validity is a different CRL.
        let shorter = try publish(at: later.addingTimeInterval(120), days: 3, unlocks: unlocks)
        XCTAssertTrue(shorter.crlIssued)
        XCTAssertEqual(try crl().nextUpdate.timeIntervalSince(try crl().thisUpdate), 3 * 86_400, accuracy: 1)

        // A new, empty site folder continues the numbering from the CRL kept in the home.
        try FileManager.default.removeItem(at: site)
        let fresh = try publish(at: later.addingTimeInterval(180), days: 3, unlocks: unlocks)
        XCTAssertFalse(fresh.crlIssued, "the archived CRL is current and lists the same certificates")
        XCTAssertEqual(fresh.crlNumber, 4)
        XCTAssertEqual(fresh.deleted, 0)

        // A base URL with a path: the 404 page links from it.
        let page = try String(contentsOf: site.appendingPathComponent("404.html"), encoding: .utf8)
        XCTAssertTrue(page.contains(#"href="/portal/assets/site.css""#))
        let index = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertTrue(index.contains("https://verify.example.ac.id/portal"))
    }
}
