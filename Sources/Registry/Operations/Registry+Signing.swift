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
            guard let approverID = request.approvedBy, let approvedAt = request.approvedAt else {
                throw RegistryError(.integrity, "request \(request.id) is approved but records no approver")
            }
            return SigningTicket(
                requestID: request.id, documentName: request.documentName, documentType: request.documentType,
                authority: authority, user: try Lookup.user(db, request.userID),
                approver: try Lookup.approver(db, approverID), version: version,
                fileURL: fileStore.url(for: version.storedPath), approvedAt: approvedAt)
        }
    }

    /// Records a `signing_failed` audit row; the request keeps its status, so
    /// it can be signed again once the cause is fixed.
    @discardableResult
    public func recordSigningFailure(request requestID: Int64, reason: String) throws -> AuditLogEntry {
        let reason = try Validate.text(reason, "the failure reason")
        return try write("record a signing failure for request \(requestID)") { db in
            let request = try Lookup.request(db, requestID)
            return try AuditChain.append(db, AuditEvent(
                action: .signingFailed, description: "Signing request \(request.id) failed: \(reason)",
                requestID: request.id, userID: request.userID, approverID: request.approvedBy,
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
    func recordSignature(_ db: Database, _ fields: SignatureFields, request: ApprovalRequest,
                         version known: DocumentVersion? = nil, signer knownSigner: Approver? = nil,
                         after previous: AuditLogEntry? = nil) throws -> (signature: DocumentSignature, request: ApprovalRequest) {
        let result = fields.result
        let token = fields.token, signatureID = fields.signatureID, serial = fields.serial
        let documentHash = fields.documentHash, finalPath = fields.finalPath
        let algorithm = fields.algorithm
        let key = result.key
        var request = request
        let requestFrom = request.status
        request.status = try Workflow.check(.sign, request: request)
        let version = try Lookup.version(db, request.approvedVersionID, of: request, known: known)
        guard version.fileSHA256 == documentHash else {
            throw RegistryError(.integrity,
                "the signed file's hash \(documentHash) is not request \(request.id)'s approved hash \(version.fileSHA256)")
        }
        let signer = try Lookup.approver(db, result.signerApproverID, known: knownSigner)
        if let other = try DocumentSignature.cachedFetch(db, where: "token", is: token) {
            throw RegistryError(.duplicate,
                "the token \(token) is already used by request \(other.approvalRequestID)")
        }
        if try DigitalSignature.cachedFetch(db, where: "signature_id", is: signatureID) != nil {
            throw RegistryError(.duplicate, "a key with the id \(signatureID) already exists")
        }
        if let other = try DigitalSignature.cachedFetch(db, where: "serial_hex", is: serial) {
            throw RegistryError(.duplicate,
                "the certificate serial \(serial) is already used by key \(other.signatureID)")
        }

        let time = now
        let signedAt = Timestamp.normalized(result.signedAt)
        var signature = DocumentSignature(
            id: try Registry.nextID(db, table: DocumentSignature.databaseTableName),
            approvalRequestID: request.id, token: token, documentHash: documentHash, finalHash: fields.finalHash,
            signatureStatus: .pending, signatureMetadata: result.signatureMetadata,
            qrPage: result.qr?.page, qrX: result.qr?.x, qrY: result.qr?.y, qrSize: result.qr?.size,
            verificationURL: fields.verificationURL, signedAt: signedAt, signedBy: signer.id,
            invalidatedReason: nil, invalidatedAt: nil, finalPDFPath: finalPath, qrModules: result.qrModules,
            createdAt: time, updatedAt: time)
        signature.signatureStatus = try Workflow.check(.sign, signature: signature)
        try signature.insertRow(db)

        let digital = DigitalSignature(
            id: try Registry.nextID(db, table: DigitalSignature.databaseTableName),
            signatureID: signatureID, documentSignatureID: signature.id, userID: request.userID,
            publicKey: fields.publicKey, privateKey: Validate.optional(key.encryptedPrivateKeyPEM),
            algorithm: algorithm, keyLength: key.keyLength, certificate: fields.certificate, serialHex: serial,
            validFrom: fields.validFrom, validUntil: fields.validUntil, certificateSummary: key.certificateSummary,
            status: .active, revokedReason: nil,
            revokedAt: nil, metadata: key.metadata, createdAt: time, updatedAt: time)
        try digital.insertRow(db)

        request.signApprovedAt = signedAt
        request.signApprovedBy = signer.id
        request.signedDocumentPath = finalPath
        request.updatedAt = time
        try request.updateRow(db)

        let common = AuditEvent(action: .signatureInitiated, description: "",
                                requestID: request.id, documentSignatureID: signature.id,
                                userID: request.userID, approverID: signer.id)
        var initiated = common
        initiated.description = "Signing of request \(request.id) \"\(request.documentName)\" initiated"
        initiated.statusFrom = requestFrom.rawValue
        initiated.statusTo = request.status.rawValue
        initiated.metadata = ["document_hash": documentHash, "version": String(version.version)]
        let first = try AuditChain.append(db, initiated, actor: actor, at: time, after: previous)

        var generated = common
        generated.action = .signatureKeyGenerated
        generated.description = "Key \(signatureID) (\(algorithm) \(key.keyLength)) generated, certificate serial \(serial)"
        generated.statusTo = KeyStatus.active.rawValue
        generated.metadata = ["signature_id": signatureID, "serial_hex": serial, "algorithm": algorithm,
                              "key_length": String(key.keyLength),
                              "valid_from": fields.validFrom.databaseText, "valid_until": fields.validUntil.databaseText,
                              "private_key_retained": digital.privateKey == nil ? "false" : "true"]
        let second = try AuditChain.append(db, generated, actor: actor, at: time, after: first)

        var signed = common
        signed.action = .documentSigned
        signed.description = "Request \(request.id) signed by approver \(signer.id) \(signer.name) as \(signatureID)"
        signed.statusFrom = SignatureStatus.pending.rawValue
        signed.statusTo = signature.signatureStatus.rawValue
        signed.metadata = ["token": token, "signature_id": signatureID, "final_hash": fields.finalHash,
                           "final_pdf_path": finalPath]
        try AuditChain.append(db, signed, actor: actor, at: time, after: second)
        return (signature, request)
    }
}

/// A `SignedDocument` whose fields passed validation, before any transaction starts.
struct SignatureFields {
    let result: SignedDocument
    let token, signatureID, documentHash, finalHash, finalPath, verificationURL: String
    let serial, publicKey, certificate, algorithm: String
    let validFrom, validUntil: Date

    init(_ result: SignedDocument) throws {
        self.result = result
        token = try Validate.token(result.token)
        signatureID = try Validate.text(result.signatureID, "the signature id")
        guard signatureID.hasPrefix("SIG-"), signatureID.count > 4 else {
            throw RegistryError(.badInput, "the signature id \"\(signatureID)\" does not start with SIG-")
        }
        documentHash = try Validate.sha256(result.documentHash, "the signed document's hash")
        finalHash = try Validate.sha256(result.finalHash, "the signed PDF's hash")
        finalPath = try Validate.text(result.finalPDFPath, "the signed PDF's path")
        verificationURL = try Validate.text(result.verificationURL, "the verification URL")
        let key = result.key
        serial = try Validate.hex(key.serialHex, "the certificate serial")
        publicKey = try Validate.text(key.publicKeyPEM, "the public key")
        certificate = try Validate.text(key.certificatePEM, "the certificate")
        algorithm = try Validate.text(key.algorithm, "the key algorithm")
        validFrom = Timestamp.normalized(key.validFrom)
        validUntil = Timestamp.normalized(key.validUntil)
        guard validFrom < validUntil else {
            throw RegistryError(.badInput, "key \(signatureID) is valid until before it is valid from")
        }
        guard key.keyLength > 0 else {
            throw RegistryError(.badInput, "key \(signatureID) has no key length")
        }
        if let qr = result.qr, qr.page < 1 || !(qr.size > 0) {
            throw RegistryError(.badInput, "the QR stamp of \(signatureID) has no page or size")
        }
    }
}
