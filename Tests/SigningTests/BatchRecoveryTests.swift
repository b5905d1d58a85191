import Foundation
import TestSupport
import XCTest

/// Issue "Batch signing at deadline speed": a batch killed with SIGKILL at
/// several moments, then rerun, signs every row exactly once and leaves a
/// consistent registry, a clean audit chain, valid PDFs and no temporary files.
final class BatchRecoveryTests: XCTestCase {
    func testKilledBatchRerunsToExactlyOneSignaturePerRow() throws {
        guard Tools.available("sqlite3") else { throw XCTSkip("sqlite3 is not installed; run scripts/setup --test") }
        let work = try TestPaths.temporaryDirectory("batch-kill")
        defer { try? FileManager.default.removeItem(at: work) }
        let (cli, approver) = try SegelCLI.makeAuthority(in: work)
        let docs = work.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        let rows = 16
        var csv = "file,name,user_email,user_name,user_nim,approver\n"
        for i in 0..<rows {
            try SamplePDF.write(to: docs.appendingPathComponent("t\(i).pdf"), lines: ["Transkrip Nilai", "Mahasiswa \(i)"])
            csv += "docs/t\(i).pdf,Transkrip \(i),m\(i)@student.example.ac.id,Mahasiswa \(i),21010\(i),\(approver)\n"
        }
        let manifest = work.appendingPathComponent("batch.csv")
        try csv.write(to: manifest, atomically: true, encoding: .utf8)
        let signedDir = cli.home.appendingPathComponent("signed")
        let db = cli.home.appendingPathComponent("registry.sqlite").path

        // Kill at three moments: before anything is signed, after a few, after more.
        for target in [0, 3, 8] {
            let process = Process()
            process.executableURL = TestPaths.executable("segel")
            process.arguments = ["batch", manifest.path, "--jobs", "2"]
            process.environment = ProcessInfo.processInfo.environment.merging(cli.environment) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(60)
            while process.isRunning, Date() < deadline, try signedCount(db) < target {
                Thread.sleep(forTimeInterval: 0.02)
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        let rerun = try cli.run(["batch", manifest.path, "--jobs", "2", "--json"])
        XCTAssertEqual(rerun.status, 0, rerun.err)
        let results = rerun.out.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        XCTAssertEqual(results.count, rows)
        XCTAssertTrue(results.allSatisfy { ["signed", "skipped"].contains($0["status"] as? String) }, "\(results)")

        XCTAssertEqual(try sqlite(db, "SELECT COUNT(*) FROM approval_requests;"), "\(rows)", "one request per row")
        XCTAssertEqual(try sqlite(db, "SELECT COUNT(*) FROM document_signatures;"), "\(rows)", "one signature per row")
        XCTAssertEqual(try sqlite(db, "SELECT COUNT(*) FROM approval_requests WHERE status = 'sign_approved';"), "\(rows)")
        XCTAssertEqual(try sqlite(db, "PRAGMA integrity_check;"), "ok")
        try cli.succeed(["audit", "verify"])

        let names = try FileManager.default.contentsOfDirectory(atPath: signedDir.path)
        XCTAssertEqual(names.filter { $0.hasSuffix(".pdf") && !$0.hasPrefix(".") }.count, rows, "one signed PDF per row: \(names)")
        let leftovers = FileManager.default.enumerator(atPath: cli.home.path)?.compactMap { $0 as? String }
            .filter { ($0 as NSString).lastPathComponent.hasPrefix(".segel-") } ?? []
        XCTAssertEqual(leftovers, [], "no temporary or pending files are left")

        let tokens = try sqlite(db, "SELECT token FROM document_signatures ORDER BY id;").split(separator: "\n")
        let pdfs = tokens.map { signedDir.appendingPathComponent("\($0).pdf").path }
        let verified = try cli.run(["verify"] + pdfs)
        XCTAssertEqual(verified.status, 0, "every signed PDF verifies: \(verified.out) \(verified.err)")
    }

    private func signedCount(_ db: String) throws -> Int {
        Int((try? sqlite(db, "SELECT COUNT(*) FROM document_signatures;")) ?? "0") ?? 0
    }

    private func sqlite(_ db: String, _ sql: String) throws -> String {
        let result = try Tools.run("sqlite3", [db, sql])
        guard result.status == 0 else { throw ValidatorError("sqlite3: \(result.err)") }
        return result.out.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
