/// A request with everything `segel request show` prints.
public struct RequestDetail: Sendable, Hashable {
    public var request: ApprovalRequest
    public var user: User
    /// Oldest first.
    public var versions: [DocumentVersion]
    public var approvedBy: Approver?
    public var rejectedBy: Approver?
    public var signature: DocumentSignature?
    /// The signature's keys, one per signer so far, in signing order.
    public var keys: [DigitalSignature]
    /// The request's signers in order with where each one's turn stands
    /// (empty for a request with its one approver).
    public var signers: [RequestSigner]
    /// The last key so far.
    public var key: DigitalSignature? { keys.last }
    /// This request's audit rows, oldest first.
    public var audit: [AuditLogEntry]

    public var currentVersion: DocumentVersion? {
        versions.first { $0.id == request.currentVersionID }
    }

    public var approvedVersion: DocumentVersion? {
        versions.first { $0.id == request.approvedVersionID }
    }
}
