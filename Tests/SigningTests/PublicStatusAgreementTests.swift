import Foundation
import PKI
import Portal
import Record
import Registry
import TestSupport
import XCTest

/// Issue 14: a document's public status is decided once (when the authority
/// acts) and every place that shows it agrees: the token page, the token
/// JSON, the upload check's hash-index entry, `segel verify`, `segel-verify
/// --site`, `segel stats`, the statistics page and `api/statistics.json`.
final class PublicStatusAgreementTests: XCTestCase {
    struct Document {
        let name: String
        let output: URL
        let result: SignFileOutput
        let keyID: String
    }

    func testInvalidateRevokeAndBothAgreeEverywhere() throws {
        let work = try TestPaths.temporaryDirectory("public-status")
        defer { try? FileManager.default.removeItem(at: work) }
        let (cli, approver) = try SegelCLI.makeAuthority(in: work)
        let input = try SamplePDF.write(to: work.appendingPathComponent("input.pdf"), lines: ["Surat keterangan"])

        var documents: [String: Document] = [:]
        for name in ["valid", "invalidated", "revoked", "both"] {
            let output = work.appendingPathComponent("\(name).pdf")
            let run = try cli.succeed(["sign-file", input.path, "--by", approver, "--name", "Doc \(name)",
                                       "--output", output.path, "--json"])
            let result = try JSONDecoder().decode(SignFileOutput.self, from: run.stdout)
            documents[name] = Document(name: name, output: output, result: result, keyID: result.signature_id)
        }
        let invalidated = try XCTUnwrap(documents["invalidated"]), revoked = try XCTUnwrap(documents["revoked"])
        let both = try XCTUnwrap(documents["both"])
        try cli.succeed(["invalidate", invalidated.result.token, "--reason", "Issued by mistake"])
        try cli.succeed(["keys", "revoke", revoked.keyID, "--reason", "Key exposed"])
        // Both acts on one document: the first names its status; the second is
        // refused (each act already did the other) in one sentence, changing nothing.
        try cli.succeed(["keys", "revoke", both.keyID, "--reason", "Laptop stolen"])
        let second = try cli.run(["invalidate", both.result.token, "--reason", "Also withdrawn"])
        XCTAssertNotEqual(second.status, 0)
        XCTAssertEqual(second.err.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count, 1, second.err)

        let expected: [String: (status: PublicStatus, reason: String?)] = [
            "valid": (.valid, nil), "invalidated": (.invalidated, "Issued by mistake"),
            "revoked": (.revoked, "Key exposed"), "both": (.revoked, "Laptop stolen"),
        ]

        // The registry stores it.
        let registry = try Registry(home: cli.home)
        for (name, document) in documents {
            let signature = try registry.signature(token: document.result.token)
            XCTAssertEqual(signature.publicStatus, expected[name]?.status, name)
            XCTAssertEqual(signature.publicStatusReason, expected[name]?.reason, name)
        }

        let site = work.appendingPathComponent("site")
        try cli.succeed(["publish", "--site", site.path])
        for (name, document) in documents {
            let want = try XCTUnwrap(expected[name])
            // The files of the document sit where its verification URL says.
            let address = try XCTUnwrap(DocumentAddress.split(verificationURL: document.result.verification_url).first).address
            XCTAssertEqual(address.token, document.result.token)
            // Token JSON.
            let json = try XCTUnwrap(JSONSerialization.jsonObject(
                with: Data(contentsOf: site.appendingPathComponent(address.record))) as? [String: Any])
            XCTAssertEqual(json["status"] as? String, want.status.rawValue, "\(name): token JSON")
            XCTAssertEqual(json["status_reason"] as? String, want.reason, "\(name): token JSON reason")
            // Token page: the status's own marker, and no other's.
            let page = try String(contentsOf: site.appendingPathComponent(address.pageFile), encoding: .utf8)
            if let reason = want.reason { XCTAssertTrue(page.contains(reason), "\(name): page shows the reason") }
            // Upload check: the hash-index entry for the signed file.
            let fileHash = try Digest.sha256(fileAt: document.output)
            let id = HashIndex.id(fileHash: fileHash)
            let shard = try Data(contentsOf: site.appendingPathComponent(HashIndex.Layout.shards256.shardPath(id: id)))
            XCTAssertEqual(try HashIndex.lookup(fileHash: fileHash, shard: shard)?.status, want.status, "\(name): hash index")
            // segel verify (the registry) and segel-verify --site (the published copy).
            let local = try cli.run(["verify", document.output.path, "--json"])
            let offline = try Tools.run(TestPaths.executable("segel-verify").path,
                                        [document.output.path, "--site", site.path, "--json"])
            for (label, run) in [("segel verify", local), ("segel-verify --site", offline)] {
                let report = try XCTUnwrap(JSONSerialization.jsonObject(with: run.stdout) as? [String: Any], "\(label): \(run.err)")
                XCTAssertEqual(report["verdict"] as? String, want.status == .valid ? "VALID" : "INVALID", "\(name): \(label)")
                let record = try XCTUnwrap(Self.recordCheck(report), "\(name): \(label) has a record check")
                switch want.status {
                case .valid: XCTAssertEqual(record.status, "pass", "\(name): \(label): \(record.reason)")
                case .invalidated: XCTAssertTrue(record.reason.contains("invalidated"), "\(name): \(label): \(record.reason)")
                case .revoked: XCTAssertTrue(record.reason.contains("revoked"), "\(name): \(label): \(record.reason)")
                }
                if want.status == .revoked {
                    XCTAssertFalse(record.reason.contains("invalidated"), "\(name): \(label) names the act: \(record.reason)")
                }
            }
        }

        // Counts: segel stats (JSON and words), api/statistics.json and the statistics page.
        let stats = try XCTUnwrap(JSONSerialization.jsonObject(with: cli.succeed(["stats", "--json"]).stdout) as? [String: Any])
        let documentCounts = try XCTUnwrap(stats["documentsByStatus"] as? [String: Int] ?? stats["documents_by_status"] as? [String: Int])
        XCTAssertEqual(documentCounts, ["valid": 1, "invalidated": 1, "revoked": 2])
        let keyCounts = try XCTUnwrap(stats["keysByStatus"] as? [String: Int] ?? stats["keys_by_status"] as? [String: Int])
        XCTAssertEqual(keyCounts, ["active": 1, "expired": 0, "revoked": 2, "revoked_with_document": 1])
        let words = try cli.succeed(["stats"]).out
        XCTAssertTrue(words.contains("valid 1, invalidated 1, key revoked 2"), words)
        XCTAssertTrue(words.contains("active 1, expired 0, revoked 2, revoked with their document 1"), words)
        XCTAssertTrue(words.contains("signed 1, rejected 0, withdrawn 3"), words)
        for internalName in ["sign_approved", "invalid_sign", "signature_invalidated"] {
            XCTAssertFalse(words.contains(internalName), "segel stats shows people's words, not \(internalName):\n\(words)")
        }
        let published = try XCTUnwrap(JSONSerialization.jsonObject(
            with: Data(contentsOf: site.appendingPathComponent("api/statistics.json"))) as? [String: Any])
        XCTAssertEqual(published["by_status"] as? [String: Int], documentCounts)
        XCTAssertEqual(published["keys"] as? [String: Int], keyCounts)
        let statsPage = try String(contentsOf: site.appendingPathComponent("stats/index.html"), encoding: .utf8)
        XCTAssertTrue(statsPage.contains("Revoked with their document") || statsPage.contains("Dicabut bersama dokumennya"))
    }

    /// The record check of the seal in a `--json` report: status and reason.
    static func recordCheck(_ report: [String: Any]) -> (status: String, reason: String)? {
        guard let signatures = report["signatures"] as? [[String: Any]],
              let seal = signatures.last(where: { ($0["role"] as? String) == "seal" }) ?? signatures.last,
              let checks = seal["checks"] as? [String: String], let status = checks["record"] else {
            return nil
        }
        // `reasons` lists "check: reason" for every check that did not pass.
        let reason = (seal["reasons"] as? [String])?.first { $0.hasPrefix("record: ") }
        return (status, reason.map { String($0.dropFirst("record: ".count)) } ?? "")
    }
}
