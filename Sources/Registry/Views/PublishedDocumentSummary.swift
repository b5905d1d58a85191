import Foundation
import Record

/// What a publish needs of every published document without reading it
/// whole: the facts the hash index, the statistics and the file names are
/// made of, and the document's change stamp (schema v6), which changes
/// whenever any record its published files show changes. Documents whose
/// stamp a site already recorded are not read again (`PublishedSnapshot`).
public struct PublishedDocumentSummary: Sendable, Hashable {
    /// One signer's key, in signing order.
    public struct Key: Sendable, Hashable {
        public var signatureID: String
        public var serialHex: String
        public var status: KeyStatus
    }

    /// `document_signatures.id`.
    public var id: Int64
    public var token: String
    public var changeStamp: Int64
    /// SHA-256 of the signed PDF as the registry holds it (not necessarily lowercase).
    public var finalHash: String
    public var signedAt: Date
    public var status: PublicStatus
    /// The document type as recorded; nil when none was given (an empty text counts as none).
    public var documentType: String?
    /// The address a stamp printed, when the registry recorded one.
    public var verificationURL: String?
    public var keys: [Key]

    /// The lookup codes the document's stamps print, one per signer.
    public var lookupCodes: [LookupCode] { keys.compactMap { LookupCode(signatureID: $0.signatureID) } }

    /// Where the document's files sit in the site published at `baseURL`.
    public func address(baseURL: String) -> DocumentAddress {
        DocumentAddress(token: token, verificationURL: verificationURL, baseURL: baseURL)
    }
}

extension ApprovalRequest {
    /// A document type as the site shows it: nil when none was given (an empty text counts as none).
    public static func publishedType(_ recorded: String?) -> String? { recorded.flatMap { $0.isEmpty ? nil : $0 } }
}

extension PublishedDocument {
    /// The summary of a document read whole (what `PublishedSnapshot.summaries`
    /// reads column by column), given its change stamp; nil for a signature
    /// never completed. The two are compared in the tests.
    public func summary(changeStamp: Int64) -> PublishedDocumentSummary? {
        guard let finalHash = signature.finalHash, let signedAt = signature.signedAt else { return nil }
        return PublishedDocumentSummary(
            id: signature.id, token: signature.token, changeStamp: changeStamp, finalHash: finalHash,
            signedAt: signedAt, status: signature.publicStatus,
            documentType: ApprovalRequest.publishedType(request.documentType),
            verificationURL: signature.verificationURL,
            keys: keys.map { .init(signatureID: $0.signatureID, serialHex: $0.serialHex, status: $0.status) })
    }
}
