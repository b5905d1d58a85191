import GRDB

/// `signature_verification_logs.result_status` (seed ERD §3.6).
public enum VerificationResultStatus: String, Codable, Sendable, Hashable, CaseIterable, DatabaseValueConvertible {
    case success
    case failed
    case expired
    case invalid
    case notFound = "not_found"
}
