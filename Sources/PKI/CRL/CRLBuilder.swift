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

extension CertificateAuthority {
    /// `CRLBuilder.makeCRL` with this authority as issuer.
    public func makeCRL(revoked: [(serialHex: String, date: Date, reason: CRLReason)], thisUpdate: Date,
                        nextUpdate: Date, crlNumber: Int) throws -> CRL {
        try CRLBuilder.makeCRL(ca: self, revoked: revoked, thisUpdate: thisUpdate, nextUpdate: nextUpdate,
                               crlNumber: crlNumber)
    }
}

/// Owns the `X509_CRL` under construction; `sign` returns an independent `CRL`.
final class CRLDraft {
    private let pointer: OpaquePointer

    init() throws {
        guard let crl = X509_CRL_new() else {
            throw PKIError.openSSL(.crlBuilding, "Could not allocate a CRL")
        }
        pointer = crl
        guard X509_CRL_set_version(pointer, Int(X509_CRL_VERSION_2)) == 1 else {
            throw PKIError.openSSL(.crlBuilding, "Could not set CRL version 2")
        }
    }

    deinit {
        X509_CRL_free(pointer)
    }

    func setHeader(issuer: Certificate, thisUpdate: Date, nextUpdate: Date) throws {
        guard let name = X509_get_subject_name(issuer.pointer), X509_CRL_set_issuer_name(pointer, name) == 1 else {
            throw PKIError.openSSL(.crlBuilding, "Could not set the CRL issuer")
        }
        guard let this = ASN1Time.make(thisUpdate) else {
            throw PKIError.openSSL(.crlBuilding, "Could not encode thisUpdate \(thisUpdate)")
        }
        defer { ASN1_STRING_free(this) }
        guard let next = ASN1Time.make(nextUpdate) else {
            throw PKIError.openSSL(.crlBuilding, "Could not encode nextUpdate \(nextUpdate)")
        }
        defer { ASN1_STRING_free(next) }
        guard X509_CRL_set1_lastUpdate(pointer, this) == 1, X509_CRL_set1_nextUpdate(pointer, next) == 1 else {
            throw PKIError.openSSL(.crlBuilding, "Could not set the CRL dates")
        }
    }

    func addEntry(magnitude: Data, serialHex: String, date: Date, reason: CRLReason) throws {
        guard let revoked = X509_REVOKED_new() else {
            throw PKIError.openSSL(.crlBuilding, "Could not allocate a CRL entry")
        }
        var adopted = false
        defer { if !adopted { X509_REVOKED_free(revoked) } }
        let serial = try SerialNumber.asn1Integer(magnitude: magnitude)
        defer { ASN1_INTEGER_free(serial) }
        guard let time = ASN1Time.make(date) else {
            throw PKIError.openSSL(.crlBuilding, "Could not encode the revocation date of \(serialHex)")
        }
        defer { ASN1_STRING_free(time) }
        guard X509_REVOKED_set_serialNumber(revoked, serial) == 1,
              X509_REVOKED_set_revocationDate(revoked, time) == 1 else {
            throw PKIError.openSSL(.crlBuilding, "Could not fill the CRL entry for \(serialHex)")
        }
        if reason != .unspecified {
            guard let code = ASN1_ENUMERATED_new() else {
                throw PKIError.openSSL(.crlBuilding, "Could not allocate a reason code")
            }
            defer { ASN1_ENUMERATED_free(code) }
            guard ASN1_ENUMERATED_set(code, reason.rawValue) == 1,
                  X509_REVOKED_add1_ext_i2d(revoked, NID_crl_reason, UnsafeMutableRawPointer(code), 0, 0) == 1 else {
                throw PKIError.openSSL(.crlBuilding, "Could not add reason \(reason.name) for \(serialHex)")
            }
        }
        guard X509_CRL_add0_revoked(pointer, revoked) == 1 else {
            throw PKIError.openSSL(.crlBuilding, "Could not add the CRL entry for \(serialHex)")
        }
        adopted = true
    }

    func addExtensions(issuer: Certificate, crlNumber: Int) throws {
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer.pointer, nil, nil, pointer, 0)
        guard let authorityKeyID = X509V3_EXT_conf_nid(nil, &context, NID_authority_key_identifier, "keyid:always") else {
            throw PKIError.openSSL(.crlBuilding, "Could not build the authorityKeyIdentifier (does the CA have an SKI?)")
        }
        defer { X509_EXTENSION_free(authorityKeyID) }
        guard X509_CRL_add_ext(pointer, authorityKeyID, -1) == 1 else {
            throw PKIError.openSSL(.crlBuilding, "Could not add the authorityKeyIdentifier")
        }
        guard let number = ASN1_INTEGER_new() else {
            throw PKIError.openSSL(.crlBuilding, "Could not allocate the CRL number")
        }
        defer { ASN1_INTEGER_free(number) }
        guard ASN1_INTEGER_set_int64(number, Int64(crlNumber)) == 1,
              X509_CRL_add1_ext_i2d(pointer, NID_crl_number, UnsafeMutableRawPointer(number), 0, 0) == 1 else {
            throw PKIError.openSSL(.crlBuilding, "Could not add cRLNumber \(crlNumber)")
        }
    }

    func sign(with key: PrivateKey) throws -> CRL {
        // Keep the entries in the order they were added (already sorted by serial).
        guard X509_CRL_sign(pointer, key.pointer, EVP_sha256()) > 0 else {
            throw PKIError.openSSL(.crlBuilding, "Could not sign the CRL")
        }
        let der = try DEREncoding.encode("the new CRL", failure: .crlBuilding) { i2d_X509_CRL(pointer, $0) }
        return try CRL(der: der)
    }
}
