import Foundation
import PDF
import PKI
import TestSupport
import XCTest

/// pyHanko extending a signed file as long-term-validation tools do
/// (`scripts/support/pyhanko-extend.py`): a DSS revision, a document
/// timestamp from pyHanko's own local time-stamper, or a timestamp whose
/// field has a widget no timestamp should have.
struct PyHankoExtender {
    let work: URL
    let fixture = VerifierFixture.shared

    init() throws {
        guard Tools.available("python3"),
              (try? Tools.run("python3", ["-c", "import pyhanko.sign, pyhanko_certvalidator"]).status) == 0 else {
            throw XCTSkip("pyHanko is not installed (scripts/setup --test installs it)")
        }
        guard Tools.available("openssl") else { throw XCTSkip("the openssl command is needed for the TSA certificate") }
        work = try TestPaths.temporaryDirectory("pyhanko-extend")
        try Data(fixture.ca.certificate.pem.utf8).write(to: work.appendingPathComponent("ca.pem"))
        try fixture.crl().der.write(to: work.appendingPathComponent("crl.der"))
        // pyHanko's local time-stamper signs with RSA only.
        let made = try Tools.run("openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=Test TSA",
            "-keyout", work.appendingPathComponent("tsa.key").path, "-out", work.appendingPathComponent("tsa.pem").path,
            "-addext", "extendedKeyUsage=critical,timeStamping", "-addext", "keyUsage=critical,digitalSignature",
        ])
        XCTAssertEqual(made.status, 0, made.err)
    }

    /// The arguments that add a document timestamp.
    var timestamp: [String] {
        ["--timestamp", work.appendingPathComponent("tsa.pem").path, work.appendingPathComponent("tsa.key").path]
    }

    /// A timestamp whose genTime is `date` (pyHanko's time-stamper with a fixed clock).
    func timestamp(at date: Date) -> [String] {
        timestamp + ["--timestamp-at", ISO8601DateFormatter().string(from: date)]
    }

    func extend(_ data: Data, _ arguments: [String]) throws -> Data {
        let input = work.appendingPathComponent("in.pdf")
        let output = work.appendingPathComponent("out.pdf")
        try data.write(to: input)
        try? FileManager.default.removeItem(at: output)
        let script = TestPaths.packageRoot.appendingPathComponent("scripts/support/pyhanko-extend.py")
        let result = try Tools.run("python3", [script.path, input.path, output.path,
                                               "--ca", work.appendingPathComponent("ca.pem").path,
                                               "--crl", work.appendingPathComponent("crl.der").path] + arguments)
        XCTAssertEqual(result.status, 0, "pyhanko-extend \(arguments): \(result.err)")
        return try Data(contentsOf: output)
    }

    func remove() { try? FileManager.default.removeItem(at: work) }
}

/// Signatures made by the `openssl cms` command with keys and digests segel
/// never uses, under certificates the fixture CA issues through `openssl x509`
/// (so that only the algorithm differs from a genuine seal).
struct OpenSSLSigner {
    let work: URL
    private let passphrase = "fixture-passphrase"

    init(ca: CertificateAuthority) throws {
        guard Tools.available("openssl") else { throw XCTSkip("the openssl command is needed") }
        work = try TestPaths.temporaryDirectory("openssl-signer")
        try Data(ca.certificate.pem.utf8).write(to: path("ca.pem"))
        try ca.key.encryptedPKCS8PEM(passphrase: passphrase, iterations: 2048).write(to: path("ca.key"))
    }

    private func path(_ name: String) -> URL { work.appendingPathComponent(name) }

    private func openssl(_ arguments: [String]) throws {
        let result = try Tools.run("openssl", arguments)
        XCTAssertEqual(result.status, 0, "openssl \(arguments.first ?? ""): \(result.err)")
    }

    /// A certificate for a new key made with `keyArguments` (genpkey options).
    private func issue(_ name: String, keyArguments: [String], serial: String) throws {
        try openssl(["genpkey"] + keyArguments + ["-out", path("\(name).key").path])
        try openssl(["req", "-new", "-key", path("\(name).key").path, "-subj", "/O=Universitas Contoh/CN=Dr. Test",
                     "-out", path("\(name).csr").path])
        let extensions = """
        basicConstraints=critical,CA:FALSE
        keyUsage=critical,digitalSignature,nonRepudiation
        subjectAltName=URI:\(VerifierFixture.siteURL)/v/\(try Random.token())/
        """
        try Data(extensions.utf8).write(to: path("\(name).ext"))
        try openssl(["x509", "-req", "-in", path("\(name).csr").path, "-CA", path("ca.pem").path,
                     "-CAkey", path("ca.key").path, "-passin", "pass:\(passphrase)", "-set_serial", serial,
                     "-days", "30", "-sha256", "-extfile", path("\(name).ext").path, "-out", path("\(name).pem").path])
    }

    /// A test PDF signed by a new key: `digest` for the CMS (`-cades` adds
    /// signingCertificateV2); `twinCertificate` adds a second certificate with
    /// the signer's issuer and serial number.
    func signedPDF(keyArguments: [String], digest: String, twinCertificate: Bool = false) throws -> Data {
        let serial = "0x" + Digest.hex(try Random.bytes(8))
        try issue("leaf", keyArguments: keyArguments, serial: serial)
        var bundle = try Data(contentsOf: path("ca.pem"))
        if twinCertificate {
            try issue("twin", keyArguments: keyArguments, serial: serial)
            bundle.append(try Data(contentsOf: path("twin.pem")))
        }
        try bundle.write(to: path("bundle.pem"))
        let request = SignatureRequest(fieldName: "Signature1", name: "Dr. Test", signingTime: Date(),
                                       subFilter: "ETSI.CAdES.detached", contentsCapacity: 16_384)
        let prepared = try PDFSigner.prepare(TestPDF.make(), request: request)
        try prepared.signedRanges().reduce(Data(), +).write(to: path("content.bin"))
        try openssl(["cms", "-sign", "-binary", "-cades", "-nosmimecap", "-md", digest,
                     "-signer", path("leaf.pem").path, "-inkey", path("leaf.key").path,
                     "-certfile", path("bundle.pem").path, "-in", path("content.bin").path,
                     "-outform", "DER", "-out", path("signature.der").path])
        return try prepared.embed(cms: Data(contentsOf: path("signature.der")))
    }

    /// A new key and its certificate from the fixture CA, as PEM files.
    func leaf(keyArguments: [String]) throws -> (certificate: URL, key: URL) {
        try issue("signer", keyArguments: keyArguments, serial: "0x" + Digest.hex(try Random.bytes(8)))
        return (path("signer.pem"), path("signer.key"))
    }

    func remove() { try? FileManager.default.removeItem(at: work) }
}
