import Foundation
import Record

/// One signed document with every record the portal renders for it.
public struct PublishedDocument: Sendable, Hashable {
    public var signature: DocumentSignature
    public var request: ApprovalRequest
    public var user: User
    /// The approver named in the last certificate (`document_signatures.signed_by`).
    public var signer: Approver
    /// The version whose hash was approved and signed.
    public var approvedVersion: DocumentVersion
    /// Every signer's key in signing order (one for most documents), and the
    /// approver each certificate names, in the same order.
    public var keys: [DigitalSignature]
    public var signers: [Approver]

    /// The last signer's key: its signature covers the whole file.
    /// (Inlinable, so that reading one of its fields elsewhere does not copy the whole key.)
    @inlinable public var key: DigitalSignature { keys[keys.count - 1] }

    /// The latest change to any record this document's files show (signature,
    /// request, key, requester, signer): its page and record say "as of" this
    /// time, so an unrelated change does not rewrite every page of the site.
    public var asOf: Date {
        var latest = max(signature.updatedAt, request.updatedAt, user.updatedAt, signer.updatedAt)
        for key in keys where key.updatedAt > latest { latest = key.updatedAt }
        for approver in signers where approver.updatedAt > latest { latest = approver.updatedAt }
        return latest
    }
}

extension DigitalSignature {
    /// A signer's state as the portal lists it beside the document's status:
    /// "revoked" once the certificate is, else "signed".
    public var signerState: String { status == .revoked ? "revoked" : "signed" }
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
                                   type: ApprovalRequest.publishedType(published.request.documentType),
                                   requesterName: published.user.name),
            signer: SignerInfo(name: published.signer.name,
                               title: published.signer.title.flatMap { $0.isEmpty ? nil : $0 }),
            asOf: published.asOf)
        if published.keys.count > 1 {
            signatures = zip(published.keys, published.signers).map { key, approver in
                SignatureEntry(
                    position: key.signerPosition, signatureID: key.signatureID, signedAt: key.signedAt ?? signedAt,
                    signer: SignerInfo(name: approver.name, title: approver.title.flatMap { $0.isEmpty ? nil : $0 }),
                    certificate: CertificateIdentity(
                        serial: key.serialHex.lowercased(),
                        fingerprintSHA256: key.certificateSummary?.fingerprintSHA256.lowercased() ?? "",
                        notBefore: ISOTime.string(from: key.validFrom), notAfter: ISOTime.string(from: key.validUntil),
                        issuer: key.certificateSummary?.issuer ?? "", subject: key.certificateSummary?.subject ?? ""),
                    sha256: (key.signedHash ?? finalHash).lowercased())
            }
        }
    }
}
