import COpenSSL
import Foundation

/// A parsed CMS `SignedData` (RFC 5652 §5) as found in a PDF signature's
/// /Contents, with what a PAdES verifier checks about its (single) signer.
///
/// ```
/// SignedData ::= SEQUENCE {
///     version CMSVersion,
///     digestAlgorithms DigestAlgorithmIdentifiers,
///     encapContentInfo EncapsulatedContentInfo,
///     certificates [0] IMPLICIT CertificateSet OPTIONAL,
///     crls [1] IMPLICIT RevocationInfoChoices OPTIONAL,
///     signerInfos SignerInfos }
/// SignerInfo ::= SEQUENCE {
///     version CMSVersion, sid SignerIdentifier,
///     digestAlgorithm DigestAlgorithmIdentifier,
///     signedAttrs [0] IMPLICIT SignedAttributes OPTIONAL,
///     signatureAlgorithm SignatureAlgorithmIdentifier,
///     signature SignatureValue,
///     unsignedAttrs [1] IMPLICIT UnsignedAttributes OPTIONAL }
/// ```
///
/// A pure value: everything is read at init; `verifySignature()` re-parses
/// `der` into a private libcrypto object, so values can be shared across
/// threads. Hostile input yields `PKIError(.invalidCMS)`, never a crash.
/// The signer-specific properties describe the first SignerInfo; a verifier
/// must insist on `signerCount == 1`.
public struct CMSSignedData: Sendable {
    /// How the SignerInfo names its certificate (RFC 5652 §5.3 `SignerIdentifier`).
    public enum SignerIdentifier: Sendable, Hashable {
        case issuerAndSerialNumber(issuer: DistinguishedName, serialHex: String)
        case subjectKeyIdentifier(Data)
    }

    /// The DER of the ContentInfo, without any trailing zero padding.
    public let der: Data
    public let signerCount: Int
    /// Every X.509 certificate in the `certificates` field that parses, in order.
    public let certificates: [Certificate]
    /// The certificate that `signerIdentifier` designates, if it is included.
    public let signerCertificate: Certificate?
    /// How many of ``certificates`` match the SignerInfo's identifier. More
    /// than one makes the signer ambiguous (readers pick different ones).
    public let signerCertificateMatches: Int
    public let signerIdentifier: SignerIdentifier?
    /// eContentType, dotted (id-data is "1.2.840.113549.1.7.1").
    public let encapsulatedContentType: String
    /// True when there is no eContent (a detached signature).
    public let isDetached: Bool
    /// The eContent octets of an attached SignedData (an RFC 3161 TSTInfo in a
    /// document timestamp, say); nil when detached.
    public let encapsulatedContent: Data?
    /// The SignerInfo's digestAlgorithm, dotted OID.
    public let digestAlgorithmOID: String
    /// The SignerInfo's signatureAlgorithm, dotted OID.
    public let signatureAlgorithmOID: String
    /// The signed attributes' OIDs in encoded order (empty when there are none).
    public let signedAttributeOIDs: [String]
    /// The messageDigest signed attribute (RFC 5652 §11.2).
    public let messageDigest: Data?
    /// The contentType signed attribute, dotted (RFC 5652 §11.1).
    public let contentType: String?
    /// The signingTime signed attribute (RFC 5652 §11.3), absent in PAdES.
    public let signingTime: Date?
    /// The signingCertificateV2 signed attribute (RFC 5035).
    public let signingCertificateV2: SigningCertificateV2?
    /// The SignerInfo's signature value (RFC 5652 §5.3).
    public let signatureValue: Data
    /// The DER of the first `signatureTimeStampToken` unsigned attribute
    /// (RFC 3161 Appendix A, id-aa-timeStampToken): a SignedData over a TSTInfo
    /// whose messageImprint is the hash of ``signatureValue``.
    public let signatureTimestampToken: Data?

    /// `digestAlgorithmOID` when it is a known algorithm.
    public var digestAlgorithm: DigestAlgorithm? { DigestAlgorithm(oid: digestAlgorithmOID) }

    /// True when signingCertificateV2 is present and names the signer certificate.
    public var signingCertificateV2Matches: Bool {
        guard let signingCertificateV2, let signerCertificate else { return false }
        return signingCertificateV2.matches(signerCertificate)
    }

    /// Parses a DER ContentInfo holding SignedData. Trailing 0x00 bytes are
    /// accepted and dropped (a PDF /Contents string is zero-padded to its
    /// reserved size); any other trailing byte is refused.
    public init(der input: Data) throws {
        OpenSSLErrorQueue.clear()
        defer { OpenSSLErrorQueue.clear() }
        guard let (contentInfo, consumed) = CMSContentInfo.parse(input) else {
            throw PKIError.openSSL(.invalidCMS, "Not a DER CMS ContentInfo (\(input.count) bytes)")
        }
        guard input.dropFirst(consumed).allSatisfy({ $0 == 0 }) else {
            throw PKIError(.invalidCMS, "Non-zero bytes follow the CMS structure at offset \(consumed)")
        }
        guard let signerInfos = contentInfo.signerInfos else {
            throw PKIError(.invalidCMS, "The CMS content type is not SignedData")
        }
        der = Data(input.prefix(consumed))
        signerCount = signerInfos.count

        let rawCertificates = CMSSignedData.x509Certificates(contentInfo)
        defer { rawCertificates.forEach { X509_free($0) } }
        var parsed: [(OpaquePointer, Certificate)] = []
        for x509 in rawCertificates {
            guard let der = try? DEREncoding.encode("a certificate", failure: .invalidCMS, { i2d_X509(x509, $0) }),
                  let certificate = try? Certificate(der: der) else { continue }
            parsed.append((x509, certificate))
        }
        certificates = parsed.map(\.1)

        if let eContentType = CMS_get0_eContentType(contentInfo.pointer) {
            encapsulatedContentType = OIDText.dotted(eContentType)
        } else {
            encapsulatedContentType = ""
        }
        isDetached = CMS_is_detached(contentInfo.pointer) == 1
        if !isDetached, let slot = CMS_get0_content(contentInfo.pointer), let content = slot.pointee {
            encapsulatedContent = CMSSignedData.bytes(content)
        } else {
            encapsulatedContent = nil
        }

        guard let signerInfo = signerInfos.first else {
            signerCertificate = nil
            signerCertificateMatches = 0
            signerIdentifier = nil
            digestAlgorithmOID = ""
            signatureAlgorithmOID = ""
            signedAttributeOIDs = []
            messageDigest = nil
            contentType = nil
            signingTime = nil
            signingCertificateV2 = nil
            signatureValue = Data()
            signatureTimestampToken = nil
            return
        }
        let matching = parsed.filter { CMS_SignerInfo_cert_cmp(signerInfo, $0.0) == 0 }
        signerCertificate = matching.first?.1
        signerCertificateMatches = matching.count
        signerIdentifier = try CMSSignedData.identifier(signerInfo)

        var digestAlgorithm: UnsafeMutablePointer<X509_ALGOR>?
        var signatureAlgorithm: UnsafeMutablePointer<X509_ALGOR>?
        CMS_SignerInfo_get0_algs(signerInfo, nil, nil, &digestAlgorithm, &signatureAlgorithm)
        digestAlgorithmOID = CMSSignedData.oid(of: digestAlgorithm)
        signatureAlgorithmOID = CMSSignedData.oid(of: signatureAlgorithm)
        signedAttributeOIDs = SignedAttributes.oids(signerInfo)

        if let value = try SignedAttributes.singleValue(signerInfo, nid: NID_pkcs9_messageDigest, label: "messageDigest") {
            guard value.pointee.type == V_ASN1_OCTET_STRING, let string = value.pointee.value.octet_string else {
                throw PKIError(.invalidCMS, "The messageDigest attribute is not an OCTET STRING")
            }
            messageDigest = CMSSignedData.bytes(string)
        } else {
            messageDigest = nil
        }

        if let value = try SignedAttributes.singleValue(signerInfo, nid: NID_pkcs9_contentType, label: "contentType") {
            guard value.pointee.type == V_ASN1_OBJECT, let object = value.pointee.value.object else {
                throw PKIError(.invalidCMS, "The contentType attribute is not an OBJECT IDENTIFIER")
            }
            contentType = OIDText.dotted(object)
        } else {
            contentType = nil
        }

        if let value = try SignedAttributes.singleValue(signerInfo, nid: NID_pkcs9_signingTime, label: "signingTime") {
            let type = value.pointee.type
            guard type == V_ASN1_UTCTIME || type == V_ASN1_GENERALIZEDTIME,
                  let time = value.pointee.value.asn1_string, let date = ASN1Time.date(time) else {
                throw PKIError(.invalidCMS, "The signingTime attribute is not a valid Time")
            }
            signingTime = date
        } else {
            signingTime = nil
        }

        if let value = try SignedAttributes.singleValue(signerInfo, nid: NID_id_smime_aa_signingCertificateV2,
                                                        label: "signingCertificateV2") {
            guard value.pointee.type == V_ASN1_SEQUENCE, let sequence = value.pointee.value.sequence else {
                throw PKIError(.invalidCMS, "The signingCertificateV2 attribute is not a SEQUENCE")
            }
            signingCertificateV2 = try SigningCertificateV2(der: CMSSignedData.bytes(sequence))
        } else {
            signingCertificateV2 = nil
        }

        signatureValue = CMS_SignerInfo_get0_signature(signerInfo).map { CMSSignedData.bytes($0) } ?? Data()
        let stampIndex = CMS_unsigned_get_attr_by_NID(signerInfo, NID_id_smime_aa_timeStampToken, -1)
        if stampIndex >= 0, let attribute = CMS_unsigned_get_attr(signerInfo, stampIndex),
           let value = X509_ATTRIBUTE_get0_type(attribute, 0), value.pointee.type == V_ASN1_SEQUENCE,
           let sequence = value.pointee.value.sequence {
            signatureTimestampToken = CMSSignedData.bytes(sequence)
        } else {
            signatureTimestampToken = nil
        }
    }

    /// Checks the signer's signature over the DER of the signed attributes with
    /// the signer certificate's public key (RFC 5652 §5.4, `CMS_SignerInfo_verify`).
    ///
    /// False when there is not exactly one SignerInfo, when it has no signed
    /// attributes, when its certificate is missing, or when the signature is bad.
    /// It does not compare messageDigest with the content: see `contentDigestMatches`.
    public func verifySignature() -> Bool {
        OpenSSLErrorQueue.clear()
        defer { OpenSSLErrorQueue.clear() }
        guard signerCount == 1, !signedAttributeOIDs.isEmpty,
              let (contentInfo, _) = CMSContentInfo.parse(der),
              let signerInfo = contentInfo.signerInfos?.first else { return false }
        let rawCertificates = CMSSignedData.x509Certificates(contentInfo)
        defer { rawCertificates.forEach { X509_free($0) } }
        guard let signer = rawCertificates.first(where: { CMS_SignerInfo_cert_cmp(signerInfo, $0) == 0 }) else {
            return false
        }
        CMS_SignerInfo_set1_signer_cert(signerInfo, signer)
        return CMS_SignerInfo_verify(signerInfo) == 1
    }

    /// The digest of `parts` under the signer's digest algorithm, nil when the
    /// algorithm is unknown.
    public func contentDigest(of parts: some Sequence<Data>) -> Data? {
        digestAlgorithm.map { Digest.hash(parts, algorithm: $0) }
    }

    /// True when messageDigest equals the digest of `parts` (the signed content).
    public func contentDigestMatches(_ parts: some Sequence<Data>) -> Bool {
        guard let messageDigest, let computed = contentDigest(of: parts) else { return false }
        return computed == messageDigest
    }

    /// The digest of the concatenation of `parts`.
    public static func digest(of parts: some Sequence<Data>, algorithm: DigestAlgorithm) -> Data {
        Digest.hash(parts, algorithm: algorithm)
    }

    // MARK: - Helpers

    /// The X.509 certificates of the SignedData, each with its own reference (caller frees).
    private static func x509Certificates(_ contentInfo: CMSContentInfo) -> [OpaquePointer] {
        guard let stack = CMS_get1_certs(contentInfo.pointer) else { return [] }
        defer { segel_sk_X509_free(stack) }
        return (0..<max(segel_sk_X509_num(stack), 0)).compactMap { segel_sk_X509_value(stack, $0) }
    }

    private static func identifier(_ signerInfo: OpaquePointer) throws -> SignerIdentifier? {
        var keyIdentifier: UnsafeMutablePointer<ASN1_OCTET_STRING>?
        var issuer: OpaquePointer?
        var serial: UnsafeMutablePointer<ASN1_INTEGER>?
        guard CMS_SignerInfo_get0_signer_id(signerInfo, &keyIdentifier, &issuer, &serial) == 1 else { return nil }
        if let keyIdentifier {
            return .subjectKeyIdentifier(bytes(keyIdentifier))
        }
        guard let issuer, let serialHex = SerialNumber.hex(serial) else { return nil }
        return .issuerAndSerialNumber(issuer: try DistinguishedName(borrowing: issuer, failure: .invalidCMS),
                                      serialHex: serialHex)
    }

    private static func oid(of algorithm: UnsafeMutablePointer<X509_ALGOR>?) -> String {
        guard let algorithm else { return "" }
        var object: OpaquePointer?
        X509_ALGOR_get0(&object, nil, nil, algorithm)
        return object.map(OIDText.dotted) ?? ""
    }

    private static func bytes(_ string: UnsafePointer<ASN1_STRING>) -> Data {
        guard let data = ASN1_STRING_get0_data(string) else { return Data() }
        return Data(bytes: data, count: Int(ASN1_STRING_length(string)))
    }
}
