import COpenSSL
import Foundation

/// Issues the authority's CRL: X.509 v2 (RFC 5280 §5.1), signed with SHA-256,
/// with the authorityKeyIdentifier and cRLNumber extensions (§5.2.1, §5.2.3),
/// and a reasonCode extension on each entry except `.unspecified` (§5.3.1:
/// omit the extension rather than use unspecified). Entries are sorted by
/// serial number so the same revocations always encode identically (and with
/// an RSA CA key, which signs deterministically, sign to the same bytes).
public enum CRLBuilder {
    public static func makeCRL(ca: CertificateAuthority,
                               revoked: [(serialHex: String, date: Date, reason: CRLReason)],
                               thisUpdate: Date, nextUpdate: Date, crlNumber: Int) throws -> CRL {
        guard thisUpdate < nextUpdate else {
            throw PKIError(.crlBuilding, "thisUpdate \(thisUpdate) must be before nextUpdate \(nextUpdate)")
        }
        guard crlNumber >= 0 else {
            throw PKIError(.crlBuilding, "The CRL number must not be negative (got \(crlNumber))")
        }
        // Validate and order the entries before touching libcrypto.
        var prepared: [(magnitude: Data, serialHex: String, date: Date, reason: CRLReason)] = []
        for entry in revoked {
            guard let magnitude = SerialNumber.magnitude(fromHex: entry.serialHex) else {
                throw PKIError(.invalidSerial, "\"\(entry.serialHex)\" is not a hexadecimal serial number")
            }
            guard entry.reason != .removeFromCRL else {
                throw PKIError(.crlBuilding, "removeFromCRL is only for delta CRLs (serial \(entry.serialHex))")
            }
            let trimmed = Data(magnitude.drop { $0 == 0 })
            prepared.append((trimmed, Digest.hex(trimmed), entry.date, entry.reason))
        }
        // Numeric order of positive integers: shorter magnitudes first, then byte-wise.
        prepared.sort { lhs, rhs in
            lhs.magnitude.count != rhs.magnitude.count
                ? lhs.magnitude.count < rhs.magnitude.count
                : lhs.magnitude.lexicographicallyPrecedes(rhs.magnitude)
        }
        for (previous, next) in zip(prepared, prepared.dropFirst()) where previous.magnitude == next.magnitude {
            throw PKIError(.invalidSerial, "Serial \(next.serialHex) is listed twice")
        }

        OpenSSLErrorQueue.clear()
        let draft = try CRLDraft()
        try draft.setHeader(issuer: ca.certificate, thisUpdate: thisUpdate, nextUpdate: nextUpdate)
        for entry in prepared {
            try draft.addEntry(magnitude: entry.magnitude, serialHex: entry.serialHex, date: entry.date,
                               reason: entry.reason)
        }
        try draft.addExtensions(issuer: ca.certificate, crlNumber: crlNumber)
        return try draft.sign(with: ca.key)
    }
}
