import Foundation
import PKI
import PDF

/// The signature's own timestamp (PAdES B-T; RFC 3161 Appendix A): when it
/// verifies against the trust, its genTime is the trusted signing time that
/// the validity check uses instead of the signer's claim.
extension FileVerification {
    /// How far the signer's claimed time may precede its timestamp before the
    /// report warns (the timestamp is requested right after signing).
    static let claimTolerance: TimeInterval = 15 * 60

    /// What the signature's timestamp proves, or nil when it has none that answers its value.
    func signatureTimestampEvidence(_ candidate: SignatureCandidate) -> SignatureReport.Timestamp? {
        guard let info = candidate.signatureTimestamp, let token = candidate.signatureTimestampToken else { return nil }
        let issuer = token.signerCertificate
        let name = issuer.map { $0.subject.commonName ?? $0.subject.string } ?? "an unnamed time-stamping authority"
        func evidence(_ problem: String?) -> SignatureReport.Timestamp {
            SignatureReport.Timestamp(time: info.generationTime, authority: name, problem: problem)
        }
        guard info.hashAlgorithm.map({ [.sha256, .sha384, .sha512].contains($0) }) == true else {
            return evidence("its hash algorithm \(info.hashAlgorithmOID) is not accepted")
        }
        guard token.signerCount == 1, let issuer else {
            return evidence("the token does not carry the certificate of its one signer")
        }
        guard token.verifySignature(), let content = token.encapsulatedContent,
              token.contentDigestMatches([content]) else {
            return evidence("the token's signature does not verify: it is forged or damaged")
        }
        if FileVerification.algorithmPolicyViolation(token) != nil {
            return evidence("the token is signed with an algorithm that is not accepted")
        }
        if let binding = token.signingCertificateV2, !binding.matches(issuer) {
            return evidence("the token names a different signing certificate than the one that signed it")
        }
        guard issuer.isTimestamping else {
            return evidence("\(name) is not a time-stamping certificate (extended key usage)")
        }
        // The authority's CA, or a root it chose for an external TSA (a CA certificate).
        let root = trust.issuingCA(of: issuer)
            ?? trust.timestampRoots.first { $0.isCA && issuer.isIssued(by: $0) }
        guard let root else {
            return evidence("\(name) is not one of this authority's time-stamping authorities")
        }
        guard issuer.validityContains(info.generationTime), root.validityContains(info.generationTime) else {
            return evidence("the time-stamping certificate was not valid at \(ISOTime.readable(info.generationTime))")
        }
        return evidence(nil)
    }

    /// A note when the signer's claimed time and its trusted timestamp are far apart.
    func timestampWarning(_ candidate: SignatureCandidate, _ stamp: SignatureReport.Timestamp?) -> String? {
        guard let stamp, stamp.trusted, let claimed = candidate.cms?.signingTime
                ?? candidate.signature.signingTime.flatMap(PDFDate.date(from:)) else { return nil }
        let gap = abs(stamp.time.timeIntervalSince(claimed))
        guard gap > FileVerification.claimTolerance else { return nil }
        return "the signer's claimed time \(ISOTime.readable(claimed)) differs from its timestamp (\(ISOTime.readable(stamp.time))) by \(Int(gap / 60)) minutes; the timestamp is the trusted time"
    }
}
