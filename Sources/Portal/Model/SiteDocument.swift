import Foundation
import PKI
import Record
import Registry

/// One signed document as the site shows it: the registry's records plus
/// what the portal derives from them (status, dates, hashes).
final class SiteDocument: Sendable {
    let published: PublishedDocument
    let token: String
    let status: PublicStatus
    let statusReason: String?
    let statusDate: Date?
    /// SHA-256 of the signed PDF, lowercase hex.
    let sha256: String
    /// The same hash as bytes; not 32 of them when the registry's text is not a SHA-256 (`readRegistry` refuses that).
    let fileHash: Data
    let signedAt: Date
    /// The latest change to any record this document's files show (signature,
    /// request, key, requester, signer). Its page and JSON say "as of" this
    /// time: it is the time of the latest registry change as far as this
    /// document is concerned, and it keeps an unrelated change from rewriting
    /// every page of the site.
    let asOf: Date
    let verificationURL: String
    /// Where the document's files sit (`DocumentAddress`).
    let address: DocumentAddress
    /// The lookup codes its stamps print, one per signer: each is an entry
    /// of the hash index beside the file's hash (read once: the index's size
    /// and the index itself both need them).
    let lookupCodes: [LookupCode]

    var signature: DocumentSignature { published.signature }
    var request: ApprovalRequest { published.request }
    var key: DigitalSignature { published.key }

    /// Builds the view of one document; nil for a signature that was never
    /// completed (no signed file), which has nothing to publish.
    init?(_ published: PublishedDocument, baseURL: String) {
        let signature = published.signature
        guard let finalHash = signature.finalHash, let signedAt = signature.signedAt else { return nil }
        self.published = published
        token = signature.token
        sha256 = finalHash.lowercased()
        fileHash = Digest.data(fromHex: sha256) ?? Data()
        self.signedAt = signedAt
        status = signature.publicStatus
        statusReason = signature.publicStatusReason
        statusDate = signature.publicStatusAt
        asOf = published.asOf
        verificationURL = signature.verificationURL(baseURL: baseURL)
        address = signature.address(baseURL: baseURL)
        lookupCodes = published.keys.compactMap { LookupCode(signatureID: $0.signatureID) }
    }

    /// Each signer's issuance entry in the log, in signing order, from the
    /// entries by certificate serial; empty for a document with one signer
    /// (its entry is the record's own `log`).
    func signatureLogIndexes(_ bySerial: [String: Int]) -> [Int?] {
        let keys = published.keys
        guard keys.count > 1 else { return [] }
        return keys.map { bySerial[$0.serialHex.lowercased()] }
    }
}
