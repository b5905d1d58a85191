import COpenSSL
import Foundation

/// An X.509 v3 certificate (RFC 5280 §4.1), owning one libcrypto `X509`.
///
/// Every field is read once at init into Swift values; the `X509` is only used
/// afterwards for signature checks and is never mutated, hence
/// `@unchecked Sendable`. Equality and hashing are over the DER encoding.
public final class Certificate: @unchecked Sendable, Hashable, CustomStringConvertible {
    /// The owned `X509 *`.
    let pointer: OpaquePointer

    public let der: Data
    /// See `SerialNumber` for the exact text form (lowercase hex of the magnitude, whole bytes).
    public let serialHex: String
    public let subject: DistinguishedName
    public let issuer: DistinguishedName
    public let notBefore: Date
    public let notAfter: Date
    /// Bits of the keyUsage extension; empty when the extension is absent
    /// (see `hasKeyUsageExtension`, since absence means "unrestricted").
    public let keyUsage: Set<KeyUsage>
    public let hasKeyUsageExtension: Bool
    /// basicConstraints cA is TRUE.
    public let isCA: Bool
    /// uniformResourceIdentifier entries of subjectAltName (RFC 5280 §4.2.1.6), in order.
    public let subjectAltNameURIs: [String]
    /// fullName URIs of crlDistributionPoints (RFC 5280 §4.2.1.13), in order.
    public let crlDistributionPointURIs: [String]
    /// authorityInfoAccess caIssuers URIs (RFC 5280 §4.2.2.1): where the issuer's certificate is published.
    public let caIssuersURIs: [String]
    /// True when extendedKeyUsage lists id-kp-timeStamping (RFC 3161 §2.3 requires it, critical, and alone).
    public let isTimestamping: Bool
    /// True when extendedKeyUsage is present and marked critical.
    public let hasCriticalExtendedKeyUsage: Bool
    /// keyIdentifier of subjectKeyIdentifier (RFC 5280 §4.2.1.2), if present.
    public let subjectKeyIdentifier: Data?
    /// keyIdentifier of authorityKeyIdentifier (RFC 5280 §4.2.1.1), if present.
    public let authorityKeyIdentifier: Data?
    /// DER SubjectPublicKeyInfo.
    public let publicKeyDER: Data
    /// "RSA 2048", "RSA 3072", "EC P-256", or a best-effort description of another key.
    public let publicKeyAlgorithm: String
    /// The segel key type, nil for keys segel does not issue.
    public let publicKeyType: KeyType?
    /// Signature algorithm long name, e.g. "sha256WithRSAEncryption", "ecdsa-with-SHA256".
    public let signatureAlgorithm: String

    /// Takes ownership of `pointer` (freed here even when init throws).
    init(owning pointer: OpaquePointer) throws {
        self.pointer = pointer
        do {
            der = try DEREncoding.encode("a certificate", failure: .invalidCertificate) { i2d_X509(pointer, $0) }
            guard let serial = SerialNumber.hex(X509_get0_serialNumber(pointer)) else {
                throw PKIError.openSSL(.invalidCertificate, "The certificate's serial number is unreadable")
            }
            serialHex = serial
            guard let subjectName = X509_get_subject_name(pointer), let issuerName = X509_get_issuer_name(pointer) else {
                throw PKIError.openSSL(.invalidCertificate, "The certificate has no subject or issuer name")
            }
            subject = try DistinguishedName(borrowing: subjectName, failure: .invalidCertificate)
            issuer = try DistinguishedName(borrowing: issuerName, failure: .invalidCertificate)
            guard let start = ASN1Time.date(X509_get0_notBefore(pointer)),
                  let end = ASN1Time.date(X509_get0_notAfter(pointer)) else {
                throw PKIError(.invalidCertificate, "The certificate's validity dates are unreadable")
            }
            notBefore = start
            notAfter = end

            // X509_get_extension_flags also parses and caches every extension once;
            // EXFLAG_INVALID marks a certificate whose extensions do not decode.
            let flags = X509_get_extension_flags(pointer)
            guard flags & UInt32(EXFLAG_INVALID) == 0 else {
                throw PKIError.openSSL(.invalidCertificate, "The certificate has malformed or duplicate extensions")
            }
            isCA = flags & UInt32(EXFLAG_CA) != 0
            hasKeyUsageExtension = flags & UInt32(EXFLAG_KUSAGE) != 0
            keyUsage = hasKeyUsageExtension ? KeyUsage.set(fromFlags: X509_get_key_usage(pointer)) : []
            subjectAltNameURIs = Certificate.generalNameURIs(pointer, nid: NID_subject_alt_name)
            crlDistributionPointURIs = Certificate.distributionPointURIs(pointer)
            caIssuersURIs = Certificate.caIssuersURIs(pointer)
            isTimestamping = flags & UInt32(EXFLAG_XKUSAGE) != 0
                && X509_get_extended_key_usage(pointer) & UInt32(XKU_TIMESTAMP) != 0
            let ekuIndex = X509_get_ext_by_NID(pointer, NID_ext_key_usage, -1)
            hasCriticalExtendedKeyUsage = ekuIndex >= 0 && X509_EXTENSION_get_critical(X509_get_ext(pointer, ekuIndex)) == 1
            subjectKeyIdentifier = Certificate.octets(X509_get0_subject_key_id(pointer))
            authorityKeyIdentifier = Certificate.octets(X509_get0_authority_key_id(pointer))

            guard let spki = X509_get_X509_PUBKEY(pointer) else {
                throw PKIError.openSSL(.invalidCertificate, "The certificate has no public key")
            }
            publicKeyDER = try DEREncoding.encode("a public key", failure: .invalidCertificate) { i2d_X509_PUBKEY(spki, $0) }
            if let key = X509_get0_pubkey(pointer) {
                publicKeyAlgorithm = PublicKeyInfo.description(of: key)
                publicKeyType = PublicKeyInfo.keyType(of: key)
            } else {
                var object: OpaquePointer?
                X509_PUBKEY_get0_param(&object, nil, nil, nil, spki)
                publicKeyAlgorithm = object.map { OIDText.longName($0) ?? OIDText.dotted($0) } ?? "unknown"
                publicKeyType = nil
            }
            let signatureNID = X509_get_signature_nid(pointer)
            signatureAlgorithm = OBJ_nid2ln(signatureNID).map { String(cString: $0) } ?? "unknown"
            OpenSSLErrorQueue.clear()
        } catch {
            X509_free(pointer)
            throw error
        }
    }

    deinit {
        X509_free(pointer)
    }

    /// Parses one DER certificate; trailing bytes are refused.
    public convenience init(der: Data) throws {
        OpenSSLErrorQueue.clear()
        guard let x509 = DEREncoding.decode(der, free: { X509_free($0) }, { d2i_X509(nil, $0, $1) }) else {
            throw PKIError.openSSL(.invalidCertificate, "Not a DER X.509 certificate (\(der.count) bytes)")
        }
        try self.init(owning: x509)
    }

    /// Parses the first `CERTIFICATE` block of a PEM text.
    public convenience init(pem: String) throws {
        OpenSSLErrorQueue.clear()
        let x509: OpaquePointer? = try MemoryBIO.reading(Data(pem.utf8)) { bio in
            PEM_read_bio_X509(bio, nil, nil, nil)
        }
        guard let x509 else {
            throw PKIError.openSSL(.invalidCertificate, "No PEM certificate found")
        }
        try self.init(owning: x509)
    }

    /// Every certificate in a PEM text (a bundle), in order; unreadable blocks end the scan.
    public static func allFromPEM(_ pem: String) -> [Certificate] {
        var certificates: [Certificate] = []
        _ = try? MemoryBIO.reading(Data(pem.utf8)) { bio in
            while let x509 = PEM_read_bio_X509(bio, nil, nil, nil) {
                guard let certificate = try? Certificate(owning: x509) else { break }
                certificates.append(certificate)
            }
        }
        // The scan ends on "no start line", which is expected, not an error.
        OpenSSLErrorQueue.clear()
        return certificates
    }

    /// PEM (`-----BEGIN CERTIFICATE-----`, base64 in 64-character lines).
    public var pem: String {
        let body = der.base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN CERTIFICATE-----\n\(body)\n-----END CERTIFICATE-----\n"
    }

    /// SHA-256 of the DER, colon-separated upper-case hex ("AB:CD:…"), as browsers show it.
    public var sha256Fingerprint: String { Digest.colonHex(Digest.sha256(der)) }

    /// SHA-256 of the DER, plain lowercase hex.
    public var sha256FingerprintHex: String { Digest.hex(Digest.sha256(der)) }

    /// True when `issuer`'s subject equals this certificate's issuer name and
    /// `issuer`'s public key verifies this certificate's signature. Validity
    /// periods and key usage are not considered here.
    public func isIssued(by issuer: Certificate) -> Bool {
        defer { OpenSSLErrorQueue.clear() }
        guard let issuerSubject = X509_get_subject_name(issuer.pointer),
              let ownIssuer = X509_get_issuer_name(pointer),
              X509_NAME_cmp(ownIssuer, issuerSubject) == 0,
              let key = X509_get0_pubkey(issuer.pointer) else {
            return false
        }
        return X509_verify(pointer, key) == 1
    }

    /// notBefore ≤ date ≤ notAfter (RFC 5280 §4.1.2.5: both bounds inclusive).
    public func validityContains(_ date: Date) -> Bool {
        notBefore <= date && date <= notAfter
    }

    public var description: String { "Certificate(\(subject.string), serial \(serialHex))" }

    public static func == (lhs: Certificate, rhs: Certificate) -> Bool { lhs.der == rhs.der }

    public func hash(into hasher: inout Swift.Hasher) { hasher.combine(der) }

    // MARK: - Extension readers

    private static func octets(_ string: UnsafePointer<ASN1_OCTET_STRING>?) -> Data? {
        guard let string, let bytes = ASN1_STRING_get0_data(string) else { return nil }
        return Data(bytes: bytes, count: Int(ASN1_STRING_length(string)))
    }

    private static func uris(in names: OpaquePointer) -> [String] {
        (0..<max(segel_sk_GENERAL_NAME_num(names), 0)).compactMap { uri(of: segel_sk_GENERAL_NAME_value(names, $0)) }
    }

    /// The text of a uniformResourceIdentifier GeneralName, nil for any other kind.
    private static func uri(of name: UnsafeMutablePointer<GENERAL_NAME>?) -> String? {
        guard let name else { return nil }
        var type: Int32 = 0
        guard let value = GENERAL_NAME_get0_value(name, &type), type == GEN_URI else { return nil }
        let string = value.assumingMemoryBound(to: ASN1_STRING.self)
        guard let bytes = ASN1_STRING_get0_data(string) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(ASN1_STRING_length(string))), as: UTF8.self)
    }

    private static func generalNameURIs(_ x509: OpaquePointer, nid: Int32) -> [String] {
        guard let raw = X509_get_ext_d2i(x509, nid, nil, nil) else { return [] }
        let names = OpaquePointer(raw)
        defer { segel_GENERAL_NAMES_free(names) }
        return uris(in: names)
    }

    private static func distributionPointURIs(_ x509: OpaquePointer) -> [String] {
        guard let raw = X509_get_ext_d2i(x509, NID_crl_distribution_points, nil, nil) else { return [] }
        let points = OpaquePointer(raw)
        defer { CRL_DIST_POINTS_free(points) }
        var found: [String] = []
        for index in 0..<max(segel_sk_DIST_POINT_num(points), 0) {
            guard let point = segel_sk_DIST_POINT_value(points, index),
                  let name = point.pointee.distpoint, name.pointee.type == 0,
                  let fullName = name.pointee.name.fullname else { continue }
            found.append(contentsOf: uris(in: fullName))
        }
        return found
    }

    private static func caIssuersURIs(_ x509: OpaquePointer) -> [String] {
        guard let raw = X509_get_ext_d2i(x509, NID_info_access, nil, nil) else { return [] }
        let access = OpaquePointer(raw)
        defer { AUTHORITY_INFO_ACCESS_free(access) }
        var found: [String] = []
        for index in 0..<max(segel_sk_ACCESS_DESCRIPTION_num(access), 0) {
            guard let description = segel_sk_ACCESS_DESCRIPTION_value(access, index),
                  OBJ_obj2nid(description.pointee.method) == NID_ad_ca_issuers,
                  let uri = uri(of: description.pointee.location) else { continue }
            found.append(uri)
        }
        return found
    }
}
