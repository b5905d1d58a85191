import Foundation
import Testing
@testable import PDF

@Suite("Corpus reading", .enabled(if: TestSupport.corpusAvailable, "corpus ../shared/corpus/files is absent"))
struct CorpusReadTests {
    static let manifest = TestSupport.manifest()

    static func isEncrypted(_ name: String) -> Bool { manifest[name]?.features.contains("encrypted") == true }

    /// `signed=N` from the manifest's `sigfields=…,signed=N,…` feature.
    static func signedCount(_ name: String) -> Int? {
        guard let features = manifest[name]?.features, let range = features.range(of: "signed=") else { return nil }
        return Int(features[range.upperBound...].prefix { $0.isNumber })
    }

    /// Files that need a password (the empty user password does not open them).
    static let passwordProtected: Set<String> = ["pypdf_r6-user-password.pdf", "qpdf_enc-XI-R6_V5_U_view_O_master.pdf"]

    @Test("every file is read tolerantly (pages > 0) or refused with a PDFError")
    func everyFile() throws {
        let files = TestSupport.corpusFiles()
        #expect(files.count >= 80)
        for name in files {
            let data = try TestSupport.corpusFile(name)
            let start = Date()
            do {
                let document = try PDFDocument(data: data, options: .tolerant)
                let pages = try document.pages
                _ = try document.signatureFields
                _ = try document.docMDPPermission
                #expect(!pages.isEmpty, "\(name) has no pages")
                #expect(!Self.passwordProtected.contains(name), "\(name) opened without its password")
            } catch let error as PDFError {
                if Self.isEncrypted(name) {
                    #expect([.passwordRequired, .unsupported].contains(error.code), "\(name): \(error)")
                } else {
                    Issue.record("\(name) was refused: \(error)")
                }
            }
            #expect(Date().timeIntervalSince(start) < 20, "\(name) took too long")
        }
    }

    @Test("files built to loop terminate in both modes", arguments: [
        "hanko_circular-page-tree.pdf", "qpdf_append-xref-loop.pdf", "openpdf_pades_infinite_loop.pdf",
    ])
    func loops(name: String) throws {
        let data = try TestSupport.corpusFile(name)
        for options in [ReadOptions.strict, .tolerant] {
            do {
                let document = try PDFDocument(data: data, options: options)
                _ = try document.pages
                _ = try document.signatureFields
            } catch is PDFError {
                #expect(options.mode == .strict, "\(name) failed in tolerant mode")
            }
        }
        let tolerant = try PDFDocument(data: data, options: .tolerant)
        #expect(try tolerant.pages.count >= 1)
    }

    @Test("deliberately malformed files: a clear error in strict mode or a correct parse")
    func malformed() throws {
        let expectations: [String: PDFError.Code?] = [
            "pdfjs_xref_command_missing.pdf": .xref,
            "pdfjs_bug1250079.pdf": .xref,
            "qpdf_append-xref-loop.pdf": .xref,
            "hanko_circular-page-tree.pdf": .malformed,
            "pdfcpu_withOffsetStart.pdf": .notPDF,
            "dss_malformed-pades.pdf": .notPDF,
            "hanko_minimal-startxref-obo1.pdf": nil,
            // Offsets padded with spaces, not the ten digits of §7.5.4: ambiguous, so refused strictly.
            "hanko_malformed-xref-space-padded.pdf": .xref,
        ]
        for (name, code) in expectations {
            let data = try TestSupport.corpusFile(name)
            do {
                let document = try PDFDocument(data: data, options: .strict)
                _ = try document.pages
                #expect(code == nil, "\(name) parsed strictly")
            } catch let error as PDFError {
                #expect(error.code == code, "\(name): \(error)")
                #expect(!error.message.isEmpty)
            }
            #expect(try PDFDocument(data: data, options: .tolerant).pages.count >= 1, "\(name) tolerant")
        }
    }

    @Test("signed files read strictly, with the manifest's number of signatures")
    func signedFilesStrict() throws {
        // openpdf_siwa.pdf has 19-byte cross-reference entries, which strict reading refuses.
        let unreadable: Set<String> = ["dss_malformed-pades.pdf", "openpdf_pades_infinite_loop.pdf", "openpdf_siwa.pdf"]
        var checked = 0
        for name in TestSupport.corpusFiles() {
            guard let expected = Self.signedCount(name), expected > 0, !Self.isEncrypted(name),
                  !unreadable.contains(name) else { continue }
            let document = try PDFDocument(data: TestSupport.corpusFile(name), options: .strict)
            let fields = try document.signatureFields
            #expect(fields.filter(\.isSigned).count == expected, "\(name)")
            #expect(try document.hasSignatures)
            if name != "dss_hide.pdf" {
                try document.checkAllObjects()
            }
            for field in fields {
                guard let signature = field.signature, let range = signature.contentsRange else { continue }
                #expect(document.data[range.lowerBound] == UInt8(ascii: "<"), "\(name) \(field.name)")
                #expect(document.data[range.upperBound - 1] == UInt8(ascii: ">"), "\(name) \(field.name)")
                #expect(range.count >= 2 * (signature.contents?.count ?? 0) + 1, "\(name) \(field.name)")
            }
            checked += 1
        }
        #expect(checked >= 25)
        // The shadow attack file redefines a stream with a wrong /Length.
        #expect(throws: PDFError.self) { try PDFDocument(data: TestSupport.corpusFile("dss_hide.pdf")).checkAllObjects() }
    }

    @Test("ByteRange and /Contents positions of well-formed signatures agree")
    func byteRanges() throws {
        for name in ["dss_pades-bes.pdf", "pdfcpu_testPAdES_BB.pdf", "openpdf_sample_signed-sha512.pdf",
                     "dss_25sigs.pdf", "pdfcpu_sample1.pdf"] {
            let document = try PDFDocument(data: TestSupport.corpusFile(name))
            let signatures = try document.signatureFields.compactMap(\.signature)
            #expect(!signatures.isEmpty)
            for signature in signatures {
                let byteRange = try #require(signature.byteRange)
                let contents = try #require(signature.contentsRange)
                #expect(byteRange[0] == 0 && byteRange[1] == contents.lowerBound && byteRange[2] == contents.upperBound,
                        "\(name)")
                #expect(signature.byteRangeRange != nil)
                #expect(signature.contentsWasHex)
            }
            let last = try #require(signatures.max { $0.byteRange![2] < $1.byteRange![2] })
            let lastRange = try #require(last.byteRange)
            #expect(document.revisions.contains { $0.endOffset == lastRange[2] + lastRange[3] }, "\(name)")
        }
    }

    @Test("DocMDP permissions of certified documents")
    func docMDP() throws {
        let expected: [String: Int?] = [
            "dss_certified-no-change-permitted.pdf": 1, "pdfcpu_sample2.pdf": 1, "dss_fieldmdp-include.pdf": 2,
            "dss_DSS1376-rev_n.pdf": 2, "dss_pades-bes.pdf": nil,
        ]
        for (name, permission) in expected {
            let document = try PDFDocument(data: TestSupport.corpusFile(name))
            #expect(try document.docMDPPermission == permission, "\(name)")
        }
    }

    @Test("revisions and xref flavours match the manifest")
    func revisions() throws {
        for name in TestSupport.corpusFiles() {
            guard let features = Self.manifest[name]?.features, !Self.isEncrypted(name),
                  let range = features.range(of: "startxref="),
                  let count = Int(features[range.upperBound...].prefix { $0.isNumber }), count > 0,
                  let document = try? PDFDocument(data: TestSupport.corpusFile(name)) else { continue }
            #expect(document.revisions.count == count, "\(name)")
            if features.contains("hybrid-xref") {
                #expect(document.revisions.contains { $0.kind == .hybrid }, "\(name)")
            }
            if features.contains("xref-stream") && !features.contains("xref-table") {
                #expect(document.revisions.allSatisfy { $0.kind == .stream }, "\(name)")
            }
        }
    }
}
