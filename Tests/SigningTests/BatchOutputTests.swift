import Foundation
import TestSupport
import XCTest

/// Issue 16: `segel batch` says where each signed PDF is, writes them under
/// the inputs' names with `--output-dir`, and checks that folder before the
/// registry changes.
final class BatchOutputTests: XCTestCase {
    func testPlainOutputNamesTheSignedPDFAndOutputDirWritesCopies() throws {
        let work = try TestPaths.temporaryDirectory("batch-output")
        defer { try? FileManager.default.removeItem(at: work) }
        let (cli, approver) = try SegelCLI.makeAuthority(in: work)
        let files = try ["a.pdf", "b.pdf"].map { try SamplePDF.write(to: work.appendingPathComponent($0), lines: ["Surat \($0)"]) }
        let manifest = work.appendingPathComponent("batch.csv")
        try Data(("file,name,approver\n" + files.map { "\($0.path),Surat,\(approver)" }.joined(separator: "\n") + "\n").utf8)
            .write(to: manifest)

        // Two rows with the same file name cannot share one output folder: refused before anything is signed.
        let clash = work.appendingPathComponent("clash.csv")
        try Data("file,name,approver\n\(files[0].path),A,\(approver)\n\(files[0].path),B,\(approver)\n".utf8).write(to: clash)
        let refused = try cli.run(["batch", clash.path, "--output-dir", work.appendingPathComponent("never").path])
        XCTAssertEqual(refused.status, 3, refused.err)
        XCTAssertTrue(refused.err.contains("lines 2 and 3"), refused.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("never").path))
        let none = try XCTUnwrap(JSONSerialization.jsonObject(with: cli.succeed(["request", "list", "--json"]).stdout) as? [Any])
        XCTAssertEqual(none.count, 0, "a refused batch changes nothing")

        let out = work.appendingPathComponent("signed")
        let run = try cli.succeed(["batch", manifest.path, "--output-dir", out.path])
        for file in files {
            let copy = out.appendingPathComponent(file.lastPathComponent)
            XCTAssertTrue(FileManager.default.fileExists(atPath: copy.path), "\(copy.path) missing")
            XCTAssertTrue(run.err.contains("→ \(copy.path)"), "the plain output names \(copy.path): \(run.err)")
            XCTAssertEqual(try Tools.run(TestPaths.executable("segel-verify").path, [copy.path, "--ca", cli.caPEM.path]).status == 1, false)
        }
        XCTAssertTrue(run.err.contains("(code "), run.err)
        // The stamp's fonts are objects of their own, as Acrobat writes them:
        // poppler's pdffonts lists them without a cross-reference error.
        if Tools.available("pdffonts") {
            let fonts = try Tools.run("pdffonts", [out.appendingPathComponent("a.pdf").path])
            XCTAssertEqual(fonts.status, 0, fonts.err)
            XCTAssertFalse(fonts.err.contains("Internal Error"), fonts.err)
            XCTAssertTrue(fonts.out.contains("Helvetica-Bold"), fonts.out)
        }
    }
}
