import COpenSSL
import Foundation

/// Produces detached CMS `SignedData` (RFC 5652 §5) for PAdES baseline B-B
/// (ETSI EN 319 142-1 §6.3; ISO 32000-2 §12.8.3.4, SubFilter ETSI.CAdES.detached).
///
/// Output: `ContentInfo { signedData }` with eContentType id-data and no
/// eContent; digestAlgorithms {SHA-256}; certificates = the signer and `chain`
/// (duplicates dropped; DER orders this SET OF by encoding, so the leaf is not
/// necessarily first); one `SignerInfo` (v1, issuerAndSerialNumber) whose
/// signed attributes are exactly
/// - contentType = id-data (RFC 5652 §11.1),
/// - messageDigest = SHA-256 of the content (RFC 5652 §11.2),
/// - signingCertificateV2 with the SHA-256 of the signer certificate and its
///   issuerSerial (RFC 5035; ESSCertIDv2 omits the DEFAULT hash algorithm),
///
/// plus signingTime (RFC 5652 §11.3) only when `signingTime` is given, and —
/// when `timestamp` is given — one unsigned attribute, signatureTimeStampToken
/// (RFC 3161 Appendix A; PAdES B-T), the token `timestamp` returns for the
/// SHA-256 of the signature value. PAdES
/// B-B forbids signingTime in a PDF signature — the time belongs in the
/// signature dictionary's /M — so leave it nil for PDFs.
///
/// The signature is PKCS#1 v1.5 with SHA-256 for RSA keys (signatureAlgorithm
/// rsaEncryption, the form RFC 5754 §3.2 prescribes for CMS and which NSS/pdfsig,
/// pyHanko and OpenSSL all accept) and ECDSA with SHA-256 for P-256 keys
/// (ecdsa-with-SHA256, RFC 5753 §2.1.1).
///
/// libcrypto 3.0's `CMS_final` always inserts signingTime, so the SignerInfo is
/// laid out with `CMS_add1_signer(CMS_PARTIAL | CMS_CADES)` and signed here over
/// the DER `SET OF` signed attributes; every result passes `selfCheck` before it
/// is returned.
public enum CMSSigner {
    /// Signs the concatenation of `content` (e.g. the two ByteRange spans of a
    /// PDF), hashing the parts one after another without joining them.
    public static func signDetached(content: some Sequence<Data>, key: PrivateKey, certificate: Certificate,
                                    chain: [Certificate], signingTime: Date? = nil,
                                    timestamp: ((Data) throws -> Data)? = nil) throws -> Data {
        let hasher = SHA256Hasher()
        for part in content { hasher.update(part) }
        return try signDigest(hasher.finalize(), key: key, certificate: certificate, chain: chain,
                              signingTime: signingTime, timestamp: timestamp)
    }

    /// Signs content whose SHA-256 digest is already known (e.g. hashed while
    /// streaming a large file to disk).
    public static func signDigest(_ sha256Digest: Data, key: PrivateKey, certificate: Certificate,
                                  chain: [Certificate], signingTime: Date? = nil,
                                  timestamp: ((Data) throws -> Data)? = nil) throws -> Data {
        guard sha256Digest.count == DigestAlgorithm.sha256.outputLength else {
            throw PKIError(.cmsSigning, "A SHA-256 digest has 32 bytes, not \(sha256Digest.count)")
        }
        OpenSSLErrorQueue.clear()
        guard X509_check_private_key(certificate.pointer, key.pointer) == 1 else {
            throw PKIError.openSSL(.cmsSigning, "The private key does not match the certificate \(certificate.subject)")
        }
        let flags = UInt32(CMS_PARTIAL | CMS_DETACHED | CMS_BINARY)
        guard let raw = CMS_sign(nil, nil, nil, nil, flags) else {
            throw PKIError.openSSL(.cmsSigning, "Could not create a CMS SignedData")
        }
        let contentInfo = CMSContentInfo(owning: raw)
        // NOCERTS: certificates are added below in a fixed order. NOSMIMECAP: no
        // SMIMECapabilities attribute. CADES: add signingCertificateV2.
        let signerFlags = UInt32(CMS_PARTIAL | CMS_BINARY | CMS_CADES | CMS_NOSMIMECAP | CMS_NOCERTS)
        guard let signerInfo = CMS_add1_signer(contentInfo.pointer, certificate.pointer, key.pointer,
                                               EVP_sha256(), signerFlags) else {
            throw PKIError.openSSL(.cmsSigning, "Could not add the signer \(certificate.subject)")
        }
        try addAttributes(signerInfo, digest: sha256Digest, signingTime: signingTime)

        var seen = Set<Data>()
        for member in [certificate] + chain where seen.insert(member.der).inserted {
            guard CMS_add1_cert(contentInfo.pointer, member.pointer) == 1 else {
                throw PKIError.openSSL(.cmsSigning, "Could not add the certificate \(member.subject)")
            }
        }

        let toBeSigned = try SignedAttributes.derForSigning(signerInfo)
        let signature = try sign(toBeSigned, with: key)
        guard let signatureField = CMS_SignerInfo_get0_signature(signerInfo),
              ASN1_STRING_set(signatureField, [UInt8](signature), Int32(signature.count)) == 1 else {
            throw PKIError.openSSL(.cmsSigning, "Could not store the signature value")
        }
        if let timestamp {
            let token = try timestamp(Digest.sha256(signature))
            let added = token.withUnsafeBytes { raw in
                // V_ASN1_SEQUENCE with a length: the bytes are the whole DER ContentInfo.
                CMS_unsigned_add1_attr_by_NID(signerInfo, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE,
                                              raw.baseAddress, Int32(raw.count))
            }
            guard added == 1 else {
                throw PKIError.openSSL(.cmsSigning, "Could not add the signature timestamp")
            }
        }
        let der = try contentInfo.encoded(failure: .cmsSigning)
        try selfCheck(der, attributes: toBeSigned, signature: signature, digest: sha256Digest, certificate: certificate)
        return der
    }

    /// Fails unless the signature verifies over the signed attributes with the
    /// certificate's public key, the attributes carry the content digest and the
    /// certificate's SHA-256 (signingCertificateV2), and the encoded ContentInfo
    /// holds those attributes (as `[0] IMPLICIT`) and that signature byte for byte.
    ///
    /// Equivalent to parsing the result back and running `CMS_SignerInfo_verify`,
    /// without the parse: decoding a SignedData with its certificates costs about
    /// 0.5 ms in libcrypto 3.0, a fifth of all non-key work per batch document.
    private static func selfCheck(_ der: Data, attributes: Data, signature: Data, digest: Data,
                                  certificate: Certificate) throws {
        var implicitAttributes = attributes
        implicitAttributes[implicitAttributes.startIndex] = 0xA0
        guard verify(signature, over: attributes, with: certificate),
              contains(attributes, digest),
              contains(attributes, Digest.sha256(certificate.der)),
              contains(der, implicitAttributes),
              contains(der, signature) else {
            throw PKIError(.cmsSigning, "The new CMS signature did not verify; refusing to return it")
        }
    }

    /// True when `needle` occurs in `haystack` (`memchr` for its first byte,
    /// `memcmp` for the rest; Foundation's generic `firstRange(of:)` walks
    /// indices and cost 0.4 ms per signature here).
    static func contains(_ haystack: Data, _ needle: Data) -> Bool {
        guard !needle.isEmpty else { return true }
        return haystack.withUnsafeBytes { hay in
            needle.withUnsafeBytes { pin in
                guard let base = hay.baseAddress, let pattern = pin.baseAddress, hay.count >= pin.count else { return false }
                let first = Int32(pin[0])
                let last = hay.count - pin.count
                var start = 0
                while start <= last, let found = memchr(base + start, first, last - start + 1) {
                    if memcmp(found, pattern, pin.count) == 0 { return true }
                    start = base.distance(to: UnsafeRawPointer(found)) + 1
                }
                return false
            }
        }
    }

    /// True when `signature` is a valid SHA-256 signature of `message` under the certificate's key.
    private static func verify(_ signature: Data, over message: Data, with certificate: Certificate) -> Bool {
        OpenSSLErrorQueue.clear()
        defer { OpenSSLErrorQueue.clear() }
        guard let publicKey = X509_get0_pubkey(certificate.pointer), let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, EVP_sha256(), nil, publicKey) == 1 else { return false }
        return message.withUnsafeBytes { messageBytes in
            signature.withUnsafeBytes { signatureBytes in
                EVP_DigestVerify(context, signatureBytes.bindMemory(to: UInt8.self).baseAddress, signatureBytes.count,
                                 messageBytes.bindMemory(to: UInt8.self).baseAddress, messageBytes.count) == 1
            }
        }
    }

    private static func addAttributes(_ signerInfo: OpaquePointer, digest: Data, signingTime: Date?) throws {
        let digestAdded = digest.withUnsafeBytes { raw in
            CMS_signed_add1_attr_by_NID(signerInfo, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING,
                                        raw.baseAddress, Int32(raw.count))
        }
        guard digestAdded == 1 else {
            throw PKIError.openSSL(.cmsSigning, "Could not add the messageDigest attribute")
        }
        // len -1: the data pointer is the ASN.1 object itself, copied by libcrypto.
        guard let dataType = OBJ_nid2obj(NID_pkcs7_data),
              CMS_signed_add1_attr_by_NID(signerInfo, NID_pkcs9_contentType, V_ASN1_OBJECT,
                                          UnsafeRawPointer(dataType), -1) == 1 else {
            throw PKIError.openSSL(.cmsSigning, "Could not add the contentType attribute")
        }
        if let signingTime {
            guard let time = ASN1Time.make(signingTime) else {
                throw PKIError.openSSL(.cmsSigning, "Could not encode the signing time \(signingTime)")
            }
            defer { ASN1_STRING_free(time) }
            guard CMS_signed_add1_attr_by_NID(signerInfo, NID_pkcs9_signingTime, ASN1_STRING_type(time),
                                              UnsafeRawPointer(time), -1) == 1 else {
                throw PKIError.openSSL(.cmsSigning, "Could not add the signingTime attribute")
            }
        }
    }

    /// SHA-256 signature over `message` through `EVP_DigestSign` (PKCS#1 v1.5
    /// for RSA, with the blinding libcrypto applies; DER ECDSA-Sig-Value for EC).
    private static func sign(_ message: Data, with key: PrivateKey) throws -> Data {
        guard let context = EVP_MD_CTX_new() else {
            throw PKIError.openSSL(.cmsSigning, "Could not allocate a signing context")
        }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key.pointer) == 1 else {
            throw PKIError.openSSL(.cmsSigning, "Could not initialise SHA-256 signing with the \(key.keyType.rawValue) key")
        }
        return try message.withUnsafeBytes { raw -> Data in
            let input = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var length = 0
            guard EVP_DigestSign(context, nil, &length, input, raw.count) == 1 else {
                throw PKIError.openSSL(.cmsSigning, "Could not size the signature")
            }
            var signature = [UInt8](repeating: 0, count: length)
            guard EVP_DigestSign(context, &signature, &length, input, raw.count) == 1 else {
                throw PKIError.openSSL(.cmsSigning, "Signing the attributes failed")
            }
            return Data(signature.prefix(length))
        }
    }
}
