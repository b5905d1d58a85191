import Foundation
import GRDB

/// A requester (seed ERD §3.1 `users`), without the seed's login columns:
/// segel is a CLI on the authority's machine, nobody logs in.
public struct User: RegistryRecord, Identifiable {
    public static let databaseTableName = "users"

    public internal(set) var id: Int64
    public internal(set) var name: String
    public internal(set) var email: String
    /// Student number (NIM), unique when present.
    public internal(set) var nim: String?
    public internal(set) var createdAt: Date
    public internal(set) var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, email, nim
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

extension User: ColumnDecodable {
    /// Column by column rather than through `Decodable` (GRDB's Codable
    /// decoder costs several times the SQLite read); same stored forms.
    public init(row: Row) throws {
        try self.init(columns: ColumnReader(row))
    }

    init(columns row: ColumnReader) throws {
        id = try row.decode(Int64.self, forColumn: CodingKeys.id.rawValue)
        name = try row.decode(String.self, forColumn: CodingKeys.name.rawValue)
        email = try row.decode(String.self, forColumn: CodingKeys.email.rawValue)
        nim = try row.decode(String?.self, forColumn: CodingKeys.nim.rawValue)
        createdAt = try row.timestamp(CodingKeys.createdAt.rawValue)
        updatedAt = try row.timestamp(CodingKeys.updatedAt.rawValue)
    }
}
