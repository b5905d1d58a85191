import Foundation
import GRDB

/// What the public issuance log records (README "The issuance log"): every
/// issuance and status change, in the order of the hash-chained audit log
/// that recorded it, with the facts it names as they were at that moment.
public struct IssuanceEvent: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case documentSigned, documentInvalidated, keyRevoked, caRenewed
    }

    public let auditID: Int64
    public let kind: Kind
    public let time: Date
    public let token: String?
    /// SHA-256 of the signed PDF, lowercase hex.
    public let sha256: String?
    public let serialHex: String?
    /// SHA-256 of the certificate's DER (the document's, or the new CA's), lowercase hex.
    public let fingerprintSHA256: String
    public let reason: String?
}

extension Registry {
    /// How many issuance events there are (one query, for deciding early whether the log grew).
    public func issuanceEventCount() throws -> Int {
        try read("count the issuance events") { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM signature_audit_logs
                WHERE action IN ('\(AuditAction.documentSigned.rawValue)', '\(AuditAction.signatureInvalidated.rawValue)',
                                 '\(AuditAction.signatureKeyRevoked.rawValue)', '\(AuditAction.caRenewed.rawValue)')
                """) ?? 0
        }
    }

    /// Every issuance event, oldest first: one query joining each audit entry
    /// of the four kinds with its document's token, hash and certificate. With
    /// several signers, each signature is an event of its own (the key its
    /// audit entry names, the file's hash right after it); an invalidation
    /// names the last signer's certificate.
    public func issuanceEvents() throws -> [IssuanceEvent] {
        let actions: [AuditAction] = [.documentSigned, .signatureInvalidated, .signatureKeyRevoked, .caRenewed]
        let fingerprintColumn = DigitalSignature.summaryColumns.fingerprint
        return try read("list the issuance events") { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT a.id, a.action, a.performed_at, a.metadata, s.token,
                       CASE WHEN a.action = '\(AuditAction.documentSigned.rawValue)'
                            THEN COALESCE(k.signed_hash, s.final_hash) ELSE s.final_hash END,
                       k.serial_hex, k.\(fingerprintColumn)
                FROM signature_audit_logs a
                LEFT JOIN document_signatures s ON s.id = a.document_signature_id
                LEFT JOIN digital_signatures k ON k.id = COALESCE(
                    (SELECT n.id FROM digital_signatures n
                      WHERE n.signature_id = json_extract(a.metadata, '$.signature_id')
                        AND n.document_signature_id = a.document_signature_id),
                    (SELECT n.id FROM digital_signatures n WHERE n.document_signature_id = a.document_signature_id
                      ORDER BY n.signer_position DESC LIMIT 1))
                WHERE a.action IN (\(actions.map { "'\($0.rawValue)'" }.joined(separator: ",")))
                ORDER BY a.id
                """)
            var events: [IssuanceEvent] = []
            var positions: ColumnPositions?
            while let row = try rows.next() {
                if positions == nil { positions = ColumnPositions(row) }
                let columns = ColumnReader(row, positions: positions)
                let id: Int64 = row[0]
                let action = AuditAction(rawValue: row[1]) ?? .caRenewed
                let time = try columns.timestamp("performed_at")
                // Only a CA renewal's fingerprint and a status change's reason come from the metadata.
                let metadata = action == .documentSigned ? nil : try columns.metadata("metadata")
                if action == .caRenewed {
                    guard let fingerprint = metadata?["fingerprint_sha256"] else {
                        throw RegistryError(.integrity, "audit entry \(id) records a CA renewal without its fingerprint")
                    }
                    events.append(IssuanceEvent(auditID: id, kind: .caRenewed, time: time, token: nil, sha256: nil,
                                                serialHex: nil, fingerprintSHA256: fingerprint.lowercased(), reason: nil))
                    continue
                }
                guard let token: String = row[4], let finalHash: String = row[5], let serial: String = row[6],
                      let fingerprint: String = row[7] else {
                    throw RegistryError(.integrity, "audit entry \(id) (\(action.rawValue)) names no complete signed document")
                }
                let kind: IssuanceEvent.Kind = switch action {
                case .documentSigned: .documentSigned
                case .signatureInvalidated: .documentInvalidated
                default: .keyRevoked
                }
                events.append(IssuanceEvent(auditID: id, kind: kind, time: time, token: token,
                                            sha256: finalHash.lowercasedHex, serialHex: serial.lowercasedHex,
                                            fingerprintSHA256: fingerprint.lowercasedHex,
                                            reason: kind == .documentSigned ? nil : metadata?["reason"]))
            }
            return events
        }
    }
}

extension String {
    /// Lower-case hex as the log writes it: the string itself when it has no capital letter (as stored), else a lower-cased copy.
    var lowercasedHex: String {
        utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) ? lowercased() : self
    }
}
