import Foundation

/// Everything signing needs about an approved request, read in one snapshot
/// by `Registry.prepareSigning(request:)`.
///
/// The signer must hash the file at `fileURL` and compare it with
/// `version.fileSHA256` before signing; on a mismatch (or any failure) it
/// calls `recordSigningFailure` instead of `completeSigning`.
public struct SigningTicket: Sendable, Hashable {
    public var requestID: Int64
    public var documentName: String
    public var documentType: String?
    public var authority: AuthorityInfo
    public var user: User
    /// The approver who approved the request: the signer named in the certificate.
    public var approver: Approver
    /// The approved version (its hash is the only one that may be signed).
    public var version: DocumentVersion
    /// Absolute location of the approved version's stored copy.
    public var fileURL: URL
    public var approvedAt: Date
    /// With several signers: this signer's position (1-based) and how many sign.
    public var position = 1
    public var signerCount = 1
    /// From the second signer on: the document as the previous signer left
    /// it, which this signer signs in an incremental update under its token.
    public var continuation: Continuation?
    /// The signature field the requester chose for this signer, if any.
    public var field: SignatureFieldChoice?
    /// For the first of several signers: the fields chosen for the others
    /// (positions 2…; nil: placed automatically), reserved when signer 1 signs.
    public var laterFields: [SignatureFieldChoice?] = []

    public struct SignatureFieldChoice: Sendable, Hashable {
        public var page: Int?
        public var x: Double?
        public var y: Double?
        public var size: Double?

        public init(page: Int?, x: Double? = nil, y: Double? = nil, size: Double? = nil) {
            self.page = page
            self.x = x
            self.y = y
            self.size = size
        }
    }

    public struct Continuation: Sendable, Hashable {
        public var token: String
        public var fileURL: URL
        public var sha256: String
    }
}
