import Foundation
import PKI
@testable import Portal
import Registry
import TestSupport
import XCTest

/// An authority made with the real `segel` (init, one approver, `documents`
/// signed p256 PDFs), published through the Portal library rather than the CLI
/// so a test can control the clock, the CA unlock and where signed PDFs are read.
struct LibraryPublishFixture {
    static let approverEmail = "sari@example.ac.id"

    let work: URL
    let passphrase: String
    var home: URL { work.appendingPathComponent("home") }
    var site: URL { work.appendingPathComponent("site") }

    static func make(_ label: String, baseURL: String, documents: Int, passphrase: String) throws -> LibraryPublishFixture {
        let fixture = LibraryPublishFixture(work: try TestPaths.temporaryDirectory(label), passphrase: passphrase)
        let environment = ["SEGEL_HOME": fixture.home.path, "SEGEL_PASSPHRASE": passphrase]
        let segel = TestPaths.executable("segel").path
        for arguments in [
            ["init", "--name", "Politeknik Contoh", "--base-url", baseURL],
            ["approver", "add", "--name", "Dr. Sari Wulandari", "--email", approverEmail, "--nidn", "0101010101"],
        ] {
            let result = try Tools.run(segel, arguments, environment: environment)
            XCTAssertEqual(result.status, 0, result.err)
        }
        for index in 1...documents {
            let pdf = try SamplePDF.write(to: fixture.work.appendingPathComponent("\(index).pdf"), lines: ["Dokumen \(index)"])
            let result = try Tools.run(segel, ["sign-file", pdf.path, "--by", approverEmail, "--name", "Dokumen \(index)",
                                               "--key-type", "p256"], environment: environment)
            XCTAssertEqual(result.status, 0, result.err)
        }
        return fixture
    }

    func remove() {
        try? FileManager.default.removeItem(at: work)
    }

    /// The publish source of this home; signed PDFs are read from `signedFolder`
    /// and `onUnlock` runs each time the CA key is unlocked.
    func source(signedFolder: String = "signed", onUnlock: @escaping @Sendable () -> Void = {}) throws -> PublishSource {
        let caPEM = try String(contentsOf: home.appendingPathComponent("ca/ca.pem"), encoding: .utf8)
        let keyPEM = try Data(contentsOf: home.appendingPathComponent("ca/ca.key.pem"))
        let passphrase = self.passphrase
        return PublishSource(
            registry: try Registry(home: home), caCertificate: try Certificate(pem: caPEM),
            unlockCA: {
                onUnlock()
                return try CertificateAuthority(key: PrivateKey(encryptedPKCS8PEM: keyPEM, passphrase: passphrase),
                                                certificate: Certificate(pem: caPEM))
            },
            signedPDF: { [home] token in home.appendingPathComponent("\(signedFolder)/\(token).pdf") },
            crlArchive: home.appendingPathComponent("ca/crl.der"))
    }
}
