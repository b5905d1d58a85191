import Foundation
import PKI

/// What the site shows of a document's certificate (its page, its record,
/// `cert/<token>.pem|.crt`): the values PKI's `Certificate` reads, kept as
/// plain values so that `CertificateReader` can make them without a
/// libcrypto parse for every certificate.
struct CertificateFacts: Sendable, Hashable {
    /// The certificate's DER.
    let der: Data
    /// As `Certificate.serialHex`.
    let serialHex: String
    /// RFC 4514 strings, as `DistinguishedName.string`.
    let subject: String
    let issuer: String
    let notBefore: Date
    let notAfter: Date
    /// As `Certificate.publicKeyAlgorithm`, e.g. "EC P-256".
    let keyAlgorithm: String

    init(der: Data, serialHex: String, subject: String, issuer: String, notBefore: Date, notAfter: Date,
         keyAlgorithm: String) {
        self.der = der
        self.serialHex = serialHex
        self.subject = subject
        self.issuer = issuer
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.keyAlgorithm = keyAlgorithm
    }

    init(_ certificate: Certificate) {
        self.init(der: certificate.der, serialHex: certificate.serialHex, subject: certificate.subject.string,
                  issuer: certificate.issuer.string, notBefore: certificate.notBefore,
                  notAfter: certificate.notAfter, keyAlgorithm: certificate.publicKeyAlgorithm)
    }

    /// As `Certificate.pem`.
    var pem: String {
        let body = der.base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN CERTIFICATE-----\n\(body)\n-----END CERTIFICATE-----\n"
    }

    /// As `Certificate.sha256FingerprintHex`.
    var sha256FingerprintHex: String { Digest.hex(Digest.sha256(der)) }
}
