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
