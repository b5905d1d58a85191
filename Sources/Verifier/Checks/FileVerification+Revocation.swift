import Foundation
import PDF
import PKI

/// Check 5, revocation (RFC 5280 §5, §6.3): the authority's CRL does not list
/// the certificate. A CRL past its nextUpdate says nothing about today, so the
/// result is unknown, never pass. A CRL the file itself carries in its DSS
/// (PAdES B-LT), signed by the trusted CA, shows the status when the document
/// was signed: one that lists the certificate fails the check; one that does
/// not cannot stand in for the authority's current list.
extension FileVerification {
    /// The CRLs in the file's document security store (ISO 32000-2 §12.8.4.3);
    /// `revocationResult` keeps those the certificate's own CA signed.
    func embeddedCRLs(of document: PDFDocument) -> [CRL] {
        guard let store = try? document.dictionary(document.catalog?["DSS"]),
              let items = try? document.array(store["CRLs"]) else { return [] }
        return items.prefix(64).compactMap { item in
            guard case .stream(let stream)? = try? document.resolve(item),
                  let data = try? stream.decodedData(),
                  let crl = try? CRL(der: data) else { return nil }
            return crl
        }
    }

    /// Clock skew tolerated for a CRL whose thisUpdate lies slightly in the future.
    static let clockSkew: TimeInterval = 300

    func revocationResult(_ candidate: SignatureCandidate, role: SignatureReport.Role,
                          embedded: [CRL] = []) -> CheckResult {
        guard role == .seal || role == .authority else {
            return .unknown("not checked: the signer is not this authority")
        }
        guard let certificate = candidate.signerCertificate, let issuingCA = candidate.issuingCA else {
            return .unknown("not checked: the certificate is not one this authority issued")
        }
        let embedded = embedded.filter { $0.isSigned(by: issuingCA) }
        if let listing = embedded.lazy.compactMap({ crl in crl.entry(for: certificate).map { (crl, $0) } }).first {
            return .fail("the revocation list in the file, of \(ISOTime.readable(listing.0.thisUpdate)), lists this certificate as revoked on \(ISOTime.readable(listing.1.revocationDate))")
        }
        let atSigning = embedded.max { $0.thisUpdate < $1.thisUpdate }
            .map { "; the list in the file, of \(ISOTime.readable($0.thisUpdate)), shows it was not revoked when signed" } ?? ""
        switch trust.revocation {
        case .none:
            return .unknown("no revocation list was given (use --crl, --bundle or --site)\(atSigning)")
        case .crls(let crls):
            // The newest of the lists this CA signed: an older one must not stand in for it.
            guard let crl = crls.filter({ $0.isSigned(by: issuingCA) })
                .max(by: { ($0.crlNumber ?? 0, $0.thisUpdate) < ($1.crlNumber ?? 0, $1.thisUpdate) }) else {
                return .unknown("no revocation list of \(issuingCA.subject.commonName ?? issuingCA.subject.string) was given\(atSigning)")
            }
            if let entry = crl.entry(for: certificate) {
                let reason = entry.reason == .unspecified ? "" : " (reason: \(entry.reason.name))"
                return .fail("the authority revoked this certificate on \(ISOTime.readable(entry.revocationDate))\(reason)")
            }
            if now > crl.nextUpdate {
                return .unknown("the revocation list expired on \(ISOTime.readable(crl.nextUpdate)); a current one is needed\(atSigning)")
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
