import Foundation
import PDF
import PKI
import Record
import Registry

/// How one document is signed.
public struct SigningOptions: Sendable, Hashable {
    public var keyType: KeyType = .rsa2048
    public var position = StampPosition()

    public init(keyType: KeyType = .rsa2048, position: StampPosition = StampPosition()) {
        self.keyType = keyType
        self.position = position
    }
}

/// What `segel sign`, `sign-file` and each batch row print (CLI.md keys).
public struct SigningResult: Sendable, Hashable, Codable {
    public var request: Int64
    public var token: String
    public var signatureID: String
    public var signedPDF: String
    public var sha256: String
    public var verificationURL: String
    /// What the stamp prints for people to type (`LookupCode`).
    public var lookupCode: String
    /// With several signers, each signature in order (nil: one signer, the one above).
    public var signatures: [SignatureSummary]?
    /// With several signers, who has yet to sign, in order (the document is
    /// published once this is empty); nil for one signer.
    public var remainingSigners: [String]?

    /// One signer's signature in a `SigningResult`.
    public struct SignatureSummary: Sendable, Hashable, Codable {
        public var position: Int
        public var signatureID: String
        public var signer: String
        public var signerEmail: String
        public var lookupCode: String
        /// SHA-256 of the signed PDF right after this signature.
        public var sha256: String

        enum CodingKeys: String, CodingKey {
            case position, signer, sha256
            case signatureID = "signature_id"
            case signerEmail = "signer_email"
            case lookupCode = "lookup_code"
        }

        /// The summary of signature `signatureID` by `signer`; the lookup code is the one its stamp prints.
        init(position: Int, signatureID: String, signer: Approver?, sha256: String) {
            self.position = position
            self.signatureID = signatureID
            self.signer = signer?.name ?? ""
            signerEmail = signer?.email ?? ""
            lookupCode = LookupCode(signatureID: signatureID)?.grouped ?? ""
            self.sha256 = sha256
        }
    }

    enum CodingKeys: String, CodingKey {
        case request, token, sha256, signatures
        case remainingSigners = "remaining_signers"
        case signatureID = "signature_id"
        case signedPDF = "signed_pdf"
        case verificationURL = "verification_url"
        case lookupCode = "lookup_code"
    }
}

extension Authority {
    /// Stores the file content-addressed and opens a pending request for it.
    /// The file is read first so that a password-protected or unreadable PDF is
    /// refused at the desk, not at signing time.
    public func submit(file: URL, user: String, name: String, type: String?, notes: String?,
                       identityKey: String? = nil) throws -> ApprovalRequest {
        try Self.checkSignable(file)
        let requester = try registry.findUser(user)
        let stored = try registry.fileStore.store(fileAt: file)
        return try registry.submit(user: requester.id, name: name, type: type, notes: notes,
                                   file: stored, identityKey: identityKey)
    }

    /// A request that several approvers sign in order (`--signers`): each name
    /// an approver or a group; `fields` gives signer positions (1-based) a
    /// signature field. The first signer finds a notice in the outbox.
    public func submit(file: URL, user: String, name: String, type: String?, notes: String?,
                       signers names: [String], fields: [Int: SigningTicket.SignatureFieldChoice] = [:]) throws -> ApprovalRequest {
        var choices = try registry.resolveSigners(names)
        for (position, field) in fields {
            guard choices.indices.contains(position - 1) else {
                throw AuthorityError(.usage, "--field names signer \(position), but there are \(choices.count) signers")
            }
            choices[position - 1].page = field.page
            choices[position - 1].x = field.x
            choices[position - 1].y = field.y
            choices[position - 1].size = field.size
        }
        guard choices.count > 1 else {
            return try submit(file: file, user: user, name: name, type: type, notes: notes)
        }
        try Self.checkSignable(file)
        let requester = try registry.findUser(user)
        let stored = try registry.fileStore.store(fileAt: file)
        let request = try registry.submit(user: requester.id, name: name, type: type, notes: notes, file: stored,
                                          signers: choices)
        try notifyNextSigner(of: request)
        return request
    }

    /// A new version of a rejected request; with several signers the order starts again.
    public func resubmit(request: Int64, file: URL) throws -> ApprovalRequest {
        try Self.checkSignable(file)
        let stored = try registry.fileStore.store(fileAt: file)
        let updated = try registry.resubmit(request: request, file: stored)
        try notifyNextSigner(of: updated)
        return updated
    }

    /// A signer (or the one approver) approves.
    public func approve(request: Int64, by approver: String, notes: String?) throws -> (ApprovalRequest, Approver) {
        let found = try registry.findApprover(approver)
        return (try registry.approve(request: request, by: found.id, notes: notes), found)
    }

    /// A signer (or the one approver) rejects; with several signers the
    /// requester finds the reason in the outbox.
    public func reject(request id: Int64, by approver: String, reason: String) throws -> (ApprovalRequest, Approver) {
        let found = try registry.findApprover(approver)
        let request = try registry.reject(request: id, by: found.id, reason: reason)
        if try !registry.signers(of: id).isEmpty {
            let detail = try registry.request(id: id)
            try outbox.post(outbox.rejected(request: request, requester: detail.user, by: found, reason: reason))
        }
        return (request, found)
    }

    public var outbox: Outbox {
        Outbox(directory: home.outboxDirectory, authorityName: settings.name, baseURL: settings.baseURL)
    }

    /// Writes the notice to the signer whose turn it is, or to the requester
    /// once every signer has signed (nothing for a request with one approver).
    func notifyNextSigner(of request: ApprovalRequest) throws {
        try notifyNextSigner(try registry.request(id: request.id), signers: try registry.signers(of: request.id))
    }

    /// The same, with the request and its signers already read.
    func notifyNextSigner(_ detail: RequestDetail, signers: [(signer: RequestSigner, approver: Approver)]) throws {
        guard !signers.isEmpty else { return }
        let request = detail.request
        if let next = signers.first(where: { $0.signer.state != .signed }) {
            let earlier = signers.filter { $0.signer.state == .signed }.map(\.approver.name)
            try outbox.post(outbox.yourTurn(request: request, signer: next.approver, position: next.signer.position,
                                            of: signers.count, earlier: earlier))
        } else {
            try outbox.post(outbox.completed(request: request, requester: detail.user,
                                             verificationURL: detail.signature?.verificationURL ?? settings.baseURL))
        }
    }

    /// Signs an approved request: the stored file must still hash to the approved
    /// hash (else nothing is signed and a `signing_failed` row says why); the
    /// signed PDF is written before the registry records it, and removed again if
    /// the registry refuses (another process signed the request meanwhile).
    public func sign(request id: Int64, with signer: DocumentSigner, options: SigningOptions,
                     now: Date = Date()) throws -> SigningResult {
        let ticket = try registry.prepareSigning(request: id)
        // From the second signer on, the file is the one the previous signer signed.
        let fileURL = ticket.continuation?.fileURL ?? ticket.fileURL
        let expected = ticket.continuation?.sha256 ?? ticket.version.fileSHA256
        let label = ticket.continuation == nil ? "the stored file \(ticket.version.storedPath)" : "the signed file \(fileURL.path)"
        // Read once: the bytes checked against the approved hash are the bytes signed.
        let input: Data
        do {
            input = try Data(contentsOf: fileURL)
        } catch {
            _ = try? registry.recordSigningFailure(request: id, reason: "\(label) cannot be read", approver: ticket.approver.id)
            throw AuthorityError(.refused, "request \(id): \(label) cannot be read; nothing was signed")
        }
        let current = Digest.hex(Digest.sha256(input))
        guard current == expected else {
            _ = try registry.recordSigningFailure(
                request: id, reason: "\(label) has hash \(current), not the expected \(expected)", approver: ticket.approver.id)
            throw AuthorityError(.refused, ticket.continuation == nil
                ? "request \(id): the stored file no longer matches the approved SHA-256; nothing was signed"
                : "request \(id): \(label) is not the file signer \(ticket.position - 1) signed; nothing was signed")
        }
        func position(_ field: SigningTicket.SignatureFieldChoice?) -> StampPosition {
            var position = options.position
            guard let field else { return position }
            if let page = field.page { position.page = .number(page) }
            position.x = field.x
            position.y = field.y
            if let size = field.size { position.size = size }
            return position
        }
        var options = options
        options.position = position(ticket.field)
        let result = try signAndRecord(
            pdf: input, fileLabel: ticket.version.originalFilename, approvers: [ticket.approver],
            documentHash: current, token: ticket.continuation?.token, firstPosition: ticket.position,
            signerCount: ticket.signerCount,
            reserving: ticket.laterFields.map { $0 == nil ? Self.automatic(options.position) : position($0) },
            signer: signer, options: options, now: now,
            failed: { reason in
                _ = try? self.registry.recordSigningFailure(request: id, reason: reason, approver: ticket.approver.id)
            },
            record: { document in
                var document = document
                document.requestID = id
                _ = try self.registry.completeSigning(document)
                return id
            })
        guard ticket.signerCount > 1 else { return result }
        let detail = try registry.request(id: id)
        let signers = try registry.signers(of: id)
        try notifyNextSigner(detail, signers: signers)
        var reported = result
        reported.remainingSigners = signers.filter { $0.signer.state != .signed }.map(\.approver.name)
        // Every signature so far, not only this signer's.
        reported.signatures = try signatureSummaries(of: detail.keys)
        return reported
    }

    /// What `--json` reports of each signature of a document several signed.
    func signatureSummaries(of keys: [DigitalSignature]) throws -> [SigningResult.SignatureSummary] {
        try keys.map { key in
            SigningResult.SignatureSummary(position: key.signerPosition, signatureID: key.signatureID,
                                           signer: try key.signerID.map { try registry.approver(id: $0) },
                                           sha256: key.signedHash ?? "")
        }
    }

    /// `segel batch`, for a row seen for the first time: signs the PDF bytes,
    /// stores them, and records the request as submitted by `user`, approved by
    /// `approver` and signed, in one registry transaction — so a crash leaves
    /// the row either done or untouched. A PDF that cannot be signed is refused
    /// before anything is stored. `.duplicate` (another process recorded the
    /// same `identityKey` meanwhile) removes the signed PDF again. `sha256` is
    /// the hex SHA-256 of `input` (the caller hashed it for the identity key);
    /// the registry checks it against the hash of the stored copy.
    public func submitAndSign(pdf input: Data, sha256: String, fileLabel: String, fileName: String,
                              user: Int64, name: String,
                              type: String?, notes: String?, identityKey: String?,
                              approver: Approver, approvalNotes: String?,
                              signer: DocumentSigner, options: SigningOptions, now: Date = Date(),
                              signers choices: [SignerChoice] = []) throws -> SigningResult {
        guard !input.isEmpty else { throw AuthorityError(.refused, "\(fileLabel) is empty") }
        guard choices.isEmpty || choices[0].approverID == approver.id else {
            throw AuthorityError(.usage, "the first of the signers is not approver \(approver.id) \(approver.name)")
        }
        let approvers = [approver] + (try choices.dropFirst().map { try registry.approver(id: $0.approverID) })
        if approvers.count > 1, options.position.x != nil || options.position.y != nil {
            throw AuthorityError(.usage, "--x and --y place one stamp; with \(approvers.count) signers the stamps are placed side by side in blank space (or give each signer a field with `request submit --signers`)")
        }
        return try signAndRecord(
            pdf: input, fileLabel: fileLabel, approvers: approvers, documentHash: sha256,
            signer: signer, options: options, now: now, failed: { _ in },
            record: { document in
                let stored = try self.registry.fileStore.store(data: input, name: fileName)
                return try self.registry.submit(user: user, name: name, type: type, notes: notes, file: stored,
                                                identityKey: identityKey, approvedBy: (approver.id, approvalNotes),
                                                signed: document, signers: choices).id
            })
    }

    /// Signs `input` for `approvers` in order — each a fresh key and an
    /// incremental update of its own — under `token` (a fresh one when nil),
    /// writes the signed PDF under a pending name, lets `record` enter it in
    /// the registry (returning the request id), and only then gives the PDF its
    /// final name. `firstPosition` and `signerCount` place these signers among
    /// all of the document's: the first of several certifies the document
    /// (DocMDP P=2), the last closes it. A crash in between leaves a pending
    /// file that `recoverInterruptedSigning()` finishes (recorded) or removes
    /// (not recorded). `failed` hears why signing failed.
    private func signAndRecord(pdf input: Data, fileLabel: String, approvers: [Approver], documentHash: String,
                               token existingToken: String? = nil, firstPosition: Int = 1, signerCount: Int? = nil,
                               reserving reservedPositions: [StampPosition]? = nil, signer: DocumentSigner, options: SigningOptions, now: Date,
                               failed: (String) -> Void,
                               record: (SignedDocument) throws -> Int64) throws -> SigningResult {
        // 17 bytes: 136 random bits, so at least 128 remain after Random.token's leading-dash rule.
        let token = try existingToken ?? Random.token(byteCount: 17)
        let count = signerCount ?? approvers.count
        var pdf = input
        var steps: [SignedStep] = []
        var summaries: [SigningResult.SignatureSummary] = []
        for (offset, approver) in approvers.enumerated() {
            let position = firstPosition + offset
            let signatureID = try Self.makeSignatureID()
            let stampPosition = options.position
            let signed: SignedPDF
            do {
                signed = try signer.sign(
                    pdf: pdf, fileLabel: fileLabel,
                    signer: SignerIdentity(name: approver.name, title: approver.title, email: approver.email),
                    token: token, signatureID: signatureID, keyType: options.keyType, position: stampPosition,
                    certifies: position == 1 && count > 1, closes: position == count,
                    reserving: position == 1 && count > 1
                        ? reservedPositions ?? Array(repeating: Self.automatic(options.position), count: count - 1) : [],
                    filling: position > 1 ? DocumentSigner.reservedFieldName(position: position) : nil,
                    now: now)
            } catch {
                let reason = (error as? AuthorityError)?.message ?? "\(error)"
                failed(count > 1 ? "signer \(position) \(approver.name): \(reason)" : reason)
                throw error
            }
            var key = Self.keyMaterial(signed)
            if settings.retainKeys, let passphrase = signer.retainPassphrase {
                key.encryptedPrivateKeyPEM = String(decoding: try signed.key.encryptedPKCS8PEM(passphrase: passphrase), as: UTF8.self)
            }
            steps.append(SignedStep(
                signatureID: signatureID, signerApproverID: approver.id, key: key,
                qr: QRPlacement(page: signed.pageIndex + 1, x: signed.rect[0], y: signed.rect[1], size: stampPosition.size),
                qrModules: signed.qr.archived, signedAt: now, signedHash: signed.sha256))
            summaries.append(SigningResult.SignatureSummary(position: position, signatureID: signatureID,
                                                            signer: approver, sha256: signed.sha256))
            pdf = signed.data
        }
        guard let first = steps.first, let last = steps.last else {
            throw AuthorityError(.usage, "no signer was named")
        }

        let output = home.signedPDF(token: token)
        let pending = home.pendingSignedPDF(token: token)
        try AtomicFile.writeNew(pdf, to: pending)
        // `record` sets the request id.
        var document = SignedDocument(
            requestID: 0, token: token, signatureID: first.signatureID,
            documentHash: documentHash, finalHash: last.signedHash,
            finalPDFPath: output.path, verificationURL: settings.verificationURL(token: token),
            qr: first.qr, signedAt: now, signerApproverID: first.signerApproverID, key: first.key,
            qrModules: first.qrModules)
        document.laterSteps = Array(steps.dropFirst())
        document.firstSignedHash = first.signedHash
        let requestID: Int64
        do {
            requestID = try record(document)
        } catch {
            try? FileManager.default.removeItem(at: pending)
            throw error
        }
        guard rename(pending.path, output.path) == 0 else {
            throw AuthorityError(.io, "cannot move the signed PDF into \(output.path): \(String(cString: strerror(errno)))")
        }
        return SigningResult(request: requestID, token: token, signatureID: last.signatureID, signedPDF: output.path,
                             sha256: last.signedHash, verificationURL: document.verificationURL,
                             lookupCode: LookupCode(signatureID: last.signatureID)?.grouped ?? "",
                             signatures: count > 1 ? summaries : nil,
                             remainingSigners: count > 1 && firstPosition + approvers.count - 1 == count ? [] : nil)
    }

    /// `position` without explicit coordinates: where a later signer's stamp
    /// goes when one call signs for several.
    private static func automatic(_ position: StampPosition) -> StampPosition {
        var position = position
        position.x = nil
        position.y = nil
        return position
    }

    /// What the registry keeps of a signature's key and certificate.
    private static func keyMaterial(_ signed: SignedPDF) -> KeyMaterial {
        let certificate = signed.certificate
        return KeyMaterial(
            publicKeyPEM: certificate.publicKeyPEM,
            encryptedPrivateKeyPEM: nil,
            algorithm: signed.key.algorithmName,
            keyLength: signed.key.bits,
            certificatePEM: certificate.pem,
            serialHex: certificate.serialHex,
            validFrom: certificate.notBefore,
            validUntil: certificate.notAfter,
            certificateSummary: Self.summary(of: certificate))
    }

    /// Finishes what a killed segel process left: a pending signed PDF the
    /// registry recorded takes its final name, one it never recorded is removed,
    /// and orphaned temporary files go. Files of live processes are left alone.
    @discardableResult
    public func recoverInterruptedSigning() throws -> (completed: Int, discarded: Int) {
        let dir = home.signedDirectory
        var completed = 0, discarded = 0
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        for name in names where AtomicFile.isOrphan(name, prefix: AuthorityHome.pendingPrefix) {
            let pending = dir.appendingPathComponent(name)
            let afterPID = name.dropFirst(AuthorityHome.pendingPrefix.count).drop { $0.isNumber }.dropFirst()
            let token = String(afterPID.dropLast(4))
            // Recorded means the registry holds this very file: with several signers a
            // token is recorded before the next signer's file is.
            if let recorded = try? registry.signature(token: token), let finalHash = recorded.finalHash,
               let data = try? Data(contentsOf: pending), Digest.hex(Digest.sha256(data)) == finalHash.lowercased() {
                let output = home.signedPDF(token: token)
                if rename(pending.path, output.path) == 0 { completed += 1 }
            } else {
                if unlink(pending.path) == 0 { discarded += 1 }
            }
        }
        AtomicFile.sweep(dir)
        AtomicFile.sweep(home.filesDirectory)
        return (completed, discarded)
    }

    /// `segel sign-file`: submit, approve and sign in one step, by the same path
    /// as a `segel batch` row: the file is read once, the bytes hashed are the
    /// bytes signed and stored, the PDF is parsed once (by the signer), and the
    /// request is recorded as submitted, approved and signed in one registry
    /// transaction only after signing succeeded — a file that cannot be signed
    /// (or a stamp that does not fit) leaves the registry as it was. Without a
    /// user, the approver is recorded as the requester (added as a user the
    /// first time, which is then the one other write).
    public func signFile(_ file: URL, approvers names: [String], name: String, user: String?, type: String?,
                         notes: String?, signer: DocumentSigner, options: SigningOptions) throws -> SigningResult {
        let choices = try registry.resolveSigners(names)
        let approverRecord = try registry.approver(id: choices[0].approverID)
        let input = try Self.readSubmitted(file)
        let requester: User
        if let user {
            requester = try registry.findUser(user)
        } else if let existing = try? registry.findUser(approverRecord.email) {
            requester = existing
        } else {
            // The one write before signing: check first that the file can be read.
            _ = try DocumentSigner.open(input, fileLabel: file.path)
            requester = try registry.addUser(name: approverRecord.name, email: approverRecord.email, nim: nil)
        }
        return try submitAndSign(
            pdf: input, sha256: Digest.hex(Digest.sha256(input)), fileLabel: file.path, fileName: file.lastPathComponent,
            user: requester.id, name: name, type: type, notes: notes, identityKey: nil,
            approver: approverRecord, approvalNotes: "approved and signed with sign-file",
            signer: signer, options: options, signers: choices)
    }

    /// `SIG-` and 16 characters of Crockford base32 (80 random bits).
    static func makeSignatureID() throws -> String {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        let bytes = try Random.bytes(10)
        var bits = 0, value = 0
        var out = "SIG-"
        for byte in bytes {
            value = (value << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                out.append(alphabet[(value >> bits) & 31])
            }
        }
        return out
    }

    /// Refuses a file that is missing, empty, not a PDF, password-protected or unreadable.
    static func checkSignable(_ file: URL) throws {
        _ = try DocumentSigner.open(try readSubmitted(file), fileLabel: file.path)
    }

    /// The bytes of a submitted file; a missing or empty one is refused.
    private static func readSubmitted(_ file: URL) throws -> Data {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw AuthorityError(.usage, "cannot read \(file.path)")
        }
        guard !data.isEmpty else { throw AuthorityError(.refused, "\(file.path) is empty") }
        return data
    }
}
