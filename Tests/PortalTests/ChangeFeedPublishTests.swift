import Foundation
import PKI
@testable import Portal
import TestSupport
import XCTest

/// A republish reads whole only the documents whose change stamp (schema v6)
/// it has not recorded. Whatever changed in the registry — through segel or
/// by hand in SQL, in any table a document's files are made of — the site it
/// leaves must be the one a publish from scratch makes of the same registry.
final class ChangeFeedPublishTests: XCTestCase {
    var demo: DemoSite!

    override func setUpWithError() throws {
        demo = try DemoSite.make("portal-change-feed", documents: 6)
    }

    override func tearDownWithError() throws {
        demo?.remove()
    }

    /// Edits the registry by hand, as an administrator with `sqlite3` would.
    private func sql(_ statement: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try Tools.run("/usr/bin/sqlite3", [demo.home.appendingPathComponent("registry.sqlite").path, statement])
        XCTAssertEqual(result.status, 0, "sqlite3: \(result.err)", file: file, line: line)
    }

    /// Every file of a site folder by relative path, with its bytes; the
    /// manifest and the publish lock aside (they describe the folder, not the site).
    private func files(_ folder: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let root = folder.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(atPath: root) else { return out }
        while let relative = walker.nextObject() as? String {
            guard !relative.hasPrefix(".segel-") else { continue }
            var directory: ObjCBool = false
            let path = root + "/" + relative
            guard FileManager.default.fileExists(atPath: path, isDirectory: &directory), !directory.boolValue else { continue }
            out[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
        }
        return out
    }

    /// Republishes, then publishes the same registry into an empty folder,
    /// and compares the two sites file by file. The CRL is the one exception:
    /// a publish from scratch signs a new one (a new number, a new time),
    /// while the republish keeps the current one when its entries did not
    /// change; so `crl.*`, `trust.json` (which names the CRL's hash) and the
    /// pages that print the CRL's dates are compared for their entries only.
    private func republishAndCompare(_ label: String, rendered expected: Int,
                                     file: StaticString = #filePath, line: UInt = #line) throws {
        let republish = try demo.publish(file: file, line: line)
        XCTAssertEqual(republish.rendered_documents, expected, "\(label): documents rendered again", file: file, line: line)
        let fresh = demo.work.appendingPathComponent("fresh-\(label)")
        let scratch = try demo.publish(into: fresh, file: file, line: line)
        XCTAssertEqual(scratch.rendered_documents, scratch.documents)
        let mine = try files(demo.site), theirs = try files(fresh)
        // The manifest lists the site's files, in the layout a manifest written from scratch has (sorted).
        let manifestBytes = try Data(contentsOf: demo.url(Manifest.fileName))
        let manifest = try XCTUnwrap(Manifest.parse(manifestBytes), "\(label): manifest", file: file, line: line)
        XCTAssertEqual(Set(manifest.files.keys), Set(mine.keys), "\(label): the manifest's files", file: file, line: line)
        XCTAssertEqual(manifest.encoded(), manifestBytes, "\(label): the manifest is sorted", file: file, line: line)
        XCTAssertEqual(Set(mine.keys), Set(theirs.keys), "\(label): the sites hold different files", file: file, line: line)
        let crlBound: Set<String> = ["crl.crl", "crl.pem", "trust.json"]
        var differing: [String] = []
        for (path, data) in theirs where mine[path] != data && !crlBound.contains(path) {
            differing.append(path)
        }
        XCTAssertEqual(differing.sorted(), [], "\(label): files differ from a publish from scratch", file: file, line: line)
        // The CRLs list the same certificates.
        let ours = try CRL(der: XCTUnwrap(mine["crl.crl"])), scratchCRL = try CRL(der: XCTUnwrap(theirs["crl.crl"]))
        XCTAssertEqual(Set(ours.revokedSerials.keys), Set(scratchCRL.revokedSerials.keys), "\(label): CRL entries",
                       file: file, line: line)
        try FileManager.default.removeItem(at: fresh)
    }

    func testEveryKindOfRegistryChangeIsPublishedAsAPublishFromScratchWouldShowIt() throws {
        try republishAndCompare("unchanged", rendered: 0)

        let valid = demo.documents.filter { $0.status == "valid" }
        XCTAssertGreaterThanOrEqual(valid.count, 4)
        try demo.segel(["invalidate", "--reason", "Salah cetak", "--", valid[0].token])
        try republishAndCompare("invalidated", rendered: 1)

        let signatureID = try XCTUnwrap(try demo.json(valid[1].address.record)["signature_id"] as? String)
        try demo.segel(["keys", "revoke", signatureID, "--reason", "Laptop hilang"])
        try republishAndCompare("key-revoked", rendered: 1)

        // By hand: the requester of the hostile document, then the name of another document.
        try sql("UPDATE users SET name = 'Budi Santoso Baru' WHERE nim = '31337001'")
        try republishAndCompare("requester-renamed", rendered: 1)
        XCTAssertTrue(try demo.text(demo.hostile.address.pageFile).contains("Budi Santoso Baru"))
        try sql("""
            UPDATE approval_requests SET document_name = 'Transkrip (nama baru)'
            WHERE id = (SELECT approval_request_id FROM document_signatures WHERE token = '\(valid[2].token)')
            """)
        try republishAndCompare("document-renamed", rendered: 1)

        // An approver who signs as a later signer of a document with several (the demo has one).
        let documentsOfSecondSigner = try Tools.run("/usr/bin/sqlite3", [
            demo.home.appendingPathComponent("registry.sqlite").path, """
            SELECT COUNT(DISTINCT s.id) FROM document_signatures s LEFT JOIN digital_signatures k ON k.document_signature_id = s.id
            WHERE s.signature_status != 'pending' AND (k.signer_id = (SELECT signer_id FROM digital_signatures WHERE signer_position = 2 LIMIT 1)
               OR s.signed_by = (SELECT signer_id FROM digital_signatures WHERE signer_position = 2 LIMIT 1))
            """])
        let affected = try XCTUnwrap(Int(String(decoding: documentsOfSecondSigner.stdout, as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        XCTAssertGreaterThanOrEqual(affected, 1)
        try sql("UPDATE approvers SET title = 'Wakil Dekan Baru' WHERE id = (SELECT signer_id FROM digital_signatures WHERE signer_position = 2 LIMIT 1)")
        try republishAndCompare("second-signer-retitled", rendered: affected)

        // A key's id changed by hand: its lookup code with it. The entry under
        // the old code must leave its shard, the new one must appear.
        try sql("""
            UPDATE digital_signatures SET signature_id = 'SIG-0123456789ABCDEF'
            WHERE document_signature_id = (SELECT id FROM document_signatures WHERE token = '\(valid[3].token)')
            """)
        try republishAndCompare("signature-id-changed", rendered: 1)

        // A new document, and one of its files deleted from the site afterwards.
        let pdf = try SamplePDF.write(to: demo.work.appendingPathComponent("late.pdf"), lines: ["Surat yang datang kemudian"])
        try demo.segel(["sign-file", pdf.path, "--by", DemoSite.approverEmail, "--name", "Surat susulan",
                        "--user", "31337001", "--key-type", "p256"])
        try republishAndCompare("new-document", rendered: 1)
        try FileManager.default.removeItem(at: demo.url(valid[2].address.record))
        try republishAndCompare("record-deleted", rendered: 1)

        // A site published before 0.8 has no change keys in its manifest:
        // every document is read and fingerprinted, and none is rendered again.
        let manifestURL = demo.url(".segel-manifest.json")
        var manifest = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as? [String: Any])
        XCTAssertNotNil(manifest["changes"], "the manifest records each document's change key")
        manifest["changes"] = nil
        try JSONSerialization.data(withJSONObject: manifest).write(to: manifestURL)
        try republishAndCompare("manifest-without-stamps", rendered: 0)
    }
}
