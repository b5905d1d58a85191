import Foundation
import GRDB

/// One signer of a request with several signers (schema `v5`
/// `request_signers`, the seed's signature fields on a document version):
/// who signs at which position, where the stamp goes if the requester chose,
/// and how far this signer's turn has come.
///
/// ```
/// waiting → approved → signed;  waiting | approved → rejected
/// ```
/// A resubmission puts every signer of the request back to `waiting`.
public struct RequestSigner: RegistryRecord, Identifiable {
    public static let databaseTableName = "request_signers"

    public enum State: String, Codable, Sendable, Hashable, CaseIterable {
        case waiting, approved, signed, rejected
    }

    public internal(set) var id: Int64
    public internal(set) var approvalRequestID: Int64
    /// 1 signs first.
    public internal(set) var position: Int
    public internal(set) var approverID: Int64
    /// The group this signer came from, and the role the group names.
    public internal(set) var groupName: String?
    public internal(set) var role: String?
    /// The signature field: 1-based page, lower-left corner and QR size in
    /// points; nil values take the default placement.
    public internal(set) var fieldPage: Int?
    public internal(set) var fieldX: Double?
    public internal(set) var fieldY: Double?
    public internal(set) var fieldSize: Double?
    public internal(set) var state: State
    public internal(set) var actedAt: Date?
    public internal(set) var createdAt: Date
    public internal(set) var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, position, role, state
        case approvalRequestID = "approval_request_id"
        case approverID = "approver_id"
        case groupName = "group_name"
        case fieldPage = "field_page"
        case fieldX = "field_x"
        case fieldY = "field_y"
        case fieldSize = "field_size"
        case actedAt = "acted_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// The field the requester chose, nil when the stamp is placed automatically.
    public var fieldChoice: SigningTicket.SignatureFieldChoice? {
        guard fieldPage != nil || fieldX != nil || fieldSize != nil else { return nil }
        return SigningTicket.SignatureFieldChoice(page: fieldPage, x: fieldX, y: fieldY, size: fieldSize)
    }

    /// The signers of `request` in order (empty for a request with its one approver).
    /// Through a cached statement: every signing asks, several signers or one.
    static func of(_ db: Database, request: Int64) throws -> [RequestSigner] {
        try fetchAll(db.cachedStatement(sql: "SELECT * FROM request_signers WHERE approval_request_id = ? ORDER BY position"),
                     arguments: [request])
    }
}

/// What a request's submitter names for one signer: the approver (id, e-mail
/// or NIDN) and, optionally, the signature field.
public struct SignerChoice: Sendable, Hashable {
    public var approverID: Int64
    public var groupName: String?
    public var role: String?
    public var page: Int?
    public var x: Double?
    public var y: Double?
    public var size: Double?

    public init(approverID: Int64, groupName: String? = nil, role: String? = nil, page: Int? = nil,
                x: Double? = nil, y: Double? = nil, size: Double? = nil) {
        self.approverID = approverID
        self.groupName = groupName
        self.role = role
        self.page = page
        self.x = x
        self.y = y
        self.size = size
    }
}

/// A named, ordered list of approvers (`segel group add`), with the role they sign in.
public struct SignerGroup: RegistryRecord, Identifiable {
    public static let databaseTableName = "signer_groups"

    public internal(set) var id: Int64
    public internal(set) var name: String
    public internal(set) var role: String?
    public internal(set) var createdAt: Date
    public internal(set) var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, role
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
