import Foundation
import PKI

/// Reads the per-document certificates of a site. libcrypto 3.0 spends
/// ~100 µs on each certificate, nearly all of it finding a decoder for the
/// public key, and takes locks doing it that two threads contend for; a site
/// has one certificate per document, so that was a fifth of a first publish.
///
/// Certificates of one *kind* — same issuer, same subject (the signer), same
/// kind and size of key — differ only in serial, validity, key and signature.
/// So the first certificate of each kind is parsed by PKI's `Certificate`
/// (libcrypto), which gives the texts libcrypto formats (the names as RFC 4514
/// strings, the key algorithm); its `CertificateOutline`, read from the DER,
/// must then agree with libcrypto on serial and validity, or that kind is
/// always parsed by libcrypto. Every later certificate of the kind takes
/// those texts and reads its own serial and validity from the DER.
/// Certificates the outline does not cover (unusual PEM or DER forms) are
/// parsed by libcrypto.
final class CertificateReader: @unchecked Sendable {
    private struct Texts {
        let subject: String
        let issuer: String
        let keyAlgorithm: String
    }

    /// Kind → texts; nil when certificates of that kind are always parsed by libcrypto.
    private var kinds: [CertificateOutline.Kind: Texts?] = [:]
    private let lock = NSLock()

    func read(pem: String) throws -> CertificateFacts {
        guard let der = Self.der(pem: pem), let outline = CertificateOutline(der: der) else {
            return CertificateFacts(try Certificate(pem: pem))
        }
        switch lock.withLock({ kinds[outline.kind] }) {
        case .some(.some(let texts)):
            return CertificateFacts(der: der, serialHex: outline.serialHex, subject: texts.subject, issuer: texts.issuer,
                                    notBefore: outline.notBefore, notAfter: outline.notAfter,
                                    keyAlgorithm: texts.keyAlgorithm)
        case .some(.none):
            return CertificateFacts(try Certificate(pem: pem))
        case .none:
            let facts = CertificateFacts(try Certificate(pem: pem))
            let agrees = facts.der == der && facts.serialHex == outline.serialHex
                && facts.notBefore == outline.notBefore && facts.notAfter == outline.notAfter
            let texts = agrees ? Texts(subject: facts.subject, issuer: facts.issuer, keyAlgorithm: facts.keyAlgorithm) : nil
            lock.withLock { kinds[outline.kind] = .some(texts) }
            return facts
        }
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
