import Foundation
import GRDB

extension Registry {
    /// Records a new request with its first document version (status `pending`).
    ///
    /// - Parameter identityKey: for `segel batch` (see
    ///   `ApprovalRequest.identityKey`); a key already used is `.duplicate`,
    ///   naming the request that holds it, so a re-run can skip or resume it.
    /// - Parameter approval: approve it in the same transaction (`segel batch`):
    ///   the request then appears approved, with both audit entries, or not at all.
    /// - Parameter signed: with `approval`, also record the finished signature
    ///   (as `completeSigning` does; its `requestID` is ignored): a batch row is
    ///   then submitted, approved and signed in one transaction, or not at all.
    @discardableResult
    public func submit(user userID: Int64, name: String, type: String? = nil, notes: String? = nil,
                       file: StoredFile, identityKey: String? = nil,
                       approvedBy approval: (approver: Int64, notes: String?)? = nil,
                       signed: SignedDocument? = nil, signers: [SignerChoice] = []) throws -> ApprovalRequest {
        let name = try Validate.text(name, "the document name")
        let type = Validate.optional(type)
        let notes = Validate.optional(notes)
        let approvalNotes = Validate.optional(approval?.notes)
        let file = try Validate.storedFile(file)
        let signature = try signed.map(SignatureFields.init)
        if signature != nil && approval == nil {
            throw RegistryError(.badInput, "a signature can only be recorded with the approval it follows")
        }
        return try write("submit \(file.originalFilename)") { db in
            // Each step hands the next what it just wrote, so nothing is read back,
            // and the request's row is updated once, by the last step, not by each.
            let submitted = try insertRequest(db, user: userID, name: name, type: type, notes: notes, file: file,
                                              identityKey: identityKey, storesRequest: approval == nil)
            try insertSigners(db, signers, request: submitted.request.id)
            guard let approval else { return submitted.request }
            let approved = try applyApproval(db, request: submitted.request, by: approval.approver, notes: approvalNotes,
                                             version: submitted.version, after: submitted.audit,
                                             storesRequest: signature == nil)
            guard let signature else { return approved.request }
            // Signing for every signer at once (`sign-file --by A --by B`) is each one's approval.
            try setSigners(db, request: submitted.request.id, to: .approved, at: approved.audit.performedAt)
            return try recordSignature(db, signature, request: approved.request, version: approved.version,
                                       signer: approved.approver, after: approved.audit).request
        }
    }

    /// With `storesRequest: false` the row is left without its version link
    /// for the caller's next step in this transaction to store.
    private func insertRequest(_ db: Database, user userID: Int64, name: String, type: String?, notes: String?,
                               file: StoredFile, identityKey: String?, storesRequest: Bool = true)
        throws -> (request: ApprovalRequest, version: DocumentVersion, audit: AuditLogEntry) {
        let user = try Lookup.user(db, userID)
        if let identityKey,
           let other = try ApprovalRequest.cachedFetch(db, where: "identity_key", is: identityKey) {
            throw RegistryError(.duplicate,
                "request \(other.id) was already submitted with the same file, name and approver")
        }
        let time = now
        var request = ApprovalRequest(
            id: try Registry.nextID(db, table: ApprovalRequest.databaseTableName),
            userID: user.id, documentName: name, documentType: type, notes: notes, status: .pending,
            approvedAt: nil, approvedBy: nil, rejectedAt: nil, rejectedBy: nil,
            signApprovedAt: nil, signApprovedBy: nil, approvalNotes: nil, rejectionReason: nil,
            currentVersionID: nil, approvedVersionID: nil, signedDocumentPath: nil,
            workflowMetadata: nil, identityKey: identityKey, createdAt: time, updatedAt: time)
        try request.insertRow(db)
        let version = try addVersion(db, to: request, number: 1, file: file, at: time)
        request.currentVersionID = version.id
        if storesRequest { try request.updateRow(db) }
        let audit = try AuditChain.append(db, AuditEvent(
            action: .requestSubmitted,
            description: "Request \(request.id) \"\(name)\" submitted by user \(user.id) with \(file.originalFilename)",
            requestID: request.id, userID: user.id, statusTo: RequestStatus.pending.rawValue,
            metadata: Registry.versionMetadata(version)), actor: actor, at: time)
        return (request, version, audit)
    }

    /// Adds a new version to a rejected request and puts it back to `pending`.
    /// The rejection's who/when/why move to the audit log.
    @discardableResult
    public func resubmit(request requestID: Int64, file: StoredFile) throws -> ApprovalRequest {
        let file = try Validate.storedFile(file)
        return try write("resubmit request \(requestID)") { db in
            var request = try Lookup.request(db, requestID)
            let from = request.status
            request.status = try Workflow.check(.resubmit, request: request)
            let number = try Int.fetchOne(db, sql: """
                SELECT COALESCE(MAX(version), 0) + 1 FROM document_versions WHERE approval_request_id = ?
                """, arguments: [request.id]) ?? 1
            let time = now
            let version = try addVersion(db, to: request, number: number, file: file, at: time)
            var metadata = Registry.versionMetadata(version)
            metadata["previous_rejection_reason"] = request.rejectionReason
            request.currentVersionID = version.id
            request.rejectedAt = nil
            request.rejectedBy = nil
            request.rejectionReason = nil
            request.updatedAt = time
            try request.updateRow(db)
            try setSigners(db, request: request.id, to: .waiting, at: time)
            try AuditChain.append(db, AuditEvent(
                action: .requestResubmitted,
                description: "Request \(request.id) resubmitted with version \(number) (\(file.originalFilename))",
                requestID: request.id, userID: request.userID,
                statusFrom: from.rawValue, statusTo: request.status.rawValue, metadata: metadata),
                actor: actor, at: time)
            return request
        }
    }

    /// Approves a pending request, binding the approval to its current
    /// version: only that version's hash can be signed later.
    @discardableResult
    public func approve(request requestID: Int64, by approverID: Int64, notes: String? = nil) throws -> ApprovalRequest {
        let notes = Validate.optional(notes)
        return try write("approve request \(requestID)") { db in
            try applyApproval(db, request: try Lookup.request(db, requestID), by: approverID, notes: notes).request
        }
    }

    /// Approves `request` (as read or written in this transaction). `version`
    /// and `after` are what the same transaction just wrote: the request's
    /// current version and the audit log's last row. With `storesRequest:
    /// false` the approved request is returned, not stored: the caller's next
    /// step in this transaction stores it.
    private func applyApproval(_ db: Database, request: ApprovalRequest, by approverID: Int64, notes: String?,
                               version known: DocumentVersion? = nil, after previous: AuditLogEntry? = nil,
                               storesRequest: Bool = true)
        throws -> (request: ApprovalRequest, approver: Approver, version: DocumentVersion, audit: AuditLogEntry) {
        var request = request
        let approver = try Lookup.approver(db, approverID)
        let from = request.status
        let time = now
        let turn = try signerTurn(db, request: request, approver: approver, step: .approve)
        if let turn { try setSigners(db, request: request.id, positions: turn.position...turn.position, to: .approved, at: time) }
        let version: DocumentVersion
        var description = "Request \(request.id) approved by approver \(approver.id) \(approver.name)"
        var metadata: Metadata
        if let turn, turn.position > 1 {
            // A later signer approves the version the first one approved; the request stays approved.
            version = try Lookup.version(db, request.approvedVersionID, of: request, known: known)
            description += ", signer \(turn.position)"
            metadata = ["signer_position": String(turn.position)]
        } else {
            request.status = try Workflow.check(.approve, request: request)
            version = try Lookup.version(db, request.currentVersionID, of: request, known: known)
            request.approvedAt = time
            request.approvedBy = approver.id
            request.approvalNotes = notes
            request.approvedVersionID = version.id
            var workflow = request.workflowMetadata ?? [:]
            workflow["document_hash"] = version.fileSHA256
            workflow["approved_version"] = String(version.version)
            request.workflowMetadata = workflow
            metadata = Registry.versionMetadata(version)
            if turn != nil { metadata["signer_position"] = "1" }
        }
        request.updatedAt = time
        if storesRequest { try request.updateRow(db) }
        let audit = try AuditChain.append(db, AuditEvent(
            action: .requestApproved, description: description,
            requestID: request.id, userID: request.userID, approverID: approver.id,
            statusFrom: from.rawValue, statusTo: request.status.rawValue,
            metadata: metadata), actor: actor, at: time, after: previous)
        return (request, approver, version, audit)
    }

    /// Rejects a pending request; the reason is required.
    @discardableResult
    public func reject(request requestID: Int64, by approverID: Int64, reason: String) throws -> ApprovalRequest {
        let reason = try Validate.text(reason, "the rejection reason")
        return try write("reject request \(requestID)") { db in
            var request = try Lookup.request(db, requestID)
            let approver = try Lookup.approver(db, approverID)
            let from = request.status
            let time = now
            if let turn = try signerTurn(db, request: request, approver: approver, step: .reject) {
                try rejectTurn(db, turn, request: request, approver: approver, reason: reason, at: time)
                request.status = .rejected
            } else {
                request.status = try Workflow.check(.reject, request: request)
            }
            request.rejectedAt = time
            request.rejectedBy = approver.id
            request.rejectionReason = reason
            request.updatedAt = time
            try request.updateRow(db)
            try AuditChain.append(db, AuditEvent(
                action: .requestRejected,
                description: "Request \(request.id) rejected by approver \(approver.id) \(approver.name): \(reason)",
                requestID: request.id, userID: request.userID, approverID: approver.id,
                statusFrom: from.rawValue, statusTo: request.status.rawValue,
                metadata: ["reason": reason]), actor: actor, at: time)
            return request
        }
    }

    private func addVersion(_ db: Database, to request: ApprovalRequest, number: Int, file: StoredFile,
                            at time: Date) throws -> DocumentVersion {
        let version = DocumentVersion(
            id: try Registry.nextID(db, table: DocumentVersion.databaseTableName),
            approvalRequestID: request.id, version: number, fileSHA256: file.sha256, fileSize: file.size,
            storedPath: file.storedPath, originalFilename: file.originalFilename, createdAt: time)
        try version.insertRow(db)
        return version
    }

    static func versionMetadata(_ version: DocumentVersion) -> Metadata {
        ["version": String(version.version), "file_sha256": version.fileSHA256,
         "file_size": String(version.fileSize), "original_filename": version.originalFilename]
    }
}
