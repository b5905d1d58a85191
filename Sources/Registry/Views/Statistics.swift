/// What `segel stats` and the portal's `api/statistics.json` summarise.
/// Every status appears in the per-status counts, with 0 when unused, so the
/// output's shape never depends on the data.
public struct Statistics: Sendable, Hashable, Codable {
    public var users: Int
    public var approvers: Int
    /// Keyed by `RequestStatus.rawValue`.
    public var requestsByStatus: [String: Int]
    /// Keyed by `SignatureStatus.rawValue`.
    public var signaturesByStatus: [String: Int]
    /// Signed documents by public status (`PublicStatus.rawValue`): what the portal shows.
    public var documentsByStatus: [String: Int]
    /// Keyed by `KeyCountCategory.rawValue`: a key revoked because its
    /// document was invalidated counts as `revoked_with_document`.
    public var keysByStatus: [String: Int]
    /// Active keys whose `valid_until` falls within 7 / 30 days of `now` (the seed's "urgent" / "soon").
    public var keysExpiringWithin7Days: Int
    public var keysExpiringWithin30Days: Int
    public var verifications: Int
    public var successfulVerifications: Int
    /// The last 10 audit rows, newest first.
    public var recentActivity: [AuditLogEntry]
}
