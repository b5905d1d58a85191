import Foundation
import PKI
@testable import Portal
import Registry
import TestSupport
import XCTest

/// A first publish that fails part-way (here: a signed PDF is missing) names
/// the step and the file, has stopped writing when it returns — the hash
/// shards are written on a thread of their own from the start — and leaves
/// no manifest, so the next publish writes the whole site.
final class FailedPublishTests: XCTestCase {
    var work: URL!
    let passphrase = "failed publish passphrase"

    override func setUpWithError() throws {
        work = try TestPaths.temporaryDirectory("portal-failed")
        let environment = ["SEGEL_HOME": home.path, "SEGEL_PASSPHRASE": passphrase]
        let segel = TestPaths.executable("segel").path
        for arguments in [
            ["init", "--name", "Politeknik Contoh", "--base-url", "https://verify.example.ac.id"],
            ["approver", "add", "--name", "Dr. Sari Wulandari", "--email", "sari@example.ac.id", "--nidn", "0101010101"],
        ] {
            let result = try Tools.run(segel, arguments, environment: environment)
            XCTAssertEqual(result.status, 0, result.err)
        }
        let pdf = try SamplePDF.write(to: work.appendingPathComponent("1.pdf"), lines: ["Dokumen 1"])
        let result = try Tools.run(segel, ["sign-file", pdf.path, "--by", "sari@example.ac.id", "--name", "Dokumen 1",
                                           "--key-type", "p256"], environment: environment)
        XCTAssertEqual(result.status, 0, result.err)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: work)
    }

    var home: URL { work.appendingPathComponent("home") }
    var site: URL { work.appendingPathComponent("site") }

    func publish(signedFolder: String) throws -> PublishSummary {
        let caPEM = try String(contentsOf: home.appendingPathComponent("ca/ca.pem"), encoding: .utf8)
        let keyPEM = try Data(contentsOf: home.appendingPathComponent("ca/ca.key.pem"))
        let passphrase = self.passphrase
        let source = PublishSource(
            registry: try Registry(home: home), caCertificate: try Certificate(pem: caPEM),
            unlockCA: {
                try CertificateAuthority(key: PrivateKey(encryptedPKCS8PEM: keyPEM, passphrase: passphrase),
                                         certificate: Certificate(pem: caPEM))
            },
            signedPDF: { [home] token in home.appendingPathComponent("\(signedFolder)/\(token).pdf") },
            crlArchive: home.appendingPathComponent("ca/crl.der"))
        return try SitePublisher(source: source, options: PublishOptions(site: site)).publish()
    }

    func files() -> Set<String> {
        Set(FileManager.default.enumerator(atPath: site.path)?.compactMap { $0 as? String } ?? [])
    }

    func testAFailedFirstPublishStopsWritingAndTheNextOneWritesEverything() throws {
        XCTAssertThrowsError(try publish(signedFolder: "missing")) { error in
            let error = error as? PortalError
            XCTAssertEqual(error?.code, .integrity)
            XCTAssertEqual(error?.step, "Render document pages")
            XCTAssertTrue(error?.path?.hasPrefix("d/") == true)
        }
        let after = files()
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertEqual(files(), after, "nothing is written once publish has returned")
        XCTAssertFalse(after.contains(Manifest.fileName))

        let summary = try publish(signedFolder: "signed")
        XCTAssertEqual(summary.written, summary.files)
        XCTAssertGreaterThan(summary.files, HashIndex.shardCount)
        XCTAssertEqual(files().filter { $0.contains("segel-tmp") }, [])
        XCTAssertTrue(files().contains(Manifest.fileName))
    }
}
