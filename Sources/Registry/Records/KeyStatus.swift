import GRDB

/// Status of a per-document key (seed ERD §3.5, `digital_signatures.status`,
/// plus `revoked` from the seed's key-management flow §5.4).
public enum KeyStatus: String, Codable, Sendable, Hashable, CaseIterable, DatabaseValueConvertible {
    case active
    case expired
    case revoked
}

