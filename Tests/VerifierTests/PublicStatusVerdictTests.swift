import Foundation
import PKI
import Record
import TestSupport
import Verifier
import XCTest

/// Issue 14: the verdict for every combination of a document's public status
/// (valid, invalidated, key revoked), whether the CRL lists its certificate,
/// and whether the CRL is current or stale. The status comes from the one
/// published record; a stale CRL never makes a withdrawn document look better,
/// and never lets a valid one be VALID.
final class PublicStatusVerdictTests: XCTestCase {
    func testEveryCombinationOfStatusListingAndCRLAge() throws {
        let fixture = VerifierFixture.shared
        let signed = try fixture.sign()
        let now = Date()
        struct Case {
            let status: PublicStatus
            let listed: Bool
            let stale: Bool
            let verdict: Verdict
        }
        let cases: [Case] = [
            Case(status: .valid, listed: false, stale: false, verdict: .valid),
            Case(status: .valid, listed: false, stale: true, verdict: .indeterminate),
            // A record that says valid for a listed certificate: the CRL wins.
            Case(status: .valid, listed: true, stale: false, verdict: .invalid),
            Case(status: .invalidated, listed: true, stale: false, verdict: .invalid),
            Case(status: .invalidated, listed: true, stale: true, verdict: .invalid),
            Case(status: .invalidated, listed: false, stale: false, verdict: .invalid),
            Case(status: .revoked, listed: true, stale: false, verdict: .invalid),
            Case(status: .revoked, listed: true, stale: true, verdict: .invalid),
            Case(status: .revoked, listed: false, stale: true, verdict: .invalid),
        ]
        for item in cases {
            let crl = try fixture.crl(revoking: item.listed ? [signed.certificate] : [],
                                      thisUpdate: now.addingTimeInterval(item.stale ? -10 * 86_400 : -3600),
                                      nextUpdate: now.addingTimeInterval(item.stale ? -86_400 : 7 * 86_400))
            let record = fixture.record(for: signed, status: item.status,
                                        reason: item.status == .valid ? nil : "reason for \(item.status)")
            let report = fixture.verifier(crl: crl, records: [record], now: now).verify(data: signed.data, name: "doc.pdf")
            let label = "\(item.status), \(item.listed ? "listed" : "not listed"), \(item.stale ? "stale" : "current") CRL"
            XCTAssertEqual(report.verdict, item.verdict, "\(label):\n\(report.humanText())")
            let check = report.seal?.checks.record
            switch item.status {
            case .valid:
                XCTAssertEqual(check?.status, .pass, label)
            case .invalidated:
                XCTAssertTrue(check?.reason.contains("invalidated") == true, "\(label): \(check?.reason ?? "")")
            case .revoked:
                XCTAssertTrue(check?.reason.contains("revoked") == true, "\(label): \(check?.reason ?? "")")
            }
        }
    }
}
