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

