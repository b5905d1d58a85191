import Foundation
import Hashing
import GRDB
@testable import Registry

/// A registry in its own temporary home, removed when the fixture goes away.
final class Fixture: @unchecked Sendable {
    let home: URL
    let registry: Registry
    let clock: TestClock

    init(waitLimit: TimeInterval = Registry.defaultWaitLimit,
         onWait: (@Sendable (String) -> Void)? = nil) throws {
        home = FileManager.default.temporaryDirectory
            .appendingPathComponent("segel-registry-tests-\(UUID().uuidString)", isDirectory: true)
        clock = TestClock()
        let clock = clock
        registry = try Registry(home: home, create: true, actor: "test", waitLimit: waitLimit,
                                onWait: onWait, clock: { clock.tick() })
    }

    deinit {
        try? FileManager.default.removeItem(at: home)
    }

    /// Another `Registry` on the same home, as a second process would open it.
    func secondRegistry(waitLimit: TimeInterval = Registry.defaultWaitLimit,
                        onWait: (@Sendable (String) -> Void)? = nil) throws -> Registry {
        let clock = clock
        return try Registry(home: home, actor: "second", waitLimit: waitLimit, onWait: onWait,
                            clock: { clock.tick() })
    }

    var databasePath: String { registry.databaseURL.path }

    /// Writes a small file that starts with a PDF header; `body` makes it unique.
    func pdf(_ body: String, name: String? = nil) throws -> URL {
        let folder = home.appendingPathComponent("incoming", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name ?? "\(UUID().uuidString).pdf")
        try Data("%PDF-1.7\n% \(body)\n%%EOF\n".utf8).write(to: url)
        return url
    }

    func stored(_ body: String) throws -> StoredFile {
        try registry.fileStore.store(fileAt: try pdf(body, name: "\(body).pdf"))
    }

    /// Initialises the authority and adds one user and one approver.
    func people() throws -> (User, Approver) {
        try registry.initialize(authority: AuthoritySetup(
            name: "Universitas Contoh", baseURL: "https://verify.example.ac.id/", siteDir: "site"))
        let user = try registry.addUser(name: "Siti Aminah", email: "Siti@Example.ac.id", nim: "2021001")
        let approver = try registry.addApprover(name: "Dr. Budi Santoso", email: "budi@example.ac.id",
                                                nidn: "0011223344", title: "Kepala Program Studi")
        return (user, approver)
    }

    /// An approved request, ready to sign.
    func approvedRequest(_ body: String = "document", user: User, approver: Approver) throws -> ApprovalRequest {
        let request = try registry.submit(user: user.id, name: "Transkrip Nilai \(body)", type: "transcript",
                                          notes: nil, file: try stored(body))
        return try registry.approve(request: request.id, by: approver.id, notes: "ok")
    }

    /// What signing would hand back for `ticket`; `n` makes token, id and serial unique.
    func signedDocument(_ ticket: SigningTicket, n: Int, validDays: Double = 365) -> SignedDocument {
        signedDocument(request: ticket.requestID, documentHash: ticket.version.fileSHA256,
                       approver: ticket.approver.id, baseURL: ticket.authority.baseURL, n: n, validDays: validDays)
    }

    /// The same for a request that does not exist yet (`submit(…, signed:)`).
    func signedDocument(request: Int64 = 0, documentHash: String, approver: Int64,
                        baseURL: String = "https://verify.example.ac.id", n: Int,
                        validDays: Double = 365) -> SignedDocument {
        let signedAt = Date(timeIntervalSince1970: 1_750_000_000)
        let token = "tok\(n)-" + String(repeating: "A", count: 22)
        return SignedDocument(
            requestID: request, token: token, signatureID: "SIG-\(String(format: "%06d", n))",
            documentHash: documentHash,
            finalHash: Digest.hex(Digest.sha256(Data("signed \(n)".utf8))),
            finalPDFPath: home.appendingPathComponent("signed/\(n).pdf").path,
            verificationURL: "\(baseURL)/v/\(token)/",
            qr: QRPlacement(page: 1, x: 420, y: 40, size: 96), signedAt: signedAt,
            signerApproverID: approver,
            key: KeyMaterial(publicKeyPEM: "-----BEGIN PUBLIC KEY-----\nMFk=\n-----END PUBLIC KEY-----\n",
                             encryptedPrivateKeyPEM: nil, algorithm: "RSA-SHA256", keyLength: 2048,
                             certificatePEM: "-----BEGIN CERTIFICATE-----\nMII=\n-----END CERTIFICATE-----\n",
                             serialHex: String(format: "%02X", n) + "0A0B0C",
                             validFrom: signedAt, validUntil: signedAt.addingTimeInterval(validDays * 86_400)),
            signatureMetadata: ["subfilter": "ETSI.CAdES.detached"])
    }

    /// Signs an approved request end to end (prepare + complete).
    @discardableResult
    func sign(_ request: ApprovalRequest, n: Int, validDays: Double = 365) throws -> DocumentSignature {
        let ticket = try registry.prepareSigning(request: request.id)
        return try registry.completeSigning(signedDocument(ticket, n: n, validDays: validDays))
    }

    /// Row counts of every table, to show that a failed operation left nothing behind.
    func rowCounts() throws -> [String: Int] {
        let queue = try DatabaseQueue(path: databasePath)
        return try queue.read { db in
            var counts: [String: Int] = [:]
            for table in ["authority", "users", "approvers", "approval_requests", "document_versions",
                          "document_signatures", "digital_signatures", "signature_audit_logs",
                          "signature_verification_logs"] {
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)")
            }
            return counts
        }
    }

    /// Runs SQL through the real `sqlite3` command-line shell.
    @discardableResult
    func sqlite(_ sql: String) throws -> String {
        try runProcess("/usr/bin/sqlite3", [databasePath, sql])
    }
}
