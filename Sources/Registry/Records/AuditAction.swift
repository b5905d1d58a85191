import GRDB

/// `signature_audit_logs.action`: the seed's action constants (ERD §3.7)
/// plus the request and people steps that segel records in the same chain.
public enum AuditAction: String, Codable, Sendable, Hashable, CaseIterable, DatabaseValueConvertible {
    case signatureInitiated = "signature_initiated"
    case documentSigned = "document_signed"
    case signatureVerified = "signature_verified"
    case signatureInvalidated = "signature_invalidated"
    case verificationTokenRegenerated = "verification_token_regenerated"
    case signatureKeyGenerated = "signature_key_generated"
    case signatureKeyRevoked = "signature_key_revoked"
    case signatureKeyExpired = "signature_key_expired"
    case signingFailed = "signing_failed"
    case requestSubmitted = "request_submitted"
    case requestResubmitted = "request_resubmitted"
    case requestApproved = "request_approved"
    case requestRejected = "request_rejected"
    case userCreated = "user_created"
    case approverCreated = "approver_created"
    case authorityInitialized = "authority_initialized"
    case caRenewed = "ca_renewed"
    case groupCreated = "group_created"
}
