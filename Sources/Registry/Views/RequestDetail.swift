/// A request with everything `segel request show` prints.
public struct RequestDetail: Sendable, Hashable {
    public var request: ApprovalRequest
    public var user: User
    /// Oldest first.
    public var versions: [DocumentVersion]
    public var approvedBy: Approver?
    public var rejectedBy: Approver?
    public var signature: DocumentSignature?
    public var key: DigitalSignature?
    /// This request's audit rows, oldest first.
    public var audit: [AuditLogEntry]

    public var currentVersion: DocumentVersion? {
        versions.first { $0.id == request.currentVersionID }
    }

    public var approvedVersion: DocumentVersion? {
        versions.first { $0.id == request.approvedVersionID }
    }
}
