/// The `segel keys list --status` filter: a stored status, or `expiring`
/// (active, with `valid_until` within 30 days of the given time).
public enum KeyFilter: String, Codable, Sendable, Hashable, CaseIterable {
    case active
    case expired
    case revoked
    case expiring
}
