import Foundation
import PKI
import TestSupport
import XCTest

/// Republishing: nothing changes when nothing changed; an invalidation
/// rewrites exactly the files that show it; files the site no longer has are
/// deleted; files the site never had are left alone; templates can be overridden.
final class IncrementalPublishTests: XCTestCase {
    var demo: DemoSite!

    override func setUpWithError() throws {
        demo = try DemoSite.make("portal-incremental", documents: 6)
    }

    override func tearDownWithError() throws {
        demo?.remove()
    }

    func testRepublishInvalidateRevokeRemoveAndOverride() throws {
        // A file that is not the portal's own.
        let foreign = demo.url("extra/notes.txt")
        try FileManager.default.createDirectory(at: foreign.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("kept".utf8).write(to: foreign)
        let before = try demo.fileStamps()

        // 1. No change: nothing is written, not even the manifest.
        let manifestStamp = try FileManager.default.attributesOfItem(atPath: demo.url(".segel-manifest.json").path)
        let again = try demo.publish()
        XCTAssertEqual(again.written, 0)
        XCTAssertEqual(again.deleted, 0)
        XCTAssertEqual(again.rendered_documents, 0)
        XCTAssertFalse(again.crl_issued)
        XCTAssertEqual(again.unchanged, again.files)
        let after = try demo.fileStamps()
        XCTAssertEqual(Set(before.keys), Set(after.keys))
        for (path, stamp) in before {
            XCTAssertEqual(stamp.inode, after[path]?.inode, "\(path) was replaced")
            XCTAssertEqual(stamp.modified, after[path]?.modified, "\(path) was modified")
        }
        XCTAssertEqual(manifestStamp[.modificationDate] as? Date,
                       try FileManager.default.attributesOfItem(atPath: demo.url(".segel-manifest.json").path)[.modificationDate] as? Date)

        // 2. One invalidation: its page, record and shard, the CRL and the
        //    trust bundle, and the site-wide pages that show "as of" and counts.
        let target = try XCTUnwrap(demo.documents.first { $0.status == "valid" })
        let pdf = try Data(contentsOf: URL(fileURLWithPath: target.signed_pdf))
        let shard = IndexReader.shardPath(Digest.sha256(pdf), site: demo.site)
        // The document's entry under its lookup code (issue 16) changes with its status too.
        let targetSignatureID = try XCTUnwrap(try demo.json(target.address.record)["signature_id"] as? String)
        let codeShard = IndexReader.shardPath(Digest.sha256(Data("segel-code:\(targetSignatureID.dropFirst(4))".utf8)), site: demo.site)
        let oldCRL = try CRL(der: Data(contentsOf: demo.url("crl.crl")))
        try demo.segel(["invalidate", "--reason", "Salah cetak", "--", target.token])
        let invalidated = try demo.publish()
        // The site-wide pages say "as of" to the minute: rewritten unless the
        // invalidation fell in the same minute as the last change.
        // The invalidation is one more entry of the issuance log: its checkpoint, and the partial tile and bundle.
        let logSize = try XCTUnwrap(Int(try demo.text("log/checkpoint").split(separator: "\n")[1]))
        let required: Set<String> = [
            target.address.pageFile, "en/" + target.address.pageFile,
            target.address.record, shard, codeShard,
            "crl.pem", "crl.crl", "trust.json", "stats/index.html", "en/stats/index.html", "api/statistics.json",
            "log/checkpoint", "log/tile/0/000.p/\(logSize)", "log/tile/entries/000.p/\(logSize)",
        ]
        let asOfPages: Set<String> = ["index.html", "verify/index.html", "trust/index.html", "404.html",
                                      "en/index.html", "en/verify/index.html", "en/trust/index.html"]
        XCTAssertTrue(required.isSubset(of: Set(invalidated.written_paths)), "\(invalidated.written_paths)")
        XCTAssertTrue(Set(invalidated.written_paths).isSubset(of: required.union(asOfPages)), "\(invalidated.written_paths)")
        XCTAssertEqual(invalidated.deleted, 0)
        XCTAssertEqual(invalidated.rendered_documents, 1)
        XCTAssertTrue(invalidated.crl_issued)
        let newCRL = try CRL(der: Data(contentsOf: demo.url("crl.crl")))
        XCTAssertGreaterThan(newCRL.crlNumber ?? 0, oldCRL.crlNumber ?? 0)
        let serial = try Certificate(der: Data(contentsOf: demo.url(target.address.certificate))).serialHex
        XCTAssertNil(oldCRL.revokedSerials[serial])
        XCTAssertEqual(newCRL.revokedSerials[serial]?.reason, .cessationOfOperation)
        XCTAssertTrue(try demo.text(target.address.pageFile).contains("Salah cetak"))
        XCTAssertEqual(try IndexReader.lookup(site: demo.site, fileHash: Digest.sha256(pdf))?["status"] as? String,
                       "invalidated")
        let record = try demo.json(target.address.record)
        XCTAssertEqual(record["status"] as? String, "invalidated")
        XCTAssertEqual(record["status_reason"] as? String, "Salah cetak")

        // 3. Private PDFs: the PDFs go, the pages say so; nothing else is touched.
        let privateRun = try demo.publish(["--private-pdfs"])
        XCTAssertEqual(Set(privateRun.deleted_paths), Set(demo.documents.map { $0.address.pdf }))
        XCTAssertFalse(FileManager.default.fileExists(atPath: demo.url("d").path), "the emptied d/ folder is removed")
        for document in demo.documents {
            XCTAssertFalse(try demo.text(document.address.pageFile).contains(document.address.pdf))
        }
        XCTAssertEqual(try String(contentsOf: foreign, encoding: .utf8), "kept")

        // 4. Back to public PDFs, with an overridden footer and English pages.
        let templates = demo.work.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try #"<footer class="site-footer"><p>Custom footer of {{site.name}}</p></footer>"#
            .write(to: templates.appendingPathComponent("footer.mustache"), atomically: true, encoding: .utf8)
        let english = try demo.publish(["--templates", templates.path, "--locale", "en"])
        XCTAssertEqual(english.rendered_documents, demo.documents.count)
        // English moves to the root and Indonesian under id/: only the en/ copies go.
        XCTAssertFalse(english.deleted_paths.isEmpty)
        XCTAssertTrue(english.deleted_paths.allSatisfy { $0.hasPrefix("en/") }, "\(english.deleted_paths)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: demo.url("id/" + target.address.pageFile).path))
        let page = try demo.text(target.address.pageFile)
        XCTAssertTrue(page.contains("<p>Custom footer of Universitas Nusantara</p>"))
        XCTAssertTrue(page.contains(#"<html lang="en">"#))
        XCTAssertTrue(page.contains("INVALIDATED"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: demo.url(target.address.pdf).path))
        XCTAssertEqual(try String(contentsOf: foreign, encoding: .utf8), "kept")

        // 5. A missing file is noticed and written again.
        try FileManager.default.removeItem(at: demo.url(target.address.pageFile))
        try FileManager.default.removeItem(at: demo.url("api/hash/00.json"))
        let repaired = try demo.publish(["--templates", templates.path, "--locale", "en"])
        XCTAssertEqual(Set(repaired.written_paths), [target.address.pageFile, "api/hash/00.json"])
        XCTAssertEqual(try demo.text(target.address.pageFile), page)

        // 6. A revoked key: the document is "revoked", its certificate is on the CRL as keyCompromise.
        let other = try XCTUnwrap(demo.documents.first { $0.status == "valid" && $0.token != target.token })
        let signatureID = try XCTUnwrap(try demo.json(other.address.record)["signature_id"] as? String)
        try demo.segel(["keys", "revoke", signatureID, "--reason", "Laptop hilang"])
        let revokedRun = try demo.publish()
        XCTAssertTrue(revokedRun.written_paths.contains(other.address.record))
        let revoked = try demo.json(other.address.record)
        XCTAssertEqual(revoked["status"] as? String, "revoked")
        XCTAssertEqual(revoked["status_reason"] as? String, "Laptop hilang")
        let revokedSerial = try Certificate(der: Data(contentsOf: demo.url(other.address.certificate))).serialHex
        XCTAssertEqual(try CRL(der: Data(contentsOf: demo.url("crl.crl"))).revokedSerials[revokedSerial]?.reason,
                       .keyCompromise)
        XCTAssertTrue(try demo.text(other.address.pageFile).contains("DICABUT"))

        // 7. A wrong passphrase matters only when a new CRL must be signed.
        var environment = demo.environment
        environment["SEGEL_PASSPHRASE"] = "not the passphrase"
        let segel = TestPaths.executable("segel").path
        let current = try Tools.run(segel, ["publish", "--site", demo.site.path], environment: environment)
        XCTAssertEqual(current.status, 0, "the CRL is current, so no key is needed: \(current.err)")
        let third = try XCTUnwrap(demo.documents.first { $0.status == "valid" && ![target.token, other.token].contains($0.token) })
        try demo.segel(["invalidate", "--reason", "Ditarik", "--", third.token])
        let needsKey = try Tools.run(segel, ["publish", "--site", demo.site.path], environment: environment)
        XCTAssertEqual(needsKey.status, 1)
        XCTAssertTrue(needsKey.err.contains("passphrase"), needsKey.err)
        XCTAssertEqual(needsKey.err.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count, 1)
    }
}

extension IncrementalPublishTests {
    /// Issue 17: a change of the hash index's depth is an ordinary incremental
    /// publish (the old shards deleted, the new ones written, layout.json
    /// naming them), and the upload page in a real browser reads either.
    func testTheIndexChangesDepthLikeAnyPublishAndTheBrowserReadsBoth() throws {
        func shardFiles() throws -> [String] {
            FileManager.default.enumerator(atPath: demo.url("api/hash").path)!.allObjects.compactMap { $0 as? String }
                .filter { $0.hasSuffix(".json") && $0 != "layout.json" }
        }
        XCTAssertEqual(try shardFiles().count, 256)
        XCTAssertEqual(try demo.json("api/hash/layout.json")["prefix"] as? Int, 2)
        try browserCheck("256 shards")

        let deeper = try demo.publish(["--index-shards", "4096"])
        XCTAssertEqual(deeper.deleted, 256, "the 256 old shards go")
        XCTAssertEqual(try shardFiles().count, 4_096)
        XCTAssertTrue(try shardFiles().allSatisfy { $0.count == "abc.json".count })
        XCTAssertEqual(try demo.json("api/hash/layout.json")["prefix"] as? Int, 3)
        XCTAssertEqual(deeper.rendered_documents, 0, "no document page changes")
        for document in demo.documents {
            let pdf = try Data(contentsOf: URL(fileURLWithPath: document.signed_pdf))
            XCTAssertEqual(try IndexReader.lookup(site: demo.site, fileHash: Digest.sha256(pdf))?["token"] as? String, document.token)
        }
        try browserCheck("4,096 shards")

        let back = try demo.publish()
        XCTAssertEqual(back.deleted, 4_096)
        XCTAssertEqual(try shardFiles().count, 256)
    }

    private func browserCheck(_ label: String) throws {
        if let missing = DemoSite.browserMissing {
            print("note: \(missing); the browser half of this test did not run")
            return
        }
        let run = try demo.browserCheck()
        XCTAssertEqual(run.status, 0, "\(label): browser checks failed: \(run.out) \(run.err)")
    }
}
