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
    var fixture: LibraryPublishFixture!

    override func setUpWithError() throws {
        fixture = try LibraryPublishFixture.make("portal-crl", baseURL: "https://verify.example.ac.id/portal", documents: 2,
                                                 passphrase: "crl policy passphrase")
    }

    override func tearDownWithError() throws {
        fixture?.remove()
    }

    var home: URL { fixture.home }
    var site: URL { fixture.site }

    final class UnlockCounter: @unchecked Sendable {
        var count = 0
    }

    func publish(at now: Date, days: Int = 7, unlocks: UnlockCounter) throws -> PublishSummary {
        let source = try fixture.source(onUnlock: { unlocks.count += 1 })
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
        // cRLNumber: the signing time in milliseconds (CRLNumbering), rising across publishes.
        XCTAssertEqual(first.crlNumber, Int(start.timeIntervalSince1970.rounded(.down)) * 1000)
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
        XCTAssertGreaterThan(renewed.crlNumber, first.crlNumber)
        XCTAssertEqual(Set(renewed.writtenPaths), ["crl.pem", "crl.crl", "trust.json"])
        XCTAssertEqual(try crl().thisUpdate.timeIntervalSince1970, later.timeIntervalSince1970.rounded(.down), accuracy: 0.5)

        // A revocation forces a new CRL at once.
        let registry = try Registry(home: home)
        let document = try XCTUnwrap(try registry.allPublishedDocuments().first)
        try registry.revokeKey(signatureID: document.key.signatureID, reason: "Kunci bocor")
        let revoked = try publish(at: later.addingTimeInterval(60), unlocks: unlocks)
        XCTAssertTrue(revoked.crlIssued)
        XCTAssertGreaterThan(revoked.crlNumber, renewed.crlNumber)
        XCTAssertEqual(try crl().revokedSerials[document.key.serialHex]?.reason, .keyCompromise)

        // A different validity is a different CRL.
        let shorter = try publish(at: later.addingTimeInterval(120), days: 3, unlocks: unlocks)
        XCTAssertTrue(shorter.crlIssued)
        XCTAssertGreaterThan(shorter.crlNumber, revoked.crlNumber)
        XCTAssertEqual(try crl().nextUpdate.timeIntervalSince(try crl().thisUpdate), 3 * 86_400, accuracy: 1)

        // A new, empty site folder continues the numbering from the CRL kept in the home.
        try FileManager.default.removeItem(at: site)
        let fresh = try publish(at: later.addingTimeInterval(180), days: 3, unlocks: unlocks)
        XCTAssertFalse(fresh.crlIssued, "the archived CRL is current and lists the same certificates")
        XCTAssertEqual(fresh.crlNumber, shorter.crlNumber)
        XCTAssertEqual(fresh.deleted, 0)

        // A base URL with a path: the 404 page links from it.
        let page = try String(contentsOf: site.appendingPathComponent("404.html"), encoding: .utf8)
        XCTAssertTrue(page.contains(#"href="/portal/assets/site.css""#))
        let index = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertTrue(index.contains("https://verify.example.ac.id/portal"))
    }
}
