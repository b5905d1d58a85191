/// One signed document with every record the portal renders for it.
public struct PublishedDocument: Sendable, Hashable {
    public var signature: DocumentSignature
    public var request: ApprovalRequest
    public var user: User
    /// The approver named in the certificate (`document_signatures.signed_by`).
    public var signer: Approver
    /// The version whose hash was approved and signed.
    public var approvedVersion: DocumentVersion
    public var key: DigitalSignature
}
