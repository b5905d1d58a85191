import GRDB
import Record

/// How `segel stats`, the statistics page and `api/statistics.json` count a
/// document's key. Invalidating a document also revokes its key (so that the
/// CRL lists it), and that key is counted as revoked with its document, not
/// as a key the authority revoked: "revoked" counts `segel keys revoke` acts.
public enum KeyCountCategory: String, Codable, Sendable, Hashable, CaseIterable {
    case active
    case expired
    case revoked
    case revokedWithDocument = "revoked_with_document"

    public init(key: KeyStatus, document: PublicStatus) {
        switch key {
        case .active: self = .active
        case .expired: self = .expired
        case .revoked: self = document == .invalidated ? .revokedWithDocument : .revoked
        }
    }

    /// For people (`segel stats`).
    public var words: String {
        switch self {
        case .active: "active"
        case .expired: "expired"
        case .revoked: "revoked"
        case .revokedWithDocument: "revoked with their document"
        }
    }
}

/// Stored as its raw value (`document_signatures.public_status`).
extension PublicStatus: DatabaseValueConvertible {}
