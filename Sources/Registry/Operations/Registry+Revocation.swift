import Foundation
import GRDB
import Record

/// Invalidation and key revocation keep three records in step, because a
/// verifier may look at any one of them: the document signature becomes
/// `invalid`, the request `invalid_sign`, and the key `revoked` so that the
/// certificate's serial appears in the CRL. Both entry points do all three;
/// they differ only in which record the user named and which reason leads.
extension Registry {
    /// Invalidates a signed document (`segel invalidate TOKEN --reason S`).
    /// Its keys (one per signer) are revoked with the same reason.
    @discardableResult
    public func invalidate(token: String, reason: String) throws -> DocumentSignature {
        let reason = try Validate.text(reason, "the invalidation reason")
        return try write("invalidate the signature with token \(token)") { db in
            let time = now
            let stored = try Lookup.signature(db, token: token)
            if stored.signatureStatus == .pending {
                // Partly signed: void it and send the request back, as a rejection does.
                return try voidPartlySigned(db, stored, act: .invalidateDocument, reason: reason, at: time)
            }
            let signature = Self.acted(.invalidateDocument, on: stored, reason: reason, at: time)
            let invalidated = try invalidateSignature(db, signature, reason: reason, at: time)
            for key in try Lookup.keys(db, of: signature) where Workflow.allows(.revoke, from: key.status) {
                try revoke(db, key, reason: reason, at: time)
            }
            return invalidated
        }
    }

    /// Revokes a key (`segel keys revoke SIG-ID --reason S`). A document whose
    /// key is revoked must not verify as valid, so its signature is
    /// invalidated too (reason: "key SIG-… revoked: <reason>").
    @discardableResult
    public func revokeKey(signatureID: String, reason: String) throws -> DigitalSignature {
        let reason = try Validate.text(reason, "the revocation reason")
        return try write("revoke key \(signatureID)") { db in
            let key = try Lookup.key(db, signatureID: signatureID)
            let time = now
            if let stored = try DocumentSignature.fetchOne(db, key: key.documentSignatureID), stored.signatureStatus == .pending {
                // A key of a partly signed document: the document is void, every signer's key revoked.
                _ = try voidPartlySigned(db, stored, act: .revokeKey, reason: "key \(key.signatureID) revoked: \(reason)",
                                         at: time, keyReason: (key.id, reason))
                return try Lookup.key(db, signatureID: signatureID)
            }
            let revoked = try revoke(db, key, reason: reason, at: time)
            if let stored = try DocumentSignature.fetchOne(db, key: key.documentSignatureID) {
                let signature = Self.acted(.revokeKey, on: stored, reason: reason, at: time)
                if Workflow.allows(.invalidate, from: signature.signatureStatus) {
                    _ = try invalidateSignature(db, signature, reason: "key \(key.signatureID) revoked: \(reason)", at: time)
                } else if signature.publicStatus != stored.publicStatus {
                    try signature.updateRow(db)
                }
            }
            return revoked
        }
    }

    /// Marks a signature `verified` after the first successful verification on
    /// the authority machine. Already `verified` is left as is (no new audit
    /// row); `invalid` or `pending` is refused.
    @discardableResult
    public func markVerified(token: String) throws -> DocumentSignature {
        try write("mark the signature with token \(token) verified") { db in
            var signature = try Lookup.signature(db, token: token)
            if signature.signatureStatus == .verified { return signature }
            let from = signature.signatureStatus
            signature.signatureStatus = try Workflow.check(.verify, signature: signature)
            let time = now
            signature.updatedAt = time
            try signature.updateRow(db)
            let request = try Lookup.request(db, signature.approvalRequestID)
            try AuditChain.append(db, AuditEvent(
                action: .signatureVerified,
                description: "Signature of request \(request.id) verified for the first time",
                requestID: request.id, documentSignatureID: signature.id, userID: request.userID,
                statusFrom: from.rawValue, statusTo: signature.signatureStatus.rawValue), actor: actor, at: time)
            return signature
        }
    }

    /// Moves every active key whose `valid_until` is before `now` to
    /// `expired`, one audit row each; returns the keys it changed.
    @discardableResult
    public func expireKeys(now: Date) throws -> [DigitalSignature] {
        let cutoff = Timestamp.normalized(now)
        return try write("expire keys") { db in
            let due = try DigitalSignature
                .filter(Column("status") == KeyStatus.active.rawValue && Column("valid_until") < cutoff.databaseText)
                .order(Column("id")).fetchAll(db)
            let time = self.now
            var changed: [DigitalSignature] = []
            for var key in due {
                let from = key.status
                key.status = try Workflow.check(.expire, key: key)
                key.updatedAt = time
                try key.updateRow(db)
                let signature = try DocumentSignature.fetchOne(db, key: key.documentSignatureID)
                try AuditChain.append(db, AuditEvent(
                    action: .signatureKeyExpired,
                    description: "Key \(key.signatureID) expired on \(key.validUntil.databaseText)",
                    requestID: signature?.approvalRequestID, documentSignatureID: key.documentSignatureID,
                    userID: key.userID, statusFrom: from.rawValue, statusTo: key.status.rawValue,
                    metadata: ["signature_id": key.signatureID, "valid_until": key.validUntil.databaseText]),
                    actor: actor, at: time)
                changed.append(key)
            }
            return changed
        }
    }

    /// The signature with its public status after `act` (``PublicStatus/after(_:)``);
    /// the act that names the status gives its reason and time.
    @discardableResult
    static func acted(_ act: PublicStatus.Act, on signature: DocumentSignature, reason: String,
                              at time: Date) -> DocumentSignature {
        var signature = signature
        let status = signature.publicStatus.after(act)
        guard status != signature.publicStatus else { return signature }
        signature.publicStatus = status
        signature.publicStatusReason = reason
        signature.publicStatusAt = time
        return signature
    }

    private func invalidateSignature(_ db: Database, _ signature: DocumentSignature, reason: String,
                                     at time: Date) throws -> DocumentSignature {
        var signature = signature
        var request = try Lookup.request(db, signature.approvalRequestID)
        let signatureFrom = signature.signatureStatus
        let requestFrom = request.status
        signature.signatureStatus = try Workflow.check(.invalidate, signature: signature)
        request.status = try Workflow.check(.invalidate, request: request)
        signature.invalidatedReason = reason
        signature.invalidatedAt = time
        signature.updatedAt = time
        try signature.updateRow(db)
        request.updatedAt = time
        try request.updateRow(db)
        try AuditChain.append(db, AuditEvent(
            action: .signatureInvalidated,
            description: "Signature of request \(request.id) invalidated: \(reason)",
            requestID: request.id, documentSignatureID: signature.id, userID: request.userID,
            statusFrom: signatureFrom.rawValue, statusTo: signature.signatureStatus.rawValue,
            metadata: ["reason": reason, "request_status_from": requestFrom.rawValue,
                       "request_status_to": request.status.rawValue]), actor: actor, at: time)
        return signature
    }

    @discardableResult
    func revoke(_ db: Database, _ key: DigitalSignature, reason: String,
                        at time: Date) throws -> DigitalSignature {
        var key = key
        let from = key.status
        key.status = try Workflow.check(.revoke, key: key)
        key.revokedReason = reason
        key.revokedAt = time
        key.updatedAt = time
        try key.updateRow(db)
        let signature = try DocumentSignature.fetchOne(db, key: key.documentSignatureID)
        try AuditChain.append(db, AuditEvent(
            action: .signatureKeyRevoked,
            description: "Key \(key.signatureID) revoked: \(reason)",
            requestID: signature?.approvalRequestID, documentSignatureID: key.documentSignatureID,
            userID: key.userID, statusFrom: from.rawValue, statusTo: key.status.rawValue,
            metadata: ["signature_id": key.signatureID, "serial_hex": key.serialHex, "reason": reason]),
            actor: actor, at: time)
        return key
    }
}
