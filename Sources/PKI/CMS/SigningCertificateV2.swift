import Foundation

/// The ESS signing-certificate-v2 attribute (RFC 5035 §3, id-aa-signingCertificateV2,
/// 1.2.840.113549.1.9.16.2.47), reduced to what a verifier needs: the first
/// `ESSCertIDv2`, which identifies the signer's certificate.
///
/// ```
/// SigningCertificateV2 ::= SEQUENCE {
///     certs    SEQUENCE OF ESSCertIDv2,
///     policies SEQUENCE OF PolicyInformation OPTIONAL }
/// ESSCertIDv2 ::= SEQUENCE {
///     hashAlgorithm AlgorithmIdentifier DEFAULT {algorithm id-sha256},
///     certHash      OCTET STRING,
///     issuerSerial  IssuerSerial OPTIONAL }
/// ```
public struct SigningCertificateV2: Sendable, Hashable {
    /// Dotted OID of the hash algorithm (SHA-256's when the DEFAULT applies).
    public let hashAlgorithmOID: String
    /// The algorithm, when it is one this module knows.
    public var hashAlgorithm: DigestAlgorithm? { DigestAlgorithm(oid: hashAlgorithmOID) }
    /// Hash of the signer certificate's DER.
    public let certificateHash: Data
    /// Whether the ESSCertIDv2 carries an issuerSerial.
    public let hasIssuerSerial: Bool
    /// How many ESSCertIDv2 entries the attribute lists.
    public let certificateCount: Int

    /// True when `certificate`'s DER hashes to `certificateHash` under `hashAlgorithm`.
    public func matches(_ certificate: Certificate) -> Bool {
        guard let hashAlgorithm else { return false }
        return Digest.hash([certificate.der], algorithm: hashAlgorithm) == certificateHash
    }

    /// Parses the attribute value (the DER of the outer SEQUENCE).
    init(der: Data) throws {
        func malformed(_ what: String) -> PKIError {
            PKIError(.invalidCMS, "Malformed signingCertificateV2 attribute: \(what)")
        }
        var outer = DERReader(der)
        guard let top = outer.read(tag: 0x30), outer.isAtEnd else { throw malformed("not one SEQUENCE") }
        var body = DERReader(top.content)
        guard let certs = body.read(tag: 0x30) else { throw malformed("no certs SEQUENCE") }
        var list = DERReader(certs.content)
        var ids: [DERReader.Element] = []
        while !list.isAtEnd {
            guard let id = list.read(tag: 0x30) else { throw malformed("an ESSCertIDv2 is not a SEQUENCE") }
            ids.append(id)
        }
        guard let first = ids.first else { throw malformed("empty certs list") }
        var fields = DERReader(first.content)
        var algorithm = DigestAlgorithm.sha256.oid
        if fields.nextTag == 0x30 {
            guard let identifier = fields.read() else { throw malformed("bad hashAlgorithm") }
            var inner = DERReader(identifier.content)
            guard let oid = inner.read(tag: 0x06), let dotted = DERReader.objectIdentifier(oid.content) else {
                throw malformed("hashAlgorithm has no OID")
            }
            algorithm = dotted
        }
        guard let hash = fields.read(tag: 0x04), !hash.content.isEmpty else { throw malformed("no certHash") }
        let issuerSerial = fields.read(tag: 0x30)
        guard fields.isAtEnd else { throw malformed("unexpected fields in ESSCertIDv2") }
        hashAlgorithmOID = algorithm
        certificateHash = hash.content
        hasIssuerSerial = issuerSerial != nil
        certificateCount = ids.count
    }
}
