import Foundation
import GRDB

/// One verification run on the authority machine (seed ERD §3.6
/// `signature_verification_logs`, without ip/user agent/referrer), plus the
/// checked file's hash and the verifier's verdict.
public struct VerificationLogEntry: RegistryRecord, Identifiable {
    public static let databaseTableName = "signature_verification_logs"

    public internal(set) var id: Int64
    public internal(set) var documentSignatureID: Int64?
    public internal(set) var approvalRequestID: Int64?
    public internal(set) var userID: Int64?
    public internal(set) var verificationMethod: VerificationMethod
    /// SHA-256 of the token, never the token itself (the seed's privacy rule).
    public internal(set) var verificationTokenHash: String?
    public internal(set) var isValid: Bool
    public internal(set) var resultStatus: VerificationResultStatus
    public internal(set) var metadata: Metadata?
    public internal(set) var fileSHA256: String?
    public internal(set) var verdict: VerificationVerdict?
    public internal(set) var verifiedAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case documentSignatureID = "document_signature_id"
        case approvalRequestID = "approval_request_id"
        case userID = "user_id"
        case verificationMethod = "verification_method"
        case verificationTokenHash = "verification_token_hash"
        case isValid = "is_valid"
        case resultStatus = "result_status"
        case metadata
        case fileSHA256 = "file_sha256"
        case verdict
        case verifiedAt = "verified_at"
    }
}
