import Foundation
import Hashing
import GRDB
import Testing
@testable import Registry

@Suite struct WorkflowTests {
    @Test func wholeLifecycleFromSubmitToInvalidation() throws {
        let fixture = try Fixture()
        let registry = fixture.registry
        let (user, approver) = try fixture.people()

        let first = try fixture.stored("first draft")
        var request = try registry.submit(user: user.id, name: "Transkrip Nilai", type: "transcript",
                                          notes: "semester 6", file: first)
        #expect(request.status == .pending)
        #expect(request.currentVersionID != nil)

        request = try registry.reject(request: request.id, by: approver.id, reason: "wrong semester")
        #expect(request.status == .rejected)
        #expect(request.rejectionReason == "wrong semester")
        #expect(request.rejectedBy == approver.id)

        let second = try fixture.stored("second draft")
        request = try registry.resubmit(request: request.id, file: second)
        #expect(request.status == .pending)
        #expect(request.rejectionReason == nil)

        request = try registry.approve(request: request.id, by: approver.id, notes: "fine now")
        #expect(request.status == .approved)
        #expect(request.approvedBy == approver.id)
        #expect(request.workflowMetadata?["document_hash"] == second.sha256)

        let ticket = try registry.prepareSigning(request: request.id)
        #expect(ticket.version.fileSHA256 == second.sha256)
        #expect(ticket.version.version == 2)
        #expect(ticket.approver == approver)
        #expect(ticket.user == user)
        #expect(ticket.fileURL == fixture.home.appendingPathComponent(second.storedPath))
        #expect(Digest.hex(Digest.sha256(try Data(contentsOf: ticket.fileURL))) == ticket.version.fileSHA256)

        let result = fixture.signedDocument(ticket, n: 1)
        let signature = try registry.completeSigning(result)
        #expect(signature.signatureStatus == .signed)
        #expect(signature.documentHash == second.sha256)
        #expect(signature.token == result.token)
        #expect(signature.qrPage == 1 && signature.qrSize == 96)

        var detail = try registry.request(id: request.id)
        #expect(detail.request.status == .signApproved)
        #expect(detail.request.signApprovedBy == approver.id)
        #expect(detail.request.signedDocumentPath == result.finalPDFPath)
        #expect(detail.versions.map(\.version) == [1, 2])
        #expect(detail.versions.map(\.fileSHA256) == [first.sha256, second.sha256])
        #expect(detail.approvedVersion?.version == 2)
        #expect(detail.signature == signature)
        #expect(detail.key?.signatureID == "SIG-000001")
        #expect(detail.key?.status == .active)
        #expect(detail.key?.serialHex == "010a0b0c")
        #expect(detail.key?.privateKey == nil)
        #expect(try registry.signature(token: result.token) == signature)

        let invalid = try registry.invalidate(token: result.token, reason: "issued in error")
        #expect(invalid.signatureStatus == .invalid)
        #expect(invalid.invalidatedReason == "issued in error")
        detail = try registry.request(id: request.id)
        #expect(detail.request.status == .invalidSign)
        #expect(detail.key?.status == .revoked)
        #expect(detail.key?.revokedReason == "issued in error")

        #expect(detail.audit.map(\.action) == [
            .requestSubmitted, .requestRejected, .requestResubmitted, .requestApproved,
            .signatureInitiated, .signatureKeyGenerated, .documentSigned,
            .signatureInvalidated, .signatureKeyRevoked,
        ])
        #expect(detail.audit.allSatisfy { $0.actor == "test" })
        let revoked = try registry.revokedCertificates()
        #expect(revoked.map(\.serialHex) == ["010a0b0c"])
        #expect(revoked.first?.reason == "issued in error")
        #expect(try registry.verifyAuditChain().isIntact)
    }

    @Test func illegalTransitionsAreRefusedWithTheRightSentence() throws {
        let fixture = try Fixture()
        let registry = fixture.registry
        let (user, approver) = try fixture.people()
        let pending = try registry.submit(user: user.id, name: "A", file: try fixture.stored("a"))
        let rejected = try registry.submit(user: user.id, name: "B", file: try fixture.stored("b"))
        try registry.reject(request: rejected.id, by: approver.id, reason: "no")
        let approved = try fixture.approvedRequest("c", user: user, approver: approver)
        let signedRequest = try fixture.approvedRequest("d", user: user, approver: approver)
        let signature = try fixture.sign(signedRequest, n: 4)

        let before = try fixture.rowCounts()
        let cases: [(String, () throws -> Void)] = [
            ("request \(rejected.id) is rejected; only a pending request can be approved",
             { try registry.approve(request: rejected.id, by: approver.id) }),
            ("request \(approved.id) is already approved",
             { try registry.approve(request: approved.id, by: approver.id) }),
            ("request \(approved.id) is approved; only a pending request can be rejected",
             { try registry.reject(request: approved.id, by: approver.id, reason: "late") }),
            ("request \(pending.id) is pending; only a rejected request can be resubmitted",
             { try registry.resubmit(request: pending.id, file: try fixture.stored("a2")) }),
            ("request \(pending.id) is pending; only an approved request can be signed",
             { _ = try registry.prepareSigning(request: pending.id) }),
            ("request \(rejected.id) is rejected; only an approved request can be signed",
             { _ = try registry.prepareSigning(request: rejected.id) }),
            ("request \(signedRequest.id) is already sign_approved",
             { _ = try registry.prepareSigning(request: signedRequest.id) }),
            ("request \(signedRequest.id) is sign_approved; only a pending request can be rejected",
             { try registry.reject(request: signedRequest.id, by: approver.id, reason: "x") }),
        ]
        for (message, body) in cases {
            let error = #expect(throws: RegistryError.self) { try body() }
            #expect(error?.code == .illegalTransition)
            #expect(error?.message == message)
        }

        try registry.invalidate(token: signature.token, reason: "mistake")
        let again = #expect(throws: RegistryError.self) { try registry.invalidate(token: signature.token, reason: "x") }
        #expect(again?.message == "the signature with token \(signature.token) is already invalid")
        let verify = #expect(throws: RegistryError.self) { try registry.markVerified(token: signature.token) }
        #expect(verify?.message == "the signature with token \(signature.token) is invalid; only a signed signature can be marked verified")
        let revoke = #expect(throws: RegistryError.self) { try registry.revokeKey(signatureID: "SIG-000004", reason: "x") }
        #expect(revoke?.message == "key SIG-000004 is already revoked")
        // The refused steps changed nothing; only the invalidation above did.
        var expected = before
        expected["signature_audit_logs"]! += 2
        #expect(try fixture.rowCounts() == expected)
    }

    @Test func completeSigningTwiceIsRefused() throws {
        let fixture = try Fixture()
        let (user, approver) = try fixture.people()
        let request = try fixture.approvedRequest(user: user, approver: approver)
        let ticket = try fixture.registry.prepareSigning(request: request.id)
        try fixture.registry.completeSigning(fixture.signedDocument(ticket, n: 1))
        let before = try fixture.rowCounts()
        let error = #expect(throws: RegistryError.self) {
            try fixture.registry.completeSigning(fixture.signedDocument(ticket, n: 2))
        }
        #expect(error?.code == .illegalTransition)
        #expect(error?.message == "request \(request.id) is already sign_approved")
        #expect(try fixture.rowCounts() == before)
    }

    @Test func completeSigningChecksTheApprovedHashAndUniqueness() throws {
        let fixture = try Fixture()
        let (user, approver) = try fixture.people()
        let one = try fixture.approvedRequest("one", user: user, approver: approver)
        let two = try fixture.approvedRequest("two", user: user, approver: approver)
        try fixture.sign(one, n: 1)
        let ticket = try fixture.registry.prepareSigning(request: two.id)
        let before = try fixture.rowCounts()

        var wrongHash = fixture.signedDocument(ticket, n: 2)
        wrongHash.documentHash = Digest.hex(Digest.sha256(Data("something else".utf8)))
        let integrity = #expect(throws: RegistryError.self) { try fixture.registry.completeSigning(wrongHash) }
        #expect(integrity?.code == .integrity)
        #expect(integrity?.message == "the signed file's hash \(wrongHash.documentHash) is not request \(two.id)'s approved hash \(ticket.version.fileSHA256)")

        let sameToken = fixture.signedDocument(ticket, n: 1)
        let duplicate = #expect(throws: RegistryError.self) { try fixture.registry.completeSigning(sameToken) }
        #expect(duplicate?.code == .duplicate)
        #expect(duplicate?.message == "the token \(sameToken.token) is already used by request \(one.id)")

        var sameSerial = fixture.signedDocument(ticket, n: 2)
        sameSerial.key.serialHex = "010A0B0C"
        let serial = #expect(throws: RegistryError.self) { try fixture.registry.completeSigning(sameSerial) }
        #expect(serial?.message == "the certificate serial 010a0b0c is already used by key SIG-000001")

        var shortToken = fixture.signedDocument(ticket, n: 2)
        shortToken.token = "abc"
        let token = #expect(throws: RegistryError.self) { try fixture.registry.completeSigning(shortToken) }
        #expect(token?.code == .badInput)

        #expect(try fixture.rowCounts() == before)
        #expect(try fixture.registry.request(id: two.id).request.status == .approved)
    }

    @Test func failingOperationLeavesNoHalfDoneChange() throws {
        let fixture = try Fixture()
        let (user, approver) = try fixture.people()
        let request = try fixture.approvedRequest(user: user, approver: approver)
        let ticket = try fixture.registry.prepareSigning(request: request.id)
        // Make the key insert fail *after* the document signature row was written.
        try fixture.sqlite("""
            CREATE TRIGGER refuse_keys BEFORE INSERT ON digital_signatures
            BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END;
            """)
        let before = try fixture.rowCounts()
        let error = #expect(throws: RegistryError.self) {
            try fixture.registry.completeSigning(fixture.signedDocument(ticket, n: 1))
        }
        #expect(error?.code == .database)
        #expect(error?.message.contains("refused by test trigger") == true)
        #expect(try fixture.rowCounts() == before)
        #expect(try fixture.registry.request(id: request.id).request.status == .approved)

        // Same for submit: the version insert fails after the request row was written.
        try fixture.sqlite("""
            CREATE TRIGGER refuse_versions BEFORE INSERT ON document_versions
            BEGIN SELECT RAISE(ABORT, 'no versions'); END;
            """)
        let file = try fixture.stored("never")
        #expect(throws: RegistryError.self) { try fixture.registry.submit(user: user.id, name: "X", file: file) }
        #expect(try fixture.rowCounts() == before)

        try fixture.sqlite("DROP TRIGGER refuse_keys; DROP TRIGGER refuse_versions;")
        try fixture.registry.completeSigning(fixture.signedDocument(ticket, n: 1))
        #expect(try fixture.registry.verifyAuditChain().isIntact)
    }

    @Test func revokingAKeyInvalidatesItsDocument() throws {
        let fixture = try Fixture()
        let (user, approver) = try fixture.people()
        let request = try fixture.approvedRequest(user: user, approver: approver)
        let signature = try fixture.sign(request, n: 7)
        let key = try fixture.registry.revokeKey(signatureID: "SIG-000007", reason: "key compromise")
        #expect(key.status == .revoked)
        #expect(key.revokedReason == "key compromise")
        let detail = try fixture.registry.request(id: request.id)
        #expect(detail.signature?.signatureStatus == .invalid)
        #expect(detail.signature?.invalidatedReason == "key SIG-000007 revoked: key compromise")
        #expect(detail.request.status == .invalidSign)
        #expect(detail.audit.suffix(2).map(\.action) == [.signatureKeyRevoked, .signatureInvalidated])
        let again = #expect(throws: RegistryError.self) {
            try fixture.registry.invalidate(token: signature.token, reason: "x")
        }
        #expect(again?.message == "the signature with token \(signature.token) is already invalid")
        #expect(try fixture.registry.revokedCertificates().map(\.signatureID) == ["SIG-000007"])
        let unknown = #expect(throws: RegistryError.self) { try fixture.registry.revokeKey(signatureID: "SIG-X", reason: "x") }
        #expect(unknown?.code == .notFound)
        #expect(unknown?.message == "no key has the id SIG-X")
    }

    @Test func markVerifiedOnceThenLeavesItAlone() throws {
        let fixture = try Fixture()
        let (user, approver) = try fixture.people()
        let signature = try fixture.sign(try fixture.approvedRequest(user: user, approver: approver), n: 1)
        #expect(try fixture.registry.markVerified(token: signature.token).signatureStatus == .verified)
        let rows = try fixture.registry.audit(action: .signatureVerified).count
        #expect(rows == 1)
        #expect(try fixture.registry.markVerified(token: signature.token).signatureStatus == .verified)
        #expect(try fixture.registry.audit(action: .signatureVerified).count == 1)
        // A verified signature can still be invalidated.
        #expect(try fixture.registry.invalidate(token: signature.token, reason: "withdrawn").signatureStatus == .invalid)
        let missing = #expect(throws: RegistryError.self) { try fixture.registry.markVerified(token: "nope") }
        #expect(missing?.message == "no signed document has the token nope")
    }

    @Test func signingFailureIsAuditedAndLeavesTheRequestSignable() throws {
        let fixture = try Fixture()
        let (user, approver) = try fixture.people()
        let request = try fixture.approvedRequest(user: user, approver: approver)
        let entry = try fixture.registry.recordSigningFailure(
            request: request.id, reason: "stored file no longer matches the approved hash")
        #expect(entry.action == .signingFailed)
        #expect(entry.approvalRequestID == request.id)
        #expect(entry.metadata?["reason"] == "stored file no longer matches the approved hash")
        #expect(try fixture.registry.request(id: request.id).request.status == .approved)
        try fixture.sign(request, n: 1)
    }

    @Test func keysExpireAndExpiringKeysAreListed() throws {
        let fixture = try Fixture()
        let (user, approver) = try fixture.people()
        let signedAt = Date(timeIntervalSince1970: 1_750_000_000)
        try fixture.sign(try fixture.approvedRequest("5", user: user, approver: approver), n: 1, validDays: 5)
        try fixture.sign(try fixture.approvedRequest("20", user: user, approver: approver), n: 2, validDays: 20)
        try fixture.sign(try fixture.approvedRequest("400", user: user, approver: approver), n: 3, validDays: 400)

        let now = signedAt.addingTimeInterval(86_400)
        #expect(try fixture.registry.keys(.expiring, now: now).map(\.signatureID) == ["SIG-000001", "SIG-000002"])
        #expect(try fixture.registry.keys(.active).count == 3)
        let stats = try fixture.registry.statistics(now: now)
        #expect(stats.keysExpiringWithin7Days == 1)
        #expect(stats.keysExpiringWithin30Days == 2)

        let later = signedAt.addingTimeInterval(10 * 86_400)
        let expired = try fixture.registry.expireKeys(now: later)
        #expect(expired.map(\.signatureID) == ["SIG-000001"])
        #expect(try fixture.registry.keys(.expired).map(\.signatureID) == ["SIG-000001"])
        #expect(try fixture.registry.expireKeys(now: later).isEmpty)
        #expect(try fixture.registry.audit(action: .signatureKeyExpired).count == 1)
        // An expired key can still be revoked, so the CRL lists the invalidated document's certificate.
        let token = try fixture.registry.key(signatureID: "SIG-000001").documentSignatureID
        let signature = try fixture.registry.allPublishedDocuments().first { $0.signature.id == token }!.signature
        try fixture.registry.invalidate(token: signature.token, reason: "withdrawn")
        #expect(try fixture.registry.key(signatureID: "SIG-000001").status == .revoked)
        let revoke = #expect(throws: RegistryError.self) { try fixture.registry.revokeKey(signatureID: "SIG-000001", reason: "x") }
        #expect(revoke?.message == "key SIG-000001 is already revoked")
    }

    @Test func statisticsPublishedDocumentsAndLastChange() throws {
        let fixture = try Fixture()
        let (user, approver) = try fixture.people()
        _ = try fixture.registry.submit(user: user.id, name: "pending", file: try fixture.stored("p"))
        let signed = try fixture.sign(try fixture.approvedRequest("s", user: user, approver: approver), n: 1)
        let other = try fixture.sign(try fixture.approvedRequest("t", user: user, approver: approver), n: 2)
        try fixture.registry.invalidate(token: other.token, reason: "x")

        let stats = try fixture.registry.statistics(now: Date(timeIntervalSince1970: 1_750_000_000))
        #expect(stats.users == 1 && stats.approvers == 1)
        #expect(stats.requestsByStatus == ["pending": 1, "approved": 0, "rejected": 0,
                                           "sign_approved": 1, "invalid_sign": 1])
        #expect(stats.signaturesByStatus == ["pending": 0, "signed": 1, "verified": 0, "invalid": 1])
        #expect(stats.documentsByStatus == ["valid": 1, "invalidated": 1, "revoked": 0])
        // The invalidated document's key is revoked with it, and counted as such.
        #expect(stats.keysByStatus == ["active": 1, "expired": 0, "revoked": 0, "revoked_with_document": 1])
        #expect(stats.recentActivity.count == 10)
        let audit = try fixture.registry.audit()
        #expect(stats.recentActivity.first == audit.last)

        let published = try fixture.registry.allPublishedDocuments()
        #expect(published.map(\.signature.token) == [signed.token, other.token])
        #expect(published.first?.signer.nidn == "0011223344")
        #expect(published.first?.user.nim == "2021001")
        #expect(published.first?.key.signatureID == "SIG-000001")
        #expect(published.first?.approvedVersion.fileSHA256 == published.first?.signature.documentHash)
        #expect(try fixture.registry.lastChangeAt() == audit.last?.performedAt)
        #expect(try fixture.registry.requests(status: .pending).map(\.documentName) == ["pending"])
    }

    @Test func verificationsAreLoggedWithTheTokenHashed() throws {
        let fixture = try Fixture()
        let (user, approver) = try fixture.people()
        let request = try fixture.approvedRequest(user: user, approver: approver)
        let signature = try fixture.sign(request, n: 1)
        let byToken = try fixture.registry.logVerification(VerificationInput(
            method: .token, token: signature.token, isValid: true, resultStatus: .success, verdict: .valid))
        #expect(byToken.documentSignatureID == signature.id)
        #expect(byToken.approvalRequestID == request.id)
        #expect(byToken.userID == user.id)
        #expect(byToken.verificationTokenHash == Digest.hex(Digest.sha256(Data(signature.token.utf8))))
        let byFile = try fixture.registry.logVerification(VerificationInput(
            method: .upload, fileSHA256: signature.finalHash!.uppercased(), isValid: false,
            resultStatus: .invalid, verdict: .invalid, metadata: ["reason": "revoked"]))
        #expect(byFile.documentSignatureID == signature.id)
        let unknown = try fixture.registry.logVerification(VerificationInput(
            method: .upload, fileSHA256: Digest.hex(Digest.sha256(Data("stranger".utf8))), isValid: false, resultStatus: .notFound))
        #expect(unknown.documentSignatureID == nil)
        let stored = try fixture.sqlite("SELECT count(*) FROM signature_verification_logs WHERE verification_token_hash = '\(signature.token)';")
        #expect(stored.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        #expect(try fixture.registry.verificationLogs(token: signature.token).map(\.id) == [byFile.id, byToken.id])
        let stats = try fixture.registry.statistics()
        #expect(stats.verifications == 3 && stats.successfulVerifications == 1)
    }

    @Test func batchIdentityKeyRefusesASecondSubmission() throws {
        let fixture = try Fixture()
        let (user, approver) = try fixture.people()
        let file = try fixture.stored("batch row")
        let key = ApprovalRequest.identityKey(fileSHA256: file.sha256, documentName: "Ijazah", approverID: approver.id)
        #expect(key.count == 64)
        #expect(key != ApprovalRequest.identityKey(fileSHA256: file.sha256, documentName: "Ijazah", approverID: approver.id + 1))
        let request = try fixture.registry.submit(user: user.id, name: "Ijazah", file: file, identityKey: key)
        #expect(try fixture.registry.request(identityKey: key) == request)
        let error = #expect(throws: RegistryError.self) {
            try fixture.registry.submit(user: user.id, name: "Ijazah", file: file, identityKey: key)
        }
        #expect(error?.code == .duplicate)
        #expect(error?.message == "request \(request.id) was already submitted with the same file, name and approver")
    }

    @Test func submitWithApprovalAndSignatureIsOneTransaction() throws {
        let fixture = try Fixture()
        let (user, approver) = try fixture.people()
        try fixture.sign(try fixture.approvedRequest("earlier", user: user, approver: approver), n: 1)
        let file = try fixture.stored("batch row")
        let key = ApprovalRequest.identityKey(fileSHA256: file.sha256, documentName: "Ijazah", approverID: approver.id)
        let before = try fixture.rowCounts()

        // A signature without the approval it follows is refused before anything is written.
        let unapproved = #expect(throws: RegistryError.self) {
            try fixture.registry.submit(user: user.id, name: "Ijazah", file: file, identityKey: key,
                                        signed: fixture.signedDocument(documentHash: file.sha256, approver: approver.id, n: 2))
        }
        #expect(unapproved?.code == .badInput)
        // A signature the registry refuses (token already used) takes the request and its approval with it.
        let reused = #expect(throws: RegistryError.self) {
            try fixture.registry.submit(user: user.id, name: "Ijazah", file: file, identityKey: key,
                                        approvedBy: (approver.id, "batch"),
                                        signed: fixture.signedDocument(documentHash: file.sha256, approver: approver.id, n: 1))
        }
        #expect(reused?.code == .duplicate)
        #expect(try fixture.rowCounts() == before)
        #expect(try fixture.registry.request(identityKey: key) == nil)

        let document = fixture.signedDocument(documentHash: file.sha256, approver: approver.id, n: 2)
        let request = try fixture.registry.submit(user: user.id, name: "Ijazah", file: file, identityKey: key,
                                                  approvedBy: (approver.id, "batch"), signed: document)
        #expect(request.status == .signApproved)
        #expect(request.approvedBy == approver.id && request.signApprovedBy == approver.id)
        #expect(try fixture.registry.request(identityKey: key) == request)
        let signature = try fixture.registry.signature(token: document.token)
        #expect(signature.approvalRequestID == request.id && signature.signatureStatus == .signed)
        #expect(try fixture.registry.audit(request: request.id).map(\.action) == [
            .requestSubmitted, .requestApproved, .signatureInitiated, .signatureKeyGenerated, .documentSigned,
        ])
        #expect(try fixture.registry.verifyAuditChain().firstBadRowID == nil)
        var expected = before
        for table in ["approval_requests", "document_versions", "document_signatures", "digital_signatures"] {
            expected[table]! += 1
        }
        expected["signature_audit_logs"]! += 5
        #expect(try fixture.rowCounts() == expected)
    }

    @Test func stateMachineTableIsExactlyTheDesignedOne() {
        var requestSteps: [String] = []
        for step in Workflow.RequestStep.allCases {
            for status in RequestStatus.allCases where Workflow.allows(step, from: status) {
                requestSteps.append("\(status.rawValue) -\(step.rawValue)-> \(step.to.rawValue)")
            }
        }
        #expect(requestSteps == [
            "pending -approve-> approved", "pending -reject-> rejected", "rejected -resubmit-> pending",
            "approved -sign-> sign_approved", "sign_approved -invalidate-> invalid_sign",
        ])
        var signatureSteps: [String] = []
        for step in Workflow.SignatureStep.allCases {
            for status in SignatureStatus.allCases where Workflow.allows(step, from: status) {
                signatureSteps.append("\(status.rawValue)->\(step.to.rawValue)")
            }
        }
        #expect(signatureSteps == ["pending->signed", "signed->verified", "signed->invalid", "verified->invalid",
                                   "pending->invalid"])
        var keySteps: [String] = []
        for step in Workflow.KeyStep.allCases {
            for status in KeyStatus.allCases where Workflow.allows(step, from: status) {
                keySteps.append("\(status.rawValue)->\(step.to.rawValue)")
            }
        }
        #expect(keySteps == ["active->expired", "active->revoked", "expired->revoked"])
    }
}
