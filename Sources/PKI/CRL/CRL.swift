import COpenSSL
import Foundation

/// An X.509 v2 certificate revocation list (RFC 5280 §5), owning one libcrypto
/// `X509_CRL`. Fields are read once at init; the object is not mutated
/// afterwards, hence `@unchecked Sendable`. Equality is over the DER.
///
/// A CRL without nextUpdate is refused: RFC 5280 §5.1.2.5 makes it mandatory,
/// and a verifier cannot tell when such a list goes stale.
public final class CRL: @unchecked Sendable, Hashable, CustomStringConvertible {
    /// The owned `X509_CRL *`.
    let pointer: OpaquePointer

    public let der: Data
    public let issuer: DistinguishedName
    public let thisUpdate: Date
    public let nextUpdate: Date
    /// The cRLNumber extension (RFC 5280 §5.2.3), if present and small enough for an Int.
    public let crlNumber: Int?
    /// keyIdentifier of the authorityKeyIdentifier extension (RFC 5280 §5.2.1).
    public let authorityKeyIdentifier: Data?
    /// Entries in encoded order (ascending serial for CRLs from `CRLBuilder`).
    public let entries: [RevokedCertificate]

    /// Revoked serials (see `Certificate.serialHex`) with date and reason.
    public var revokedSerials: [String: (date: Date, reason: CRLReason)] {
        var map: [String: (date: Date, reason: CRLReason)] = [:]
        for entry in entries where map[entry.serialHex] == nil {
            map[entry.serialHex] = (entry.revocationDate, entry.reason)
        }
        return map
    }

    /// Takes ownership of `pointer` (freed here even when init throws).
    init(owning pointer: OpaquePointer) throws {
        self.pointer = pointer
        do {
            der = try DEREncoding.encode("a CRL", failure: .invalidCRL) { i2d_X509_CRL(pointer, $0) }
            guard let issuerName = X509_CRL_get_issuer(pointer) else {
                throw PKIError.openSSL(.invalidCRL, "The CRL has no issuer")
            }
            issuer = try DistinguishedName(borrowing: issuerName, failure: .invalidCRL)
            guard let lastUpdate = ASN1Time.date(X509_CRL_get0_lastUpdate(pointer)) else {
                throw PKIError(.invalidCRL, "The CRL's thisUpdate is unreadable")
            }
            thisUpdate = lastUpdate
            guard let next = ASN1Time.date(X509_CRL_get0_nextUpdate(pointer)) else {
                throw PKIError(.invalidCRL, "The CRL has no readable nextUpdate")
            }
            nextUpdate = next

            var critical: Int32 = 0
            if let raw = X509_CRL_get_ext_d2i(pointer, NID_crl_number, &critical, nil) {
                let number = raw.assumingMemoryBound(to: ASN1_INTEGER.self)
                var value: Int64 = 0
                crlNumber = ASN1_INTEGER_get_int64(&value, number) == 1 ? Int(exactly: value) : nil
                ASN1_INTEGER_free(number)
            } else {
                crlNumber = nil
            }
            if let raw = X509_CRL_get_ext_d2i(pointer, NID_authority_key_identifier, &critical, nil) {
                let identifier = raw.assumingMemoryBound(to: AUTHORITY_KEYID.self)
                authorityKeyIdentifier = identifier.pointee.keyid.map { keyID in
                    Data(bytes: ASN1_STRING_get0_data(keyID), count: Int(ASN1_STRING_length(keyID)))
                }
                AUTHORITY_KEYID_free(identifier)
            } else {
                authorityKeyIdentifier = nil
            }
            entries = try CRL.readEntries(pointer)
            OpenSSLErrorQueue.clear()
        } catch {
            X509_CRL_free(pointer)
            throw error
        }
    }

    deinit {
        X509_CRL_free(pointer)
    }

    /// Parses a DER CRL; trailing bytes are refused.
    public convenience init(der: Data) throws {
        OpenSSLErrorQueue.clear()
        guard let crl = DEREncoding.decode(der, free: { X509_CRL_free($0) }, { d2i_X509_CRL(nil, $0, $1) }) else {
            throw PKIError.openSSL(.invalidCRL, "Not a DER X.509 CRL (\(der.count) bytes)")
        }
        try self.init(owning: crl)
    }

    /// Parses the first `X509 CRL` block of a PEM text.
    public convenience init(pem: String) throws {
        OpenSSLErrorQueue.clear()
        let crl: OpaquePointer? = try MemoryBIO.reading(Data(pem.utf8)) { bio in
            PEM_read_bio_X509_CRL(bio, nil, nil, nil)
        }
        guard let crl else {
            throw PKIError.openSSL(.invalidCRL, "No PEM CRL found")
        }
        try self.init(owning: crl)
    }

    /// PEM (`-----BEGIN X509 CRL-----`).
    public var pem: String {
        let body = der.base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN X509 CRL-----\n\(body)\n-----END X509 CRL-----\n"
    }

    /// True when `issuer`'s subject is this CRL's issuer and its key verifies the signature.
    public func isSigned(by issuer: Certificate) -> Bool {
        defer { OpenSSLErrorQueue.clear() }
        guard let issuerSubject = X509_get_subject_name(issuer.pointer),
              let ownIssuer = X509_CRL_get_issuer(pointer),
              X509_NAME_cmp(ownIssuer, issuerSubject) == 0,
              let key = X509_get0_pubkey(issuer.pointer) else {
            return false
        }
        return X509_CRL_verify(pointer, key) == 1
    }

    /// thisUpdate ≤ date ≤ nextUpdate: past nextUpdate the list says nothing
    /// about the present (a verifier reports "unknown", not "not revoked").
    public func isCurrent(at date: Date) -> Bool {
        thisUpdate <= date && date <= nextUpdate
    }

    /// The entry revoking `certificate`, if any (matched by serial; check the
    /// issuer with `isSigned(by:)` first).
    public func entry(for certificate: Certificate) -> RevokedCertificate? {
        entries.first { $0.serialHex == certificate.serialHex }
    }

    public var description: String {
        "CRL(\(issuer.string), \(entries.count) revoked, next update \(nextUpdate))"
    }

    public static func == (lhs: CRL, rhs: CRL) -> Bool { lhs.der == rhs.der }

    public func hash(into hasher: inout Swift.Hasher) { hasher.combine(der) }

    private static func readEntries(_ crl: OpaquePointer) throws -> [RevokedCertificate] {
        guard let stack = X509_CRL_get_REVOKED(crl) else { return [] }
        var entries: [RevokedCertificate] = []
        for index in 0..<max(segel_sk_X509_REVOKED_num(stack), 0) {
            guard let revoked = segel_sk_X509_REVOKED_value(stack, index),
                  let serial = SerialNumber.hex(X509_REVOKED_get0_serialNumber(revoked)),
                  let date = ASN1Time.date(X509_REVOKED_get0_revocationDate(revoked)) else {
                throw PKIError(.invalidCRL, "CRL entry \(index) is unreadable")
            }
            var reason = CRLReason.unspecified
            var critical: Int32 = 0
            if let raw = X509_REVOKED_get_ext_d2i(revoked, NID_crl_reason, &critical, nil) {
                let code = raw.assumingMemoryBound(to: ASN1_ENUMERATED.self)
                var value: Int64 = 0
                if ASN1_ENUMERATED_get_int64(&value, code) == 1, let known = CRLReason(rawValue: Int(value)) {
                    reason = known
                }
                ASN1_ENUMERATED_free(code)
            }
            entries.append(RevokedCertificate(serialHex: serial, revocationDate: date, reason: reason))
        }
        return entries
    }
}
