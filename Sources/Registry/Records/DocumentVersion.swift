import Foundation
import GRDB

/// One uploaded file of a request. Version 1 comes with `submit`, each
/// `resubmit` after a rejection adds the next one; rows are never changed.
public struct DocumentVersion: RegistryRecord, Identifiable {
    public static let databaseTableName = "document_versions"

    public internal(set) var id: Int64
    public internal(set) var approvalRequestID: Int64
    public internal(set) var version: Int
    /// Lowercase hex SHA-256 of the file's bytes.
    public internal(set) var fileSHA256: String
    public internal(set) var fileSize: Int64
    /// Path relative to the authority home (`files/<aa>/<sha256>.pdf`).
    public internal(set) var storedPath: String
    public internal(set) var originalFilename: String
    public internal(set) var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case approvalRequestID = "approval_request_id"
        case version
        case fileSHA256 = "file_sha256"
        case fileSize = "file_size"
        case storedPath = "stored_path"
        case originalFilename = "original_filename"
        case createdAt = "created_at"
    }
}

extension DocumentVersion: ColumnRecord {
    /// Column by column rather than through `Encodable`: GRDB's Codable
    /// encoder (and a new JSONEncoder per JSON column) cost more than the SQL.
    /// The stored forms are the Codable ones (see `RegistryRecord`).
    func columns() -> [ColumnValue] {
        [
            (CodingKeys.id.rawValue, id),
            (CodingKeys.approvalRequestID.rawValue, approvalRequestID),
            (CodingKeys.version.rawValue, version),
            (CodingKeys.fileSHA256.rawValue, fileSHA256),
            (CodingKeys.fileSize.rawValue, fileSize),
            (CodingKeys.storedPath.rawValue, storedPath),
            (CodingKeys.originalFilename.rawValue, originalFilename),
            (CodingKeys.createdAt.rawValue, createdAt.databaseText),
        ]
    }
}

extension DocumentVersion: ColumnDecodable {
    /// Column by column rather than through `Decodable` (GRDB's Codable
    /// decoder costs several times the SQLite read); same stored forms.
    public init(row: Row) throws {
        try self.init(columns: ColumnReader(row))
    }

    init(columns row: ColumnReader) throws {
        id = try row.decode(Int64.self, forColumn: CodingKeys.id.rawValue)
        approvalRequestID = try row.decode(Int64.self, forColumn: CodingKeys.approvalRequestID.rawValue)
        version = try row.decode(Int.self, forColumn: CodingKeys.version.rawValue)
        fileSHA256 = try row.decode(String.self, forColumn: CodingKeys.fileSHA256.rawValue)
        fileSize = try row.decode(Int64.self, forColumn: CodingKeys.fileSize.rawValue)
        storedPath = try row.decode(String.self, forColumn: CodingKeys.storedPath.rawValue)
        originalFilename = try row.decode(String.self, forColumn: CodingKeys.originalFilename.rawValue)
        createdAt = try row.timestamp(CodingKeys.createdAt.rawValue)
    }
}
