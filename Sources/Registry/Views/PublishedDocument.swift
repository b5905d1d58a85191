import Foundation
import Record

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

    /// The latest change to any record this document's files show (signature,
    /// request, key, requester, signer): its page and record say "as of" this
    /// time, so an unrelated change does not rewrite every page of the site.
    public var asOf: Date {
        [signature.updatedAt, request.updatedAt, key.updatedAt, user.updatedAt, signer.updatedAt].max()!
    }
}

extension PublishedRecord {
    /// The published record of `published`: what the portal writes for it and
    /// what `segel verify` compares a file with, built the same way for both.
    /// Nil for a signature never completed (no signed file).
    public init?(_ published: PublishedDocument, certificate: CertificateIdentity) {
        let signature = published.signature
        guard let finalHash = signature.finalHash, let signedAt = signature.signedAt else { return nil }
        self.init(
            token: signature.token, status: signature.publicStatus,
            statusReason: signature.publicStatusReason, statusDate: signature.publicStatusAt,
            sha256: finalHash.lowercased(), signatureID: published.key.signatureID, signedAt: signedAt,
            certificate: certificate,
            document: DocumentInfo(name: published.request.documentName,
                                   type: published.request.documentType.flatMap { $0.isEmpty ? nil : $0 },
                                   requesterName: published.user.name),
            signer: SignerInfo(name: published.signer.name,
                               title: published.signer.title.flatMap { $0.isEmpty ? nil : $0 }),
            asOf: published.asOf)
    }
}
