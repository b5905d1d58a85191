import Foundation
import Testing
@testable import PKI

/// Real-world signatures from the shared corpus (`../shared/corpus/files`,
/// see its README): every /Contents blob must parse or fail with `.invalidCMS`,
/// never crash, and known-good files must verify.
@Suite("Corpus CMS signatures")
struct CorpusCMSTests {
    static let corpus: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/corpus/files")
    static var hasCorpus: Bool { FileManager.default.fileExists(atPath: corpus.path) }

    struct Signature {
        let file: String
        let byteRange: [Int]
        let contents: Data
        let parts: [Data]
    }

    /// Every `/ByteRange [0 a b c]` in the raw bytes whose gap is a hex string.
    /// (A byte-level scan, not a PDF parse: enough to pull out the CMS blobs.)
    static func signatures(in url: URL) throws -> [Signature] {
        let data = try Data(contentsOf: url)
        let text = String(decoding: data, as: Unicode.ASCII.self)
        let pattern = try NSRegularExpression(pattern: #"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]"#)
        var found: [Signature] = []
        let nsText = text as NSString
        for match in pattern.matches(in: text, range: NSRange(location: 0, length: nsText.length)) {
            let numbers = (1...4).compactMap { Int(nsText.substring(with: match.range(at: $0))) }
            guard numbers.count == 4, numbers[0] == 0, numbers[1] < numbers[2],
                  numbers[2] + numbers[3] <= data.count, numbers[2] - numbers[1] >= 2 else { continue }
            let gap = data[numbers[1]..<numbers[2]]
            guard gap.first == UInt8(ascii: "<"), gap.last == UInt8(ascii: ">") else { continue }
            let hex = String(decoding: gap.dropFirst().dropLast(), as: UTF8.self).filter { !$0.isWhitespace }
            guard let contents = Digest.data(fromHex: hex.count % 2 == 0 ? hex : hex + "0") else { continue }
            let parts = [data.subdata(in: 0..<numbers[1]), data.subdata(in: numbers[2]..<numbers[2] + numbers[3])]
            found.append(Signature(file: url.lastPathComponent, byteRange: numbers, contents: contents, parts: parts))
        }
        return found
    }

    struct Outcome {
        let signerCount: Int
        let signatureVerifies: Bool
        let contentMatches: Bool
        let essMatches: Bool
    }

    /// Outcome per file, one entry per signature; nil entries were refused as not CMS.
    static func outcomes() throws -> [String: [Outcome?]] {
        let files = try FileManager.default.contentsOfDirectory(at: corpus, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension.lowercased() == "pdf" }
        var results: [String: [Outcome?]] = [:]
        for file in files {
            for signature in try signatures(in: file) {
                do {
                    let cms = try CMSSignedData(der: signature.contents)
                    _ = cms.signerCertificate?.subject.string
                    _ = cms.signingTime
                    results[signature.file, default: []].append(Outcome(
                        signerCount: cms.signerCount, signatureVerifies: cms.verifySignature(),
                        contentMatches: cms.contentDigestMatches(signature.parts),
                        essMatches: cms.signingCertificateV2Matches))
                } catch let error as PKIError {
                    #expect(error.code == .invalidCMS, "\(signature.file): \(error)")
                    results[signature.file, default: []].append(nil)
                }
            }
        }
        return results
    }

    @Test("Corpus signatures parse or are refused cleanly; known files give known answers",
          .enabled(if: hasCorpus, "shared corpus absent (../shared/corpus/files)"))
    func corpusSignatures() throws {
        let results = try Self.outcomes()
        let all = results.values.flatMap { $0 }
        #expect(all.count > 50)
        // Only the adbe.x509.rsa_sha1 sample holds a bare PKCS#1 signature instead of CMS.
        #expect(results.filter { $0.value.contains { $0 == nil } }.map(\.key) == ["pdfcpu_sample01.pdf"])
        #expect(all.compactMap { $0 }.allSatisfy { $0.signerCount == 1 })

        // PAdES / CAdES signatures from DSS, pdfcpu, pyHanko, OpenPDF, Acrobat Sign verify fully.
        for name in ["pdfcpu_testPAdES_BB.pdf", "dss_pades-bes.pdf", "hanko_tail-uncovered.pdf",
                     "openpdf_sample_signed-sha512.pdf", "dss_certified-no-change-permitted.pdf"] {
            let outcome = try #require(results[name]?.first ?? nil, "\(name) missing")
            #expect(outcome.signatureVerifies && outcome.contentMatches && outcome.essMatches, "\(name)")
        }
        // adbe.pkcs7.detached signatures without ESS attributes (Acrobat 9, Quartz, Acrobat Sign).
        for name in ["pdfcpu_sample1.pdf", "pdfcpu_sample2.pdf", "qpdf_minimal-signed-restricted.pdf"] {
            let outcome = try #require(results[name]?.first ?? nil, "\(name) missing")
            #expect(outcome.signatureVerifies && outcome.contentMatches && !outcome.essMatches, "\(name)")
        }
        // The %PDF header was overwritten inside the signed range: signature fine, digest wrong.
        let malformed = try #require(results["dss_malformed-pades.pdf"]?.first ?? nil)
        #expect(malformed.signatureVerifies && !malformed.contentMatches)
        // Ed25519 signer: libcrypto 3.0's CMS cannot verify it, so the answer is false, not a crash.
        let ed25519 = try #require(results["hanko_extensions-direct.pdf"]?.last ?? nil)
        #expect(!ed25519.signatureVerifies)
    }
}
