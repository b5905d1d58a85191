import Foundation
import GRDB

/// An approver who approves, rejects and signs: the seed's `kaprodis`
/// (ERD §3.2), renamed as in DESIGN.md, with an optional academic title.
public struct Approver: RegistryRecord, Identifiable {
    public static let databaseTableName = "approvers"

    public internal(set) var id: Int64
    public internal(set) var name: String
    public internal(set) var email: String
    /// National lecturer number (NIDN), unique.
    public internal(set) var nidn: String
    /// Title printed with the name, e.g. "Kepala Program Studi".
    public internal(set) var title: String?
    public internal(set) var createdAt: Date
    public internal(set) var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, email, nidn, title
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

extension Approver: ColumnDecodable {
    /// Column by column rather than through `Decodable` (GRDB's Codable
    /// decoder costs several times the SQLite read); same stored forms.
    public init(row: Row) throws {
        try self.init(columns: ColumnReader(row))
    }

    init(columns row: ColumnReader) throws {
        id = try row.decode(Int64.self, forColumn: CodingKeys.id.rawValue)
        name = try row.decode(String.self, forColumn: CodingKeys.name.rawValue)
        email = try row.decode(String.self, forColumn: CodingKeys.email.rawValue)
        nidn = try row.decode(String.self, forColumn: CodingKeys.nidn.rawValue)
        title = try row.decode(String?.self, forColumn: CodingKeys.title.rawValue)
        createdAt = try row.timestamp(CodingKeys.createdAt.rawValue)
        updatedAt = try row.timestamp(CodingKeys.updatedAt.rawValue)
    }
}
