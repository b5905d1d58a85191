import COpenSSL
import Foundation

/// The authority's root CA: its key and self-signed certificate, and the
/// issuing of per-document leaf certificates (RFC 5280 profile).
public struct CertificateAuthority: Sendable {
    public let key: PrivateKey
    public let certificate: Certificate

    /// Pairs a CA certificate with its key. Throws `.unsupportedKey` when the
    /// key is not the certificate's key, and `.invalidCertificate` when the
    /// certificate is not a CA allowed to sign certificates and CRLs.
    public init(key: PrivateKey, certificate: Certificate) throws {
        guard key.publicKeyDER == certificate.publicKeyDER else {
            throw PKIError(.unsupportedKey, "The private key does not belong to the CA certificate \(certificate.subject)")
        }
        guard certificate.isCA,
              !certificate.hasKeyUsageExtension
                || certificate.keyUsage.isSuperset(of: [.keyCertSign, .cRLSign]) else {
            throw PKIError(.invalidCertificate, "\(certificate.subject) is not a CA certificate with keyCertSign and cRLSign")
        }
        self.key = key
        self.certificate = certificate
    }

    /// Creates a self-signed root: v3, SHA-256, random positive serial,
    /// basicConstraints critical CA:TRUE with pathLenConstraint 0 (it issues only
    /// leaves), keyUsage critical keyCertSign + cRLSign, subjectKeyIdentifier and
    /// authorityKeyIdentifier (RFC 5280 §4.2.1.1–4.2.1.3, §4.2.1.9).
    /// Valid from `now` − 5 minutes for `validityYears` calendar years (UTC).
    public static func create(subject: DistinguishedNameFields, validityYears: Int = 10,
                              keyType: KeyType = .rsa3072,
                              now: Date = Date()) throws -> (key: PrivateKey, certificate: Certificate) {
        guard validityYears >= 1 && validityYears <= 100 else {
            throw PKIError(.invalidValidity, "A CA validity of \(validityYears) years is out of range (1–100)")
        }
        try requireCommonName(subject)
        let key = try PrivateKey.generate(keyType)
        OpenSSLErrorQueue.clear()
        let builder = try CertificateBuilder()
        try builder.setSerial(try SerialNumber.random())
        let notBefore = now.addingTimeInterval(-clockSkew)
        try builder.setValidity(notBefore: notBefore, notAfter: try addYears(validityYears, to: now))
        try builder.setSubject(subject)
        try builder.setIssuer(subjectOf: nil)
        try builder.setPublicKey(of: key)
        try builder.addExtension(NID_basic_constraints, "critical,CA:TRUE,pathlen:0", issuer: nil)
        try builder.addExtension(NID_key_usage, "critical,keyCertSign,cRLSign", issuer: nil)
        try builder.addExtension(NID_subject_key_identifier, "hash", issuer: nil)
        try builder.addExtension(NID_authority_key_identifier, "keyid:always", issuer: nil)
        let certificate = try builder.sign(with: key)
        return (key, certificate)
    }

    /// Issues a per-document signing certificate for `publicKeyOf`'s key.
    ///
    /// v3, SHA-256, random positive serial; basicConstraints CA:FALSE; keyUsage
    /// critical digitalSignature + nonRepudiation; no extendedKeyUsage (pyHanko's
    /// default signer policy requires nonRepudiation and accepts any or no EKU;
    /// Acrobat rejects document signatures under EKUs it does not know);
    /// subjectAltName URI = the document's verification URL; SKI/AKI; and the
    /// pointers a standard validator follows on its own: crlDistributionPoints
    /// (`crlURI`) and authorityInfoAccess caIssuers (`caIssuersURI`), each when given.
    ///
    /// Validity starts 5 minutes before `now` (clock skew) and ends
    /// `validityDays` after `now`, but never after the CA certificate's notAfter,
    /// since a leaf cannot be trusted beyond its issuer. Throws `.invalidValidity`
    /// if the CA itself is not valid at `now`.
    public func issueLeaf(subject: DistinguishedNameFields, publicKeyOf subjectKey: PrivateKey, uri: String,
                          crlURI: String? = nil, caIssuersURI: String? = nil, validityDays: Int = 1095,
                          now: Date = Date()) throws -> Certificate {
        try GeneralNames.validate(uri)
        let builder = try endEntity(subject: subject, publicKeyOf: subjectKey, validityDays: validityDays,
                                    keyUsage: "critical,digitalSignature,nonRepudiation",
                                    crlURI: crlURI, caIssuersURI: caIssuersURI, now: now)
        try builder.addSubjectAltNameURI(uri)
        return try builder.sign(with: key)
    }

    /// Issues the authority's time-stamping certificate (RFC 3161 §2.3): like a
    /// leaf, but keyUsage critical digitalSignature and extendedKeyUsage
    /// critical id-kp-timeStamping alone, valid until the CA itself expires.
    public func issueTimestampingCertificate(subject: DistinguishedNameFields, publicKeyOf subjectKey: PrivateKey,
                                             crlURI: String? = nil, caIssuersURI: String? = nil,
                                             now: Date = Date()) throws -> Certificate {
        let days = Int(certificate.notAfter.timeIntervalSince(now) / 86_400) + 1
        let builder = try endEntity(subject: subject, publicKeyOf: subjectKey, validityDays: min(max(days, 1), 36_500),
                                    keyUsage: "critical,digitalSignature",
                                    crlURI: crlURI, caIssuersURI: caIssuersURI, now: now)
        try builder.addExtension(NID_ext_key_usage, "critical,timeStamping", issuer: certificate.pointer)
        return try builder.sign(with: key)
    }

    /// The parts every end-entity certificate of this CA shares: serial,
    /// validity (never past the CA's), names, key, basicConstraints CA:FALSE,
    /// `keyUsage`, SKI/AKI and the CRL and caIssuers pointers.
    private func endEntity(subject: DistinguishedNameFields, publicKeyOf subjectKey: PrivateKey, validityDays: Int,
                           keyUsage: String, crlURI: String?, caIssuersURI: String?,
                           now: Date) throws -> CertificateBuilder {
        guard validityDays >= 1 && validityDays <= 36_500 else {
            throw PKIError(.invalidValidity, "A validity of \(validityDays) days is out of range")
        }
        guard certificate.validityContains(now) else {
            throw PKIError(.invalidValidity,
                           "The CA certificate is not valid at \(now) (\(certificate.notBefore) – \(certificate.notAfter))")
        }
        try Self.requireCommonName(subject)
        if let crlURI { try GeneralNames.validate(crlURI) }
        if let caIssuersURI { try GeneralNames.validate(caIssuersURI) }
        OpenSSLErrorQueue.clear()
        let builder = try CertificateBuilder()
        try builder.setSerial(try SerialNumber.random())
        let notAfter = min(now.addingTimeInterval(TimeInterval(validityDays) * 86_400), certificate.notAfter)
        try builder.setValidity(notBefore: now.addingTimeInterval(-Self.clockSkew), notAfter: notAfter)
        try builder.setSubject(subject)
        try builder.setIssuer(subjectOf: certificate.pointer)
        try builder.setPublicKey(of: subjectKey)
        try builder.addExtension(NID_basic_constraints, "CA:FALSE", issuer: certificate.pointer)
        try builder.addExtension(NID_key_usage, keyUsage, issuer: certificate.pointer)
        try builder.addExtension(NID_subject_key_identifier, "hash", issuer: certificate.pointer)
        try builder.addExtension(NID_authority_key_identifier, "keyid:always", issuer: certificate.pointer)
        if let crlURI { try builder.addCRLDistributionPoint(crlURI) }
        if let caIssuersURI { try builder.addCAIssuers(caIssuersURI) }
        return builder
    }

    /// Tolerance for signers whose clocks run slightly behind ours.
    static let clockSkew: TimeInterval = 300

    private static func requireCommonName(_ subject: DistinguishedNameFields) throws {
        guard let name = subject.commonName, !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw PKIError(.invalidName, "A subject needs a common name")
        }
    }

    private static func addYears(_ years: Int, to date: Date) throws -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let result = calendar.date(byAdding: .year, value: years, to: date) else {
            throw PKIError(.invalidValidity, "Cannot add \(years) years to \(date)")
        }
        return result
    }
}
