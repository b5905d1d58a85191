import Foundation
import TestSupport
import XCTest

/// `segel init --ca-key-type`: the CA is ECDSA P-256 unless rsa3072 is asked
/// for, anything else is refused, and a document signed under either kind of
/// CA validates in pdfsig, pyHanko and segel-verify.
final class CAKeyTypeTests: XCTestCase {
    func testEitherKindOfCASignsDocumentsThatValidateEverywhere() throws {
        for tool in ["pdfsig", "certutil", "openssl"] where !Tools.available(tool) {
            throw XCTSkip("\(tool) is not installed; run scripts/setup --test")
        }
        guard PyHanko.available else { throw XCTSkip("pyHanko is not installed; run scripts/setup --test") }
        let work = try TestPaths.temporaryDirectory("ca-key-type")
        defer { try? FileManager.default.removeItem(at: work) }

        let refused = try SegelCLI(home: work.appendingPathComponent("refused"))
            .run(["init", "--name", "U", "--base-url", "https://verify.example.ac.id", "--ca-key-type", "rsa2048"])
        XCTAssertEqual(refused.status, 3)
        XCTAssertTrue(refused.err.contains("--ca-key-type must be p256 or rsa3072"), refused.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("refused").path))

        for (flag, expected) in [(nil, ["id-ecPublicKey", "prime256v1", "ecdsa-with-SHA256"]),
                                 ("rsa3072", ["rsaEncryption", "3072 bit", "sha256WithRSAEncryption"])] {
            let folder = work.appendingPathComponent(flag ?? "default")
            let cli = SegelCLI(home: folder.appendingPathComponent("home"))
            try cli.succeed(["init", "--name", "Universitas Contoh", "--base-url", "https://verify.example.ac.id"]
                            + (flag.map { ["--ca-key-type", $0] } ?? []))
            let text = try Tools.run("openssl", ["x509", "-in", cli.caPEM.path, "-noout", "-text"])
            for word in expected {
                XCTAssertTrue(text.out.contains(word), "\(flag ?? "default") CA: openssl shows no \(word)")
            }
            let approver = try cli.succeed(["approver", "add", "--name", "Dr. Budi Santoso", "--email", "budi@example.ac.id",
                                            "--nidn", "0011223344"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
            let input = try SamplePDF.write(to: folder.appendingPathComponent("in.pdf"), lines: ["Transkrip Nilai"])
            let output = folder.appendingPathComponent("signed.pdf")
            try cli.succeed(["sign-file", input.path, "--by", approver, "--name", "Transkrip", "--output", output.path])

            let pdfsig = try PDFSig(trusting: cli.caPEM, in: folder.appendingPathComponent("nss"))
            let seen = try pdfsig.signatures(of: output).signatures
            XCTAssertEqual(seen.count, 1)
            XCTAssertTrue(seen.first?.signatureValid == true && seen.first?.certificateTrusted == true,
                          "\(flag ?? "default") CA: pdfsig: \(seen.first?.lines ?? [])")
            let hanko = try PyHanko.validate([output], trusting: cli.caPEM)[output.path]?.signatures.first
            XCTAssertTrue(hanko?.intact == true && hanko?.valid == true && hanko?.trusted == true,
                          "\(flag ?? "default") CA: pyHanko: \(hanko?.error ?? "no result")")
            let site = folder.appendingPathComponent("site")
            try cli.succeed(["publish", "--site", site.path])
            let verified = try Tools.run(TestPaths.executable("segel-verify").path, [output.path, "--site", site.path])
            XCTAssertEqual(verified.status, 0, "\(flag ?? "default") CA: segel-verify: \(verified.out) \(verified.err)")
            XCTAssertTrue(verified.out.contains("VALID"), verified.out)
        }
    }
}
