import GRDB

/// `signature_verification_logs.verification_method` (seed ERD §3.6).
/// `segel verify FILE` logs `upload`; a lookup by token or `SIG-…` id logs
/// `token` or `id`. `url` and `qr` are kept from the seed for imported data.
public enum VerificationMethod: String, Codable, Sendable, Hashable, CaseIterable, DatabaseValueConvertible {
    case upload
    case token
    case id
    case url
    case qr
}

/// `signature_verification_logs.result_status` (seed ERD §3.6).
public enum VerificationResultStatus: String, Codable, Sendable, Hashable, CaseIterable, DatabaseValueConvertible {
    case success
    case failed
    case expired
    case invalid
    case notFound = "not_found"
}

/// The verifier's verdict as `segel-verify --json` prints it (CLI.md).
public enum VerificationVerdict: String, Codable, Sendable, Hashable, CaseIterable, DatabaseValueConvertible {
    case valid = "VALID"
    case invalid = "INVALID"
    case indeterminate = "INDETERMINATE"
}
