import Foundation

/// The verdict (DESIGN.md "The verifier"): INVALID if any counted check
/// fails; else INDETERMINATE if a required check is unknown; else VALID. The
/// summary is one plain sentence for someone who has never heard of a ByteRange.
extension FileVerification {
    /// `waiting`: the positions of later signers whose reserved fields are
    /// still empty; such a file is at most INDETERMINATE, never VALID.
    func report(_ signatures: [SignatureReport], sha256: String, waiting: [Int] = []) -> VerificationReport {
        let seal = signatures.last { $0.role == .seal }
        let authority = trust.authorityLabel
        func make(_ verdict: Verdict, _ summary: String) -> VerificationReport {
            VerificationReport(file: name, verdict: verdict, summary: summary, sha256: sha256, token: seal?.token,
                               signatures: signatures)
        }
        // The seal's own failure explains the most; then any other signature's.
        let failing = ([seal].compactMap { $0 } + signatures).lazy.compactMap { report in
            FileVerification.summaryOrder.lazy.first { report.counted.contains($0) && report.checks[$0].failed }
                .map { (report, (name: $0, result: report.checks[$0])) }
        }.first
        if let (report, failure) = failing {
            return make(.invalid, FileVerification.sentence(for: failure.name, failure.result, report: report,
                                                             authority: authority))
        }
        guard let seal else {
            return make(.invalid, "the file carries only document timestamps, no signature by \(authority)")
        }
        let unknown = ([seal] + signatures).lazy.compactMap { $0.firstUnknown }.first
        if let unknown {
            return make(.indeterminate, "the signature is intact, but it cannot be fully confirmed: \(unknown.result.reason)")
        }
        if let first = waiting.first {
            // Intact so far, but not yet the document the authority issues, which has every signature.
            return make(.indeterminate, "the signatures so far are intact, but the document is not complete: signer \(first) of \(waiting.last ?? first) has not signed it yet")
        }
        // With several of the authority's signers, every one of them, in order.
        let signers = signatures.filter { $0.role == .authority || $0.role == .seal }
        var signer = signers.map { $0.signer ?? "an unnamed signer" }.listed
        if let organization = seal.signerOrganization { signer += " (\(organization))" }
        let date = seal.signedAt.map { " on \(ISOTime.readable($0))" } ?? ""
        return make(.valid, "signed by \(signer) for \(authority)\(date); the document has not been changed since")
    }

    /// The order in which failures explain a verdict to people: a changed
    /// document first, then a signature that is not the authority's.
    static let summaryOrder: [CheckName] = [.digest, .coverage, .structure, .chain, .signature, .revocation, .record,
                                            .log, .validity]

    static func sentence(for name: CheckName, _ result: CheckResult, report: SignatureReport,
                         authority: String) -> String {
        switch name {
        case .structure: "the file is not a well-formed signed PDF: \(result.reason)"
        case .coverage: "the signature does not protect the whole document: \(result.reason)"
        case .digest: result.reason
        case .signature: "the signature is not valid: \(result.reason)"
        case .chain: "the document was not signed by \(authority): \(result.reason)"
        case .validity: "the signing certificate was not valid when the document was signed: \(result.reason)"
        case .revocation: "the signature can no longer be trusted: \(result.reason)"
        case .record: "the authority's published record rejects this file: \(result.reason)"
        case .log: "the authority's public issuance log does not show this document: \(result.reason)"
        }
    }
}

extension Array where Element == String {
    /// "A", "A and B", "A, B and C".
    var listed: String {
        switch count {
        case 0: ""
        case 1: self[0]
        default: dropLast().joined(separator: ", ") + " and " + self[count - 1]
        }
    }
}
