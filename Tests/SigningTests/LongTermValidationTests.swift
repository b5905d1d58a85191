import Authority
import Foundation
import PKI
import Record
import Registry
import TestSupport
import XCTest

/// Issue "Still verifiable in 2050" (PAdES B-T / B-LT): every new signature
/// carries a signature timestamp from the authority's own TSA, a DSS with the
/// CA and TSA certificates and a CRL signed at that moment, and certificates
/// that point at the portal; `segel ca renew` keeps earlier documents
/// verifying. Checked with the tools people have: openssl, pyHanko, segel-verify.
final class LongTermValidationTests: XCTestCase {
    var work: URL!

    override func setUpWithError() throws {
        work = try TestPaths.temporaryDirectory("ltv")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: work)
    }

    private func requirePyHanko() throws {
        guard PyHanko.available else { throw XCTSkip("pyHanko is not installed (scripts/setup --test installs it)") }
    }

    private func pdf(_ name: String, _ text: String) throws -> URL {
        try SamplePDF.write(to: work.appendingPathComponent(name), lines: [text, "Mata kuliah 01  SKS 3  Nilai A"])
    }

    private func signFile(_ cli: SegelCLI, _ approver: String, _ name: String, extra: [String] = []) throws -> SignFileOutput {
        let result = try cli.succeed(["sign-file", try pdf("\(name).pdf", name).path, "--by", approver,
                                      "--name", name, "--json"] + extra)
        return try JSONDecoder().decode(SignFileOutput.self, from: result.stdout)
    }

    private func signatureField(_ signed: SignFileOutput) -> String { "Segel-\(signed.signature_id)" }

    /// The per-document certificate, as the registry keeps it.
    private func certificate(_ cli: SegelCLI, token: String) throws -> Certificate {
        let authority = try Authority(home: AuthorityHome(cli.home))
        return try Certificate(pem: authority.registry.publishedDocument(token: token).key.certificate)
    }

    private func verify(_ arguments: [String]) throws -> Tools.Result {
        try Tools.run(TestPaths.executable("segel-verify").path, arguments)
    }

    private func batch(_ cli: SegelCLI, _ approver: String, count: Int) throws -> [SignFileOutput] {
        var lines = ["file,name,approver"]
        for index in 0..<count {
            lines.append("\(try pdf("batch\(index).pdf", "Transkrip \(index)").path),Transkrip \(index),\(approver)")
        }
        let manifest = work.appendingPathComponent("batch.csv")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: manifest)
        let result = try cli.succeed(["batch", manifest.path, "--json"])
        return try result.out.split(separator: "\n").map {
            try JSONDecoder().decode(SignFileOutput.self, from: Data($0.utf8))
        }
    }

    /// sign-file and batch: the timestamp verifies with `openssl ts -verify`
    /// against the published CA; pyHanko trusts the signature at the
    /// timestamp's time with only the DSS's CRLs (revocation required); the
    /// certificates point at the portal; segel-verify ten years on says VALID.
    func testSignaturesCarryATrustedTimestampAndTheirOwnRevocationData() throws {
        try requirePyHanko()
        let (cli, approver) = try SegelCLI.makeAuthority(in: work)
        let signed = [try signFile(cli, approver, "Ijazah")] + (try batch(cli, approver, count: 2))
        XCTAssertEqual(signed.count, 3)
        let ca = cli.caPEM
        let files = signed.map { URL(fileURLWithPath: $0.signed_pdf) }

        for document in signed {
            let checked = try OpenSSLTimestamp.verify(pdf: URL(fileURLWithPath: document.signed_pdf),
                                                      field: signatureField(document), caFile: ca, work: work)
            XCTAssertEqual(checked.status, 0, "openssl ts -verify: \(checked.out) \(checked.err)")
            XCTAssertTrue(checked.out.contains("Verification: OK"), checked.out)

            let leaf = try certificate(cli, token: document.token)
            XCTAssertEqual(leaf.crlDistributionPointURIs, ["https://verify.example.ac.id/crl.crl"])
            XCTAssertEqual(leaf.caIssuersURIs, ["https://verify.example.ac.id/ca.crt"])
        }
        let tsa = try Certificate(pem: String(contentsOf: cli.home.appendingPathComponent("ca/tsa.pem"), encoding: .utf8))
        XCTAssertTrue(tsa.isTimestamping && tsa.hasCriticalExtendedKeyUsage)
        XCTAssertEqual(tsa.crlDistributionPointURIs, ["https://verify.example.ac.id/crl.crl"])
        let keyMode = try FileManager.default.attributesOfItem(atPath: cli.home.appendingPathComponent("ca/tsa.key.pem").path)[.posixPermissions] as? Int
        XCTAssertEqual(keyMode, 0o600)
        XCTAssertTrue(try String(contentsOf: cli.home.appendingPathComponent("ca/tsa.key.pem"), encoding: .utf8)
            .contains("ENCRYPTED PRIVATE KEY"))

        let results = try PyHankoLTV.validate(.embedded, files, trusting: ca)
        for file in files {
            let signature = try XCTUnwrap(results[file.path]?.first, "pyHanko saw no signature in \(file.lastPathComponent)")
            XCTAssertNil(signature.error, "\(file.lastPathComponent): \(signature.error ?? "")")
            XCTAssertEqual(signature.intact, true)
            XCTAssertEqual(signature.valid, true)
            XCTAssertEqual(signature.trusted, true, "\(file.lastPathComponent) not trusted at its timestamp with the DSS alone")
            XCTAssertEqual(signature.timestamp_valid, true)
            XCTAssertEqual(signature.timestamp_trusted, true)
        }

        // Ten years on every certificate has expired; the timestamp proves when it was signed.
        try cli.succeed(["publish"])
        let site = work.appendingPathComponent("site")
        let decade = Date().addingTimeInterval(10 * 366 * 86_400)
        let authority = try Authority(home: AuthorityHome(cli.home))
        let futureCRL = try authority.unlock(passphrase: cli.passphrase).makeCRL(
            revoked: [], thisUpdate: decade, nextUpdate: decade.addingTimeInterval(7 * 86_400), crlNumber: 99)
        let crlFile = work.appendingPathComponent("crl-2036.pem")
        try Data(futureCRL.pem.utf8).write(to: crlFile)
        let at = ISOTime.string(from: decade.addingTimeInterval(3600))
        for file in files {
            let later = try verify([file.path, "--ca", site.appendingPathComponent("cas.pem").path,
                                    "--crl", crlFile.path, "--at", at])
            XCTAssertEqual(later.status, 0, "ten years on: \(later.out)")
            XCTAssertTrue(later.out.contains("proven by a timestamp"), later.out)
        }
    }

    /// Without a timestamp, an expired certificate leaves only the signer's claim: INDETERMINATE.
    func testAnUntimestampedSignatureIsIndeterminateOnceItsCertificateExpired() throws {
        let (cli, approver) = try SegelCLI.makeAuthority(in: work)
        let timestamped = try signFile(cli, approver, "Stamped")
        let plain = try signFile(cli, approver, "Plain", extra: ["--level", "b-b"])
        let leaf = try certificate(cli, token: plain.token)
        let afterExpiry = ISOTime.string(from: leaf.notAfter.addingTimeInterval(86_400))
        let authority = try Authority(home: AuthorityHome(cli.home))
        let crl = try authority.unlock(passphrase: cli.passphrase).makeCRL(
            revoked: [], thisUpdate: leaf.notAfter, nextUpdate: leaf.notAfter.addingTimeInterval(7 * 86_400), crlNumber: 7)
        let crlFile = work.appendingPathComponent("crl.pem")
        try Data(crl.pem.utf8).write(to: crlFile)

        let plainReport = try verify([plain.signed_pdf, "--ca", cli.caPEM.path, "--crl", crlFile.path, "--at", afterExpiry])
        XCTAssertEqual(plainReport.status, 2, plainReport.out)
        XCTAssertTrue(plainReport.out.contains("no trusted timestamp proves"), plainReport.out)
        let stampedReport = try verify([timestamped.signed_pdf, "--ca", cli.caPEM.path, "--crl", crlFile.path, "--at", afterExpiry])
        XCTAssertEqual(stampedReport.status, 0, stampedReport.out)
        // The B-B file has no DSS and no timestamp.
        XCTAssertFalse(try Data(contentsOf: URL(fileURLWithPath: plain.signed_pdf)).contains(Data("/DSS".utf8)))
    }

    /// A published site on loopback: pyHanko, fetching the CRL from the
    /// certificate's distribution point with revocation required, trusts a
    /// genuine document and rejects an invalidated one — no segel tool involved.
    func testPyHankoFetchingFromThePortalSeesAnInvalidation() throws {
        try requirePyHanko()
        let port = try LoopbackServer.freePort()
        let cli = SegelCLI(home: work.appendingPathComponent("home"))
        let site = work.appendingPathComponent("site")
        try cli.succeed(["init", "--name", "Universitas Contoh", "--base-url", "http://127.0.0.1:\(port)", "--site", site.path])
        let approver = try cli.succeed(["approver", "add", "--name", "Dr. Budi", "--email", "budi@example.ac.id",
                                        "--nidn", "0011223344"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        let genuine = try signFile(cli, approver, "Genuine")
        let withdrawn = try signFile(cli, approver, "Withdrawn")
        try cli.succeed(["invalidate", withdrawn.token, "--reason", "issued in error"])
        try cli.succeed(["publish"])

        let server = try LoopbackServer.staticSite(site, port: port)
        defer { server.stop() }
        let results = try PyHankoLTV.validate(.fetch, [URL(fileURLWithPath: genuine.signed_pdf),
                                                       URL(fileURLWithPath: withdrawn.signed_pdf)],
                                              trusting: site.appendingPathComponent("ca.pem"))
        let good = try XCTUnwrap(results[genuine.signed_pdf]?.first)
        XCTAssertNil(good.error, good.error ?? "")
        XCTAssertEqual(good.trusted, true, "the genuine document should be trusted with fetched revocation data")
        let bad = try XCTUnwrap(results[withdrawn.signed_pdf]?.first)
        XCTAssertEqual(bad.intact, true)
        XCTAssertNotEqual(bad.trusted, true, "the invalidated document must not be trusted once its CRL is fetched")
    }

    /// `--tsa URL` against a real RFC 3161 server on loopback (`openssl ts
    /// -reply` over HTTP); an unreachable one signs nothing.
    func testAnExternalTimestampingServerAndAnUnreachableOne() throws {
        let tsaWork = work.appendingPathComponent("tsa")
        let tsa = try LoopbackServer.timestampAuthority(work: tsaWork)
        defer { tsa.stop() }
        let (cli, approver) = try SegelCLI.makeAuthority(in: work)
        let root = tsaWork.appendingPathComponent("root.pem").path
        // A TSA whose tokens do not chain to the root the authority pinned: refused, nothing signed.
        let otherWork = work.appendingPathComponent("other-tsa")
        let other = try LoopbackServer.timestampAuthority(work: otherWork)
        defer { other.stop() }
        let mismatched = try cli.run(["sign-file", try pdf("mismatch.pdf", "Mismatch").path, "--by", approver,
                                      "--name", "Mismatch", "--tsa", other.url, "--tsa-root", root])
        XCTAssertEqual(mismatched.status, 3, mismatched.err)
        XCTAssertTrue(mismatched.err.contains("nothing was signed"), mismatched.err)

        let signed = try signFile(cli, approver, "External", extra: ["--tsa", tsa.url, "--tsa-root", root])
        let checked = try OpenSSLTimestamp.verify(pdf: URL(fileURLWithPath: signed.signed_pdf), field: signatureField(signed),
                                                  caFile: tsaWork.appendingPathComponent("root.pem"), work: work)
        XCTAssertEqual(checked.status, 0, "openssl ts -verify with the external TSA's root: \(checked.err)")
        // With the CA alone the external TSA is shown but not trusted; the
        // published trust.json lists the root the authority pinned for it, so
        // with the site its timestamp is the trusted signing time.
        let report = try verify([signed.signed_pdf, "--ca", cli.caPEM.path])
        XCTAssertTrue(report.out.contains("by Loopback Test TSA (not trusted"), report.out)
        try cli.succeed(["publish"])
        let site = work.appendingPathComponent("site")
        let trust = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: site.appendingPathComponent("trust.json"))) as? [String: Any])
        XCTAssertEqual((trust["timestamp_pems"] as? [String])?.count, 1)
        let trusted = try verify([signed.signed_pdf, "--site", site.path])
        XCTAssertEqual(trusted.status, 0, trusted.out)
        XCTAssertTrue(trusted.out.contains("by Loopback Test TSA (trusted)"), trusted.out)
        XCTAssertTrue(trusted.out.contains("proven by a timestamp from Loopback Test TSA"), trusted.out)

        let closed = try LoopbackServer.freePort()
        let before = try FileManager.default.contentsOfDirectory(atPath: cli.home.appendingPathComponent("signed").path)
        let refused = try cli.run(["sign-file", try pdf("refused.pdf", "Refused").path, "--by", approver,
                                   "--name", "Refused", "--tsa", "http://127.0.0.1:\(closed)/tsa"])
        XCTAssertEqual(refused.status, 3, refused.err)
        let message = refused.err.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(message.split(separator: "\n").count, 1, message)
        XCTAssertTrue(message.contains("time-stamping server") && message.contains("nothing was signed"), message)
        let after = try FileManager.default.contentsOfDirectory(atPath: cli.home.appendingPathComponent("signed").path)
        XCTAssertEqual(Set(after), Set(before), "an unreachable TSA must leave no signed file")
        let listed = try cli.succeed(["request", "list", "--json"]).stdout
        let requests = try XCTUnwrap(JSONSerialization.jsonObject(with: listed) as? [Any])
        XCTAssertEqual(requests.count, 1, "an unreachable or unpinned TSA must leave no request")
    }

    /// `segel ca renew`: new documents chain to the successor, earlier ones
    /// keep verifying (segel-verify and pyHanko), each CA keeps its own CRL,
    /// and an invalidation under the first CA still reaches its documents.
    func testRenewedCAKeepsEarlierDocumentsVerifying() throws {
        let (cli, approver) = try SegelCLI.makeAuthority(in: work)
        let before = try signFile(cli, approver, "Before")
        try cli.succeed(["ca", "renew"])
        let after = try signFile(cli, approver, "After")
        let site = work.appendingPathComponent("site")
        try cli.succeed(["publish"])

        let oldLeaf = try certificate(cli, token: before.token)
        let newLeaf = try certificate(cli, token: after.token)
        XCTAssertTrue(newLeaf.issuer.string.contains("Document Signing CA 2"), newLeaf.issuer.string)
        XCTAssertEqual(newLeaf.crlDistributionPointURIs, ["https://verify.example.ac.id/crl-2.crl"])
        XCTAssertEqual(newLeaf.caIssuersURIs, ["https://verify.example.ac.id/ca-2.crt"])
        for name in ["ca.crt", "crl.crl", "ca-2.crt", "crl-2.crl", "ca-2.pem", "crl-2.pem", "cas.pem", "trust.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: site.appendingPathComponent(name).path), name)
        }
        let firstCA = try Certificate(der: Data(contentsOf: site.appendingPathComponent("ca.crt")))
        let secondCA = try Certificate(der: Data(contentsOf: site.appendingPathComponent("ca-2.crt")))
        XCTAssertTrue(oldLeaf.isIssued(by: firstCA))
        XCTAssertTrue(newLeaf.isIssued(by: secondCA))
        XCTAssertTrue(try CRL(der: Data(contentsOf: site.appendingPathComponent("crl-2.crl"))).isSigned(by: secondCA))

        for document in [before, after] {
            let report = try verify([document.signed_pdf, "--site", site.path])
            XCTAssertEqual(report.status, 0, report.out)
        }
        if PyHanko.available {
            let second = work.appendingPathComponent("second.pem")
            try Data(secondCA.pem.utf8).write(to: second)
            let results = try PyHankoLTV.validate(.embedded, [URL(fileURLWithPath: after.signed_pdf)], trusting: second)
            XCTAssertEqual(results[after.signed_pdf]?.first?.trusted, true, "\(results)")
        }

        try cli.succeed(["invalidate", before.token, "--reason", "issued in error"])
        try cli.succeed(["publish"])
        let crl = try CRL(der: Data(contentsOf: site.appendingPathComponent("crl.crl")))
        XCTAssertNotNil(crl.entry(for: oldLeaf), "the first CA's CRL must list its invalidated document")
        XCTAssertNil(try CRL(der: Data(contentsOf: site.appendingPathComponent("crl-2.crl"))).entry(for: oldLeaf))
        XCTAssertEqual(try verify([before.signed_pdf, "--site", site.path]).status, 1)
        XCTAssertEqual(try verify([after.signed_pdf, "--site", site.path]).status, 0)
        let bundle = try verify([after.signed_pdf, "--bundle", site.appendingPathComponent("trust.json").path])
        XCTAssertTrue(bundle.out.contains("Document Signing CA 2"), bundle.out)
    }
}
