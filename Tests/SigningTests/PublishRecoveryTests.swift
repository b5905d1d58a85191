import Foundation
import TestSupport
import XCTest

/// Issue "Batch signing … nothing lost when it is interrupted", for publishing:
/// a `segel publish` killed part-way, then rerun, yields exactly the site a
/// clean publish into an empty folder yields, with no temporary files left.
final class PublishRecoveryTests: XCTestCase {
    func testKilledPublishRerunsToTheSiteACleanPublishWrites() throws {
        let work = try TestPaths.temporaryDirectory("publish-kill")
        defer { try? FileManager.default.removeItem(at: work) }
        let (cli, approver) = try SegelCLI.makeAuthority(in: work)
        for i in 0..<3 {
            let pdf = try SamplePDF.write(to: work.appendingPathComponent("d\(i).pdf"), lines: ["Surat \(i)"])
            try cli.succeed(["sign-file", pdf.path, "--by", approver, "--name", "Surat \(i)", "--key-type", "p256"])
        }
        let tokens = try cli.succeed(["request", "list", "--json"])
        XCTAssertEqual((try JSONSerialization.jsonObject(with: tokens.stdout) as? [Any])?.count, 3)

        let interrupted = work.appendingPathComponent("site-interrupted")
        for delay in [0.3, 1.0] {
            let process = Process()
            process.executableURL = TestPaths.executable("segel")
            // The largest index (65,536 shards), so the kills land in the middle of the writing.
            process.arguments = ["publish", "--site", interrupted.path, "--index-shards", "65536"]
            process.environment = ProcessInfo.processInfo.environment.merging(cli.environment) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try cli.succeed(["publish", "--site", interrupted.path, "--index-shards", "65536"])
        let clean = work.appendingPathComponent("site-clean")
        try cli.succeed(["publish", "--site", clean.path, "--index-shards", "65536"])

        let a = try tree(interrupted), b = try tree(clean)
        XCTAssertGreaterThan(b.count, 65_536, "every hash shard and page is there")
        XCTAssertEqual(Set(a.keys), Set(b.keys), "same files: extra \(Set(a.keys).subtracting(b.keys).prefix(5)), missing \(Set(b.keys).subtracting(a.keys).prefix(5))")
        let differing = a.keys.filter { a[$0] != b[$0] }
        XCTAssertEqual(differing, [], "files whose bytes differ from a clean publish")
        XCTAssertEqual(a.keys.filter { $0.contains("segel-tmp") || $0.hasSuffix(".tmp") }, [],
                       "no temporary files are left")
    }

    /// Relative path → SHA-256 of every file under `root` (hidden files included).
    private func tree(_ root: URL) throws -> [String: String] {
        var out: [String: String] = [:]
        let base = root.standardizedFileURL.path + "/"
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [:] }
        for case let url as URL in walker where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            let path = url.standardizedFileURL.path
            let data = try Data(contentsOf: url)
            out[String(path.dropFirst(base.count))] = Self.hash(data)
        }
        return out
    }

    private static func hash(_ data: Data) -> String {
        // FNV-1a 64 over the bytes plus the length: enough to tell files apart in a test.
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return "\(data.count)-\(String(h, radix: 16))"
    }
}
