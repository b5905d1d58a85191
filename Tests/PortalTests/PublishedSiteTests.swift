import Foundation
import PKI
import Record
@testable import Portal
import TestSupport
import XCTest

/// The files of a published demo site: every document's page, record,
/// certificate and PDF; the CA, CRL and trust bundle; the hash index; and the
/// escaping of hostile text. Read-only: the site is built once for the class.
final class PublishedSiteTests: XCTestCase {
    nonisolated(unsafe) static var shared: DemoSite?
    nonisolated(unsafe) static var setupError: Error?

    override class func setUp() {
        super.setUp()
        do {
            shared = try DemoSite.make("portal-site")
        } catch {
            setupError = error
        }
    }

    override class func tearDown() {
        shared?.remove()
        super.tearDown()
    }

    var demo: DemoSite {
        get throws {
            if let error = Self.setupError { throw error }
            return try XCTUnwrap(Self.shared)
        }
    }

    func testEveryDocumentHasPageRecordCertificateAndPDF() throws {
        let demo = try demo
        let ca = try Certificate(pem: demo.text("ca.pem"))
        XCTAssertEqual(try Certificate(der: Data(contentsOf: demo.url("ca.crt"))), ca)
        XCTAssertEqual(demo.documents.count, 9)
        for document in demo.documents {
            let token = document.token
            // Issue 17: a document signed now sits in the folder of its token's first character, lower-cased.
            let folder = String(token.prefix(1)).lowercased()
            XCTAssertEqual(document.address, DocumentAddress(token: token, layout: .sharded))
            let page = try demo.text("v/\(folder)/\(token)/index.html")
            XCTAssertTrue(page.contains(#"<meta name="robots" content="noindex,nofollow">"#), token)
            XCTAssertTrue(page.contains(token))

            let record = try demo.json("api/verify/\(folder)/\(token).json")
            XCTAssertEqual(record["format"] as? String, "segel-record/1")
            XCTAssertEqual(record["token"] as? String, token)
            XCTAssertEqual(record["status"] as? String, document.status, token)
            let pdf = try Data(contentsOf: demo.url("d/\(folder)/\(token).pdf"))
            XCTAssertEqual(pdf, try Data(contentsOf: URL(fileURLWithPath: document.signed_pdf)))
            XCTAssertEqual(record["sha256"] as? String, Digest.hex(Digest.sha256(pdf)))
            XCTAssertTrue(page.contains(Digest.hex(Digest.sha256(pdf))))

            let pem = try Certificate(der: Data(contentsOf: demo.url("cert/\(folder)/\(token).crt")))
            XCTAssertFalse(FileManager.default.fileExists(atPath: demo.url("cert/\(folder)/\(token).pem").path), "one copy of the certificate per document")
            XCTAssertTrue(pem.isIssued(by: ca))
            XCTAssertEqual(pem.subjectAltNameURIs, ["http://127.0.0.1:8000/v/\(folder)/\(token)/"])
            let certificate = try XCTUnwrap(record["certificate"] as? [String: Any])
            XCTAssertEqual(certificate["serial"] as? String, pem.serialHex)
            XCTAssertEqual(certificate["fingerprint_sha256"] as? String, pem.sha256FingerprintHex)
            XCTAssertTrue(page.contains(pem.sha256FingerprintHex))
            for key in ["status_reason", "status_date", "signed_at", "signature_id", "document", "signer", "as_of"] {
                XCTAssertTrue(record.keys.contains(key), "\(key) missing in \(token)")
            }
            switch document.status {
            case "valid":
                XCTAssertTrue(record["status_reason"] is NSNull)
                XCTAssertTrue(page.contains("status--valid"))
            case "invalidated":
                XCTAssertEqual(record["status_reason"] as? String, "Diterbitkan ulang karena kesalahan penulisan data mahasiswa")
                XCTAssertTrue(page.contains("DIBATALKAN"))
            default:
                XCTAssertEqual(record["status_reason"] as? String, "Kunci penandatangan diduga bocor")
                XCTAssertTrue(page.contains("DICABUT"))
            }
        }
        XCTAssertEqual(Set(demo.documents.map(\.status)), ["valid", "invalidated", "revoked"])
    }

    func testCRLIsSignedByTheCAAndListsInvalidatedAndRevokedCertificates() throws {
        let demo = try demo
        guard Tools.available("openssl") else { throw XCTSkip("openssl is not installed") }
        let text = try Tools.run("openssl", ["crl", "-in", demo.url("crl.pem").path, "-noout", "-text"])
        XCTAssertEqual(text.status, 0, text.err)
        let verified = try Tools.run("openssl", ["crl", "-in", demo.url("crl.pem").path, "-noout",
                                                 "-CAfile", demo.url("ca.pem").path, "-verify"])
        XCTAssertEqual(verified.status, 0, verified.err)
        XCTAssertTrue((verified.out + verified.err).contains("verify OK"))
        let der = try Tools.run("openssl", ["crl", "-in", demo.url("crl.crl").path, "-inform", "DER", "-noout", "-hash"])
        XCTAssertEqual(der.status, 0, der.err)

        let crl = try CRL(der: Data(contentsOf: demo.url("crl.crl")))
        XCTAssertEqual(crl.pem, try demo.text("crl.pem"))
        XCTAssertEqual(crl.nextUpdate.timeIntervalSince(crl.thisUpdate), 7 * 86_400, accuracy: 1)
        let listed = crl.revokedSerials
        for document in demo.documents {
            let serial = try Certificate(der: Data(contentsOf: demo.url(document.address.certificate))).serialHex
            switch document.status {
            case "valid": XCTAssertNil(listed[serial], document.token)
            case "invalidated": XCTAssertEqual(listed[serial]?.reason, .cessationOfOperation)
            default: XCTAssertEqual(listed[serial]?.reason, .keyCompromise)
            }
            if document.status != "valid" {
                XCTAssertTrue(text.out.lowercased().contains(serial.uppercased().lowercased()), serial)
            }
        }
        XCTAssertEqual(listed.count, demo.documents.filter { $0.status != "valid" }.count)
        XCTAssertTrue(text.out.contains("Key Compromise"))
        XCTAssertTrue(text.out.contains("Cessation Of Operation"))
    }

    func testTrustBundleCarriesCAAndCRL() throws {
        let demo = try demo
        let trust = try demo.json("trust.json")
        XCTAssertEqual(Set(trust.keys), ["format", "authority", "site_url", "published_at", "ca_pem", "crl_pem",
                                         "authorities", "log_vkey"])
        // Every CA with its CRL (one here); the first is the one ca_pem names.
        let authorities = try XCTUnwrap(trust["authorities"] as? [[String: Any]])
        XCTAssertEqual(authorities.count, 1)
        XCTAssertEqual(authorities.first?["generation"] as? Int, 1)
        XCTAssertEqual(authorities.first?["ca_pem"] as? String, try demo.text("ca.pem"))
        XCTAssertEqual(authorities.first?["crl_pem"] as? String, try demo.text("crl.pem"))
        XCTAssertEqual(try demo.text("cas.pem"), try demo.text("ca.pem"))
        XCTAssertEqual(trust["format"] as? String, "segel-trust/1")
        XCTAssertEqual(trust["authority"] as? String, "Universitas Nusantara")
        XCTAssertEqual(trust["site_url"] as? String, "http://127.0.0.1:8000")
        XCTAssertEqual(trust["ca_pem"] as? String, try demo.text("ca.pem"))
        XCTAssertEqual(trust["crl_pem"] as? String, try demo.text("crl.pem"))
        let published = try XCTUnwrap(trust["published_at"] as? String)
        XCTAssertNotNil(published.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"#, options: .regularExpression))
        XCTAssertFalse(try String(decoding: Data(contentsOf: demo.url("trust.json")), as: UTF8.self).contains(#"\/"#))
    }

    func testHostileTextIsEscapedInEveryPageAndExactInJSON() throws {
        let demo = try demo
        var pages = 0
        let enumerator = FileManager.default.enumerator(atPath: demo.site.path)!
        while let relative = enumerator.nextObject() as? String {
            guard relative.hasSuffix(".html") else { continue }
            pages += 1
            let html = try demo.text(relative)
            for raw in ["<script>alert(1)</script>", "<b>Budi</b>", "<i>type</i>"] {
                XCTAssertFalse(html.contains(raw), "\(relative) contains raw \(raw)")
            }
        }
        XCTAssertGreaterThanOrEqual(pages, demo.documents.count + 4)
        let page = try demo.text(demo.hostile.address.pageFile)
        XCTAssertTrue(page.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot; · "))
        XCTAssertTrue(page.contains(#"<h1 class="doc-title">&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;</h1>"#))
        XCTAssertTrue(page.contains("&lt;b&gt;Budi&lt;/b&gt; &quot;O&#39;Neil&quot; &amp; Sons"))
        XCTAssertTrue(page.contains("&lt;i&gt;type&lt;/i&gt;&#39;s"))

        let record = try demo.json(demo.hostile.address.record)
        let document = try XCTUnwrap(record["document"] as? [String: Any])
        XCTAssertEqual(document["name"] as? String, DemoSite.hostileName)
        XCTAssertEqual(document["type"] as? String, DemoSite.hostileType)
        XCTAssertEqual(document["requester_name"] as? String, DemoSite.hostileRequester)

        let fileHash = Digest.sha256(try Data(contentsOf: demo.url(demo.hostile.address.pdf)))
        let entry = try XCTUnwrap(try IndexReader.lookup(site: demo.site, fileHash: fileHash))
        XCTAssertEqual(entry["name"] as? String, DemoSite.hostileName)
    }

    func testEveryShardExistsAndEachSignedPDFIsFoundAsTheBrowserFindsIt() throws {
        let demo = try demo
        // A small authority: 256 shards, api/hash/<2 hex>.json, named by layout.json (issue 17).
        let names = try FileManager.default.contentsOfDirectory(atPath: demo.url("api/hash").path).sorted()
        XCTAssertEqual(names, (0..<256).map { String(format: "%02x.json", $0) } + ["layout.json"])
        XCTAssertEqual(try demo.json("api/hash/layout.json") as NSDictionary, ["v": 1, "prefix": 2, "shards": 256])
        let files = FileManager.default.enumerator(atPath: demo.site.path)!.allObjects.compactMap { $0 as? String }
            .filter { !$0.hasPrefix(".") && !(try! demo.url($0).resourceValues(forKeys: [.isDirectoryKey]).isDirectory ?? false) }
        XCTAssertLessThan(files.count, 400, "the demo site fits any static host")
        // Issue 17: a 3,000-document site under Cloudflare Pages' free-plan limit of 20,000
        // files, from this site's fixed files plus the files of each document and the index.
        let perDocument = PublishingStep.documentPaths(DocumentAddress(token: "t", layout: .sharded), privatePDFs: false, otherLocale: .en).count
        let fixed = files.count - demo.documents.count * perDocument - 256 - 1
        let threeThousand = fixed + 3_000 * perDocument + HashIndex.Layout.forEntries(2 * 3_000).shardCount + 1
        XCTAssertLessThan(threeThousand, 20_000, "\(fixed) fixed files + 3,000 × \(perDocument) + the index")

        var entries = 0
        for number in 0..<256 {
            let shard = try demo.json(String(format: "api/hash/%02x.json", number))
            XCTAssertEqual(shard["v"] as? Int, 1)
            entries += (shard["entries"] as? [Any])?.count ?? -1_000_000
        }
        // Each document under its file's hash and under each signer's lookup code
        // (the demo's third document has two signers).
        XCTAssertEqual(entries, 2 * demo.documents.count + 1)
        // The depth is chosen from those same entries (a second signer adds one), as the summary says.
        let again = try demo.publish()
        XCTAssertEqual(again.written, 0)
        XCTAssertEqual(again.index_entries, entries)
        XCTAssertEqual(again.index_shards, 256)
        let jekyll = try FileManager.default.attributesOfItem(atPath: demo.url(".nojekyll").path)
        XCTAssertEqual(jekyll[.size] as? Int, 0, "an empty .nojekyll: GitHub Pages serves the _… token folders")

        for document in demo.documents {
            let pdf = try Data(contentsOf: URL(fileURLWithPath: document.signed_pdf))
            let record = try XCTUnwrap(try IndexReader.lookup(site: demo.site, fileHash: Digest.sha256(pdf)), document.token)
            XCTAssertEqual(record["token"] as? String, document.token)
            XCTAssertEqual(record["status"] as? String, document.status)
            XCTAssertEqual(record["name"] as? String, document.name)
            let several = document.token == demo.documents[2].token
            XCTAssertEqual(Set(record.keys), Set(["token", "name", "status", "signed_at", "page", "log_index", "log_size"]
                                                 + (several ? ["signers"] : [])))
            if several {
                let signers = try XCTUnwrap(record["signers"] as? [[String: Any]])
                XCTAssertEqual(signers.count, 2)
                XCTAssertEqual(signers.compactMap { $0["state"] as? String }, ["signed", "signed"])
            }
            XCTAssertEqual(record["page"] as? String, document.address.page)
            XCTAssertEqual(try HashIndex.lookup(fileHash: Digest.sha256(pdf),
                                                shard: Data(contentsOf: demo.url(IndexReader.shardPath(Digest.sha256(pdf), site: demo.site))))?.token,
                           document.token)
        }
        var modified = try Data(contentsOf: URL(fileURLWithPath: demo.documents[0].signed_pdf))
        modified.append(contentsOf: Array("\n%% one more line\n".utf8))
        XCTAssertNil(try IndexReader.lookup(site: demo.site, fileHash: Digest.sha256(modified)))
    }

    /// The same lookup run by the browser's own code (assets/verify.js) under node.
    func testVerifyScriptFindsPublishedFilesUnderNode() throws {
        let demo = try demo
        guard Tools.available("node") else { throw XCTSkip("node is not installed; the browser test covers verify.js") }
        let script = demo.work.appendingPathComponent("lookup.mjs")
        try """
            import { readFileSync } from 'node:fs';
            import { pathToFileURL } from 'node:url';
            import { webcrypto } from 'node:crypto';
            const [site, ...files] = process.argv.slice(2);
            await import(pathToFileURL(site + '/assets/verify.js').href);
            const out = [];
            for (const file of files) {
              const bytes = new Uint8Array(readFileSync(file));
              const result = await globalThis.SegelVerify.checkBytes(webcrypto.subtle, bytes,
                async (path) => JSON.parse(readFileSync(site + '/' + path, 'utf8')));
              out.push({ found: result.found, token: result.record ? result.record.token : null,
                         name: result.record ? result.record.name : null });
            }
            console.log(JSON.stringify(out));
            """.write(to: script, atomically: true, encoding: .utf8)
        let unknown = demo.work.appendingPathComponent("unknown.pdf")
        try SamplePDF.write(to: unknown, lines: ["Never signed here"])
        let files = demo.documents.map(\.signed_pdf) + [unknown.path]
        let run = try Tools.run("node", [script.path, demo.site.path] + files)
        XCTAssertEqual(run.status, 0, run.err)
        let results = try XCTUnwrap(JSONSerialization.jsonObject(with: run.stdout) as? [[String: Any]])
        XCTAssertEqual(results.count, files.count)
        for (document, result) in zip(demo.documents, results) {
            XCTAssertEqual(result["found"] as? Bool, true)
            XCTAssertEqual(result["token"] as? String, document.token)
            XCTAssertEqual(result["name"] as? String, document.name)
        }
        XCTAssertEqual(results.last?["found"] as? Bool, false)
    }

    func testSitePagesStatisticsRobotsAndAssets() throws {
        let demo = try demo
        XCTAssertEqual(try demo.text("robots.txt"), "User-agent: *\nDisallow: /\n")
        let index = try demo.text("index.html")
        XCTAssertTrue(index.contains(#"<html lang="id">"#))
        XCTAssertTrue(index.contains(#"href="./assets/site.css""#))
        XCTAssertTrue(try demo.text("verify/index.html").contains(#"data-root="../""#))
        let notFound = try demo.text("404.html")
        XCTAssertTrue(notFound.contains(#"href="/assets/site.css""#), "404.html links from the site's absolute root")
        XCTAssertTrue(notFound.contains("noindex"))
        for asset in ["assets/site.css", "assets/site.js", "assets/verify.js", "assets/favicon.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: demo.url(asset).path), asset)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: demo.url("assets/verify.test.mjs").path))

        let statistics = try demo.json("api/statistics.json")
        XCTAssertEqual(statistics["documents"] as? Int, demo.documents.count)
        let byStatus = try XCTUnwrap(statistics["by_status"] as? [String: Int])
        XCTAssertEqual(byStatus["valid"], demo.documents.filter { $0.status == "valid" }.count)
        XCTAssertEqual(byStatus["invalidated"], demo.documents.filter { $0.status == "invalidated" }.count)
        XCTAssertEqual(byStatus["revoked"], demo.documents.filter { $0.status == "revoked" }.count)
        let raw = try demo.text("api/statistics.json")
        for document in demo.documents {
            XCTAssertFalse(raw.contains(document.requester), "statistics must not name people")
            XCTAssertFalse(raw.contains(document.token))
        }
        let statsPage = try demo.text("stats/index.html")
        XCTAssertTrue(statsPage.contains(#"<span class="tile__value">\#(demo.documents.count)</span>"#))
    }

    /// Publishing the same registry into a new folder gives the same bytes,
    /// file for file (the CRL too: it is still fresh, so it is reused).
    func testSameRegistryGivesTheSameBytes() throws {
        let demo = try demo
        let other = demo.work.appendingPathComponent("site-again")
        let summary = try demo.publish(into: other)
        XCTAssertFalse(summary.crl_issued)
        let first = try Self.tree(demo.site), second = try Self.tree(other)
        XCTAssertEqual(first.count, second.count)
        XCTAssertEqual(Set(first.keys), Set(second.keys))
        for (path, data) in first where data != second[path] {
            XCTFail("\(path) differs between two publishes of the same registry")
        }
    }

    /// Token pages come from per-shape skeletons with the default templates;
    /// an overridden template is rendered by Mustache page by page. The two
    /// must agree byte for byte, the hostile document included.
    func testSkeletonPagesEqualDirectlyRenderedPages() throws {
        let demo = try demo
        let templates = demo.work.appendingPathComponent("direct-templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        let token = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("templates/token.mustache"),
                               encoding: .utf8)
        try (token + "{{! the same page, rendered directly }}")
            .write(to: templates.appendingPathComponent("token.mustache"), atomically: true, encoding: .utf8)
        let other = demo.work.appendingPathComponent("site-direct")
        let summary = try demo.publish(["--templates", templates.path], into: other)
        XCTAssertEqual(summary.rendered_documents, demo.documents.count)
        for document in demo.documents {
            let path = document.address.pageFile
            XCTAssertEqual(try Data(contentsOf: demo.url(path)), try Data(contentsOf: other.appendingPathComponent(path)), path)
        }
    }

    /// `segel-verify --site` agrees with the pages: valid documents verify, the others do not.
    func testSegelVerifyAgreesWithThePages() throws {
        let demo = try demo
        let verifier = TestPaths.executable("segel-verify")
        for document in demo.documents {
            let run = try Tools.run(verifier.path, [document.signed_pdf, "--site", demo.site.path, "--json"])
            let object = try? JSONSerialization.jsonObject(with: run.stdout) as? [String: Any]
            let verdict = object?["verdict"] as? String
            if document.status == "valid" {
                XCTAssertEqual(run.status, 0, "\(document.token): \(run.out) \(run.err)")
                XCTAssertEqual(verdict, "VALID")
            } else {
                XCTAssertEqual(run.status, 1, "\(document.token) is \(document.status): \(run.out) \(run.err)")
                XCTAssertEqual(verdict, "INVALID")
            }
        }
    }

    static func tree(_ root: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root.path)!
        while let relative = enumerator.nextObject() as? String {
            let url = root.appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
            if !exists || isDirectory.boolValue || relative.hasPrefix(".segel-") { continue }
            files[relative] = try Data(contentsOf: url)
        }
        return files
    }
}

/// The upload check's lookup, written from the format in templates/README.md
/// rather than with the Portal's own code: SHA-256 ids, one shard, AES-256-GCM
/// with the tag appended, a JSON record.
enum IndexReader {
    /// The shard of `fileHash` in the layout `api/hash/layout.json` names
    /// (prefix 2 or 3: one level; 4, or no layout file: two levels).
    static func shardPath(_ fileHash: Data, site: URL) -> String {
        let id = Digest.hex(Digest.sha256(Data("segel-index:".utf8) + fileHash))
        let layout = (try? Data(contentsOf: site.appendingPathComponent("api/hash/layout.json")))
            .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        let prefix = layout?["prefix"] as? Int ?? 4
        if prefix == 4 { return "api/hash/\(id.prefix(2))/\(id.dropFirst(2).prefix(2)).json" }
        return "api/hash/\(id.prefix(prefix)).json"
    }

    static func lookup(site: URL, fileHash: Data) throws -> [String: Any]? {
        let id = Digest.hex(Digest.sha256(Data("segel-index:".utf8) + fileHash))
        let shard = try JSONSerialization.jsonObject(
            with: Data(contentsOf: site.appendingPathComponent(shardPath(fileHash, site: site)))) as? [String: Any]
        let entries = (shard?["entries"] as? [[String: String]] ?? []).filter { $0["id"] == id }
        guard let entry = entries.first else { return nil }
        XCTAssertEqual(entries.count, 1)
        let key = Digest.sha256(Data("segel-key:".utf8) + fileHash)
        let iv = try XCTUnwrap(Data(base64Encoded: entry["iv"] ?? ""))
        XCTAssertEqual(iv.count, 12)
        let plaintext = try AESGCM.open(try XCTUnwrap(Data(base64Encoded: entry["ct"] ?? "")), key: key, iv: iv)
        return try JSONSerialization.jsonObject(with: plaintext) as? [String: Any]
    }
}

extension PublishedSiteTests {
    /// A real browser: headless Chromium through chromedriver (Selenium),
    /// against the site served on 127.0.0.1 as static hosts serve it (404.html for missing paths).
    func testBrowserShowsTheTokenPageAndChecksUploads() throws {
        let demo = try demo
        if let missing = DemoSite.browserMissing { throw XCTSkip(missing) }
        let document = try XCTUnwrap(demo.documents.first { $0.status == "valid" && $0.name != DemoSite.hostileName })
        let shots = demo.work.appendingPathComponent("screenshots")
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        let run = try demo.browserCheck(screenshots: shots)
        let report = try? JSONSerialization.jsonObject(with: run.stdout) as? [String: Any]
        XCTAssertEqual(run.status, 0, "browser checks failed: \(run.out) \(run.err)")
        let checks = report?["checks"] as? [[String: Any]] ?? []
        XCTAssertEqual(checks.count, 21, run.out)
        for check in checks where check["ok"] as? Bool != true {
            XCTFail("\(check["check"] ?? "?"): \(check["detail"] ?? "")")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: shots.appendingPathComponent("upload-found.png").path))

        // segel-verify gives the same verdicts on the same bytes (issue 16's trailing-bytes rule).
        let original = try Data(contentsOf: URL(fileURLWithPath: document.signed_pdf))
        let newline = demo.work.appendingPathComponent("with-newline.pdf")
        let appended = demo.work.appendingPathComponent("with-x.pdf")
        try (original + Data("\n".utf8)).write(to: newline)
        try (original + Data("X".utf8)).write(to: appended)
        let verifier = TestPaths.executable("segel-verify").path
        let tolerated = try Tools.run(verifier, [newline.path, "--site", demo.site.path])
        XCTAssertEqual(tolerated.status, 0, tolerated.out)
        XCTAssertTrue(tolerated.out.contains("white-space") && tolerated.out.contains("not covered"), tolerated.out)
        let refused = try Tools.run(verifier, [appended.path, "--site", demo.site.path])
        XCTAssertEqual(refused.status, 1, refused.out)
    }
}

