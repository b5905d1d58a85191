import Foundation
import GRDB
import Record

/// Requests that several approvers sign in order (`request_signers`), and the
/// named groups of approvers that stand for such a list (`signer_groups`).
///
/// A request with signers moves as one with a single approver does — pending,
/// approved, sign_approved — but stays `approved` between signers: signer 1
/// approves (the request becomes `approved`) and signs, then signer 2
/// approves and signs, … and the last signature makes it `sign_approved`.
/// Each step is checked against whose turn it is; a rejection by any signer
/// sends the request back to its requester (`rejected`), voids what earlier
/// signers signed (their certificates are revoked, so they appear on the CRL)
/// and a resubmission starts the order again.
extension Registry {
    /// The most signers one document may have (the upload page reads as many).
    public static let maxSigners = 20

    /// `segel group add NAME --approvers A,B [--role R]`.
    @discardableResult
    public func addGroup(name: String, approvers: [Int64], role: String?) throws -> SignerGroup {
        let name = try Validate.text(name, "the group name")
        let role = Validate.optional(role)
        guard !approvers.isEmpty else { throw RegistryError(.badInput, "group \(name) needs at least one approver") }
        if let twice = Dictionary(grouping: approvers, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw RegistryError(.badInput, "approver \(twice) is named twice in group \(name)")
        }
        return try write("add group \(name)") { db in
            if try SignerGroup.cachedFetch(db, where: "name", is: name) != nil {
                throw RegistryError(.duplicate, "a group named \(name) already exists")
            }
            let members = try approvers.map { try Lookup.approver(db, $0) }
            let time = now
            let group = SignerGroup(id: try Registry.nextID(db, table: SignerGroup.databaseTableName), name: name,
                                    role: role, createdAt: time, updatedAt: time)
            try group.insert(db)
            for (index, member) in members.enumerated() {
                try db.execute(sql: "INSERT INTO signer_group_members (group_id, position, approver_id) VALUES (?, ?, ?)",
                               arguments: [group.id, index + 1, member.id])
            }
            try AuditChain.append(db, AuditEvent(
                action: .groupCreated,
                description: "Group \(name) added: " + members.map { "\($0.id) \($0.name)" }.joined(separator: ", "),
                metadata: ["name": name, "approvers": members.map { String($0.id) }.joined(separator: ","),
                           "role": role ?? ""]), actor: actor, at: time)
            return group
        }
    }

    /// Every group with its approvers in order.
    public func groups() throws -> [(group: SignerGroup, approvers: [Approver])] {
        try read("list groups") { db in
            try SignerGroup.order(Column("name")).fetchAll(db).map { group in
                (group, try groupMembers(db, group))
            }
        }
    }

    private func groupMembers(_ db: Database, _ group: SignerGroup) throws -> [Approver] {
        try Int64.fetchAll(db, sql: "SELECT approver_id FROM signer_group_members WHERE group_id = ? ORDER BY position",
                           arguments: [group.id]).map { try Lookup.approver(db, $0) }
    }

    /// What `--signers` and `--by` name, in order: each item a group's name
    /// (all its approvers, in the group's order) or an approver's id, e-mail
    /// or NIDN. An approver named twice is refused.
    public func resolveSigners(_ names: [String]) throws -> [SignerChoice] {
        var choices: [SignerChoice] = []
        for name in names.map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            let group = try read("find group \(name)") { db in
                try SignerGroup.cachedFetch(db, where: "name", is: name).map { ($0, try groupMembers(db, $0)) }
            }
            if let (group, members) = group {
                choices += members.map { SignerChoice(approverID: $0.id, groupName: group.name, role: group.role) }
            } else {
                choices.append(SignerChoice(approverID: try findApprover(name).id))
            }
        }
        guard !choices.isEmpty else { throw RegistryError(.badInput, "no signer was named") }
        guard choices.count <= Self.maxSigners else {
            throw RegistryError(.badInput, "\(choices.count) signers were named; a document has at most \(Self.maxSigners)")
        }
        var seen = Set<Int64>()
        for choice in choices where !seen.insert(choice.approverID).inserted {
            throw RegistryError(.badInput, "approver \(choice.approverID) is named twice among the signers; each signs once")
        }
        return choices
    }

    /// The signers of a request, for `segel request show`.
    public func signers(of request: Int64) throws -> [(signer: RequestSigner, approver: Approver)] {
        try read("list the signers of request \(request)") { db in
            try RequestSigner.of(db, request: request).map { ($0, try Lookup.approver(db, $0.approverID)) }
        }
    }

    /// Records a request's signers, all `waiting`. One signer alone is
    /// recorded as the request's approver only, as before several existed.
    func insertSigners(_ db: Database, _ signers: [SignerChoice], request: Int64) throws {
        guard signers.count > 1 else { return }
        let time = now
        for (index, choice) in signers.enumerated() {
            _ = try Lookup.approver(db, choice.approverID)
            try RequestSigner(id: try Registry.nextID(db, table: RequestSigner.databaseTableName),
                              approvalRequestID: request, position: index + 1, approverID: choice.approverID,
                              groupName: choice.groupName, role: choice.role, fieldPage: choice.page,
                              fieldX: choice.x, fieldY: choice.y, fieldSize: choice.size,
                              state: .waiting, actedAt: nil,
                              createdAt: time, updatedAt: time).insert(db)
        }
    }

    /// Moves the signers at `positions` (all of the request's when nil) to
    /// `state`, noting when they acted (no time for `waiting`): the one way a
    /// signer's turn changes (`RequestSigner`'s diagram).
    func setSigners(_ db: Database, request: Int64, positions: ClosedRange<Int>? = nil,
                    to state: RequestSigner.State, at time: Date) throws {
        var sql = "UPDATE request_signers SET state = ?, acted_at = ?, updated_at = ? WHERE approval_request_id = ?"
        var arguments: StatementArguments = [state.rawValue, state == .waiting ? nil : time.databaseText,
                                             time.databaseText, request]
        if let positions {
            sql += " AND position BETWEEN ? AND ?"
            arguments += [positions.lowerBound, positions.upperBound]
        }
        try db.execute(sql: sql, arguments: arguments)
    }

    enum TurnStep: String { case approve = "approved", reject = "rejected" }

    /// The signer whose turn it is when `approver` wants to `step` the
    /// request; nil for a request without a list of signers. Refuses, naming
    /// the request, whose turn it is and the status, when it is not theirs.
    func signerTurn(_ db: Database, request: ApprovalRequest, approver: Approver,
                    step: TurnStep) throws -> RequestSigner? {
        let plan = try RequestSigner.of(db, request: request.id)
        guard !plan.isEmpty else { return nil }
        guard let current = plan.first(where: { $0.state != .signed }) else {
            throw RegistryError(.illegalTransition, "request \(request.id) is \(request.status.rawValue) and all its \(plan.count) signers have signed")
        }
        guard request.status == .pending || request.status == .approved else {
            throw RegistryError(.illegalTransition, "request \(request.id) is \(request.status.rawValue); only a pending or approved request can be \(step.rawValue) by its next signer")
        }
        let currentName = try Lookup.approver(db, current.approverID).name
        guard let mine = plan.first(where: { $0.approverID == approver.id }) else {
            throw RegistryError(.illegalTransition, "approver \(approver.id) \(approver.name) is not one of request \(request.id)'s \(plan.count) signers; it is signer \(current.position) \(currentName)'s turn (request \(request.status.rawValue))")
        }
        guard mine.position == current.position else {
            let what = mine.state == .signed ? "has already signed" : "is signer \(mine.position)"
            throw RegistryError(.illegalTransition, "request \(request.id) is \(request.status.rawValue) and it is signer \(current.position) of \(plan.count) \(currentName)'s turn; \(approver.name) \(what)")
        }
        if step == .approve, current.state == .approved {
            throw RegistryError(.illegalTransition, "request \(request.id): signer \(current.position) \(currentName) has already approved and now signs it (`segel sign \(request.id)`)")
        }
        return current
    }

    /// The signer rejects: their row says so, and a document that earlier
    /// signers already signed is voided with their keys revoked.
    func rejectTurn(_ db: Database, _ turn: RequestSigner, request: ApprovalRequest, approver: Approver,
                    reason: String, at time: Date) throws {
        try setSigners(db, request: request.id, positions: turn.position...turn.position, to: .rejected, at: time)
        guard let live = try Lookup.signature(db, of: request), live.signatureStatus == .pending else { return }
        let why = "signer \(turn.position) \(approver.name) rejected the document: \(reason)"
        try voidSignature(db, live, request: request, act: .invalidateDocument, reason: why, at: time, approver: approver.id)
    }

    /// A partly signed document that is invalidated, or one of whose keys is
    /// revoked, before its last signer signed: void, every key revoked, and
    /// the request back with its requester (`rejected`, so that a corrected
    /// version can be resubmitted), as after a rejection.
    func voidPartlySigned(_ db: Database, _ signature: DocumentSignature, act: PublicStatus.Act, reason: String,
                          at time: Date, keyReason: (id: Int64, reason: String)? = nil) throws -> DocumentSignature {
        var request = try Lookup.request(db, signature.approvalRequestID)
        let from = request.status
        let voided = try voidSignature(db, signature, request: request, act: act, reason: reason, at: time,
                                       approver: nil, keyReason: keyReason)
        if request.status == .approved || request.status == .pending {
            request.status = .rejected
            request.rejectedAt = time
            request.rejectedBy = nil
            request.rejectionReason = reason
            request.updatedAt = time
            try request.updateRow(db)
            if let turn = try RequestSigner.of(db, request: request.id).first(where: { $0.state != .signed }) {
                try setSigners(db, request: request.id, positions: turn.position...turn.position, to: .rejected, at: time)
            }
            try AuditChain.append(db, AuditEvent(
                action: .requestRejected, description: "Request \(request.id) sent back to its requester: \(reason)",
                requestID: request.id, userID: request.userID, statusFrom: from.rawValue,
                statusTo: request.status.rawValue, metadata: ["reason": reason]), actor: actor, at: time)
        }
        return voided
    }

    /// Marks a partly signed document void with the public status `act`
    /// names, and revokes every key on it (with `keyReason` for the key it names).
    @discardableResult
    private func voidSignature(_ db: Database, _ signature: DocumentSignature, request: ApprovalRequest,
                               act: PublicStatus.Act, reason: String, at time: Date, approver: Int64?,
                               keyReason: (id: Int64, reason: String)? = nil) throws -> DocumentSignature {
        var live = Self.acted(act, on: signature, reason: reason, at: time)
        live.signatureStatus = try Workflow.check(.void, signature: live)
        live.invalidatedReason = reason
        live.invalidatedAt = time
        live.updatedAt = time
        try live.updateRow(db)
        try AuditChain.append(db, AuditEvent(
            action: .signatureInvalidated,
            description: "Partly signed document of request \(request.id) voided: \(reason)",
            requestID: request.id, documentSignatureID: live.id, userID: request.userID, approverID: approver,
            statusFrom: SignatureStatus.pending.rawValue, statusTo: live.signatureStatus.rawValue,
            metadata: ["reason": reason]), actor: actor, at: time)
        for key in try Lookup.keys(db, of: live) where Workflow.allows(.revoke, from: key.status) {
            try revoke(db, key, reason: key.id == keyReason?.id ? keyReason!.reason : reason, at: time)
        }
        return live
    }
}
