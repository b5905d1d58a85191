import Foundation
import Hashing
import GRDB

/// A document submitted for approval and signing (seed ERD §3.3
/// `approval_requests`). The file itself lives in `document_versions`:
/// `current_version_id` is the latest upload, `approved_version_id` the one
/// whose hash the approval bound (and the only one that may be signed).
public struct ApprovalRequest: RegistryRecord, Identifiable {
    public static let databaseTableName = "approval_requests"

    public internal(set) var id: Int64
    public internal(set) var userID: Int64
    public internal(set) var documentName: String
    public internal(set) var documentType: String?
    public internal(set) var notes: String?
    public internal(set) var status: RequestStatus
    public internal(set) var approvedAt: Date?
    public internal(set) var approvedBy: Int64?
    public internal(set) var rejectedAt: Date?
    public internal(set) var rejectedBy: Int64?
    public internal(set) var signApprovedAt: Date?
    public internal(set) var signApprovedBy: Int64?
    public internal(set) var approvalNotes: String?
    public internal(set) var rejectionReason: String?
    public internal(set) var currentVersionID: Int64?
    public internal(set) var approvedVersionID: Int64?
    public internal(set) var signedDocumentPath: String?
    public internal(set) var workflowMetadata: Metadata?
    /// Batch idempotency key (see `ApprovalRequest.identityKey`), unique when present.
    public internal(set) var identityKey: String?
    public internal(set) var createdAt: Date
    public internal(set) var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case userID = "user_id"
        case documentName = "document_name"
        case documentType = "document_type"
        case notes, status
        case approvedAt = "approved_at"
        case approvedBy = "approved_by"
        case rejectedAt = "rejected_at"
        case rejectedBy = "rejected_by"
        case signApprovedAt = "sign_approved_at"
        case signApprovedBy = "sign_approved_by"
        case approvalNotes = "approval_notes"
        case rejectionReason = "rejection_reason"
        case currentVersionID = "current_version_id"
        case approvedVersionID = "approved_version_id"
        case signedDocumentPath = "signed_document_path"
        case workflowMetadata = "workflow_metadata"
        case identityKey = "identity_key"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// The key `segel batch` uses to recognise a row it has already submitted:
    /// the same file, under the same name, for the same approver. A hash, so
    /// its length does not depend on the name.
    public static func identityKey(fileSHA256: String, documentName: String, approverID: Int64) -> String {
        let hasher = SHA256Hasher()
        for part in [fileSHA256.lowercased(), documentName, String(approverID)] {
            hasher.update("\(part.utf8.count):\(part);")
        }
        return Digest.hex(hasher.finalize())
    }
}

extension ApprovalRequest: ColumnRecord {
    /// Column by column rather than through `Encodable`: GRDB's Codable
    /// encoder (and a new JSONEncoder per JSON column) cost more than the SQL.
    /// The stored forms are the Codable ones (see `RegistryRecord`).
    func columns() -> [ColumnValue] {
        [
            (CodingKeys.id.rawValue, id),
            (CodingKeys.userID.rawValue, userID),
            (CodingKeys.documentName.rawValue, documentName),
            (CodingKeys.documentType.rawValue, documentType),
            (CodingKeys.notes.rawValue, notes),
            (CodingKeys.status.rawValue, status.rawValue),
            (CodingKeys.approvedAt.rawValue, approvedAt?.databaseText),
            (CodingKeys.approvedBy.rawValue, approvedBy),
            (CodingKeys.rejectedAt.rawValue, rejectedAt?.databaseText),
            (CodingKeys.rejectedBy.rawValue, rejectedBy),
            (CodingKeys.signApprovedAt.rawValue, signApprovedAt?.databaseText),
            (CodingKeys.signApprovedBy.rawValue, signApprovedBy),
            (CodingKeys.approvalNotes.rawValue, approvalNotes),
            (CodingKeys.rejectionReason.rawValue, rejectionReason),
            (CodingKeys.currentVersionID.rawValue, currentVersionID),
            (CodingKeys.approvedVersionID.rawValue, approvedVersionID),
            (CodingKeys.signedDocumentPath.rawValue, signedDocumentPath),
            (CodingKeys.workflowMetadata.rawValue, ColumnJSON.text(workflowMetadata)),
            (CodingKeys.identityKey.rawValue, identityKey),
            (CodingKeys.createdAt.rawValue, createdAt.databaseText),
            (CodingKeys.updatedAt.rawValue, updatedAt.databaseText),
        ]
    }
}

extension ApprovalRequest: ColumnDecodable {
    /// Column by column rather than through `Decodable` (GRDB's Codable
    /// decoder costs several times the SQLite read); same stored forms.
    public init(row: Row) throws {
        try self.init(columns: ColumnReader(row))
    }

    init(columns row: ColumnReader) throws {
        id = try row.decode(Int64.self, forColumn: CodingKeys.id.rawValue)
        userID = try row.decode(Int64.self, forColumn: CodingKeys.userID.rawValue)
        documentName = try row.decode(String.self, forColumn: CodingKeys.documentName.rawValue)
        documentType = try row.decode(String?.self, forColumn: CodingKeys.documentType.rawValue)
        notes = try row.decode(String?.self, forColumn: CodingKeys.notes.rawValue)
        status = try row.decode(RequestStatus.self, forColumn: CodingKeys.status.rawValue)
        approvedAt = try row.optionalTimestamp(CodingKeys.approvedAt.rawValue)
        approvedBy = try row.decode(Int64?.self, forColumn: CodingKeys.approvedBy.rawValue)
        rejectedAt = try row.optionalTimestamp(CodingKeys.rejectedAt.rawValue)
        rejectedBy = try row.decode(Int64?.self, forColumn: CodingKeys.rejectedBy.rawValue)
        signApprovedAt = try row.optionalTimestamp(CodingKeys.signApprovedAt.rawValue)
        signApprovedBy = try row.decode(Int64?.self, forColumn: CodingKeys.signApprovedBy.rawValue)
        approvalNotes = try row.decode(String?.self, forColumn: CodingKeys.approvalNotes.rawValue)
        rejectionReason = try row.decode(String?.self, forColumn: CodingKeys.rejectionReason.rawValue)
        currentVersionID = try row.decode(Int64?.self, forColumn: CodingKeys.currentVersionID.rawValue)
        approvedVersionID = try row.decode(Int64?.self, forColumn: CodingKeys.approvedVersionID.rawValue)
        signedDocumentPath = try row.decode(String?.self, forColumn: CodingKeys.signedDocumentPath.rawValue)
        workflowMetadata = try row.metadata(CodingKeys.workflowMetadata.rawValue)
        identityKey = try row.decode(String?.self, forColumn: CodingKeys.identityKey.rawValue)
        createdAt = try row.timestamp(CodingKeys.createdAt.rawValue)
        updatedAt = try row.timestamp(CodingKeys.updatedAt.rawValue)
    }
}
