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
        self.signedAt = signedAt
        status = signature.publicStatus
        statusReason = signature.publicStatusReason
        statusDate = signature.publicStatusAt
        asOf = published.asOf
        verificationURL = signature.verificationURL(baseURL: baseURL)
        address = signature.address(baseURL: baseURL)
    }

    /// Each signer's issuance entry in the log (`PublishedDocumentSummary.signatureLogIndexes`).
    func signatureLogIndexes(_ bySerial: [String: Int]) -> [Int?] {
        PublishedDocumentSummary.signatureLogIndexes(serials: published.keys.map(\.serialHex), bySerial)
    }
}

extension PublishedDocumentSummary {
    /// Each signer's issuance entry in the log, in signing order, from the
    /// entries by certificate serial; empty for a document with one signer
    /// (its entry is the record's own `log`).
    static func signatureLogIndexes(serials: [String], _ bySerial: [String: Int]) -> [Int?] {
        guard serials.count > 1 else { return [] }
        return serials.map { bySerial[$0.lowercased()] }
    }

    /// How many hash index entries the document has: `indexKeys` without the hashing.
    var indexEntryCount: Int { 1 + lookupCodes.count }

    /// The signed PDF's SHA-256 as bytes; nil when the registry's text is not
    /// hex (`readRegistry` refuses that, and anything but 32 bytes).
    var fileHash: Data? { Digest.data(fromHex: finalHash.lowercased()) }

    /// The document's hash index entries: under its file's hash (its
    /// SHA-256; `readRegistry` refused anything else), and under each signer's lookup code.
    var indexKeys: [(id: String, fileHash: Data)] {
        let fileHash = self.fileHash ?? Data()
        var keys = [(HashIndex.id(fileHash: fileHash), fileHash)]
        for code in lookupCodes {
            let codeHash = HashIndex.codeHash(code)
            keys.append((HashIndex.id(fileHash: codeHash), codeHash))
        }
        return keys
    }
}
