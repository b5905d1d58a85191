import Foundation

/// The human output of `segel-verify`: the verdict first, in one line a
/// non-expert understands, then per signature who signed, when, and each
/// check with ✓ (pass), ✗ (fail) or ? (unknown) and its reason.
extension VerificationReport {
    public func humanText() -> String {
        var lines = ["\(file): \(verdict.rawValue) — \(Self.capitalised(summary))."]
        for (position, signature) in signatures.enumerated() {
            let number = "Signature \(position + 1) of \(signatures.count)"
            let role: String = switch signature.role {
            case .seal: "the authority's seal"
            case .authority: "an earlier signature by the authority"
            case .foreign: "an earlier signature by someone else"
            case .timestamp: "a document timestamp"
            }
            lines.append("  \(number) — \(role), field \"\(signature.field)\"")
            var signer = signature.signer ?? "(unnamed)"
            if let organization = signature.signerOrganization { signer += ", \(organization)" }
            lines.append("    signer:  \(signer)")
            lines.append("    signed:  \(signature.signedAt.map(ISOTime.readable) ?? "(no time given)")")
            if let stamp = signature.timestamp {
                let standing = stamp.problem.map { "not trusted: \($0)" } ?? "trusted"
                lines.append("    timestamp: \(ISOTime.readable(stamp.time)) by \(stamp.authority) (\(standing))")
            }
            for (name, result) in signature.checks.all {
                let mark = switch result.status {
                case .pass: "✓"
                case .fail: "✗"
                case .unknown: "?"
                }
                let padded = name.title.padding(toLength: 10, withPad: " ", startingAt: 0)
                lines.append("    \(mark) \(padded) \(result.reason)")
            }
            for warning in signature.warnings {
                lines.append("    ! note       \(warning)")
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension VerificationReport {
    /// The summary is written to follow "—"; the human line starts it with a capital.
    static func capitalised(_ sentence: String) -> String {
        guard let first = sentence.first else { return sentence }
        return first.uppercased() + sentence.dropFirst()
    }
}
