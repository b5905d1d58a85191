import Foundation
import Hashing
import GRDB

extension Registry {
    /// Appends a `signature_verification_logs` row. The document signature is
    /// found by token, else by the file's hash matching a signed PDF's
    /// `final_hash`; an unknown document is logged without links.
    @discardableResult
    public func logVerification(_ input: VerificationInput) throws -> VerificationLogEntry {
        let fileHash = try input.fileSHA256.map { try Validate.sha256($0, "the verified file's hash") }
        let token = Validate.optional(input.token)
        return try write("log a verification") { db in
            var signature: DocumentSignature?
            if let token {
                signature = try DocumentSignature.filter(Column("token") == token).fetchOne(db)
            }
            if signature == nil, let fileHash {
                signature = try DocumentSignature.filter(Column("final_hash") == fileHash)
                    .order(Column("id")).fetchOne(db)
            }
            let request = try signature.flatMap { try ApprovalRequest.fetchOne(db, key: $0.approvalRequestID) }
            let entry = VerificationLogEntry(
                id: try Registry.nextID(db, table: VerificationLogEntry.databaseTableName),
                documentSignatureID: signature?.id, approvalRequestID: request?.id, userID: request?.userID,
                verificationMethod: input.method, verificationTokenHash: token.map { Digest.hex(Digest.sha256(Data($0.utf8))) },
                isValid: input.isValid, resultStatus: input.resultStatus, metadata: input.metadata,
                fileSHA256: fileHash, verdict: input.verdict, verifiedAt: now)
            try entry.insert(db)
            return entry
        }
    }

    /// Verification log rows, newest first; for one document when `token` is given.
    public func verificationLogs(token: String? = nil, limit: Int? = nil) throws -> [VerificationLogEntry] {
        try read("list verifications") { db in
            var query = VerificationLogEntry.order(Column("id").desc)
            if let token {
                let signature = try Lookup.signature(db, token: token)
                query = query.filter(Column("document_signature_id") == signature.id)
            }
            if let limit { query = query.limit(limit) }
            return try query.fetchAll(db)
        }
    }
}
