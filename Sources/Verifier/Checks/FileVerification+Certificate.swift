import Foundation
import PDF
import PKI

/// Check 4, the certificate (RFC 5280 §6, reduced to segel's one-level
/// hierarchy): the signer's certificate is issued by the trusted CA — its
/// issuer name and signature — and is a document-signing certificate (chain);
/// it and the CA were valid when the document was signed (validity) — at the
/// time its trusted timestamp proves, else at the time it claims while the
/// certificate is still valid.
extension FileVerification {
    /// `laterTimestamps`: the generation times of the document timestamps that
    /// follow the signature in the file; it cannot have been made after them.
    func certificateResults(_ candidate: SignatureCandidate, role: SignatureReport.Role,
                            laterTimestamps: [Date] = [],
                            stamp: SignatureReport.Timestamp? = nil) -> (chain: CheckResult, validity: CheckResult) {
        guard let certificate = candidate.signerCertificate else {
            let reason = candidate.cms == nil
                ? "the signer's certificate cannot be read: \(candidate.cmsProblem ?? "/Contents is not a CMS signature")"
                : "the CMS does not include the signer's certificate"
            if role == .seal || role == .authority { return (.fail(reason), .fail(reason)) }
            return (.unknown(reason), .unknown(reason))
        }
        let ca = candidate.issuingCA ?? trust.ca
        let who = certificate.subject.commonName ?? certificate.subject.string
        let validity = validityResult(candidate, certificate: certificate, laterTimestamps: laterTimestamps,
                                      stamp: stamp)
        switch role {
        case .seal, .authority:
            guard ca.isCA, !ca.hasKeyUsageExtension || ca.keyUsage.contains(.keyCertSign) else {
                return (.fail("the trusted certificate \(ca.subject.string) is not a CA certificate"), validity)
            }
            guard candidate.issuedByTrustedCA else {
                return (.fail("signed by \(who), whose certificate was not issued by \(trust.cas.map(\.subject.string).joined(separator: " or "))"), validity)
            }
            guard certificate.der != ca.der, !certificate.isCA else {
                return (.fail("signed with a CA certificate rather than a document certificate"), validity)
            }
            if certificate.hasKeyUsageExtension,
               certificate.keyUsage.isDisjoint(with: [.digitalSignature, .nonRepudiation]) {
                return (.fail("the signer's certificate is not meant for signatures (key usage)"), validity)
            }
            return (.pass("issued by \(ca.subject.commonName ?? ca.subject.string)"), validity)
        case .foreign, .timestamp:
            let noun = role == .timestamp ? "timestamped" : "signed"
            let chain: CheckResult = candidate.issuedByTrustedCA
                ? .pass("issued by \(ca.subject.commonName ?? ca.subject.string)")
                : .unknown("\(noun) by \(who), not by this authority")
            // Not counted for someone else's signature: a failure is reported as unknown.
            let shown = validity.failed ? .unknown("not counted: \(validity.reason)") : validity
            return (chain, shown)
        }
    }

    /// How far a claimed signing time may lie after the verification time (clock skew).
    static let allowedClockSkew: TimeInterval = 5 * 60

    private func validityResult(_ candidate: SignatureCandidate, certificate: Certificate,
                                laterTimestamps: [Date], stamp: SignatureReport.Timestamp?) -> CheckResult {
        let trustedTime = stamp.flatMap { $0.trusted ? $0.time : nil }
        guard let time = trustedTime ?? signingTime(of: candidate) else {
            return .unknown("the signature does not say when it was made")
        }
        let when = ISOTime.readable(time)
        let proof = stamp.flatMap { $0.trusted ? ", proven by a timestamp from \($0.authority)" : nil } ?? ""
        // A claim from the future cannot be true: it is a clock set to backdate
        // or predate a document, so it is not accepted beyond a few minutes' skew.
        let claims = [candidate.cms?.signingTime, candidate.signature.signingTime.flatMap(PDFDate.date(from:))]
        if let future = claims.compactMap({ $0 }).first(where: { $0 > now.addingTimeInterval(FileVerification.allowedClockSkew) }) {
            return .fail("the signature claims to have been made at \(ISOTime.readable(future)), later than the verification time \(ISOTime.readable(now))")
        }
        // Nor can it be later than a timestamp that proves the signature (or
        // the file with it) existed already.
        let stamps = [candidate.signatureTimestamp.map { ($0.generationTime, "the timestamp in the same signature") }]
            + laterTimestamps.map { ($0, "the document timestamp that follows it") }
        for case let (stamped, what)? in stamps {
            if let late = claims.compactMap({ $0 }).first(where: { $0 > stamped.addingTimeInterval(FileVerification.allowedClockSkew) }) {
                return .fail("the signature claims to have been made at \(ISOTime.readable(late)), later than \(what) (\(ISOTime.readable(stamped)))")
            }
        }
        guard certificate.validityContains(time) else {
            return .fail("the certificate was not valid at the signing time \(when)\(proof) (it is valid from \(ISOTime.readable(certificate.notBefore)) to \(ISOTime.readable(certificate.notAfter)))")
        }
        if let issuingCA = candidate.issuingCA, !issuingCA.validityContains(time) {
            return .fail("the CA certificate was not valid at the signing time \(when)\(proof)")
        }
        // Once the certificate has expired, a signing time the signer merely
        // claims could have been written afterwards; only a timestamp proves it.
        if trustedTime == nil, now > certificate.notAfter {
            return .unknown("the certificate expired on \(ISOTime.readable(certificate.notAfter)) and no trusted timestamp proves the signature was made before that (it claims \(when))")
        }
        return .pass("the certificate was valid when the document was signed (\(when)\(proof))")
    }
}
