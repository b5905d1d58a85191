/// What an operation wants recorded; `AuditChain.append` adds the id, time,
/// actor and the two hashes.
struct AuditEvent: Sendable {
    var action: AuditAction
    var description: String
    var requestID: Int64? = nil
    var documentSignatureID: Int64? = nil
    var userID: Int64? = nil
    var approverID: Int64? = nil
    var statusFrom: String? = nil
    var statusTo: String? = nil
    var metadata: Metadata? = nil
}
