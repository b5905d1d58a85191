import Foundation
import TestSupport
import XCTest

/// Issue "The authority registry and the seeds' approval workflow", driven
/// through the built `segel` executable as a registrar would.
final class WorkflowCLITests: XCTestCase {
    var work: URL!
    var cli: SegelCLI!
    var approver = ""

    override func setUpWithError() throws {
        work = try TestPaths.temporaryDirectory("workflow")
        (cli, approver) = try SegelCLI.makeAuthority(in: work)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: work)
    }

    private func pdf(_ name: String, _ text: String) throws -> String {
        try SamplePDF.write(to: work.appendingPathComponent(name), lines: [text]).path
    }

    /// Exit code and a one-sentence error on stderr that mentions `words`.
    private func assertRefused(_ args: [String], code: Int32, mentions words: [String],
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try cli.run(args)
        XCTAssertEqual(result.status, code, "segel \(args.joined(separator: " ")): \(result.err)", file: file, line: line)
        let err = result.err.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(err.split(separator: "\n").count, 1, "one sentence expected: \(err)", file: file, line: line)
        XCTAssertFalse(err.contains("Fatal error") || err.contains("Stack dump"), file: file, line: line)
        for word in words {
            XCTAssertTrue(err.contains(word), "\(err) should mention \(word)", file: file, line: line)
        }
    }

    func testLifecycleSubmitRejectResubmitApproveSignInvalidate() throws {
        let user = try cli.succeed(["user", "add", "--name", "Ani Lestari", "--email", "ani@student.example.ac.id", "--nim", "2101001"])
        XCTAssertEqual(user.out.trimmingCharacters(in: .whitespacesAndNewlines), "1")
        let first = try pdf("v1.pdf", "Transkrip Nilai v1")
        let submitted = try cli.succeed(["request", "submit", first, "--user", "2101001", "--name", "Transkrip Nilai", "--type", "transcript"])
        let id = submitted.out.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(id, "1")

        try cli.succeed(["request", "reject", id, "--by", approver, "--reason", "IPK salah"])
        try assertRefused(["sign", id], code: 1, mentions: ["request 1", "rejected"])
        try assertRefused(["request", "approve", id, "--by", approver], code: 1, mentions: ["request 1", "rejected"])

        try cli.succeed(["request", "resubmit", id, try pdf("v2.pdf", "Transkrip Nilai v2")])
        try assertRefused(["sign", id], code: 1, mentions: ["request 1", "pending"])
        try cli.succeed(["request", "approve", id, "--by", "jose@example.ac.id", "--notes", "ok"])

        let signed = try cli.succeed(["sign", id, "--json"])
        let result = try JSONDecoder().decode(SignFileOutput.self, from: signed.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: result.signed_pdf))
        try assertRefused(["sign", id], code: 1, mentions: ["request 1", "sign_approved"])

        let show = try cli.succeed(["request", "show", id, "--json"])
        let detail = try XCTUnwrap(JSONSerialization.jsonObject(with: show.stdout) as? [String: Any])
        let versions = try XCTUnwrap(detail["versions"] as? [[String: Any]])
        XCTAssertEqual(versions.count, 2, "the resubmission is a second version")
        let request = try XCTUnwrap(detail["request"] as? [String: Any])
        XCTAssertEqual(request["status"] as? String, "sign_approved")
        XCTAssertEqual(request["approved_version_id"] as? Int, versions[1]["id"] as? Int, "approval binds to the new version")

        try cli.succeed(["invalidate", result.token, "--reason", "Diterbitkan ulang"])
        try assertRefused(["invalidate", result.token, "--reason", "again"], code: 1, mentions: [result.token])
        let key = try cli.succeed(["keys", "show", result.signature_id, "--json"])
        let keyJSON = try XCTUnwrap(JSONSerialization.jsonObject(with: key.stdout) as? [String: Any])
        XCTAssertEqual(keyJSON["status"] as? String, "revoked", "invalidation puts the certificate on the CRL")
        XCTAssertEqual(keyJSON["private_key_retained"] as? Bool, false)
        XCTAssertNil(keyJSON["private_key"], "keys --json never prints private keys")

        let actions = try cli.succeed(["audit", "--request", id, "--json"])
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: actions.stdout) as? [[String: Any]])
        let names = rows.compactMap { $0["action"] as? String }
        for expected in ["request_submitted", "request_rejected", "request_resubmitted", "request_approved",
                         "signature_key_generated", "document_signed", "signature_invalidated"] {
            XCTAssertTrue(names.contains(expected), "audit lacks \(expected): \(names)")
        }
        try cli.succeed(["audit", "verify"])
    }

    func testKeyRevocationMarksDocumentInvalid() throws {
        let signed = try cli.succeed(["sign-file", try pdf("a.pdf", "Surat Keterangan"), "--by", approver, "--name", "Surat", "--json"])
        let result = try JSONDecoder().decode(SignFileOutput.self, from: signed.stdout)
        try cli.succeed(["keys", "revoke", result.signature_id, "--reason", "key compromise"])
        let list = try cli.succeed(["keys", "list", "--status", "revoked", "--json"])
        let keys = try XCTUnwrap(JSONSerialization.jsonObject(with: list.stdout) as? [[String: Any]])
        XCTAssertEqual(keys.compactMap { $0["signature_id"] as? String }, [result.signature_id])
        try assertRefused(["keys", "revoke", result.signature_id, "--reason", "again"], code: 1, mentions: [result.signature_id])
        let stats = try cli.succeed(["stats", "--json"])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: stats.stdout) as? [String: Any])
        XCTAssertNotNil(json["requests_by_status"] ?? json["requestsByStatus"])
    }

    func testTamperedStoredFileIsNotSigned() throws {
        try cli.succeed(["user", "add", "--name", "Budi", "--email", "budi@student.example.ac.id"])
        let id = try cli.succeed(["request", "submit", try pdf("t.pdf", "Ijazah"), "--user", "budi@student.example.ac.id", "--name", "Ijazah"])
            .out.trimmingCharacters(in: .whitespacesAndNewlines)
        try cli.succeed(["request", "approve", id, "--by", approver])
        let files = cli.home.appendingPathComponent("files")
        let stored = try XCTUnwrap(FileManager.default.enumerator(at: files, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.first { $0.pathExtension == "pdf" })
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: stored.path)
        try SamplePDF.make(lines: ["Ijazah (forged)"]).write(to: stored)

        try assertRefused(["sign", id], code: 1, mentions: ["request \(id)", "approved SHA-256"])
        let failed = try cli.succeed(["audit", "--action", "signing_failed", "--json"])
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: failed.stdout) as? [[String: Any]])
        XCTAssertEqual(rows.count, 1)
        let signedDir = cli.home.appendingPathComponent("signed")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: signedDir.path).filter { !$0.hasPrefix(".") }, [],
                       "nothing was signed")
    }

    func testAuditVerifyDetectsAnEditedRow() throws {
        try cli.succeed(["sign-file", try pdf("b.pdf", "Transkrip"), "--by", approver, "--name", "Transkrip"])
        try cli.succeed(["audit", "verify"])
        guard Tools.available("sqlite3") else { throw XCTSkip("sqlite3 is not installed; run scripts/setup --test") }
        let db = cli.home.appendingPathComponent("registry.sqlite").path
        let edited = try Tools.run("sqlite3", [db, "UPDATE signature_audit_logs SET description = 'nothing happened' WHERE id = 3;"])
        XCTAssertEqual(edited.status, 0, edited.err)
        try assertRefused(["audit", "verify"], code: 1, mentions: ["3"])
    }

    func testACommandWaitingForAnotherProcessSaysSoAndSucceeds() throws {
        guard Tools.available("sqlite3") else { throw XCTSkip("sqlite3 is not installed; run scripts/setup --test") }
        let db = cli.home.appendingPathComponent("registry.sqlite").path
        // Another process holds the write lock for three seconds.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/bin/sh")
        holder.arguments = ["-c", "(echo 'BEGIN IMMEDIATE;'; sleep 3; echo 'COMMIT;') | sqlite3 '\(db)'"]
        try holder.run()
        Thread.sleep(forTimeInterval: 0.5)
        let result = try cli.succeed(["user", "add", "--name", "Dewi", "--email", "dewi@student.example.ac.id"])
        holder.waitUntilExit()
        XCTAssertTrue(result.err.contains("waiting for another segel process"), "stderr: \(result.err)")
        XCTAssertEqual(result.out.trimmingCharacters(in: .whitespacesAndNewlines), "1", "the change was made after the wait")
    }

    func testBadInputIsRefusedWithOneSentence() throws {
        try assertRefused(["request", "submit", try pdf("c.pdf", "x"), "--user", "nobody@example.ac.id", "--name", "X"],
                          code: 3, mentions: ["nobody@example.ac.id"])
        try cli.succeed(["user", "add", "--name", "Citra", "--email", "citra@student.example.ac.id", "--nim", "2101002"])
        let empty = work.appendingPathComponent("empty.pdf")
        try Data().write(to: empty)
        try assertRefused(["request", "submit", empty.path, "--user", "2101002", "--name", "X"], code: 1, mentions: ["empty.pdf"])
        let text = work.appendingPathComponent("notes.pdf")
        try Data("just some text, not a PDF".utf8).write(to: text)
        try assertRefused(["request", "submit", text.path, "--user", "2101002", "--name", "X"], code: 1, mentions: ["notes.pdf"])
        try assertRefused(["approver", "add", "--name", "Other", "--email", "jose@example.ac.id", "--nidn", "999"],
                          code: 1, mentions: ["jose@example.ac.id"])
        try assertRefused(["user", "add", "--name", "Dup", "--email", "dup@example.ac.id", "--nim", "2101002"],
                          code: 1, mentions: ["2101002"])
        try assertRefused(["request", "approve", "42", "--by", approver], code: 3, mentions: ["42"])
        try assertRefused(["sign-file", try pdf("d.pdf", "x"), "--by", "nobody", "--name", "X"], code: 3, mentions: ["nobody"])
        // sign-file signs before it records anything (the batch row's path): a
        // page the file does not have, or a file that is not a PDF, leaves no
        // request behind (it used to leave one stuck in `approved`).
        let refusedPage = try cli.run(["sign-file", try pdf("e.pdf", "x"), "--by", approver, "--name", "X", "--page", "5"])
        XCTAssertNotEqual(refusedPage.status, 0, refusedPage.out)
        XCTAssertEqual(refusedPage.err.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count, 1, refusedPage.err)
        try assertRefused(["sign-file", text.path, "--by", approver, "--name", "X"], code: 1, mentions: ["notes.pdf"])
        let listed = try cli.succeed(["request", "list", "--json"])
        let requests = try JSONSerialization.jsonObject(with: listed.stdout) as? [Any]
        XCTAssertEqual(requests?.count, 0, "no request was half-created by the refused submissions")
    }
}
