import Foundation
import PKI
import Record
import Registry
import TestSupport
import XCTest

/// Issue 13: authorities made by segel 0.3.1, whose keys came from its own RSA
/// generator and were encrypted with its own PBKDF2, keep working now that
/// every primitive comes from a library (Tests/Fixtures/home-0.3.1).
final class PreviousReleaseHomeTests: XCTestCase {
    static let fixtures = TestPaths.packageRoot.appendingPathComponent("Tests/Fixtures/home-0.3.1")

    func testHomesWrittenBySegel031UnlockSignAndVerify() throws {
        for kind in ["p256", "rsa3072"] {
            let work = try TestPaths.temporaryDirectory("home-0.3.1-\(kind)")
            defer { try? FileManager.default.removeItem(at: work) }
            let home = work.appendingPathComponent("home")
            try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent(kind), to: home)
            // git keeps no file modes beyond the executable bit: the key is 0600 again, as segel wrote it.
            try FileManager.default.setAttributes([.posixPermissions: 0o600],
                                                  ofItemAtPath: home.appendingPathComponent("ca/ca.key.pem").path)
            let cli = SegelCLI(home: home, passphrase: "previous release passphrase")

            // The document 0.3.1 signed still verifies against its registry.
            let old = try cli.run(["verify", home.appendingPathComponent("old-signed.pdf").path])
            XCTAssertEqual(old.status, 0, "\(kind): \(old.out)\(old.err)")
            XCTAssertTrue(old.out.contains("VALID"), "\(kind): \(old.out)")

            // The 0.3.1 CA key unlocks and signs a new document that verifies.
            let input = try SamplePDF.write(to: work.appendingPathComponent("new.pdf"), lines: ["Surat baru"])
            let output = work.appendingPathComponent("new-signed.pdf")
            try cli.succeed(["sign-file", input.path, "--by", "1", "--name", "New document", "--output", output.path])
            let new = try cli.run(["verify", output.path])
            XCTAssertEqual(new.status, 0, "\(kind): \(new.out)\(new.err)")
            // Issue 15: a home made before timestamps gets its TSA on first use
            // (key encrypted, 0600, certificate from the 0.3.1 CA), and the new
            // signature carries a timestamp from it.
            let tsaKey = home.appendingPathComponent("ca/tsa.key.pem")
            XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: tsaKey.path)[.posixPermissions] as? Int, 0o600, kind)
            let tsa = try Certificate(pem: String(contentsOf: home.appendingPathComponent("ca/tsa.pem"), encoding: .utf8))
            let ca = try Certificate(pem: String(contentsOf: home.appendingPathComponent("ca/ca.pem"), encoding: .utf8))
            XCTAssertTrue(tsa.isTimestamping && tsa.isIssued(by: ca), kind)
            XCTAssertTrue(new.out.contains("timestamp:") && new.out.contains("(trusted)"), "\(kind): \(new.out)")

            // The per-document key 0.3.1 generated and retained unlocks with libcrypto
            // and is the key its certificate names.
            let registry = try Registry(home: home)
            let keys = try registry.keys()
            XCTAssertEqual(keys.count, 2, "\(kind): the old key and the new one")
            let retained = try XCTUnwrap(keys.first { $0.privateKey != nil }?.privateKey, kind)
            let key = try PrivateKey(encryptedPKCS8PEM: Data(retained.utf8), passphrase: cli.passphrase)
            XCTAssertEqual(key.keyType, .rsa2048)
            let certificate = try Certificate(pem: try XCTUnwrap(keys.first { $0.privateKey != nil }).certificate)
            XCTAssertEqual(certificate.publicKeyDER, key.publicKeyDER, kind)
            XCTAssertThrowsError(try PrivateKey(encryptedPKCS8PEM: Data(retained.utf8), passphrase: "wrong")) { error in
                XCTAssertEqual((error as? PKIError)?.code, .wrongPassphrase)
            }

            // Schema v4's fill (issue 14): every key, old and new, carries the
            // summary libcrypto reads from its certificate, so publishing parses none.
            for key in keys {
                let parsed = try Certificate(pem: key.certificate)
                XCTAssertEqual(key.certificateSummary, CertificateSummary(
                    subject: parsed.subject.string, issuer: parsed.issuer.string,
                    keyAlgorithm: parsed.publicKeyAlgorithm, fingerprintSHA256: parsed.sha256FingerprintHex),
                    "\(kind): \(key.signatureID)")
            }
            let oldKey = try XCTUnwrap(keys.first { $0.privateKey != nil })
            let token = try XCTUnwrap(try registry.allPublishedDocuments().first { $0.key.id == oldKey.id }?.signature.token)
            // The fixture keeps the old signed PDF beside the home, not in it.
            try FileManager.default.createDirectory(at: home.appendingPathComponent("signed"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: home.appendingPathComponent("old-signed.pdf"),
                                             to: home.appendingPathComponent("signed/\(token).pdf"))
            let site = work.appendingPathComponent("site")
            try cli.succeed(["publish", "--site", site.path])
            // A document signed before 0.6 keeps the flat addresses its QR code names.
            XCTAssertTrue(FileManager.default.fileExists(atPath: site.appendingPathComponent("v/\(token)/index.html").path), kind)
            XCTAssertFalse(FileManager.default.fileExists(
                atPath: site.appendingPathComponent(DocumentAddress(token: token, layout: .sharded).pageFile).path), kind)
            let record = try PublishedRecord.decode(Data(contentsOf: site.appendingPathComponent("api/verify/\(token).json")))
            XCTAssertEqual(record.certificate.subject, try Certificate(pem: oldKey.certificate).subject.string, kind)
            XCTAssertEqual(record.certificate.fingerprintSHA256, try Certificate(pem: oldKey.certificate).sha256FingerprintHex, kind)
        }
    }
}
