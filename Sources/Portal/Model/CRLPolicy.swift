import Foundation
import PKI

/// When to sign a new CRL, the one place where publishing looks at the clock.
///
/// A CRL's bytes depend on its thisUpdate, so re-signing on every publish
/// would make every publish rewrite `crl.pem`, `crl.crl` and `trust.json`.
/// The previous CRL is therefore kept as long as it (1) was signed by this
/// CA, (2) lists exactly the certificates that must be listed, with the same
/// dates and reasons, (3) has the configured validity, and (4) is less than
/// half-way from thisUpdate to nextUpdate — so a verifier always gets a list
/// with at least half its validity left. Otherwise a new CRL is signed with
/// thisUpdate = now and the next cRLNumber (`CRLNumbering`: monotonic, RFC 5280 §5.2.3).
struct CRLPolicy {
    typealias Entry = (serialHex: String, date: Date, reason: CRLReason)

    let entries: [Entry]
    let validityDays: Int
    let now: Date

    /// True when `previous` can be published again unchanged.
    func canKeep(_ previous: CRL, ca: Certificate) -> Bool {
        guard previous.isSigned(by: ca) else { return false }
        let validity = previous.nextUpdate.timeIntervalSince(previous.thisUpdate)
        guard abs(validity - Double(validityDays) * 86_400) < 1 else { return false }
        guard now >= previous.thisUpdate.addingTimeInterval(-300),
              now < previous.thisUpdate.addingTimeInterval(validity / 2) else { return false }
        return Self.key(previous.entries.map { ($0.serialHex, $0.revocationDate, $0.reason) }) == Self.key(entries)
    }

    /// Signs the next CRL.
    func issue(after previous: CRL?, ca: CertificateAuthority) throws -> CRL {
        let thisUpdate = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        return try ca.makeCRL(revoked: entries, thisUpdate: thisUpdate,
                              nextUpdate: thisUpdate.addingTimeInterval(Double(validityDays) * 86_400),
                              crlNumber: CRLNumbering.next(after: previous?.crlNumber, at: thisUpdate))
    }

    /// A comparable form of entries: CRL times have whole seconds (RFC 5280
    /// §4.1.2.5.1), serials are compared without leading zero bytes.
    private static func key(_ entries: [Entry]) -> [String] {
        entries.map { entry in
            var serial = entry.serialHex.lowercased()
            while serial.hasPrefix("00") && serial.count > 2 { serial.removeFirst(2) }
            return "\(serial) \(Int64(entry.date.timeIntervalSince1970.rounded(.down))) \(entry.reason.rawValue)"
        }.sorted()
    }
}
