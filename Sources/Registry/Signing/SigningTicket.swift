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
}
