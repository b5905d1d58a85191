import Foundation
import TestSupport
import XCTest

/// Issue "Documents signed by several approvers in order", through the built
/// `segel` and `segel-verify` executables, judged by poppler's pdfsig, pyHanko
/// and qpdf as well as by segel-verify.
final class SeveralSignersTests: XCTestCase {
    var work: URL!
    var cli: SegelCLI!
    /// E-mails of the three approvers, in the order they are added.
    let kaprodi = "kaprodi@example.ac.id", dean = "dekan@example.ac.id", rector = "rektor@example.ac.id"
    let names = ["Dr. Kaprodi Informatika", "Prof. Dekan Teknik", "Rektor Universitas"]

    override func setUpWithError() throws {
        work = try TestPaths.temporaryDirectory("several-signers")
        let (cli, _) = try SegelCLI.makeAuthority(in: work)
        self.cli = cli
        for (name, email, nidn) in [(names[0], kaprodi, "1001"), (names[1], dean, "1002"), (names[2], rector, "1003")] {
            try cli.succeed(["approver", "add", "--name", name, "--email", email, "--nidn", nidn])
        }
        try cli.succeed(["user", "add", "--name", "Ani Lestari", "--email", "ani@student.example.ac.id", "--nim", "2101001"])
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: work)
    }

    private func pdf(_ name: String, _ text: String) throws -> String {
        try SamplePDF.write(to: work.appendingPathComponent(name), lines: [text, "Nilai: A", "IPK 3.80"]).path
    }

    private struct SignOutput: Decodable {
        struct Signature: Decodable {
            var position: Int
            var signature_id: String
            var signer: String
            var sha256: String
        }
        var token: String
        var signed_pdf: String
        var sha256: String
        var signature_id: String
        var signatures: [Signature]?
    }

    private struct Verdicts: Decodable {
        struct Signature: Decodable {
            var field: String
            var signer: String?
            var checks: [String: String]
        }
        var verdict: String
        var signatures: [Signature]
    }

    private func verify(_ files: [String]) throws -> [Verdicts] {
        let result = try Tools.run(TestPaths.executable("segel-verify").path,
                                   files + ["--site", work.appendingPathComponent("site").path, "--json"])
        return try result.out.split(separator: "\n").map { try JSONDecoder().decode(Verdicts.self, from: Data($0.utf8)) }
    }

    /// Exit code and a one-sentence error on stderr that mentions `words`.
    private func assertRefused(_ args: [String], code: Int32 = 1, mentions words: [String],
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try cli.run(args)
        XCTAssertEqual(result.status, code, "segel \(args.joined(separator: " ")): \(result.err)", file: file, line: line)
        let err = result.err.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(err.split(separator: "\n").count, 1, "one sentence expected: \(err)", file: file, line: line)
        for word in words {
            XCTAssertTrue(err.contains(word), "\(err) should mention \(word)", file: file, line: line)
        }
    }

    func testTwoAndThreeSignersAreValidInEveryValidator() throws {
        let two = try JSONDecoder().decode(SignOutput.self, from: try cli.succeed([
            "sign-file", try pdf("two.pdf", "Transkrip Nilai"), "--by", kaprodi, "--by", dean,
            "--name", "Transkrip Nilai", "--user", "2101001", "--json"]).stdout)
        let three = try JSONDecoder().decode(SignOutput.self, from: try cli.succeed([
            "sign-file", try pdf("three.pdf", "Sertifikat Bersama"), "--by", kaprodi, "--by", dean, "--by", rector,
            "--name", "Sertifikat Bersama", "--json"]).stdout)
        XCTAssertEqual(two.signatures?.map(\.signer), Array(names.prefix(2)), "--json lists every signature in order")
        XCTAssertEqual(three.signatures?.map(\.position), [1, 2, 3])
        XCTAssertEqual(three.signatures?.last?.sha256, three.sha256, "the last signature's file is the document")
        XCTAssertEqual(three.signatures?.last?.signature_id, three.signature_id)

        let files = [two.signed_pdf, three.signed_pdf]
        let counts = [2, 3]

        // poppler: every signature valid and trusted; only the last covers the whole file.
        let pdfsig = try PDFSig(trusting: cli.caPEM, in: work.appendingPathComponent("nss"))
        for (file, count) in zip(files, counts) {
            let report = try pdfsig.signatures(of: URL(fileURLWithPath: file))
            XCTAssertEqual(report.signatures.count, count, report.output)
            for (index, signature) in report.signatures.enumerated() {
                XCTAssertTrue(signature.signatureValid, "pdfsig #\(index + 1): \(signature.lines)")
                XCTAssertTrue(signature.certificateTrusted, "pdfsig #\(index + 1): \(signature.lines)")
                XCTAssertEqual(signature.totalDocumentSigned, index == count - 1, "pdfsig #\(index + 1): \(signature.lines)")
            }
            let check = try Tools.run("qpdf", ["--check", file])
            XCTAssertEqual(check.status, 0, "qpdf --check \(file): \(check.out)\(check.err)")
        }

        // pyHanko: every signature intact, valid and trusted, and what followed each earlier
        // signature judged a permitted modification of a document certified with DocMDP P=2.
        if PyHanko.available {
            let results = try PyHanko.validate(files.map { URL(fileURLWithPath: $0) }, trusting: cli.caPEM)
            for (file, count) in zip(files, counts) {
                let signatures = try XCTUnwrap(results[file]?.signatures, "pyHanko gave no result for \(file)")
                XCTAssertEqual(signatures.count, count)
                for (index, signature) in signatures.enumerated() {
                    XCTAssertNil(signature.error, "pyHanko #\(index + 1): \(signature.error ?? "")")
                    XCTAssertEqual(signature.intact, true)
                    XCTAssertEqual(signature.valid, true)
                    XCTAssertEqual(signature.trusted, true)
                    XCTAssertEqual(signature.docmdp_ok, true, "pyHanko #\(index + 1) judges the later changes not permitted")
                    XCTAssertEqual(signature.modification_level, index == count - 1 ? "NONE" : "FORM_FILLING")
                    XCTAssertEqual(signature.coverage, index == count - 1 ? "ENTIRE_FILE" : "ENTIRE_REVISION")
                }
            }
        } else {
            print("pyHanko is not installed: scripts/setup --test installs it; its checks were not run")
        }

        // The stamps do not overlap: rendered at 150 dpi, every stamp's QR code decodes.
        for (file, count) in zip(files, counts) {
            let decoded = try QRCheck.decode(pdf: URL(fileURLWithPath: file), page: 1, workDirectory: work)
            XCTAssertEqual(decoded.count, count, "each of the \(count) stamps decodes on its own: \(decoded)")
            XCTAssertEqual(Set(decoded).count, 1, "every stamp leads to the document's one page: \(decoded)")
        }

        // segel-verify against the published site: VALID, each signature checked against the record and the log.
        try cli.succeed(["publish"])
        let verdicts = try verify(files)
        for (verdict, count) in zip(verdicts, counts) {
            XCTAssertEqual(verdict.verdict, "VALID")
            XCTAssertEqual(verdict.signatures.count, count)
            for signature in verdict.signatures {
                XCTAssertEqual(signature.checks["record"], "pass", "\(signature.field): \(signature.checks)")
                XCTAssertEqual(signature.checks["log"], "pass", "\(signature.field): \(signature.checks)")
                XCTAssertEqual(signature.checks["coverage"], "pass", "\(signature.field): \(signature.checks)")
            }
        }

        // The portal lists the signers in order, on the page and in the record.
        let address = "\(three.token.prefix(1).lowercased())/\(three.token)"
        let site = work.appendingPathComponent("site")
        let page = try String(contentsOf: site.appendingPathComponent("v/\(address)/index.html"), encoding: .utf8)
        let positions = names.map { page.range(of: $0)?.lowerBound }
        XCTAssertFalse(positions.contains(nil), "the page names every signer")
        XCTAssertEqual(positions.compactMap { $0 }, positions.compactMap { $0 }.sorted(), "in signing order")
        let english = try String(contentsOf: site.appendingPathComponent("en/v/\(address)/index.html"), encoding: .utf8)
        XCTAssertTrue(english.contains("Signatures, in order"))
        let record = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: site.appendingPathComponent("api/verify/\(address).json"))) as? [String: Any])
        let listed = try XCTUnwrap(record["signatures"] as? [[String: Any]])
        XCTAssertEqual(listed.compactMap { ($0["signer"] as? [String: Any])?["name"] as? String }, names)
        XCTAssertEqual(listed.compactMap { $0["signature_id"] as? String }, three.signatures?.map(\.signature_id))
        XCTAssertEqual(listed.last?["sha256"] as? String, three.sha256)
    }

    /// When a row has room, the stamps stand side by side and read left to right in signing order.
    func testStampsStandSideBySideInSigningOrderWhenTheRowHasRoom() throws {
        guard PyHanko.available else { throw XCTSkip("pyHanko is not installed (scripts/setup --test installs it)") }
        let signed = try JSONDecoder().decode(SignOutput.self, from: try cli.succeed([
            "sign-file", try pdf("row.pdf", "Berita Acara"), "--by", kaprodi, "--by", dean, "--by", rector,
            "--size", "60", "--name", "Berita Acara", "--json"]).stdout)
        let script = """
            import json, sys
            from pyhanko.pdf_utils.reader import PdfFileReader
            r = PdfFileReader(open(sys.argv[1], "rb"))
            out = {}
            for ref in r.root["/AcroForm"]["/Fields"]:
                field = ref.get_object()
                out[str(field["/T"])] = [float(v) for v in field["/Rect"]]
            print(json.dumps(out))
            """
        let read = try Tools.run("python3", ["-c", script, signed.signed_pdf])
        XCTAssertEqual(read.status, 0, read.err)
        let rects = try XCTUnwrap(JSONSerialization.jsonObject(with: read.stdout) as? [String: [Double]])
        let first = try XCTUnwrap(rects.first { $0.key.hasPrefix("Segel-SIG-") }?.value)
        let second = try XCTUnwrap(rects["Segel-Signer-2"]), third = try XCTUnwrap(rects["Segel-Signer-3"])
        XCTAssertEqual([first[1], second[1], third[1]], [first[1], first[1], first[1]], "one row: \(rects)")
        XCTAssertLessThan(first[2], second[0], "signer 1 left of signer 2: \(rects)")
        XCTAssertLessThan(second[2], third[0], "signer 2 left of signer 3: \(rects)")
        let decoded = try QRCheck.decode(pdf: URL(fileURLWithPath: signed.signed_pdf), page: 1, workDirectory: work)
        XCTAssertEqual(decoded.count, 3, "every stamp decodes: \(decoded)")
    }

    func testTheWorkflowKeepsTheOrderAndRefusesEveryOtherStep() throws {
        try cli.succeed(["group", "add", "pimpinan", "--approvers", "\(dean),\(rector)", "--role", "Dekan dan Rektor"])
        let groups = try cli.succeed(["group", "list"]).out
        XCTAssertTrue(groups.contains("pimpinan") && groups.contains(names[1]) && groups.contains(names[2]), groups)

        let id = try cli.succeed(["request", "submit", try pdf("ijazah.pdf", "Ijazah"), "--user", "2101001",
                                  "--name", "Ijazah", "--signers", "\(kaprodi),pimpinan"]).out
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let outbox = cli.home.appendingPathComponent("outbox")
        func mails() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: outbox.path).sorted() }
        XCTAssertEqual(try mails().filter { $0.hasSuffix("-signer-1.eml") }.count, 1, "the first signer is notified")

        // Out of order, not on the list, signing before approving: refused, one sentence each.
        try assertRefused(["request", "approve", id, "--by", dean], mentions: ["request \(id)", "signer 1 of 3", names[0], "pending"])
        try assertRefused(["sign", id], mentions: ["request \(id)", "pending"])
        try cli.succeed(["approver", "add", "--name", "Dosen Lain", "--email", "lain@example.ac.id", "--nidn", "1009"])
        try assertRefused(["request", "approve", id, "--by", "lain@example.ac.id"], mentions: ["not one of request \(id)'s 3 signers", names[0]])

        try cli.succeed(["request", "approve", id, "--by", kaprodi])
        try assertRefused(["request", "approve", id, "--by", kaprodi], mentions: ["already approved"])
        let first = try JSONDecoder().decode(SignOutput.self, from: try cli.succeed(["sign", id, "--json"]).stdout)
        let partial = work.appendingPathComponent("partial.pdf")
        try FileManager.default.copyItem(atPath: first.signed_pdf, toPath: partial.path)
        try assertRefused(["sign", id], mentions: ["request \(id)", "signer 2 of 3", names[1]])
        try assertRefused(["request", "approve", id, "--by", rector], mentions: ["signer 2 of 3", names[1], "approved"])

        // The dean rejects: the request goes back with the reason, the partly signed document is void.
        try cli.succeed(["request", "reject", id, "--by", dean, "--reason", "Nama tertulis salah"])
        let rejectedMail = try XCTUnwrap(try mails().first { $0.hasSuffix("-rejected.eml") })
        let mailText = try String(contentsOf: outbox.appendingPathComponent(rejectedMail), encoding: .utf8)
        XCTAssertTrue(mailText.contains("To: Ani Lestari <ani@student.example.ac.id>"), mailText)
        XCTAssertTrue(mailText.contains("Nama tertulis salah"), mailText)
        let voided = try cli.succeed(["keys", "show", first.signature_id, "--json"]).stdout
        XCTAssertEqual((try JSONSerialization.jsonObject(with: voided) as? [String: Any])?["status"] as? String, "revoked",
                       "the first signer's certificate goes on the CRL")

        // Resubmitted: the order starts again, and every signer signs in turn.
        try cli.succeed(["request", "resubmit", id, try pdf("ijazah-v2.pdf", "Ijazah (perbaikan)")])
        try assertRefused(["request", "approve", id, "--by", dean], mentions: ["signer 1 of 3"])
        var last: SignOutput?
        for approver in [kaprodi, dean, rector] {
            try cli.succeed(["request", "approve", id, "--by", approver])
            last = try JSONDecoder().decode(SignOutput.self, from: try cli.succeed(["sign", id, "--json"]).stdout)
        }
        let done = try XCTUnwrap(last)
        XCTAssertNotEqual(done.token, first.token, "the voided document's token is not reused")
        XCTAssertEqual(done.signatures?.map(\.signer), names, "the last step reports every signature so far")
        try assertRefused(["sign", id], mentions: ["request \(id)"])
        XCTAssertEqual(try mails().filter { $0.hasSuffix("-signed.eml") }.count, 1, "the requester hears when all have signed")
        XCTAssertEqual(try mails().filter { $0.hasSuffix("-signer-3.eml") }.count, 1)

        let show = try XCTUnwrap(JSONSerialization.jsonObject(with: try cli.succeed(["request", "show", id, "--json"]).stdout) as? [String: Any])
        let signers = try XCTUnwrap(show["signers"] as? [[String: Any]])
        XCTAssertEqual(signers.compactMap { $0["state"] as? String }, ["signed", "signed", "signed"])
        XCTAssertEqual(signers.compactMap { $0["group_name"] as? String }, ["pimpinan", "pimpinan"])
        XCTAssertEqual((show["request"] as? [String: Any])?["status"] as? String, "sign_approved")
        XCTAssertEqual((show["keys"] as? [[String: Any]])?.count, 3)

        try cli.succeed(["publish"])
        let verdicts = try verify([done.signed_pdf, partial.path])
        XCTAssertEqual(verdicts.first?.verdict, "VALID")
        XCTAssertEqual(verdicts.first?.signatures.count, 3)
        XCTAssertEqual(verdicts.last?.verdict, "INVALID", "the voided partly signed document does not verify")

        // Invalidating the document invalidates every signature on it.
        try cli.succeed(["invalidate", done.token, "--reason", "Diterbitkan ulang"])
        try cli.succeed(["publish"])
        let after = try verify([done.signed_pdf])
        XCTAssertEqual(after.first?.verdict, "INVALID")
        XCTAssertEqual(after.first?.signatures.filter { $0.checks["revocation"] == "fail" }.count, 3,
                       "every signer's certificate is on the CRL")
    }

    func testAChangeOfContentAfterTheFirstSignatureIsReported() throws {
        let id = try cli.succeed(["request", "submit", try pdf("surat.pdf", "Surat Keterangan"), "--user", "2101001",
                                  "--name", "Surat Keterangan", "--signers", "\(kaprodi),\(dean)"]).out
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try cli.succeed(["request", "approve", id, "--by", kaprodi])
        let first = try JSONDecoder().decode(SignOutput.self, from: try cli.succeed(["sign", id, "--json"]).stdout)
        let partial = work.appendingPathComponent("partial.pdf")
        try FileManager.default.copyItem(atPath: first.signed_pdf, toPath: partial.path)
        try cli.succeed(["request", "approve", id, "--by", dean])
        let signed = try JSONDecoder().decode(SignOutput.self, from: try cli.succeed(["sign", id, "--json"]).stdout)
        try cli.succeed(["publish"])

        let tamper = TestPaths.packageRoot.appendingPathComponent("scripts/support/pyhanko-tamper.py")
        guard PyHanko.available else {
            throw XCTSkip("pyHanko is not installed (scripts/setup --test installs it): the tampered files cannot be made")
        }
        // 1. After the last signature: a third-party incremental update paints over the page.
        let afterAll = work.appendingPathComponent("after-all.pdf")
        let made = try Tools.run("python3", [tamper.path, signed.signed_pdf, afterAll.path])
        XCTAssertEqual(made.status, 0, made.err)
        // 2. Between the signatures: the change and another key's signature in the reserved field.
        let key = work.appendingPathComponent("mallory.key"), cert = work.appendingPathComponent("mallory.pem")
        let openssl = try Tools.run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.path,
                                                "-out", cert.path, "-days", "30", "-subj", "/CN=Mallory"])
        XCTAssertEqual(openssl.status, 0, openssl.err)
        let between = work.appendingPathComponent("between.pdf")
        let madeBetween = try Tools.run("python3", [tamper.path, partial.path, between.path,
                                                    "--sign-field", "Segel-Signer-2", cert.path, key.path])
        XCTAssertEqual(madeBetween.status, 0, madeBetween.err)

        let verdicts = try verify([signed.signed_pdf, afterAll.path, between.path])
        XCTAssertEqual(verdicts.map(\.verdict), ["VALID", "INVALID", "INVALID"])
        XCTAssertEqual(verdicts[1].signatures.last?.checks["coverage"], "fail", "the change after the seal is named")
        XCTAssertEqual(verdicts[2].signatures.first?.checks["coverage"], "fail",
                       "the first signer's signature does not cover a change of content before the next signature")

        // pdfsig sees that no signature covers the whole file any more.
        let pdfsig = try PDFSig(trusting: cli.caPEM, in: work.appendingPathComponent("nss"))
        let tampered = try pdfsig.signatures(of: afterAll)
        XCTAssertEqual(tampered.signatures.count, 2)
        XCTAssertFalse(tampered.signatures.contains { $0.totalDocumentSigned }, tampered.output)
        // pyHanko sees the certification broken.
        let results = try PyHanko.validate([afterAll, between], trusting: cli.caPEM)
        XCTAssertEqual(results[afterAll.path]?.signatures.first?.docmdp_ok, false)
        XCTAssertEqual(results[between.path]?.signatures.first?.docmdp_ok, false)
    }

    func testAPartlySignedDocumentIsNeverValidAndItsRevocationStopsTheRest() throws {
        let id = try cli.succeed(["request", "submit", try pdf("nilai.pdf", "Daftar Nilai"), "--user", "2101001",
                                  "--name", "Daftar Nilai", "--signers", "\(kaprodi),\(dean)"]).out
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try cli.succeed(["request", "approve", id, "--by", kaprodi])
        let first = try JSONDecoder().decode(SignOutput.self, from: try cli.succeed(["sign", id, "--json"]).stdout)

        // Offline, with the trust bundle (CA and CRL, no records): intact so far, but not the finished document.
        try cli.succeed(["publish"])
        let bundle = work.appendingPathComponent("site/trust.json").path
        let offline = try Tools.run(TestPaths.executable("segel-verify").path, [first.signed_pdf, "--bundle", bundle])
        XCTAssertEqual(offline.status, 2, offline.out)
        XCTAssertTrue(offline.out.contains("INDETERMINATE") && offline.out.contains("signer 2"), offline.out)


        // Revoking the first signer's key voids the partly signed document and sends the request back.
        try cli.succeed(["keys", "revoke", first.signature_id, "--reason", "kunci bocor"])
        let show = try XCTUnwrap(JSONSerialization.jsonObject(with: try cli.succeed(["request", "show", id, "--json"]).stdout) as? [String: Any])
        XCTAssertEqual((show["request"] as? [String: Any])?["status"] as? String, "rejected")
        XCTAssertEqual((show["signature"] as? [String: Any])?["signature_status"] as? String, "invalid")
        try assertRefused(["request", "approve", id, "--by", dean], mentions: ["request \(id)", "rejected"])
        try assertRefused(["sign", id], mentions: ["request \(id)", "rejected"])

        // Its certificate is on the site's CRL.
        try cli.succeed(["publish"])
        let verdicts = try verify([first.signed_pdf])
        XCTAssertEqual(verdicts.first?.verdict, "INVALID")
        XCTAssertEqual(verdicts.first?.signatures.first?.checks["revocation"], "fail")
    }

    /// A file someone else signed already cannot be certified again: segel's signers give
    /// approval signatures, the first reserving the others' fields, and all stay valid.
    func testSeveralSignersOnAFileSignedElsewhere() throws {
        guard PyHanko.available else { throw XCTSkip("pyHanko is not installed (scripts/setup --test installs it)") }
        let key = work.appendingPathComponent("other.key"), cert = work.appendingPathComponent("other.pem")
        let openssl = try Tools.run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.path,
                                                "-out", cert.path, "-days", "30", "-subj", "/CN=Other Office"])
        XCTAssertEqual(openssl.status, 0, openssl.err)
        let signedElsewhere = work.appendingPathComponent("signed-elsewhere.pdf")
        let script = """
            import sys
            from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
            from pyhanko.sign import signers
            signer = signers.SimpleSigner.load(sys.argv[3], sys.argv[2])
            with open(sys.argv[1], "rb") as f, open(sys.argv[4], "wb") as out:
                signers.sign_pdf(IncrementalPdfFileWriter(f), signers.PdfSignatureMetadata(field_name="Other"), signer=signer, output=out)
            """
        let made = try Tools.run("python3", ["-c", script, try pdf("elsewhere.pdf", "Surat Rekomendasi"), cert.path, key.path,
                                             signedElsewhere.path])
        XCTAssertEqual(made.status, 0, made.err)

        let signed = try JSONDecoder().decode(SignOutput.self, from: try cli.succeed([
            "sign-file", signedElsewhere.path, "--by", kaprodi, "--by", dean, "--name", "Surat Rekomendasi", "--json"]).stdout)
        let pdfsig = try PDFSig(trusting: cli.caPEM, in: work.appendingPathComponent("nss"))
        let report = try pdfsig.signatures(of: URL(fileURLWithPath: signed.signed_pdf))
        XCTAssertEqual(report.signatures.count, 3, report.output)
        XCTAssertTrue(report.signatures.allSatisfy(\.signatureValid), report.output)
        XCTAssertEqual(report.signatures.last?.totalDocumentSigned, true)
        let hanko = try PyHanko.validate([URL(fileURLWithPath: signed.signed_pdf)], trusting: cli.caPEM)
        let signatures = try XCTUnwrap(hanko[signed.signed_pdf]?.signatures)
        XCTAssertEqual(signatures.map(\.intact), [true, true, true])
        XCTAssertEqual(signatures.dropFirst().map(\.trusted), [true, true])
        try cli.succeed(["publish"])
        let verdict = try verify([signed.signed_pdf])
        XCTAssertEqual(verdict.first?.verdict, "VALID")
        XCTAssertEqual(verdict.first?.signatures.dropFirst().map { $0.checks["record"] }, ["pass", "pass"])
    }

    func testBatchRowsWithSignersAndRefusedArguments() throws {
        let csv = work.appendingPathComponent("batch.csv")
        let first = try pdf("b1.pdf", "Transkrip 1"), second = try pdf("b2.pdf", "Transkrip 2")
        try cli.succeed(["group", "add", "dekanat", "--approvers", "\(dean),\(rector)"])
        try """
            file,name,signers
            \(first),Transkrip 1,\(kaprodi);\(dean)
            \(second),Transkrip 2,"\(kaprodi),dekanat"
            """.write(to: csv, atomically: true, encoding: .utf8)
        let out = try cli.succeed(["batch", csv.path, "--json"]).out
        let rows = try out.split(separator: "\n").map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        XCTAssertEqual(rows.count, 2)
        let counts = rows.map { ($0["signatures"] as? [Any])?.count ?? 0 }.sorted()
        XCTAssertEqual(counts, [2, 3], "each row reports every signature: \(out)")

        // A rerun signs nothing twice.
        let again = try cli.succeed(["batch", csv.path, "--json"]).out
        XCTAssertEqual(again.components(separatedBy: "\"skipped\"").count - 1, 2, again)

        // Refused before anything changes: an approver named twice, an unknown one, coordinates with several.
        let before = try cli.succeed(["request", "list"]).out
        try assertRefused(["sign-file", first, "--by", kaprodi, "--by", kaprodi, "--name", "X"], mentions: ["named twice"])
        try assertRefused(["sign-file", first, "--by", kaprodi, "--by", "nobody@example.ac.id", "--name", "X"],
                          code: 3, mentions: ["nobody@example.ac.id"])
        try assertRefused(["sign-file", first, "--by", kaprodi, "--by", dean, "--name", "X", "--x", "10", "--y", "10"],
                          code: 3, mentions: ["--x"])
        XCTAssertEqual(try cli.succeed(["request", "list"]).out, before, "nothing was recorded")
    }
}
