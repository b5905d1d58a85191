import Foundation
import GRDB
import Record

/// One fixed state of the registry for the length of a publish: every
/// published document's summary first, then whichever documents must be read
/// whole, all from the same snapshot however long the publish takes between
/// the two (a registrar may sign meanwhile).
public final class PublishedSnapshot: Sendable {
    private let snapshot: DatabaseSnapshot
    private let path: String
    private let waitLimit: TimeInterval

    init(snapshot: DatabaseSnapshot, path: String, waitLimit: TimeInterval) {
        self.snapshot = snapshot
        self.path = path
        self.waitLimit = waitLimit
    }

    private func read<T>(_ doing: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try snapshot.read(body)
        } catch {
            throw Registry.translate(error, path: path, waitLimit: waitLimit, doing: doing)
        }
    }

    /// Every published document (`DocumentSignature.publishedCondition`:
    /// what `documents(ids:)` reads and the portal shows), in id
    /// order, read column by column. A document without its request or
    /// without a key is refused, as when it is read whole.
    public func summaries() throws -> [PublishedDocumentSummary] {
        try read("list published documents") { db in
            var keys: [Int64: [PublishedDocumentSummary.Key]] = [:]
            let keyRows = try Row.fetchCursor(db, sql: """
                SELECT k.document_signature_id, k.signature_id, k.serial_hex, k.status
                FROM digital_signatures k JOIN document_signatures s ON s.id = k.document_signature_id
                WHERE \(DocumentSignature.publishedCondition(alias: "s"))
                ORDER BY k.document_signature_id, k.\(DigitalSignature.stepColumns.position)
                """)
            while let row = try keyRows.next() {
                let signatureID: String = row[1]
                guard let status = KeyStatus(rawValue: row[3]) else {
                    throw RegistryError(.integrity, "key \(signatureID) has an unknown status")
                }
                keys[row[0], default: []].append(.init(signatureID: signatureID, serialHex: row[2], status: status))
            }
            var summaries: [PublishedDocumentSummary] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT s.id, s.token, s.change_stamp, s.final_hash, s.signed_at, s.public_status,
                       s.verification_url, r.document_type, r.id
                FROM document_signatures s LEFT JOIN approval_requests r ON r.id = s.approval_request_id
                WHERE \(DocumentSignature.publishedCondition(alias: "s"))
                ORDER BY s.id
                """)
            while let row = try rows.next() {
                let id: Int64 = row[0], token: String = row[1], signedAt: String = row[4]
                guard let documentKeys = keys[id], row[8] as Int64? != nil else {
                    throw RegistryError(.integrity, "the signature with token \(token) lacks its request or key")
                }
                guard let date = Timestamp.date(from: signedAt) else {
                    throw RegistryError(.integrity, "the signature with token \(token) has a signed_at that is not a timestamp")
                }
                guard let status = PublicStatus(rawValue: row[5]) else {
                    throw RegistryError(.integrity, "the signature with token \(token) has an unknown public status")
                }
                summaries.append(PublishedDocumentSummary(
                    id: id, token: token, changeStamp: row[2], finalHash: row[3], signedAt: date, status: status,
                    documentType: ApprovalRequest.publishedType(row[7]), verificationURL: row[6], keys: documentKeys))
            }
            return summaries
        }
    }

    /// The published documents whose `document_signatures.id` is in `ids`
    /// (every one when nil), in id order, read whole.
    public func documents(ids: Set<Int64>?) throws -> [PublishedDocument] {
        try read("read published documents") { db in try Registry.publishedDocuments(db, ids: ids) }
    }

    /// Time of the latest change to any record (`Registry.lastChangeAt`), in this snapshot.
    public func lastChangeAt() throws -> Date? {
        try read("read the audit log") { db in try Registry.lastChangeAt(db) }
    }
}

extension Registry {
    /// A snapshot of the registry as it is now; whatever is read afterwards,
    /// elsewhere, is no older.
    public func publishedSnapshot() throws -> PublishedSnapshot {
        do {
            return PublishedSnapshot(snapshot: try pool.makeSnapshot(), path: databaseURL.path, waitLimit: waitLimit)
        } catch {
            throw Registry.translate(error, path: databaseURL.path, waitLimit: waitLimit, doing: "read the registry")
        }
    }
}
