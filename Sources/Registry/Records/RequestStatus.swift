import GRDB

/// Status of an approval request (seed ERD §3.3, `approval_requests.status`).
///
/// The seed's `user_signed` step does not exist here: the authority signs on
/// the requester's behalf, so an approved request goes straight to
/// `sign_approved`. Allowed steps are listed in `Workflow`.
public enum RequestStatus: String, Codable, Sendable, Hashable, CaseIterable, DatabaseValueConvertible {
    case pending
    case approved
    case rejected
    case signApproved = "sign_approved"
    case invalidSign = "invalid_sign"
}

extension RequestStatus {
    /// For people (`segel stats`), in the order a request moves through them.
    public var words: String {
        switch self {
        case .pending: "waiting for approval"
        case .approved: "approved (not yet signed)"
        case .signApproved: "signed"
        case .rejected: "rejected"
        // Invalidated, or its key revoked: the document is withdrawn either way.
        case .invalidSign: "withdrawn"
        }
    }

    public static let peopleOrder: [RequestStatus] = [.pending, .approved, .signApproved, .rejected, .invalidSign]
}
