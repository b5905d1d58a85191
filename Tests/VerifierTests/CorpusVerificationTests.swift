import Foundation
import PDF
import PKI
import TestSupport
import Verifier
import XCTest

/// The real-world corpus (../shared/corpus): no attack sample is ever VALID,
/// even when the verifier trusts the sample's own root; every other file gets
/// a verdict or a clear error, never a crash.
final class CorpusVerificationTests: XCTestCase {
    static var corpusDirectory: URL? { TestPaths.corpus }

    /// `local_filename` of every `included` row of ATTACK_SAMPLES.tsv.
    static func attackSamples() throws -> [String] {
        guard let corpus = corpusDirectory else { return [] }
        let table = try String(contentsOf: corpus.deletingLastPathComponent().appendingPathComponent("ATTACK_SAMPLES.tsv"),
                               encoding: .utf8)
        return table.split(separator: "\n").dropFirst().compactMap { line in
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard columns.count > 3, columns[0] == "included", !columns[3].isEmpty else { return nil }
            return String(columns[3])
        }
    }

    /// The roots a sample's signatures chain to: for each CMS, its self-signed
    /// certificate if it carries one, else the top of the chain it carries —
    /// and, since segel's authority issues leaves directly, the signer's own
    /// issuer when the CMS carries it.
    static func roots(of data: Data) -> [Certificate] {
        guard let document = try? PDFDocument(data: data, options: .tolerant),
              let fields = try? document.signatureFields else { return [] }
        var roots: [Certificate] = []
        for signature in fields.compactMap(\.signature) {
            guard let contents = signature.contents, let cms = try? CMSSignedData(der: contents) else { continue }
            let certificates = cms.certificates
            if let signer = cms.signerCertificate,
               let issuer = certificates.first(where: { signer.isIssued(by: $0) && $0 != signer }) {
                roots.append(issuer)
            }
            if let selfSigned = certificates.first(where: { $0.isIssued(by: $0) }) {
                roots.append(selfSigned)
                continue
            }
            guard var top = cms.signerCertificate ?? certificates.first else { continue }
            var steps = 0
            while steps < certificates.count, let issuer = certificates.first(where: { top.isIssued(by: $0) && $0 != top }) {
                top = issuer
                steps += 1
            }
            roots.append(top)
        }
        return Array(Set(roots))
    }

    func testAttackSamplesAreNeverValidEvenWithTheirOwnRoot() throws {
        guard let corpus = Self.corpusDirectory else { throw XCTSkip(TestPaths.corpusMissingMessage) }
        let samples = try Self.attackSamples()
        XCTAssertGreaterThanOrEqual(samples.count, 15, "ATTACK_SAMPLES.tsv lists the included samples")
        var checked = 0
        for name in samples {
            let url = corpus.appendingPathComponent(name)
            let data = try Data(contentsOf: url)
            let roots = Self.roots(of: data)
            // A sample without any readable certificate is checked against an unrelated CA.
            let anchors = roots.isEmpty ? [VerifierFixture.shared.ca.certificate] : roots
            for root in anchors {
                // Revocation "nothing revoked": the verdict rests on the other checks alone.
                let trust = TrustContext(mode: .certificate, ca: root, revocation: .registry(revoked: [:], asOf: Date()))
                let report = try Verifier(trust: trust).verify(fileAt: url, name: name)
                XCTAssertNotEqual(report.verdict, .valid,
                                  "\(name) is VALID when trusting \(root.subject.string):\n\(report.humanText())")
                XCTAssertFalse(report.summary.isEmpty)
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, samples.count)
    }

    /// Samples whose manipulation happened before their last signature, which
    /// therefore signed it: segel's model lets the last signer vouch for what it
    /// signed, so these are INVALID for another reason (their test certificates).
    static let changedBeforeLastSignature: Set<String> = [
        "hanko_form-update-override-appearance-stream-sneaky.pdf",
    ]

    /// The attack samples are INVALID, not merely indeterminate, and — trusting
    /// their own roots — because an integrity check fails (or, where no root
    /// issued the last signer, because the chain does), not by accident.
    func testAttackSamplesFailOnIntegrityNotJustTrust() throws {
        guard let corpus = Self.corpusDirectory else { throw XCTSkip(TestPaths.corpusMissingMessage) }
        let integrity: Set<CheckName> = [.structure, .coverage, .digest, .signature]
        for name in try Self.attackSamples() {
            let url = corpus.appendingPathComponent(name)
            let data = try Data(contentsOf: url)
            for root in Self.roots(of: data) {
                let trust = TrustContext(mode: .certificate, ca: root, revocation: .registry(revoked: [:], asOf: Date()))
                let report = try Verifier(trust: trust).verify(fileAt: url, name: name)
                XCTAssertEqual(report.verdict, .invalid, "\(name): \(report.summary)")
                guard !report.signatures.isEmpty, !Self.changedBeforeLastSignature.contains(name) else { continue }
                let failsIntegrity = report.signatures.contains { signature in
                    integrity.contains { signature.checks[$0].failed }
                }
                let failsChain = report.signatures.contains { $0.role == .seal && $0.checks.chain.failed }
                XCTAssertTrue(failsIntegrity || failsChain, "\(name) trusting \(root.subject.string):\n\(report.humanText())")
            }
        }
    }

    func testEveryCorpusFileGetsAVerdict() throws {
        let files = TestPaths.corpusFiles()
        guard !files.isEmpty else { throw XCTSkip(TestPaths.corpusMissingMessage) }
        let verifier = VerifierFixture.shared.verifier(crl: try VerifierFixture.shared.crl())
        var verdicts: [Verdict: Int] = [:]
        for file in files {
            let started = Date()
            let report = try verifier.verify(fileAt: file, name: file.lastPathComponent)
            verdicts[report.verdict, default: 0] += 1
            XCTAssertFalse(report.summary.isEmpty, file.lastPathComponent)
            XCTAssertNotNil(report.sha256, file.lastPathComponent)
            XCTAssertEqual(report.sha256, Digest.hex(try Digest.sha256(fileAt: file)), file.lastPathComponent)
            XCTAssertNotEqual(report.verdict, .valid, "\(file.lastPathComponent) is not signed by this test authority")
            XCTAssertLessThan(Date().timeIntervalSince(started), 10, "\(file.lastPathComponent) took too long")
            // The text and JSON renderings exist for every outcome.
            XCTAssertTrue(report.humanText().hasPrefix(file.lastPathComponent + ": "))
            XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(report.jsonLine().utf8)))
        }
        XCTAssertEqual(verdicts.values.reduce(0, +), files.count)
    }

    /// Signed corpus files trusted with their own root: the verifier reaches a
    /// verdict from the real checks (some VALID, since they are genuine).
    func testSignedCorpusFilesWithTheirOwnRoots() throws {
        let files = TestPaths.corpusFiles()
        guard !files.isEmpty else { throw XCTSkip(TestPaths.corpusMissingMessage) }
        let attacks = Set(try Self.attackSamples())
        var valid: [String] = []
        var expired: [String: VerificationReport] = [:]
        // DSS's samples were signed in July 2024 with certificates that have
        // since expired: judged as of a day later (as `segel-verify --at` does)
        // they verify; judged today, with no signature timestamp to prove the
        // signing time, they cannot be confirmed.
        let signingSeason = try XCTUnwrap(ISOTime.date(from: "2024-08-01T00:00:00Z"))
        for file in files where !attacks.contains(file.lastPathComponent) {
            let data = try Data(contentsOf: file)
            for root in Self.roots(of: data) {
                let trust = TrustContext(mode: .certificate, ca: root, revocation: .registry(revoked: [:], asOf: Date()))
                let report = try Verifier(trust: trust, now: signingSeason).verify(fileAt: file, name: file.lastPathComponent)
                if report.verdict == .valid {
                    valid.append(file.lastPathComponent)
                    expired[file.lastPathComponent] = try Verifier(trust: trust).verify(fileAt: file, name: file.lastPathComponent)
                }
            }
        }
        let today = try XCTUnwrap(expired["dss_pades-bes.pdf"])
        XCTAssertEqual(today.verdict, .indeterminate, today.summary)
        XCTAssertTrue(today.summary.contains("no trusted timestamp"), today.summary)
        // Genuine PAdES files with signingCertificateV2 and an intact, complete
        // coverage verify under their own root: DSS's B-B sample, and its LTV
        // sample, whose later revisions add a DSS and two document timestamps.
        XCTAssertTrue(valid.contains("dss_pades-bes.pdf"), "valid: \(valid)")
        XCTAssertTrue(valid.contains("dss_pades-ltv.pdf"), "valid: \(valid)")
    }
}
