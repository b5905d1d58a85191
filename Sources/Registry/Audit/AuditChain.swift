import Foundation
import Hashing
import GRDB

/// The hash chain over `signature_audit_logs`.
///
/// `row_hash = SHA-256(canonical(row))`, where the canonical form lists the
/// row's id, `prev_hash` and every content column in a fixed order, each
/// value typed and length-prefixed so no two rows serialise alike:
///
/// ```
/// segel-audit-v1\n
/// id=i:7\n  prev_hash=t:64:…\n  … description=t:12:Dokumen sah\n  metadata=null\n …
/// ```
///
/// `prev_hash` is the previous row's `row_hash` (64 zeros for the first row).
/// Ids come from AUTOINCREMENT and are never reused, so a deleted row leaves a
/// gap, and deleting the last rows leaves `sqlite_sequence` ahead of the last
/// id. An attacker who rewrites every later row and `sqlite_sequence` too is
/// caught only by comparing the head hash with a copy kept elsewhere.
enum AuditChain {
    static let table = "signature_audit_logs"
    static let genesis = String(repeating: "0", count: 64)
    static let hashedColumns = [
        "id", "prev_hash", "document_signature_id", "approval_request_id", "user_id", "approver_id",
        "action", "status_from", "status_to", "description", "metadata", "actor", "performed_at",
    ]

    /// Appends one row inside the caller's write transaction. Reading the last
    /// row's hash here, under the write lock, is what keeps two processes from
    /// forking the chain.
    ///
    /// `previous` is the row the caller appended last in this same transaction
    /// (nothing appended since): the chain's tail is then known and not read.
    @discardableResult
    static func append(_ db: Database, _ event: AuditEvent, actor: String, at time: Date,
                       after previous: AuditLogEntry? = nil) throws -> AuditLogEntry {
        let lastID: Int64, sequence: Int64, lastHash: String?
        if let previous {
            // Inserting an explicit id into an AUTOINCREMENT table raises sqlite_sequence to it.
            (lastID, sequence, lastHash) = (previous.id, previous.id, previous.rowHash)
        } else {
            // One statement: the last row's id and hash, and AUTOINCREMENT's high-water mark.
            let last = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT last.id, last.row_hash, (SELECT seq FROM sqlite_sequence WHERE name = ?) AS seq
                FROM (SELECT 1) LEFT JOIN (SELECT id, row_hash FROM \(table) ORDER BY id DESC LIMIT 1) AS last
                """), arguments: [table])
            (lastID, sequence, lastHash) = (last?["id"] ?? 0, last?["seq"] ?? 0, last?["row_hash"])
        }
        var entry = AuditLogEntry(
            id: max(lastID, sequence) + 1,
            documentSignatureID: event.documentSignatureID,
            approvalRequestID: event.requestID,
            userID: event.userID,
            approverID: event.approverID,
            action: event.action,
            statusFrom: event.statusFrom,
            statusTo: event.statusTo,
            description: event.description,
            metadata: event.metadata,
            actor: actor,
            performedAt: time,
            prevHash: lastHash ?? genesis,
            rowHash: "")
        var columns = entry.columns()
        var values: [String: DatabaseValue] = [:]
        for column in columns { values[column.name] = column.value?.databaseValue ?? .null }
        entry.rowHash = try hash(of: values)
        guard let rowHash = columns.firstIndex(where: { $0.name == AuditLogEntry.CodingKeys.rowHash.rawValue }) else {
            throw RegistryError(.integrity, "the audit row has no row_hash column")
        }
        columns[rowHash].value = entry.rowHash
        try entry.insertRow(db, columns: columns)
        return entry
    }

    /// SHA-256 of the canonical form of a row given as column → value.
    static func hash(of values: [String: DatabaseValue]) throws -> String {
        let hasher = SHA256Hasher()
        hasher.update("segel-audit-v1\n")
        for column in hashedColumns {
            guard let value = values[column] else {
                throw RegistryError(.integrity, "the audit row has no \(column) column")
            }
            hasher.update(column + "=" + canonical(value) + "\n")
        }
        return Digest.hex(hasher.finalize())
    }

    private static func canonical(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: "null"
        case .int64(let number): "i:\(number)"
        case .double(let number): "r:\(number)"
        case .string(let text): "t:\(text.utf8.count):\(text)"
        case .blob(let data): "b:" + Digest.hex(data)
        }
    }

    /// Walks the whole log in id order and stops at the first fault.
    static func verify(_ db: Database) throws -> AuditChainReport {
        let columns = (hashedColumns + ["row_hash"]).joined(separator: ", ")
        let rows = try Row.fetchCursor(db, sql: "SELECT \(columns) FROM \(table) ORDER BY id")
        var previousID: Int64 = 0
        var previousHash = genesis
        var count = 0
        func report(_ id: Int64?, _ problem: AuditChainReport.Problem?, _ message: String) -> AuditChainReport {
            AuditChainReport(rowsChecked: count, headHash: count == 0 ? nil : previousHash,
                             firstBadRowID: id, problem: problem, message: message)
        }
        while let row = try rows.next() {
            let id: Int64 = row["id"]
            var values: [String: DatabaseValue] = [:]
            for column in hashedColumns { values[column] = row[column] }
            let storedHash: String = row["row_hash"] ?? ""
            let prevHash: String = row["prev_hash"] ?? ""
            count += 1
            if try hash(of: values) != storedHash {
                return report(id, .contentEdited,
                    "audit row \(id) was altered: its content no longer matches its row_hash")
            }
            if id != previousID + 1 {
                let missing = span(previousID + 1, id - 1)
                let before = previousID == 0 ? "the start of the log" : "row \(previousID)"
                return report(previousID + 1, .rowDeleted,
                    "audit \(missing) missing: deleted from the log (row \(id) comes right after \(before))")
            }
            if prevHash != previousHash {
                let previous = previousID == 0 ? "the genesis value" : "row \(previousID)'s row_hash"
                return report(id, .chainBroken,
                    "audit row \(id) does not chain to the row before it: its prev_hash is not \(previous)")
            }
            previousID = id
            previousHash = storedHash
        }
        let sequence = try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM sqlite_sequence WHERE name = ?"),
                                          arguments: [table]) ?? 0
        if sequence > previousID {
            return report(previousID + 1, .rowDeleted,
                "audit \(span(previousID + 1, sequence)) missing: deleted from the end of the log")
        }
        return report(nil, nil, count == 1 ? "the audit log's only row is intact"
                                            : "the audit log's \(count) rows are intact")
    }

    /// "row 3 is" or "rows 3–5 are".
    private static func span(_ first: Int64, _ last: Int64) -> String {
        first == last ? "row \(first) is" : "rows \(first)–\(last) are"
    }
}
