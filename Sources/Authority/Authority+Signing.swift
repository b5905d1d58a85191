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

    enum CodingKeys: String, CodingKey {
        case request, token, sha256
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

    /// A new version of a rejected request.
    public func resubmit(request: Int64, file: URL) throws -> ApprovalRequest {
        try Self.checkSignable(file)
        let stored = try registry.fileStore.store(fileAt: file)
        return try registry.resubmit(request: request, file: stored)
    }

    /// Signs an approved request: the stored file must still hash to the approved
    /// hash (else nothing is signed and a `signing_failed` row says why); the
    /// signed PDF is written before the registry records it, and removed again if
    /// the registry refuses (another process signed the request meanwhile).
    public func sign(request id: Int64, with signer: DocumentSigner, options: SigningOptions,
                     now: Date = Date()) throws -> SigningResult {
        let ticket = try registry.prepareSigning(request: id)
        // Read once: the bytes checked against the approved hash are the bytes signed.
        let input: Data
        do {
            input = try Data(contentsOf: ticket.fileURL)
        } catch {
            _ = try? registry.recordSigningFailure(request: id, reason: "the stored file \(ticket.version.storedPath) cannot be read")
            throw AuthorityError(.refused, "request \(id): the stored file \(ticket.version.storedPath) cannot be read; nothing was signed")
        }
        let current = Digest.hex(Digest.sha256(input))
        guard current == ticket.version.fileSHA256 else {
            _ = try registry.recordSigningFailure(
                request: id, reason: "stored file hash \(current) differs from the approved hash \(ticket.version.fileSHA256)")
            throw AuthorityError(.refused, "request \(id): the stored file no longer matches the approved SHA-256; nothing was signed")
        }
        return try signAndRecord(
            pdf: input, fileLabel: ticket.version.originalFilename, approver: ticket.approver,
            documentHash: ticket.version.fileSHA256, signer: signer, options: options, now: now,
            failed: { reason in _ = try? self.registry.recordSigningFailure(request: id, reason: reason) },
            record: { document in
                var document = document
                document.requestID = id
                _ = try self.registry.completeSigning(document)
                return id
            })
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
                              signer: DocumentSigner, options: SigningOptions, now: Date = Date()) throws -> SigningResult {
        guard !input.isEmpty else { throw AuthorityError(.refused, "\(fileLabel) is empty") }
        return try signAndRecord(
            pdf: input, fileLabel: fileLabel, approver: approver, documentHash: sha256,
            signer: signer, options: options, now: now, failed: { _ in },
            record: { document in
                let stored = try self.registry.fileStore.store(data: input, name: fileName)
                return try self.registry.submit(user: user, name: name, type: type, notes: notes, file: stored,
                                                identityKey: identityKey, approvedBy: (approver.id, approvalNotes),
                                                signed: document).id
            })
    }

    /// Signs `input` with a fresh token and key, writes the signed PDF under a
    /// pending name, lets `record` enter it in the registry (returning the
    /// request id), and only then gives the PDF its final name. A crash in
    /// between leaves a pending file that `recoverInterruptedSigning()` finishes
    /// (recorded) or removes (not recorded). `failed` hears why signing failed.
    private func signAndRecord(pdf input: Data, fileLabel: String, approver: Approver, documentHash: String,
                               signer: DocumentSigner, options: SigningOptions, now: Date,
                               failed: (String) -> Void,
                               record: (SignedDocument) throws -> Int64) throws -> SigningResult {
        // 17 bytes: 136 random bits, so at least 128 remain after Random.token's leading-dash rule.
        let token = try Random.token(byteCount: 17)
        let signatureID = try Self.makeSignatureID()
        let signed: SignedPDF
        do {
            signed = try signer.sign(
                pdf: input, fileLabel: fileLabel,
                signer: SignerIdentity(name: approver.name, title: approver.title, email: approver.email),
                token: token, signatureID: signatureID, keyType: options.keyType, position: options.position, now: now)
        } catch {
            failed((error as? AuthorityError)?.message ?? "\(error)")
            throw error
        }

        let output = home.signedPDF(token: token)
        let pending = home.pendingSignedPDF(token: token)
        try AtomicFile.writeNew(signed.data, to: pending)
        let certificate = signed.certificate
        let key = KeyMaterial(
            publicKeyPEM: certificate.publicKeyPEM,
            encryptedPrivateKeyPEM: nil,
            algorithm: signed.key.algorithmName,
            keyLength: signed.key.bits,
            certificatePEM: certificate.pem,
            serialHex: certificate.serialHex,
            validFrom: certificate.notBefore,
            validUntil: certificate.notAfter,
            certificateSummary: Self.summary(of: certificate))
        // `record` sets the request id.
        var document = SignedDocument(
            requestID: 0, token: token, signatureID: signatureID,
            documentHash: documentHash, finalHash: signed.sha256,
            finalPDFPath: output.path, verificationURL: settings.verificationURL(token: token),
            qr: QRPlacement(page: signed.pageIndex + 1, x: signed.rect[0], y: signed.rect[1],
                            size: options.position.size),
            signedAt: now, signerApproverID: approver.id, key: key, qrModules: signed.qr.archived)
        if settings.retainKeys, let passphrase = signer.retainPassphrase {
            document.key.encryptedPrivateKeyPEM = String(decoding: try signed.key.encryptedPKCS8PEM(passphrase: passphrase), as: UTF8.self)
        }
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
        return SigningResult(request: requestID, token: token, signatureID: signatureID, signedPDF: output.path,
                             sha256: signed.sha256, verificationURL: document.verificationURL,
                             lookupCode: LookupCode(signatureID: signatureID)?.grouped ?? "")
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
            if (try? registry.signature(token: token)) != nil {
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
    public func signFile(_ file: URL, approver: String, name: String, user: String?, type: String?,
                         notes: String?, signer: DocumentSigner, options: SigningOptions) throws -> SigningResult {
        let approverRecord = try registry.findApprover(approver)
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
            signer: signer, options: options)
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
