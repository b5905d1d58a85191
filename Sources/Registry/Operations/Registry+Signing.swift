import Foundation
import GRDB

/// Signing is two-phase because the slow part (key generation, PDF rewrite,
/// CMS) must not hold the write lock:
///
/// 1. `prepareSigning` reads what signing needs and checks the request is `approved`;
/// 2. the caller signs, outside any transaction;
/// 3. `completeSigning` re-checks, in one write transaction, that the request is
///    *still* `approved` (another process may have signed it meanwhile) and
///    records key, signature, status and audit rows together — or nothing.
extension Registry {
    /// Reads what signing needs for an `approved` request; any other status is
    /// `.illegalTransition` ("request 12 is pending; only an approved request can be signed").
    public func prepareSigning(request requestID: Int64) throws -> SigningTicket {
        try read("prepare request \(requestID) for signing") { db in
            guard let authority = try AuthorityInfo.cachedFetch(db, id: 1) else {
                throw RegistryError(.notFound,
                    "the registry at \(databaseURL.path) is not initialized; run `segel init` first")
            }
            let request = try Lookup.request(db, requestID)
            try Workflow.check(.sign, request: request)
            let version = try Lookup.version(db, request.approvedVersionID, of: request)
            guard var approverID = request.approvedBy, var approvedAt = request.approvedAt else {
                throw RegistryError(.integrity, "request \(request.id) is approved but records no approver")
            }
            let plan = try RequestSigner.of(db, request: request.id)
            var turn: RequestSigner?
            var continuation: SigningTicket.Continuation?
            if !plan.isEmpty {
                guard let current = plan.first(where: { $0.state != .signed }) else {
                    throw RegistryError(.illegalTransition, "request \(request.id) has been signed by all its signers")
                }
                guard current.state == .approved else {
                    let name = try Lookup.approver(db, current.approverID).name
                    throw RegistryError(.illegalTransition, "request \(request.id) is approved; it is signer \(current.position) of \(plan.count) \(name)'s turn, who has not approved yet, so it cannot be signed")
                }
                turn = current
                approverID = current.approverID
                approvedAt = current.actedAt ?? approvedAt
                if current.position > 1 {
                    guard let live = try Lookup.signature(db, of: request), live.signatureStatus == .pending,
                          let path = live.finalPDFPath, let hash = try Lookup.keys(db, of: live).last?.signedHash else {
                        throw RegistryError(.integrity, "request \(request.id) has no document signed by its earlier signers")
                    }
                    continuation = SigningTicket.Continuation(token: live.token, fileURL: URL(fileURLWithPath: path),
                                                              sha256: hash)
                }
            }
            var ticket = SigningTicket(
                requestID: request.id, documentName: request.documentName, documentType: request.documentType,
                authority: authority, user: try Lookup.user(db, request.userID),
                approver: try Lookup.approver(db, approverID), version: version,
                fileURL: fileStore.url(for: version.storedPath), approvedAt: approvedAt)
            if let turn {
                ticket.position = turn.position
                ticket.signerCount = plan.count
                ticket.continuation = continuation
                ticket.field = turn.fieldChoice
                if turn.position == 1 { ticket.laterFields = plan.dropFirst().map(\.fieldChoice) }
            }
            return ticket
        }
    }

    /// Records a `signing_failed` audit row; the request keeps its status, so
    /// it can be signed again once the cause is fixed.
    @discardableResult
    /// `approver`: the signer whose signing failed (default: the request's approver).
    public func recordSigningFailure(request requestID: Int64, reason: String, approver: Int64? = nil) throws -> AuditLogEntry {
        let reason = try Validate.text(reason, "the failure reason")
        return try write("record a signing failure for request \(requestID)") { db in
            let request = try Lookup.request(db, requestID)
            return try AuditChain.append(db, AuditEvent(
                action: .signingFailed, description: "Signing request \(request.id) failed: \(reason)",
                requestID: request.id, userID: request.userID, approverID: approver ?? request.approvedBy,
                statusFrom: request.status.rawValue, statusTo: request.status.rawValue,
                metadata: ["reason": reason]), actor: actor, at: now)
        }
    }

    /// Records a finished signature: `digital_signatures` (key `active`),
    /// `document_signatures` (`signed`), request `sign_approved`, and the audit
    /// rows `signature_initiated`, `signature_key_generated`, `document_signed`.
    @discardableResult
    public func completeSigning(_ result: SignedDocument) throws -> DocumentSignature {
        let fields = try SignatureFields(result)
        return try write("record the signature of request \(result.requestID)") { db in
            try recordSignature(db, fields, request: try Lookup.request(db, result.requestID)).signature
        }
    }

    /// The body of `completeSigning`, inside the caller's write transaction; also
    /// used by `submit(…, signed:)`, which records a whole batch row at once and
    /// passes what it just wrote: the approved `version`, the `signer` who
    /// approved, the audit log's last row (`after`).
    ///
    /// With several signers (`request_signers`), a call records the signers it
    /// signed for — the first alone, the next one in turn, or all of them at
    /// once (`sign-file --by A --by B`) — each of whom must be the approved
    /// signer at that position; the document signature stays `pending` and the
    /// request `approved` until the last signer has signed.
    func recordSignature(_ db: Database, _ fields: SignatureFields, request: ApprovalRequest,
                         version known: DocumentVersion? = nil, signer knownSigner: Approver? = nil,
                         after previous: AuditLogEntry? = nil) throws -> (signature: DocumentSignature, request: ApprovalRequest) {
        let result = fields.result
        let token = fields.token
        let documentHash = fields.documentHash, finalPath = fields.finalPath
        var request = request
        let requestFrom = request.status
        let plan = try RequestSigner.of(db, request: request.id)
        let live = try Lookup.signature(db, of: request).flatMap { $0.signatureStatus == .pending ? $0 : nil }
        let earlierKeys = try live.map { try Lookup.keys(db, of: $0) } ?? []
        let firstPosition = earlierKeys.count + 1
        let steps = fields.steps
        let total = plan.isEmpty ? steps.count : plan.count
        let lastPosition = firstPosition + steps.count - 1
        guard lastPosition <= total else {
            throw RegistryError(.illegalTransition, "request \(request.id) has \(total) signer(s); \(lastPosition) signatures cannot be recorded")
        }
        let complete = lastPosition == total
        let nextStatus = try Workflow.check(.sign, request: request)
        if complete { request.status = nextStatus }
        for (offset, step) in steps.enumerated() where !plan.isEmpty {
            let entry = plan[firstPosition - 1 + offset]
            guard entry.approverID == step.source.signerApproverID else {
                throw RegistryError(.illegalTransition, "request \(request.id): it is signer \(entry.position)'s turn (approver \(entry.approverID)), not approver \(step.source.signerApproverID)'s")
            }
            guard entry.state == .approved else {
                throw RegistryError(.illegalTransition, "request \(request.id): signer \(entry.position) (approver \(entry.approverID)) is \(entry.state.rawValue), not approved, so cannot sign")
            }
        }
        let version = try Lookup.version(db, request.approvedVersionID, of: request, known: known)
        if let live {
            guard live.publicStatus == .valid else {
                throw RegistryError(.illegalTransition, "request \(request.id): the document its earlier signers signed is \(live.publicStatus.rawValue), so no one can sign it further")
            }
            guard live.token == token else {
                throw RegistryError(.integrity, "request \(request.id) is being signed under token \(live.token), not \(token)")
            }
            guard let last = earlierKeys.last, last.signedHash == documentHash else {
                throw RegistryError(.integrity, "the file signed for request \(request.id) is not the one its previous signer signed")
            }
        } else {
            guard version.fileSHA256 == documentHash else {
                throw RegistryError(.integrity,
                    "the signed file's hash \(documentHash) is not request \(request.id)'s approved hash \(version.fileSHA256)")
            }
            if let other = try DocumentSignature.cachedFetch(db, where: "token", is: token) {
                throw RegistryError(.duplicate,
                    "the token \(token) is already used by request \(other.approvalRequestID)")
            }
        }
        for step in steps {
            if try DigitalSignature.cachedFetch(db, where: "signature_id", is: step.signatureID) != nil {
                throw RegistryError(.duplicate, "a key with the id \(step.signatureID) already exists")
            }
            if let other = try DigitalSignature.cachedFetch(db, where: "serial_hex", is: step.serial) {
                throw RegistryError(.duplicate,
                    "the certificate serial \(step.serial) is already used by key \(other.signatureID)")
            }
        }
        let lastStep = steps[steps.count - 1].source
        let lastSigner = try Lookup.approver(db, lastStep.signerApproverID, known: knownSigner)

        let time = now
        var signature: DocumentSignature
        var previousRow = previous
        if var live {
            live.finalHash = fields.finalHash
            live.finalPDFPath = finalPath
            live.signedAt = Timestamp.normalized(lastStep.signedAt)
            live.signedBy = lastSigner.id
            live.updatedAt = time
            if complete { live.signatureStatus = try Workflow.check(.sign, signature: live) }
            try live.updateRow(db)
            signature = live
        } else {
            signature = DocumentSignature(
                id: try Registry.nextID(db, table: DocumentSignature.databaseTableName),
                approvalRequestID: request.id, token: token, documentHash: documentHash, finalHash: fields.finalHash,
                signatureStatus: .pending, signatureMetadata: result.signatureMetadata,
                qrPage: result.qr?.page, qrX: result.qr?.x, qrY: result.qr?.y, qrSize: result.qr?.size,
                verificationURL: fields.verificationURL, signedAt: Timestamp.normalized(lastStep.signedAt),
                signedBy: lastSigner.id,
                invalidatedReason: nil, invalidatedAt: nil, finalPDFPath: finalPath, qrModules: result.qrModules,
                createdAt: time, updatedAt: time)
            if complete { signature.signatureStatus = try Workflow.check(.sign, signature: signature) }
            try signature.insertRow(db)
        }

        if complete {
            request.signApprovedAt = Timestamp.normalized(lastStep.signedAt)
            request.signApprovedBy = lastSigner.id
            request.signedDocumentPath = finalPath
        }
        request.updatedAt = time
        try request.updateRow(db)

        let common = AuditEvent(action: .signatureInitiated, description: "",
                                requestID: request.id, documentSignatureID: signature.id,
                                userID: request.userID)
        if live == nil {
            var initiated = common
            initiated.approverID = steps[0].source.signerApproverID
            initiated.description = "Signing of request \(request.id) \"\(request.documentName)\" initiated"
            initiated.statusFrom = requestFrom.rawValue
            initiated.statusTo = request.status.rawValue
            initiated.metadata = ["document_hash": documentHash, "version": String(version.version)]
            previousRow = try AuditChain.append(db, initiated, actor: actor, at: time, after: previousRow)
        }

        for (offset, step) in steps.enumerated() {
            let position = firstPosition + offset
            let signer = try Lookup.approver(db, step.source.signerApproverID, known: knownSigner)
            let key = step.source.key
            let signatureID = step.signatureID, stepSerial = step.serial
            var digital = DigitalSignature(
                id: try Registry.nextID(db, table: DigitalSignature.databaseTableName),
                signatureID: signatureID, documentSignatureID: signature.id, userID: request.userID,
                publicKey: step.publicKey, privateKey: Validate.optional(key.encryptedPrivateKeyPEM),
                algorithm: step.algorithm, keyLength: key.keyLength, certificate: step.certificate, serialHex: stepSerial,
                validFrom: step.validFrom, validUntil: step.validUntil, certificateSummary: key.certificateSummary,
                status: .active, revokedReason: nil,
                revokedAt: nil, metadata: key.metadata, createdAt: time, updatedAt: time)
            digital.signerPosition = position
            digital.signerID = signer.id
            digital.signedAt = Timestamp.normalized(step.source.signedAt)
            digital.signedHash = step.signedHash
            digital.qr = step.source.qr
            try digital.insertRow(db)

            var stepCommon = common
            stepCommon.approverID = signer.id
            var generated = stepCommon
            generated.action = .signatureKeyGenerated
            generated.description = "Key \(signatureID) (\(digital.algorithm) \(key.keyLength)) generated, certificate serial \(stepSerial)"
            generated.statusTo = KeyStatus.active.rawValue
            generated.metadata = ["signature_id": signatureID, "serial_hex": stepSerial, "algorithm": digital.algorithm,
                                  "key_length": String(key.keyLength),
                                  "valid_from": digital.validFrom.databaseText, "valid_until": digital.validUntil.databaseText,
                                  "private_key_retained": digital.privateKey == nil ? "false" : "true"]
            if total > 1 { generated.metadata?["signer_position"] = String(position) }
            previousRow = try AuditChain.append(db, generated, actor: actor, at: time, after: previousRow)

            let finishes = complete && position == total
            var signed = stepCommon
            signed.action = .documentSigned
            signed.description = total > 1
                ? "Request \(request.id) signed by approver \(signer.id) \(signer.name) as \(signatureID), signer \(position) of \(total)"
                : "Request \(request.id) signed by approver \(signer.id) \(signer.name) as \(signatureID)"
            signed.statusFrom = SignatureStatus.pending.rawValue
            signed.statusTo = finishes ? signature.signatureStatus.rawValue : SignatureStatus.pending.rawValue
            signed.metadata = ["token": token, "signature_id": signatureID, "final_hash": step.signedHash,
                               "final_pdf_path": finalPath]
            if total > 1 { signed.metadata?["signer_position"] = String(position) }
            previousRow = try AuditChain.append(db, signed, actor: actor, at: time, after: previousRow)
        }
        if !plan.isEmpty {
            try setSigners(db, request: request.id, positions: firstPosition...lastPosition, to: .signed, at: time)
        }
        return (signature, request)
    }
}

/// A `SignedDocument` whose fields passed validation, before any transaction
/// starts: the document's, and every signer's step (the first signer's from
/// the document itself, the others' from `laterSteps`), each checked alike.
struct SignatureFields {
    let result: SignedDocument
    let token, documentHash, finalHash, finalPath, verificationURL: String
    /// In signing order; never empty.
    let steps: [Step]

    /// One signer's key, certificate and stamp, validated.
    struct Step {
        let source: SignedStep
        let signatureID, serial, publicKey, certificate, algorithm, signedHash: String
        let validFrom, validUntil: Date

        init(_ step: SignedStep) throws {
            source = step
            signatureID = try Validate.text(step.signatureID, "the signature id")
            guard signatureID.hasPrefix("SIG-"), signatureID.count > 4 else {
                throw RegistryError(.badInput, "the signature id \"\(signatureID)\" does not start with SIG-")
            }
            let key = step.key
            serial = try Validate.hex(key.serialHex, "the certificate serial")
            publicKey = try Validate.text(key.publicKeyPEM, "the public key")
            certificate = try Validate.text(key.certificatePEM, "the certificate")
            algorithm = try Validate.text(key.algorithm, "the key algorithm")
            signedHash = try Validate.sha256(step.signedHash, "the signed PDF's hash")
            validFrom = Timestamp.normalized(key.validFrom)
            validUntil = Timestamp.normalized(key.validUntil)
            guard validFrom < validUntil else {
                throw RegistryError(.badInput, "key \(signatureID) is valid until before it is valid from")
            }
            guard key.keyLength > 0 else {
                throw RegistryError(.badInput, "key \(signatureID) has no key length")
            }
            if let qr = step.qr, qr.page < 1 || !(qr.size > 0) {
                throw RegistryError(.badInput, "the QR stamp of \(signatureID) has no page or size")
            }
        }
    }

    init(_ result: SignedDocument) throws {
        self.result = result
        token = try Validate.token(result.token)
        documentHash = try Validate.sha256(result.documentHash, "the signed document's hash")
        finalHash = try Validate.sha256(result.finalHash, "the signed PDF's hash")
        finalPath = try Validate.text(result.finalPDFPath, "the signed PDF's path")
        verificationURL = try Validate.text(result.verificationURL, "the verification URL")
        let first = SignedStep(signatureID: result.signatureID, signerApproverID: result.signerApproverID,
                               key: result.key, qr: result.qr, qrModules: result.qrModules,
                               signedAt: result.signedAt, signedHash: result.firstSignedHash ?? result.finalHash)
        steps = try ([first] + result.laterSteps).map(Step.init)
    }
}
