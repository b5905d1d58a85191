import Foundation
import Record
import TestSupport
import XCTest

/// A demo authority made by the built `segel demo`, plus one document whose
/// name, type and requester are hostile HTML, published with `segel publish`.
/// The tests read and republish it the way a user would.
struct DemoSite {
    static let hostileName = #"<script>alert(1)</script> & "x""#
    static let hostileType = "<i>type</i>'s"
    static let hostileRequester = #"<b>Budi</b> "O'Neil" & Sons"#
    static let approverEmail = "rina.kusumawardani@nusantara.example.ac.id"

    let work: URL
    let home: URL
    let site: URL
    let passphrase = "portal tests passphrase"
    /// Documents the demo signed, then the hostile one.
    var documents: [Document]
    var hostile: Document { documents.last! }

    struct Document: Decodable {
        var token: String
        var name: String
        var requester: String
        var status: String
        var signed_pdf: String

        /// Where its files sit: every document the tests sign is new, so sharded.
        var address: DocumentAddress { DocumentAddress(token: token, layout: .sharded) }
    }

    struct Summary: Decodable {
        var site: String
        var files: Int
        var written: Int
        var unchanged: Int
        var deleted: Int
        var documents: Int
        var rendered_documents: Int
        var crl_issued: Bool
        var crl_number: Int
        var written_paths: [String]
        var deleted_paths: [String]
        var log_size: Int
        var log_signed: Bool
        var index_entries: Int
        var index_shards: Int
    }

    private struct DemoReport: Decodable {
        var documents: [Document]
        var publish: Summary
    }

    private struct SignOutput: Decodable {
        var token: String
        var signed_pdf: String
    }

    var environment: [String: String] { ["SEGEL_HOME": home.path, "SEGEL_PASSPHRASE": passphrase] }

    @discardableResult
    func segel(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Tools.Result {
        let result = try Tools.run(TestPaths.executable("segel").path, arguments, environment: environment)
        XCTAssertEqual(result.status, 0, "segel \(arguments.joined(separator: " ")) failed: \(result.err)",
                       file: file, line: line)
        return result
    }

    /// `segel publish --site <site> --json` plus `extra`.
    func publish(_ extra: [String] = [], into folder: URL? = nil, file: StaticString = #filePath,
                 line: UInt = #line) throws -> Summary {
        let result = try segel(["publish", "--site", (folder ?? site).path, "--json"] + extra, file: file, line: line)
        return try JSONDecoder().decode(Summary.self, from: result.stdout)
    }

    /// Runs the demo with `documents` documents into a fresh folder, adds the
    /// hostile document, and publishes.
    static func make(_ label: String, documents count: Int = 8) throws -> DemoSite {
        let work = try TestPaths.temporaryDirectory(label)
        var site = DemoSite(work: work, home: work.appendingPathComponent("home"),
                            site: work.appendingPathComponent("site"), documents: [])
        let demo = try site.segel(["demo", "--documents", String(count), "--key-type", "p256",
                                   "--site", site.site.path, "--json"])
        let report = try JSONDecoder().decode(DemoReport.self, from: demo.stdout)
        site.documents = report.documents

        try site.segel(["user", "add", "--name", hostileRequester, "--email", "budi@example.org", "--nim", "31337001"])
        let pdf = try SamplePDF.write(to: work.appendingPathComponent("hostile.pdf"),
                                      lines: ["Surat dengan nama yang berbahaya", "Baris kedua"])
        let signed = try site.segel(["sign-file", pdf.path, "--by", approverEmail, "--name", hostileName,
                                     "--type", hostileType, "--user", "31337001", "--key-type", "p256", "--json"])
        let output = try JSONDecoder().decode(SignOutput.self, from: signed.stdout)
        site.documents.append(Document(token: output.token, name: hostileName, requester: hostileRequester,
                                       status: "valid", signed_pdf: output.signed_pdf))
        _ = try site.publish()
        return site
    }

    func remove() {
        try? FileManager.default.removeItem(at: work)
    }

    func url(_ path: String) -> URL { site.appendingPathComponent(path) }

    func text(_ path: String) throws -> String { try String(contentsOf: url(path), encoding: .utf8) }

    func json(_ path: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url(path))) as? [String: Any], path)
    }

    /// Every file of the site, relative path → (inode, modification time), the manifest and lock excluded.
    func fileStamps() throws -> [String: (inode: UInt64, modified: Date)] {
        var stamps: [String: (UInt64, Date)] = [:]
        let root = site.standardizedFileURL.resolvingSymlinksInPath().path + "/"
        let enumerator = FileManager.default.enumerator(atPath: site.path)!
        while let relative = enumerator.nextObject() as? String {
            let attributes = try FileManager.default.attributesOfItem(atPath: root + relative)
            guard attributes[.type] as? FileAttributeType == .typeRegular,
                  !relative.hasPrefix(".segel-") else { continue }
            stamps[relative] = ((attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0,
                                attributes[.modificationDate] as? Date ?? .distantPast)
        }
        return stamps
    }
}

extension DemoSite {
    /// Why the real-browser check cannot run here, or nil when it can
    /// (headless Chromium, chromedriver and Selenium; scripts/setup --test installs them).
    static var browserMissing: String? {
        if !(Tools.available("chromium") || Tools.available("chromium-browser")) {
            return "chromium is not installed (scripts/setup --test installs it)"
        }
        if !Tools.available("chromedriver") {
            return "chromedriver is not installed (scripts/setup --test installs chromium-driver)"
        }
        if (try? Tools.run("python3", ["-c", "import selenium"]))?.status != 0 {
            return "the Python package selenium is not installed (scripts/setup --test installs it)"
        }
        return nil
    }

    /// `scripts/portal-browser-check.py` against this site served as static
    /// hosts serve it, with a valid document and a PDF it never signed.
    func browserCheck(screenshots: URL? = nil) throws -> Tools.Result {
        let server = try LoopbackServer.staticSite(site)
        defer { server.stop() }
        let document = try XCTUnwrap(documents.first { $0.status == "valid" && $0.name != DemoSite.hostileName })
        let unknown = work.appendingPathComponent("never-signed.pdf")
        try SamplePDF.write(to: unknown, lines: ["Dokumen yang tidak pernah ditandatangani di sini"])
        let script = TestPaths.packageRoot.appendingPathComponent("scripts/portal-browser-check.py")
        // The demo's third document is signed by two approvers in turn.
        var several: [String] = []
        if documents.count > 2 {
            let joint = documents[2]
            several = ["--several", "v/\(joint.token.prefix(1).lowercased())/\(joint.token)/", joint.signed_pdf, "2"]
        }
        return try Tools.run("python3", [script.path, server.baseURL, document.token, document.name,
                                         document.signed_pdf, unknown.path] + (screenshots.map { [$0.path] } ?? []) + several)
    }
}
