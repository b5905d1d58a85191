import Foundation
import PKI

/// Check 3, the CMS (RFC 5652, ETSI EN 319 122-1 CAdES, ISO 32000-2 §12.8.3):
/// one signer; `messageDigest` equals the hash of the ranged bytes (digest);
/// the signature over the signed attributes verifies with the signer's
/// certificate and signingCertificateV2 names that certificate (signature).
/// A document timestamp (§12.8.5) commits to the ranged bytes through its
/// TSTInfo's messageImprint instead (RFC 3161 §2.4.2).
extension FileVerification {
    /// id-data.
    static let dataContentType = "1.2.840.113549.1.7.1"
    /// id-aa-signingCertificate (RFC 2634 §5.4), the SHA-1 predecessor of signingCertificateV2.
    static let signingCertificateV1 = "1.2.840.113549.1.9.16.2.12"

    func cmsResults(_ candidate: SignatureCandidate, rangeDigest: Data?,
                    mustBindCertificate: Bool) -> (digest: CheckResult, signature: CheckResult) {
        let supported = ["adbe.pkcs7.detached", "ETSI.CAdES.detached", "adbe.pkcs7.sha1", "ETSI.RFC3161"]
        guard candidate.isTimestamp || supported.contains(candidate.subFilter ?? "") else {
            let reason = "the signature format /\(candidate.subFilter ?? "(none)") is not supported"
            return (.unknown(reason), .unknown(reason))
        }
        guard let cms = candidate.cms else {
            let reason = "the signature value is missing or damaged: \(candidate.cmsProblem ?? "/Contents is not a CMS signature")"
            return (.fail(reason), .fail(reason))
        }
        guard cms.signerCount == 1 else {
            let reason = "the CMS has \(cms.signerCount) signers; a PDF signature has exactly one"
            return (.fail(reason), .fail(reason))
        }
        let digest: CheckResult
        var content: Data?
        switch candidate.subFilter {
        case _ where candidate.isTimestamp:
            digest = timestampDigest(candidate, cms: cms, rangeDigest: rangeDigest)
            content = cms.encapsulatedContent
        case "adbe.pkcs7.detached", "ETSI.CAdES.detached":
            digest = detachedDigest(candidate, cms: cms, rangeDigest: rangeDigest)
        case "adbe.pkcs7.sha1":
            content = cms.encapsulatedContent
            digest = sha1Digest(cms: cms, rangeDigest: rangeDigest)
        default:
            digest = detachedDigest(candidate, cms: cms, rangeDigest: rangeDigest)
        }
        return (digest, signatureResult(cms, attachedContent: content, mustBindCertificate: mustBindCertificate))
    }

    private func detachedDigest(_ candidate: SignatureCandidate, cms: CMSSignedData, rangeDigest: Data?) -> CheckResult {
        guard cms.isDetached else {
            return .fail("the CMS embeds its content although /\(candidate.subFilter ?? "") signatures are detached")
        }
        guard let algorithm = cms.digestAlgorithm, algorithm != .sha1 else {
            return .fail(FileVerification.algorithmPolicyViolation(cms) ?? "the digest algorithm \(cms.digestAlgorithmOID) is not accepted")
        }
        guard let messageDigest = cms.messageDigest else {
            return .fail("the CMS has no messageDigest attribute")
        }
        guard cms.contentType == FileVerification.dataContentType,
              cms.encapsulatedContentType == FileVerification.dataContentType else {
            return .fail("the CMS content type is not id-data, or its signed contentType attribute disagrees with it")
        }
        guard let rangeDigest else {
            return .unknown("not computed: the ByteRange is unusable (see coverage)")
        }
        guard rangeDigest == messageDigest else {
            return .fail("the document was changed after it was signed (the bytes the signature covers no longer have the \(algorithm.rawValue) hash it was made over)")
        }
        return .pass("the signed bytes still have the \(algorithm.rawValue) hash the signature was made over")
    }

    private func timestampDigest(_ candidate: SignatureCandidate, cms: CMSSignedData, rangeDigest: Data?) -> CheckResult {
        guard !cms.isDetached, cms.encapsulatedContentType == TimestampInfo.contentType,
              cms.contentType == TimestampInfo.contentType else {
            return .fail("/Contents is not an RFC 3161 timestamp token")
        }
        guard let token = candidate.timestampToken else {
            return .fail("the timestamp token's TSTInfo cannot be read")
        }
        guard let algorithm = token.hashAlgorithm, algorithm != .sha1 else {
            return .fail("the timestamp's hash algorithm \(token.hashAlgorithm?.rawValue ?? token.hashAlgorithmOID) is not accepted (weak or unknown algorithm)")
        }
        guard let rangeDigest else {
            return .unknown("not computed: the ByteRange is unusable (see coverage)")
        }
        guard rangeDigest == token.hashedMessage else {
            return .fail("the document was changed after it was timestamped (the bytes the timestamp covers no longer have the \(algorithm.rawValue) hash it certifies)")
        }
        return .pass("the timestamped bytes still have the \(algorithm.rawValue) hash the timestamp certifies")
    }

    /// `adbe.pkcs7.sha1` (§12.8.3.3.1): the CMS encapsulates the SHA-1 hash of
    /// the ranged bytes. SHA-1 is outside the algorithm policy, so even a
    /// matching hash is a failure; a mismatch says so first.
    private func sha1Digest(cms: CMSSignedData, rangeDigest: Data?) -> CheckResult {
        let weak = "it is an adbe.pkcs7.sha1 signature over a SHA-1 hash, which is no longer collision-resistant (weak algorithm)"
        if let content = cms.encapsulatedContent, let rangeDigest, content != rangeDigest {
            return .fail("the document was changed after it was signed, and \(weak)")
        }
        return .fail("the signature cannot be trusted: \(weak)")
    }

    /// Signature algorithms a SignerInfo may name (RFC 3370, RFC 5754, RFC 5758,
    /// RFC 8419). libcrypto verifies with the key's own algorithm and does not
    /// insist on this unsigned field, so an unknown value is refused here.
    static let signatureAlgorithms: Set<String> = [
        "1.2.840.113549.1.1.1",  // rsaEncryption
        "1.2.840.113549.1.1.5", "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12", "1.2.840.113549.1.1.13",
        "1.2.840.113549.1.1.14",  // sha1/224/256/384/512WithRSAEncryption
        "1.2.840.113549.1.1.10",  // RSASSA-PSS
        "1.2.840.10045.2.1",  // id-ecPublicKey, as some signers write it
        "1.2.840.10045.4.1", "1.2.840.10045.4.3.1", "1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3",
        "1.2.840.10045.4.3.4",  // ecdsa-with-SHA1/224/256/384/512
        "1.3.101.112",  // Ed25519
    ]

    /// The algorithm policy: what a segel authority can have produced and is
    /// still sound. Digests SHA-256/384/512; RSA keys of at least 2048 bits
    /// (PKCS#1 v1.5 or PSS); ECDSA on P-256, P-384 or P-521. Nil when `cms`
    /// keeps to it, else the reason naming the algorithm.
    static func algorithmPolicyViolation(_ cms: CMSSignedData) -> String? {
        switch cms.digestAlgorithm {
        case .sha256?, .sha384?, .sha512?: break
        case .sha1?: return "the signature uses SHA-1, which is no longer collision-resistant (weak algorithm)"
        case .md5?: return "the signature uses MD5, which is broken (weak algorithm)"
        case nil:
            return "the signature uses the digest algorithm \(cms.digestAlgorithmOID), which is not accepted (weak or unknown algorithm)"
        }
        let weakSignatureOIDs: [String: String] = [
            "1.2.840.113549.1.1.4": "md5WithRSAEncryption", "1.2.840.113549.1.1.5": "sha1WithRSAEncryption",
            "1.2.840.10045.4.1": "ecdsa-with-SHA1", "1.2.840.113549.1.1.14": "sha224WithRSAEncryption",
            "1.2.840.10045.4.3.1": "ecdsa-with-SHA224",
        ]
        if let name = weakSignatureOIDs[cms.signatureAlgorithmOID] {
            return "the signature uses \(name), which is not accepted (weak algorithm)"
        }
        guard let certificate = cms.signerCertificate else { return nil }
        let key = certificate.publicKeyAlgorithm
        let parts = key.split(separator: " ")
        if parts.first == "RSA", parts.count == 2, let bits = Int(parts[1]) {
            return bits >= 2048 ? nil : "the signer's key is \(key), shorter than the 2048 bits accepted (weak algorithm)"
        }
        if parts.first == "EC", parts.count == 2, ["P-256", "P-384", "P-521"].contains(String(parts[1])) { return nil }
        return "the signer's key is \(key); only RSA of 2048 bits or more and ECDSA on P-256, P-384 or P-521 are accepted (unaccepted algorithm)"
    }

    private func signatureResult(_ cms: CMSSignedData, attachedContent: Data?, mustBindCertificate: Bool) -> CheckResult {
        guard FileVerification.signatureAlgorithms.contains(cms.signatureAlgorithmOID) else {
            return .fail("the signature names an unknown signature algorithm (\(cms.signatureAlgorithmOID.isEmpty ? "none" : cms.signatureAlgorithmOID))")
        }
        guard cms.signerCertificateMatches <= 1 else {
            return .fail("the CMS carries \(cms.signerCertificateMatches) certificates with the signer's issuer and serial number, so which one signed is ambiguous")
        }
        guard let certificate = cms.signerCertificate else {
            return .unknown("the CMS does not include the signer's certificate, so its signature cannot be checked")
        }
        if let violation = FileVerification.algorithmPolicyViolation(cms) {
            return .fail(violation)
        }
        guard cms.verifySignature() else {
            return .fail("the signature value does not verify with the certificate of \(certificate.subject.commonName ?? certificate.subject.string): it is forged or damaged")
        }
        if let attachedContent {
            guard let messageDigest = cms.messageDigest, cms.contentDigest(of: [attachedContent]) == messageDigest else {
                return .fail("the signed messageDigest does not match the content the CMS carries")
            }
        }
        if let binding = cms.signingCertificateV2 {
            guard binding.matches(certificate) else {
                return .fail("the signingCertificateV2 attribute names a different certificate than the one that signed")
            }
            return .pass("the signature verifies with the signer's certificate, which signingCertificateV2 names")
        }
        if mustBindCertificate {
            return .fail("the signingCertificateV2 attribute is missing, so the certificate is not bound to the signature")
        }
        if cms.signedAttributeOIDs.contains(FileVerification.signingCertificateV1) {
            return .pass("the signature verifies with the signer's certificate (its SHA-1 signingCertificate attribute is not compared)")
        }
        return .pass("the signature verifies with the signer's certificate (it names no signing certificate)")
    }
}
