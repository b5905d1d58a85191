import Foundation
import GRDB

/// The single `authority` row: who signs, where the portal lives.
///
/// `base_url` is the public root of the static portal (verification URLs are
/// `<base_url>/v/<token>/`), `site_dir` the default publish folder.
public struct AuthorityInfo: RegistryRecord {
    public static let databaseTableName = "authority"

    /// Always 1: the table holds one row (`CHECK (id = 1)`).
    public internal(set) var id: Int64
    public internal(set) var name: String
    public internal(set) var baseURL: String
    public internal(set) var siteDir: String
    public internal(set) var createdAt: Date
    public internal(set) var settings: Metadata

    enum CodingKeys: String, CodingKey {
        case id, name
        case baseURL = "base_url"
        case siteDir = "site_dir"
        case createdAt = "created_at"
        case settings
    }
}

/// What `segel init` provides to `Registry.initialize(authority:)`.
public struct AuthoritySetup: Sendable, Hashable {
    public var name: String
    public var baseURL: String
    public var siteDir: String
    public var settings: Metadata

    public init(name: String, baseURL: String, siteDir: String, settings: Metadata = [:]) {
        self.name = name
        self.baseURL = baseURL
        self.siteDir = siteDir
        self.settings = settings
    }
}
