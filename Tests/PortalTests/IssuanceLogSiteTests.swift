import Crypto
import Foundation
import IssuanceLog
import PKI
import Record
import TestSupport
import XCTest

/// Issue 19: the public issuance log of a published site, checked by an
/// independent implementation (scripts/support/tlog-check.py, from the C2SP
/// and RFC 6962 texts), by `segel log verify` and by `segel-verify`, and
/// tampered with in every way the issue names.
final class IssuanceLogSiteTests: XCTestCase {
    private var demo: DemoSite!

    override func setUpWithError() throws {
        demo = try DemoSite.make("issuance-log", documents: 4)
    }

    override func tearDown() {
        demo?.remove()
    }

    private var home: URL { demo.home }
    private var vkey: String {
        get throws {
            try String(contentsOf: home.appendingPathComponent("log/key.vkey"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// The checkpoints the authority kept, by tree size.
    private func keptCheckpoints() throws -> [Int: URL] {
        let folder = home.appendingPathComponent("log/checkpoints")
        var result: [Int: URL] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            result[try XCTUnwrap(Int(name))] = folder.appendingPathComponent(name)
        }
        return result
    }

    private func independentCheck(_ site: URL) throws -> (ok: Bool, report: [String: Any]) {
        let script = TestPaths.packageRoot.appendingPathComponent("scripts/support/tlog-check.py")
        let run = try Tools.run("python3", [script.path, site.path, try vkey])
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: run.stdout) as? [String: Any], run.out + run.err)
        return (run.status == 0, report)
    }

    private func logVerify(_ site: URL, _ extra: [String] = []) throws -> Tools.Result {
        try Tools.run(TestPaths.executable("segel").path, ["log", "verify", "--site", site.path] + extra,
                      environment: demo.environment)
    }

    /// A copy of the site to tamper with.
    private func copy(_ label: String) throws -> URL {
        let copy = demo.work.appendingPathComponent("site-\(label)")
        try FileManager.default.copyItem(at: demo.site, to: copy)
        return copy
    }

    func testTheIndependentCheckerTheMonitorAndTheVerifierAgree() throws {
        // The demo published once, then the hostile document was signed and published: two checkpoints.
        let kept = try keptCheckpoints()
        XCTAssertEqual(kept.count, 2, "\(kept.keys)")
        let (first, latest) = (try XCTUnwrap(kept.keys.min()), try XCTUnwrap(kept.keys.max()))
        XCTAssertGreaterThan(latest, first)

        let (ok, report) = try independentCheck(demo.site)
        XCTAssertTrue(ok, "\(report)")
        XCTAssertEqual(report["size"] as? Int, latest)
        XCTAssertEqual(report["proofs"] as? Int, demo.documents.count, "every record carries a proof")
        XCTAssertEqual(try demo.text("log/checkpoint"), try String(contentsOf: kept[latest]!, encoding: .utf8))
        let trust = try demo.json("trust.json")
        XCTAssertEqual(trust["log_vkey"] as? String, try vkey)

        // The demo's documents were proven to the first checkpoint, the hostile one to the second.
        let firstRecord = try demo.json(demo.documents[0].address.record)
        XCTAssertEqual((firstRecord["log"] as? [String: Any])?["tree_size"] as? Int, first)
        let hostile = try demo.json(demo.hostile.address.record)
        let hostileLog = try XCTUnwrap(hostile["log"] as? [String: Any])
        XCTAssertEqual(hostileLog["tree_size"] as? Int, latest)
        XCTAssertEqual(hostileLog["index"] as? Int, latest - 1)

        let monitor = try logVerify(demo.site, ["--since", kept[first]!.path, "--json"])
        XCTAssertEqual(monitor.status, 0, monitor.err)
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: monitor.stdout) as? [String: Any])
        XCTAssertEqual(summary["tree_size"] as? Int, latest)
        XCTAssertEqual(summary["consistent_with"] as? Int, first)

        // The same over HTTP, as a monitor elsewhere reads it, with the key pinned.
        let server = try LoopbackServer.staticSite(demo.site)
        defer { server.stop() }
        let remote = try Tools.run(TestPaths.executable("segel").path,
                                   ["log", "verify", "--site", server.url, "--vkey", try vkey, "--since", kept[first]!.path])
        XCTAssertEqual(remote.status, 0, remote.err)
        XCTAssertTrue(remote.out.contains("log ✓ 127.0.0.1:8000/log: \(latest) entries"), remote.out)
        XCTAssertTrue(remote.out.contains("extends the earlier checkpoint of \(first) entries"), remote.out)

        let verify = try Tools.run(TestPaths.executable("segel-verify").path, [demo.hostile.signed_pdf, "--site", demo.site.path])
        XCTAssertEqual(verify.status, 0, verify.out + verify.err)
        XCTAssertTrue(verify.out.contains("✓ log        entry \(latest - 1) of tree size \(latest)"), verify.out)
        // The page says so.
        XCTAssertTrue(try demo.text(demo.hostile.address.pageFile).contains("entri \(latest - 1) dari log berisi \(latest)"))
    }

    func testAnIncrementalPublishWritesOnlyTheLogsNewFiles() throws {
        let before = try keptCheckpoints().keys.max()!
        let pdf = try SamplePDF.write(to: demo.work.appendingPathComponent("next.pdf"), lines: ["Dokumen berikutnya"])
        try demo.segel(["sign-file", pdf.path, "--by", DemoSite.approverEmail, "--name", "Berikutnya",
                        "--key-type", "p256", "--json"])
        let summary = try demo.publish()
        XCTAssertEqual(summary.log_size, before + 1)
        XCTAssertTrue(summary.log_signed)
        let written = Set(summary.written_paths.filter { $0.hasPrefix("log/") })
        XCTAssertEqual(written, ["log/checkpoint", "log/tile/0/000.p/\(before + 1)", "log/tile/entries/000.p/\(before + 1)"])
        // The earlier checkpoint's partial tiles stay served (tlog-tiles), and the independent checker agrees.
        XCTAssertTrue(FileManager.default.fileExists(atPath: demo.url("log/tile/0/000.p/\(before)").path))
        XCTAssertTrue(try independentCheck(demo.site).ok)
        // Nothing new: nothing of the log is written, no checkpoint signed.
        let idle = try demo.publish()
        XCTAssertTrue(idle.written_paths.filter { $0.hasPrefix("log/") }.isEmpty)
        XCTAssertFalse(idle.log_signed)
    }

    func testTamperingIsDetectedAndNamed() throws {
        let kept = try keptCheckpoints()
        let latest = kept.keys.max()!, first = kept.keys.min()!

        // An entry edited in its bundle.
        let edited = try copy("edited")
        let bundle = edited.appendingPathComponent("log/tile/entries/000.p/\(latest)")
        var bytes = try Data(contentsOf: bundle)
        let at = try XCTUnwrap(bytes.range(of: Data("status valid".utf8))).lowerBound
        bytes.replaceSubrange(at..<(at + 12), with: Data("status VALID".utf8))
        try bytes.write(to: bundle)
        var run = try logVerify(edited)
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.err.contains("tile/0/000.p/\(latest) does not hold the hashes"), run.err)
        XCTAssertFalse(try independentCheck(edited).ok)

        // A tile deleted.
        let deleted = try copy("deleted")
        try FileManager.default.removeItem(at: deleted.appendingPathComponent("log/tile/0/000.p/\(latest)"))
        run = try logVerify(deleted)
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.err.contains("tile/0/000.p/\(latest) is missing"), run.err)

        // The checkpoint rolled back to the first publish's.
        let rolled = try copy("rolled")
        try FileManager.default.removeItem(at: rolled.appendingPathComponent("log/checkpoint"))
        try FileManager.default.copyItem(at: kept[first]!, to: rolled.appendingPathComponent("log/checkpoint"))
        XCTAssertEqual(try logVerify(rolled).status, 0, "on its own, the older log is consistent")
        run = try logVerify(rolled, ["--since", kept[latest]!.path])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.err.contains("rolled back from \(latest) entries to \(first)"), run.err)

        // A fork: the same key signs a tree whose first entry differs (as a
        // thief of the key could), with tiles to match; on its own it checks out.
        let forked = try copy("forked")
        let key = LogKey(name: try XCTUnwrap(VerifierKey(try vkey)).name, privateKey: try Curve25519.Signing.PrivateKey(
            rawRepresentation: Ed25519KeyFile.decrypt(pem: Data(contentsOf: home.appendingPathComponent("log/key.pem")),
                                                      passphrase: demo.passphrase)))
        let bundlePath = forked.appendingPathComponent("log/tile/entries/000.p/\(latest)")
        var entries = try XCTUnwrap(Tiles.entries(ofBundle: Data(contentsOf: bundlePath)))
        var backdated = try XCTUnwrap(LogEntry(text: String(decoding: entries[0], as: UTF8.self)))
        backdated.time = "2001-01-01T00:00:00Z"
        entries[0] = backdated.data
        try Tiles.bundle(entries).write(to: bundlePath)
        let tree = MerkleTree(leafHashes: entries.map(MerkleTree.leafHash))
        for tile in Tiles.tiles(of: tree, size: tree.size) {
            try tile.data.write(to: forked.appendingPathComponent("log/" + tile.path))
        }
        try Data(try Checkpoint(origin: key.name, size: tree.size, root: tree.root()).signed(by: key).utf8)
            .write(to: forked.appendingPathComponent("log/checkpoint"))
        let alone = try logVerify(forked)
        XCTAssertEqual(alone.status, 0, alone.err)
        run = try logVerify(forked, ["--since", kept[first]!.path])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.err.contains("forked"), run.err)

        // A site (here a static server on loopback) serving a checkpoint larger than any
        // checkpoint can be: the monitor stops reading at the limit and says so.
        let oversized = try copy("oversized")
        try Data(repeating: 0x41, count: 1 << 20).write(to: oversized.appendingPathComponent("log/checkpoint"))
        let server = try LoopbackServer.staticSite(oversized)
        defer { server.stop() }
        run = try Tools.run(TestPaths.executable("segel").path, ["log", "verify", "--site", server.url, "--vkey", try vkey])
        XCTAssertEqual(run.status, 3)
        XCTAssertTrue(run.err.contains("log/checkpoint is larger than any file of a published log"), run.err)

        // segel-verify: a record whose checkpoint was altered fails its log check.
        let altered = try copy("altered")
        let recordURL = altered.appendingPathComponent(demo.hostile.address.record)
        var record = try PublishedRecord.decode(Data(contentsOf: recordURL))
        var log = try XCTUnwrap(record.log)
        log.checkpoint = log.checkpoint.replacingOccurrences(of: "\n\(latest)\n", with: "\n\(latest + 1)\n")
        record.log = log
        try JSONEncoder().encode(record).write(to: recordURL)
        let verify = try Tools.run(TestPaths.executable("segel-verify").path, [demo.hostile.signed_pdf, "--site", altered.path])
        XCTAssertEqual(verify.status, 1, verify.out)
        XCTAssertTrue(verify.out.contains("✗ log"), verify.out)
        XCTAssertFalse(try independentCheck(altered).ok)
    }

    func testPublishingRefusesACheckpointThatDoesNotExtendTheLastOne() throws {
        let kept = try keptCheckpoints()
        let latest = kept.keys.max()!
        // The kept checkpoint of the last publish is replaced by one over another tree of the same size.
        let key = LogKey(name: try XCTUnwrap(VerifierKey(try vkey)).name, privateKey: try Curve25519.Signing.PrivateKey(
            rawRepresentation: Ed25519KeyFile.decrypt(pem: Data(contentsOf: home.appendingPathComponent("log/key.pem")),
                                                      passphrase: demo.passphrase)))
        let other = Checkpoint(origin: key.name, size: latest, root: Data(repeating: 7, count: 32))
        try Data(try other.signed(by: key).utf8).write(to: kept[latest]!)
        let before = try demo.fileStamps()
        let run = try Tools.run(TestPaths.executable("segel").path, ["publish", "--site", demo.site.path],
                                environment: demo.environment)
        XCTAssertEqual(run.status, 1, run.err)
        XCTAssertTrue(run.err.contains("does not extend the checkpoint the log signed at tree size \(latest)"), run.err)
        XCTAssertEqual(try demo.fileStamps().mapValues(\.modified), before.mapValues(\.modified), "nothing was written")
    }

    /// A publish reads every checkpoint the log kept (one per publish that
    /// grew it) but checks the signature of an older one only when a page is
    /// about to show it. A damaged one changes the pages that show it, so
    /// they are rendered again, and the publish is refused before it writes
    /// anything; a new site, which renders every page, is refused too.
    func testAnOlderCheckpointWhoseSignatureFailsIsNeverPublished() throws {
        let kept = try keptCheckpoints()
        let first = try XCTUnwrap(kept.keys.min())
        XCTAssertNotEqual(first, kept.keys.max())
        let note = try String(contentsOf: kept[first]!, encoding: .utf8)
        let signature = try XCTUnwrap(note.split(separator: "\n").last?.split(separator: " ").last.map(String.init))
        var blob = try XCTUnwrap(Data(base64Encoded: signature))
        blob[blob.startIndex + 20] ^= 0x01
        let damaged = note.replacingOccurrences(of: signature, with: blob.base64EncodedString())
        let verifier = try XCTUnwrap(VerifierKey(try vkey))
        XCTAssertThrowsError(try Checkpoint.verify(damaged, with: verifier))
        XCTAssertEqual(try Checkpoint.unverified(damaged, signedBy: verifier).checkpoint.size, first)
        try Data(damaged.utf8).write(to: kept[first]!)

        let before = try demo.fileStamps()
        let again = try Tools.run(TestPaths.executable("segel").path, ["publish", "--site", demo.site.path],
                                  environment: demo.environment)
        XCTAssertEqual(again.status, 1, again.err)
        XCTAssertTrue(again.err.contains("the kept checkpoint \(kept[first]!.path): its signature by \(verifier.name) does not verify"),
                      again.err)
        XCTAssertEqual(try demo.fileStamps().mapValues(\.modified), before.mapValues(\.modified), "nothing was written")

        let fresh = demo.work.appendingPathComponent("site-fresh")
        let run = try Tools.run(TestPaths.executable("segel").path, ["publish", "--site", fresh.path],
                                environment: demo.environment)
        XCTAssertEqual(run.status, 1, run.err)
        XCTAssertTrue(run.err.contains("the kept checkpoint \(kept[first]!.path)"), run.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: fresh.appendingPathComponent(".segel-manifest.json").path))

        // Its root changed instead, with the signature as it was: the tree no longer
        // extends it, and the refusal names the damaged file, not the registry.
        let root = try Checkpoint.unverified(note, signedBy: verifier).checkpoint.root.base64EncodedString()
        try Data(note.replacingOccurrences(of: root, with: Data(repeating: 5, count: 32).base64EncodedString()).utf8)
            .write(to: kept[first]!)
        let changedRoot = try Tools.run(TestPaths.executable("segel").path, ["publish", "--site", demo.site.path],
                                        environment: demo.environment)
        XCTAssertEqual(changedRoot.status, 1, changedRoot.err)
        XCTAssertTrue(changedRoot.err.contains("the kept checkpoint \(kept[first]!.path): its signature"), changedRoot.err)
        XCTAssertFalse(changedRoot.err.contains("an entry was changed"), changedRoot.err)
        XCTAssertEqual(try demo.fileStamps().mapValues(\.modified), before.mapValues(\.modified), "nothing was written")
    }

    /// A new checkpoint is signed on another thread while the documents are
    /// planned, and kept just before anything is written: a republish that
    /// fails earlier keeps nothing. A new site writes its pages as they are
    /// rendered, so there it is kept before the first page: no page ever
    /// shows a checkpoint the home does not keep.
    func testANewCheckpointIsKeptBeforeAnyPageShowsIt() throws {
        let before = try keptCheckpoints()
        let target = try XCTUnwrap(demo.documents.first { $0.status == "valid" })
        try demo.segel(["invalidate", "--reason", "Ditarik", "--", target.token])
        // Another document's certificate, damaged by hand: the republish reads it again and stops while rendering.
        let other = try XCTUnwrap(demo.documents.first { $0.status == "valid" && $0.token != target.token })
        let signatureID = try XCTUnwrap(try demo.json(other.address.record)["signature_id"] as? String)
        let database = home.appendingPathComponent("registry.sqlite").path
        let read = try Tools.run("/usr/bin/sqlite3", [database,
            "SELECT certificate FROM digital_signatures WHERE signature_id = '\(signatureID)'"])
        let certificate = read.out.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(certificate.hasPrefix("-----BEGIN CERTIFICATE-----"), read.out + read.err)
        func setCertificate(_ value: String) throws {
            let run = try Tools.run("/usr/bin/sqlite3", [database,
                "UPDATE digital_signatures SET certificate = '\(value)' WHERE signature_id = '\(signatureID)'"])
            XCTAssertEqual(run.status, 0, run.err)
        }
        try setCertificate("not a certificate")
        let stamps = try demo.fileStamps()
        let failed = try Tools.run(TestPaths.executable("segel").path, ["publish", "--site", demo.site.path],
                                   environment: demo.environment)
        XCTAssertEqual(failed.status, 1, failed.err)
        XCTAssertTrue(failed.err.contains("does not parse"), failed.err)
        XCTAssertEqual(try keptCheckpoints().keys.sorted(), before.keys.sorted(), "no checkpoint was kept")
        XCTAssertEqual(try demo.fileStamps().mapValues(\.modified), stamps.mapValues(\.modified), "nothing was written")
        try setCertificate(certificate)

        // A document signed now is held only by the next checkpoint. A new site
        // that stops at a damaged signed PDF has kept that checkpoint before it wrote a page.
        let late = try SamplePDF.write(to: demo.work.appendingPathComponent("late.pdf"), lines: ["Surat yang datang kemudian"])
        try demo.segel(["sign-file", late.path, "--by", DemoSite.approverEmail, "--name", "Surat baru", "--type", "Surat",
                        "--user", "31337001", "--key-type", "p256"])
        let pdf = URL(fileURLWithPath: other.signed_pdf)
        let original = try Data(contentsOf: pdf)
        try (original + Data("%damaged\n".utf8)).write(to: pdf)
        let fresh = demo.work.appendingPathComponent("site-fails")
        let stopped = try Tools.run(TestPaths.executable("segel").path, ["publish", "--site", fresh.path],
                                    environment: demo.environment)
        XCTAssertEqual(stopped.status, 1, stopped.err)
        XCTAssertTrue(stopped.err.contains("does not have the SHA-256 the registry recorded"), stopped.err)
        let kept = try keptCheckpoints()
        XCTAssertEqual(kept.count, before.count + 1)
        let notes = try Set(kept.values.map { try String(contentsOf: $0, encoding: .utf8) })
        let records = FileManager.default.enumerator(atPath: fresh.appendingPathComponent("api/verify").path)?
            .compactMap { $0 as? String }.filter { $0.hasSuffix(".json") } ?? []
        for record in records {
            let json = try XCTUnwrap(JSONSerialization.jsonObject(
                with: Data(contentsOf: fresh.appendingPathComponent("api/verify/" + record))) as? [String: Any])
            let shown = try XCTUnwrap((json["log"] as? [String: Any])?["checkpoint"] as? String, record)
            XCTAssertTrue(notes.contains(shown), "\(record) shows a checkpoint the home does not keep")
        }

        // Repaired, the site serves the kept checkpoint: signing again gives the same note.
        try original.write(to: pdf)
        let published = try demo.publish()
        XCTAssertFalse(published.log_signed)
        XCTAssertEqual(try keptCheckpoints().keys.sorted(), kept.keys.sorted())
        let served = try XCTUnwrap(kept[published.log_size], "the checkpoint of the whole log is kept")
        XCTAssertEqual(try String(contentsOf: served, encoding: .utf8), try demo.text("log/checkpoint"))
        XCTAssertEqual(try logVerify(demo.site).status, 0)
    }

    /// A wrong passphrase with a new document to publish: planning waits for
    /// the checkpoint that holds it, whose key does not open. One line,
    /// nothing written, nothing kept.
    func testAWrongPassphraseWithANewDocumentWritesAndKeepsNothing() throws {
        let before = try keptCheckpoints()
        let late = try SamplePDF.write(to: demo.work.appendingPathComponent("late.pdf"), lines: ["Surat yang datang kemudian"])
        try demo.segel(["sign-file", late.path, "--by", DemoSite.approverEmail, "--name", "Surat baru", "--type", "Surat",
                        "--user", "31337001", "--key-type", "p256"])
        var environment = demo.environment
        environment["SEGEL_PASSPHRASE"] = "not the passphrase"
        let stamps = try demo.fileStamps()
        let run = try Tools.run(TestPaths.executable("segel").path, ["publish", "--site", demo.site.path],
                                environment: environment)
        XCTAssertEqual(run.status, 1, run.err)
        XCTAssertTrue(run.err.contains("passphrase"), run.err)
        XCTAssertEqual(run.err.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count, 1, run.err)
        XCTAssertEqual(try keptCheckpoints().keys.sorted(), before.keys.sorted())
        XCTAssertEqual(try demo.fileStamps().mapValues(\.modified), stamps.mapValues(\.modified), "nothing was written")
    }

    /// A home that lost its kept checkpoints (moved, or restored from an older
    /// backup) still never signs a tree that forks from what the site serves.
    func testTheSitesCheckpointCountsWhenTheHomeLostItsOwn() throws {
        let folder = home.appendingPathComponent("log/checkpoints")
        let latest = try keptCheckpoints().keys.max()!
        try FileManager.default.removeItem(at: folder)
        // The site's checkpoint is adopted: nothing new is signed, nothing changes.
        XCTAssertTrue(try demo.publish().written_paths.filter { $0.hasPrefix("log/") }.isEmpty)
        XCTAssertEqual(try keptCheckpoints().keys.sorted(), [latest])

        // A site serving a checkpoint of another tree (signed with the real key) is not overwritten.
        try FileManager.default.removeItem(at: folder)
        let key = LogKey(name: try XCTUnwrap(VerifierKey(try vkey)).name, privateKey: try Curve25519.Signing.PrivateKey(
            rawRepresentation: Ed25519KeyFile.decrypt(pem: Data(contentsOf: home.appendingPathComponent("log/key.pem")),
                                                      passphrase: demo.passphrase)))
        let other = try Checkpoint(origin: key.name, size: latest, root: Data(repeating: 9, count: 32)).signed(by: key)
        try Data(other.utf8).write(to: demo.url("log/checkpoint"))
        let run = try Tools.run(TestPaths.executable("segel").path, ["publish", "--site", demo.site.path],
                                environment: demo.environment)
        XCTAssertEqual(run.status, 1, run.err)
        XCTAssertTrue(run.err.contains("does not extend the checkpoint the site already serves"), run.err)
        XCTAssertEqual(try demo.text("log/checkpoint"), other)
    }

    /// The log key is never replaced: a lost verifier key is rebuilt from the key,
    /// a lost key with its verifier key present is refused.
    func testTheLogKeyIsNeverReplaced() throws {
        let vkeyFile = home.appendingPathComponent("log/key.vkey")
        let original = try vkey
        try FileManager.default.removeItem(at: vkeyFile)
        _ = try demo.publish()
        XCTAssertEqual(try vkey, original)

        try FileManager.default.removeItem(at: home.appendingPathComponent("log/key.pem"))
        let run = try Tools.run(TestPaths.executable("segel").path, ["publish", "--site", demo.site.path],
                                environment: demo.environment)
        XCTAssertEqual(run.status, 1, run.err)
        XCTAssertTrue(run.err.contains("is missing while its verifier key"), run.err)
        XCTAssertEqual(try vkey, original)
    }
}
