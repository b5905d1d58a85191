import Foundation
import GRDB

/// One row of the hash-chained audit log (seed ERD §3.7
/// `signature_audit_logs`, without ip/user agent; `kaprodi_id` is
/// `approver_id`). `row_hash` is SHA-256 over the row's canonical form
/// including `prev_hash`, the previous row's `row_hash` (see `AuditChain`).
public struct AuditLogEntry: RegistryRecord, Identifiable {
    public static let databaseTableName = "signature_audit_logs"

    public internal(set) var id: Int64
    public internal(set) var documentSignatureID: Int64?
    public internal(set) var approvalRequestID: Int64?
    public internal(set) var userID: Int64?
    public internal(set) var approverID: Int64?
    public internal(set) var action: AuditAction
    public internal(set) var statusFrom: String?
    public internal(set) var statusTo: String?
    public internal(set) var description: String
    public internal(set) var metadata: Metadata?
    /// Who ran the command (the `Registry`'s actor, e.g. `segel` or an OS user).
    public internal(set) var actor: String
    public internal(set) var performedAt: Date
    public internal(set) var prevHash: String
    public internal(set) var rowHash: String

    enum CodingKeys: String, CodingKey {
        case id
        case documentSignatureID = "document_signature_id"
        case approvalRequestID = "approval_request_id"
        case userID = "user_id"
        case approverID = "approver_id"
        case action
        case statusFrom = "status_from"
        case statusTo = "status_to"
        case description, metadata, actor
        case performedAt = "performed_at"
        case prevHash = "prev_hash"
        case rowHash = "row_hash"
    }
}

extension AuditLogEntry: ColumnRecord {
    /// Column by column rather than through `Encodable`: GRDB's Codable
    /// encoder (and a new JSONEncoder per JSON column) cost more than the SQL.
    /// The stored forms are the Codable ones (see `RegistryRecord`).
    func columns() -> [ColumnValue] {
        [
            (CodingKeys.id.rawValue, id),
            (CodingKeys.documentSignatureID.rawValue, documentSignatureID),
            (CodingKeys.approvalRequestID.rawValue, approvalRequestID),
            (CodingKeys.userID.rawValue, userID),
            (CodingKeys.approverID.rawValue, approverID),
            (CodingKeys.action.rawValue, action.rawValue),
            (CodingKeys.statusFrom.rawValue, statusFrom),
            (CodingKeys.statusTo.rawValue, statusTo),
            (CodingKeys.description.rawValue, description),
            (CodingKeys.metadata.rawValue, ColumnJSON.text(metadata)),
            (CodingKeys.actor.rawValue, actor),
            (CodingKeys.performedAt.rawValue, performedAt.databaseText),
            (CodingKeys.prevHash.rawValue, prevHash),
            (CodingKeys.rowHash.rawValue, rowHash),
        ]
    }
}
