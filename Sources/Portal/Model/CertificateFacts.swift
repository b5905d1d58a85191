import Foundation
import PKI
import Registry

/// What the site shows of a document's certificate (its page, its record,
/// `cert/<token>.pem|.crt`): the values PKI's `Certificate` reads, which the
/// registry stored when the certificate was made (`CertificateSummary`), so
/// publishing parses no certificate.
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

    /// From the registry's key record: its certificate's DER (decoded from the
    /// PEM, not parsed), serial, validity and stored summary. The summary's
    /// fingerprint must be the DER's hash. A key with no stored summary (none,
    /// once the authority has opened the registry since 0.4) is read by libcrypto.
    init(key: DigitalSignature) throws {
        guard let summary = key.certificateSummary, let der = Self.der(pem: key.certificate) else {
            self.init(try Certificate(pem: key.certificate))
            return
        }
        guard Digest.hex(Digest.sha256(der)) == summary.fingerprintSHA256 else {
            throw PortalError(.integrity, "the certificate of \(key.signatureID) does not match the fingerprint the registry recorded when it was made")
        }
        self.init(der: der, serialHex: key.serialHex.lowercased(), subject: summary.subject, issuer: summary.issuer,
                  notBefore: key.validFrom, notAfter: key.validUntil, keyAlgorithm: summary.keyAlgorithm)
    }

    /// The DER of a PEM text that is exactly one `CERTIFICATE` block (RFC 7468
    /// §5, base64 lines between the two markers, no headers); nil for anything
    /// else, which libcrypto then reads.
    static func der(pem: String) -> Data? {
        let begin = Array("-----BEGIN CERTIFICATE-----".utf8), end = Array("-----END CERTIFICATE-----".utf8)
        var bytes = Array(pem.utf8)
        while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
        guard bytes.count > begin.count + end.count, bytes.starts(with: begin),
              Array(bytes[(bytes.count - end.count)...]) == end else { return nil }
        var base64: [UInt8] = []
        base64.reserveCapacity(bytes.count)
        for byte in bytes[begin.count..<(bytes.count - end.count)] {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="):
                base64.append(byte)
            case 0x0A, 0x0D:
                continue
            default:
                return nil
            }
        }
        return Data(base64Encoded: Data(base64))
    }
}
