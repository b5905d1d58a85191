import Foundation
import PKI

/// Check 5, revocation (RFC 5280 §5, §6.3): the authority's CRL does not list
/// the certificate. A CRL past its nextUpdate says nothing about today, so the
/// result is unknown, never pass.
extension FileVerification {
    /// Clock skew tolerated for a CRL whose thisUpdate lies slightly in the future.
    static let clockSkew: TimeInterval = 300

    func revocationResult(_ candidate: SignatureCandidate, role: SignatureReport.Role) -> CheckResult {
        guard role == .seal || role == .authority else {
            return .unknown("not checked: the signer is not this authority")
        }
        guard let certificate = candidate.signerCertificate, candidate.issuedByTrustedCA else {
            return .unknown("not checked: the certificate is not one this authority issued")
        }
        switch trust.revocation {
        case .none:
            return .unknown("no revocation list was given (use --crl, --bundle or --site)")
        case .crl(let crl):
            guard crl.isSigned(by: trust.ca) else {
                return .unknown("the revocation list is not signed by the trusted CA")
            }
            if let entry = crl.entry(for: certificate) {
                let reason = entry.reason == .unspecified ? "" : " (reason: \(entry.reason.name))"
                return .fail("the authority revoked this certificate on \(ISOTime.readable(entry.revocationDate))\(reason)")
            }
            if now > crl.nextUpdate {
                return .unknown("the revocation list expired on \(ISOTime.readable(crl.nextUpdate)); a current one is needed")
            }
            if now < crl.thisUpdate.addingTimeInterval(-FileVerification.clockSkew) {
                return .unknown("the revocation list is dated \(ISOTime.readable(crl.thisUpdate)), in the future; check this computer's clock")
            }
            return .pass("not on the authority's revocation list of \(ISOTime.readable(crl.thisUpdate)) (current until \(ISOTime.readable(crl.nextUpdate)))")
        case .registry(let revoked, let asOf):
            if let entry = revoked[certificate.serialHex] {
                let reason = entry.reason.map { ": \($0)" } ?? ""
                return .fail("the authority revoked this certificate on \(ISOTime.readable(entry.date))\(reason)")
            }
            return .pass("not revoked according to the authority's registry (\(ISOTime.readable(asOf)))")
        }
    }
}
