import Foundation

/// `segel-verify --json` (CLI.md): one object per file,
///
/// ```json
/// {"file": "a.pdf", "verdict": "VALID|INVALID|INDETERMINATE", "sha256": "…", "token": "…",
///  "signatures": [{"field": "…", "signer": "…", "signed_at": "…", "subfilter": "…",
///    "checks": {"structure": "pass|fail|unknown", …}, "reasons": ["…"]}]}
/// ```
///
/// plus `summary`, and per signature `role`, `details` (every check's reason),
/// `timestamp` (`{"time", "authority", "trusted", "problem"}` or null) and `warnings`.
extension VerificationReport: Encodable {
    enum CodingKeys: String, CodingKey {
        case file, verdict, summary, sha256, token, signatures
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(verdict, forKey: .verdict)
        try container.encode(summary, forKey: .summary)
        try container.encode(sha256, forKey: .sha256)
        try container.encode(token, forKey: .token)
        try container.encode(signatures, forKey: .signatures)
    }

    /// The report as one line of JSON (keys sorted, so output is stable).
    public func jsonLine() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

extension SignatureReport: Encodable {
    enum CodingKeys: String, CodingKey {
        case field, signer, role, subfilter, checks, reasons, details, timestamp, warnings
        case signedAt = "signed_at"
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(field, forKey: .field)
        try container.encode(signer, forKey: .signer)
        try container.encode(signedAt.map(ISOTime.string(from:)), forKey: .signedAt)
        try container.encode(subFilter, forKey: .subfilter)
        try container.encode(role, forKey: .role)
        var statuses: [String: String] = [:]
        var details: [String: String] = [:]
        for (name, result) in checks.all {
            statuses[name.rawValue] = result.status.rawValue
            details[name.rawValue] = result.reason
        }
        try container.encode(statuses, forKey: .checks)
        try container.encode(reasons, forKey: .reasons)
        try container.encode(details, forKey: .details)
        try container.encode(timestamp, forKey: .timestamp)
        try container.encode(warnings, forKey: .warnings)
    }
}

extension SignatureReport.Timestamp: Encodable {
    enum CodingKeys: String, CodingKey {
        case time, authority, trusted, problem
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ISOTime.string(from: time), forKey: .time)
        try container.encode(authority, forKey: .authority)
        try container.encode(trusted, forKey: .trusted)
        try container.encode(problem, forKey: .problem)
    }
}
