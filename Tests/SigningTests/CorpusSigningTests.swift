import Foundation
import TestSupport
import XCTest

/// Issue "Sign a real PDF end to end": every corpus file that opens with an
/// empty user password is signed by `segel sign-file`, and the output passes
/// qpdf, pdfsig (trusted, total document signed), pyHanko (intact, valid,
/// trusted, ENTIRE_FILE), keeps earlier signatures as they were, carries a QR
/// that decodes to the verification URL at 150 dpi, and keeps its text.
final class CorpusSigningTests: XCTestCase {
    /// Files segel must refuse, with the words its one-sentence reason must contain.
    /// Each is refused for a reason a careful signer must respect.
    static let expectedRefusals: [String: String] = [
        // A user password is set: segel never bypasses it.
        "pypdf_r6-user-password.pdf": "password",
        "qpdf_enc-XI-R6_V5_U_view_O_master.pdf": "password",
        // Certified with DocMDP P=1: any new signature would break the certification.
        "dss_certified-no-change-permitted.pdf": "no changes permitted",
        "pdfcpu_sample2.pdf": "no changes permitted",
        "qpdf_minimal-signed-restricted.pdf": "no changes permitted",
        // Signed, and its %PDF header was overwritten inside the signed range (attack sample):
        // the signer refuses it before anything is stored.
        "dss_malformed-pades.pdf": "%pdf- header",
        // Signed, and startxref points outside the file: an incremental update cannot be
        // appended without repairing (and so rewriting) the signed bytes.
        "openpdf_pades_infinite_loop.pdf": "not well-formed",
        // Signed (the signature-wrapping attack sample), and its cross-reference entries
        // are 19 bytes, not the 20 of ISO 32000 §7.5.4: readers disagree on such
        // tables, so segel will not build on one.
        "openpdf_siwa.pdf": "20-byte form",
    ]

    /// Inputs pyHanko cannot read at all, so only pdfsig and qpdf judge their output.
    static let pyHankoCannotRead: [String: String] = [
        "dss_pdf-spoofing-attack.pdf": "a later trailer of the original has /Encrypt null",
    ]

    /// Inputs whose earlier signature pyHanko's difference analysis cannot follow after any update.
    static let pyHankoCannotDiff: [String: String] = [
        "dss_pades-bes.pdf": "the original refers to an object it never defines (KeyError in pyHanko)",
    ]

    func testEveryCorpusFileIsSignedAndValidates() throws {
        let files = TestPaths.corpusFiles()
        guard !files.isEmpty else { throw XCTSkip(TestPaths.corpusMissingMessage) }
        for tool in ["qpdf", "pdfsig", "certutil", "pdftoppm", "zbarimg", "pdftotext"] where !Tools.available(tool) {
            throw XCTSkip("\(tool) is not installed; run scripts/setup --test")
        }
        guard PyHanko.available else { throw XCTSkip("pyHanko is not installed; run scripts/setup --test") }

        let work = try TestPaths.temporaryDirectory("corpus-sign")
        let (cli, approver) = try SegelCLI.makeAuthority(in: work)
        let pdfsig = try PDFSig(trusting: cli.caPEM, in: work.appendingPathComponent("nss"))

        var signed: [(input: URL, output: URL, result: SignFileOutput)] = []
        var noRoom: [String] = []
        for file in files {
            let output = work.appendingPathComponent("signed-" + file.lastPathComponent)
            var result = try cli.run(["sign-file", file.path, "--by", approver, "--name", "Corpus \(file.lastPathComponent)",
                                      "--output", output.path, "--json"])
            // Issue 16: a last page with no blank area for the stamp is refused
            // by default; a verification page appended for it is the way out.
            if result.status == 1, result.err.contains("no blank area") {
                XCTAssertFalse(FileManager.default.fileExists(atPath: output.path), "\(file.lastPathComponent): refused but an output was written")
                noRoom.append(file.lastPathComponent)
                result = try cli.run(["sign-file", file.path, "--by", approver, "--name", "Corpus \(file.lastPathComponent)",
                                      "--output", output.path, "--json", "--placement", "new-page"])
            }
            if let expected = Self.expectedRefusals[file.lastPathComponent] {
                XCTAssertEqual(result.status, 1, "\(file.lastPathComponent) must be refused: \(result.err)")
                XCTAssertTrue(result.err.lowercased().contains(expected), "\(file.lastPathComponent): reason should mention \(expected): \(result.err)")
                XCTAssertEqual(result.err.split(separator: "\n").count, 1, "\(file.lastPathComponent): one sentence expected: \(result.err)")
                XCTAssertFalse(FileManager.default.fileExists(atPath: output.path), "\(file.lastPathComponent): refused but an output was written")
                continue
            }
            guard result.status == 0 else {
                XCTFail("\(file.lastPathComponent) was not signed (exit \(result.status)): \(result.err)")
                continue
            }
            let decoded = try JSONDecoder().decode(SignFileOutput.self, from: result.stdout)
            XCTAssertTrue(decoded.signature_id.hasPrefix("SIG-"))
            XCTAssertEqual(decoded.verification_url,
                           "https://verify.example.ac.id/v/\(decoded.token.prefix(1).lowercased())/\(decoded.token)/")
            XCTAssertGreaterThanOrEqual(decoded.token.count, 22, "token must carry ≥128 bits")
            signed.append((file, output, decoded))
        }

        print("corpus: \(signed.count) signed; \(noRoom.count) needed a verification page (no blank area on the last page): \(noRoom.joined(separator: ", "))")
        let hanko = try PyHanko.validate(signed.map(\.output) + signed.map(\.input), trusting: cli.caPEM)
        for item in signed {
            let name = item.input.lastPathComponent
            // (a) qpdf --check: 0 is clean, 3 is warnings only; warnings are acceptable only
            // where the input itself already had them (an incremental update keeps the original bytes).
            let check = try Tools.run("qpdf", ["--check", item.output.path])
            if check.status != 0 {
                let inputCheck = try Tools.run("qpdf", ["--check", item.input.path])
                XCTAssertTrue(check.status == 3 && inputCheck.status != 0,
                              "\(name): qpdf --check failed on the signed file (exit \(check.status)): \(check.out.suffix(400)) \(check.err.suffix(400))")
            }

            // (b) pdfsig: the new (last) signature is valid, trusted and covers the whole file.
            let before = try pdfsig.signatures(of: item.input).signatures
            let after = try pdfsig.signatures(of: item.output)
            guard let last = after.signatures.last else {
                XCTFail("\(name): pdfsig sees no signature: \(after.output.prefix(500))")
                continue
            }
            XCTAssertTrue(last.signatureValid, "\(name): pdfsig: \(last.lines.joined(separator: " | "))")
            XCTAssertTrue(last.certificateTrusted, "\(name): pdfsig: \(last.lines.joined(separator: " | "))")
            XCTAssertTrue(last.totalDocumentSigned, "\(name): pdfsig: \(last.lines.joined(separator: " | "))")
            // (d) earlier signatures keep the verdict they had.
            XCTAssertEqual(after.signatures.count, before.count + 1, "\(name): signature count")
            for (old, new) in zip(before, after.signatures) {
                XCTAssertEqual(old.signatureValidation, new.signatureValidation, "\(name): an earlier signature changed in pdfsig")
            }

            // (c) pyHanko: intact, valid, trusted, ENTIRE_FILE; earlier ones stay intact if they were.
            let hankoAfter = hanko[item.output.path]
            let hankoBefore = hanko[item.input.path]
            if let newest = hankoAfter?.signatures.last {
                XCTAssertNil(newest.error, "\(name): pyHanko error: \(newest.error ?? "")")
                XCTAssertEqual(newest.intact, true, "\(name): pyHanko intact")
                XCTAssertEqual(newest.valid, true, "\(name): pyHanko valid")
                XCTAssertEqual(newest.trusted, true, "\(name): pyHanko trusted")
                XCTAssertEqual(newest.coverage, "ENTIRE_FILE", "\(name): pyHanko coverage")
                for (old, new) in zip(hankoBefore?.signatures ?? [], hankoAfter?.signatures ?? []) where old.intact == true {
                    if let reason = Self.pyHankoCannotDiff[name], new.error != nil {
                        print("note: \(name): pyHanko cannot analyse the earlier signature after an update: \(reason)")
                        continue
                    }
                    XCTAssertEqual(new.intact, true, "\(name): pyHanko: earlier signature \(old.field ?? "?") no longer intact: \(new.error ?? "")")
                }
            } else if let inputError = hankoBefore?.error, Self.pyHankoCannotRead[name] != nil {
                print("note: \(name): pyHanko cannot read this file at all (\(inputError)); pdfsig checked it")
            } else {
                XCTFail("\(name): pyHanko saw no signature: \(hankoAfter?.error ?? "no result")")
            }

            // (e) the QR decodes from a 150 dpi rendering of the stamped (last) page.
            let pages = try pageCount(item.output)
            let codes = try QRCheck.decode(pdf: item.output, page: pages, workDirectory: work)
            XCTAssertTrue(codes.contains(item.result.verification_url), "\(name): QR decoded to \(codes), expected \(item.result.verification_url)")

            // (f) every word of the original text is still there (the stamp's caption adds words).
            if let original = try Text.extract(item.input), !original.isEmpty {
                let after = Self.wordCounts(try Text.extract(item.output) ?? "")
                let lost = Self.wordCounts(original).filter { word, count in (after[word] ?? 0) < count }
                XCTAssertTrue(lost.isEmpty, "\(name): pdftotext lost \(lost.count) word(s) after signing, e.g. \(lost.keys.sorted().prefix(5))")
            }
        }
        XCTAssertEqual(signed.count, files.count - Self.expectedRefusals.count, "every file not expected to be refused is signed")
        try? FileManager.default.removeItem(at: work)
    }

    static func wordCounts(_ text: String) -> [Substring: Int] {
        text.split(separator: " ").reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    private func pageCount(_ pdf: URL) throws -> Int {
        let info = try Tools.run("pdfinfo", [pdf.path])
        let line = info.out.split(separator: "\n").first { $0.hasPrefix("Pages:") }
        return Int(line?.split(separator: " ").last ?? "1") ?? 1
    }
}
