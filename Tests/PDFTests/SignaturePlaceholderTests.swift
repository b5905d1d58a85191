import Foundation
import Testing
@testable import PDF

@Suite("Signature placeholder")
struct SignaturePlaceholderTests {
    static func request(_ field: String = "Signature1", appearance: SignatureAppearance? = nil) -> SignatureRequest {
        SignatureRequest(fieldName: field, name: "Dr. Ayu Lestari", reason: "Approved", location: "Bandung",
                         contactInfo: "ayu@example.ac.id", signingTime: Date(timeIntervalSince1970: 1_700_000_000),
                         contentsCapacity: 8192, appearance: appearance)
    }

    static func visibleAppearance(page: Int = 0) -> SignatureAppearance {
        SignatureAppearance(
            pageIndex: page, rect: [400, 50, 560, 130], bbox: [0, 0, 160, 80], matrix: nil,
            content: Data("q 0 0 1 rg 0 0 160 80 re f Q BT /F1 10 Tf 1 1 1 rg 8 60 Td (Signed) Tj ET".utf8),
            resources: ["Font": .dictionary(["F1": .dictionary([
                "Type": .name("Font"), "Subtype": .name("Type1"), "BaseFont": .name("Helvetica"),
                "Encoding": .name("WinAnsiEncoding"),
            ])])])
    }

    static func simplePDF() -> Data {
        var fixture = PDFFixture()
        fixture.simpleDocument(text: "Placeholder test")
        fixture.table(trailer: "/Size 6 /Root 1 0 R")
        return fixture.data
    }

    @Test("ByteRange covers everything but the /Contents hex string")
    func byteRangeGap() throws {
        let prepared = try PDFSigner.prepare(Self.simplePDF(), request: Self.request(appearance: Self.visibleAppearance()))
        let range = prepared.byteRange
        #expect(range.count == 4)
        #expect(range[0] == 0)
        #expect(range[2] + range[3] == prepared.data.count)
        let gap = prepared.data.subdata(in: range[1]..<range[2])
        #expect(gap.first == UInt8(ascii: "<"))
        #expect(gap.last == UInt8(ascii: ">"))
        #expect(gap.count == 2 * 8192 + 2)
        #expect(gap.dropFirst().dropLast().allSatisfy { $0 == UInt8(ascii: "0") })

        // The reader finds the same values, and the gap is exactly the /Contents string.
        let document = try PDFDocument(data: prepared.data, options: .strict)
        let fields = try document.signatureFields
        #expect(fields.count == 1)
        let signature = try #require(fields.first?.signature)
        #expect(signature.byteRange == range)
        #expect(signature.contentsRange == range[1]..<range[2])
        #expect(signature.contentsWasHex)
        #expect(signature.subFilter == "ETSI.CAdES.detached")
        #expect(signature.signerName == "Dr. Ayu Lestari")
        #expect(signature.signingTime == "D:20231114221320+00'00'")
        #expect(try document.pages[0].dictionary["Annots"]?.arrayValue?.count == 1)
        #expect(try document.dictionary(document.catalog?["AcroForm"])?.int("SigFlags") == 3)

        let ranges = prepared.signedRanges()
        #expect(ranges[0].count + ranges[1].count + gap.count == prepared.data.count)
    }

    @Test("embed fills /Contents and refuses a CMS that is too large")
    func embed() throws {
        let prepared = try PDFSigner.prepare(Self.simplePDF(), request: Self.request())
        let cms = Data((0..<100).map { UInt8($0) })
        let signed = try prepared.embed(cms: cms)
        #expect(signed.count == prepared.data.count)
        let document = try PDFDocument(data: signed, options: .strict)
        let contents = try #require(try document.signatureFields.first?.signature?.contents)
        #expect(contents.prefix(100) == cms)
        #expect(contents.dropFirst(100).allSatisfy { $0 == 0 })
        #expect(throws: PDFError.self) { try prepared.embed(cms: Data(count: 8193)) }
    }

    @Test("a duplicate field name is refused")
    func duplicateName() throws {
        let prepared = try PDFSigner.prepare(Self.simplePDF(), request: Self.request())
        let signed = try prepared.embed(cms: Data([0x30, 0x00]))
        #expect(throws: PDFError.self) { try PDFSigner.prepare(signed, request: Self.request()) }
    }

    @Test("a real CMS validates in pdfsig and pyHanko, and qpdf --check passes",
          .enabled(if: SigningSupport.openssl != nil && TestSupport.tool("pdfsig") != nil, "openssl or pdfsig missing"))
    func endToEnd() throws {
        let identity = try SigningSupport.makeIdentity()
        defer { identity.remove() }
        let prepared = try PDFSigner.prepare(Self.simplePDF(), request: Self.request(appearance: Self.visibleAppearance()))
        let signed = try prepared.embed(cms: SigningSupport.sign(prepared, identity: identity))
        let url = try TestSupport.temporaryFile(signed)
        defer { try? FileManager.default.removeItem(at: url) }
        let pdfsig = try TestSupport.run(TestSupport.tool("pdfsig")!, [url.path])
        #expect(pdfsig.output.contains("Signature is Valid"), "\(pdfsig.output)")
        #expect(pdfsig.output.contains("ETSI.CAdES.detached"), "\(pdfsig.output)")
        #expect(pdfsig.output.contains("Total document signed"), "\(pdfsig.output)")
        if SigningSupport.pyHankoAvailable {
            let verdict = try SigningSupport.pyHankoValidate(url, identity: identity)
            #expect(verdict.contains("Signature1 intact=True valid=True trusted=True coverage=ENTIRE_FILE"), "\(verdict)")
        }
        if let qpdf = TestSupport.tool("qpdf") {
            let check = try TestSupport.run(qpdf, ["--check", url.path])
            #expect(check.status == 0, "\(check.output)")
        }
    }
}

@Suite("Signing corpus files", .enabled(if: TestSupport.corpusAvailable && SigningSupport.openssl != nil
                                        && TestSupport.tool("pdfsig") != nil && TestSupport.tool("qpdf") != nil,
                                        "corpus, openssl, pdfsig or qpdf missing"))
struct CorpusSigningTests {
    static func verdicts(_ data: Data) throws -> [String] {
        let url = try TestSupport.temporaryFile(data)
        defer { try? FileManager.default.removeItem(at: url) }
        let output = try TestSupport.run(TestSupport.tool("pdfsig")!, [url.path], stdoutOnly: true).output
        return output.split(separator: "\n").filter { $0.contains("Signature Validation:") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }

    @Test("a new signature validates and earlier signatures keep their verdicts", arguments: [
        // Signed inputs: incremental update on the original bytes.
        "pdfcpu_testPAdES_BB.pdf", "dss_25sigs.pdf", "openpdf_sample_signed-sha512.pdf", "dss_fieldmdp-include.pdf",
        "endesive_test-signed-cms-hsm-Google.pdf", "verifypdf_signed-twice.pdf",
        // Unsigned inputs: full rewrite first.
        "pysf_pdflatex-4-pages.pdf", "pdfjs_comments.pdf", "qpdf_hybrid-xref.pdf", "pdfbox_rotation.pdf",
        "hanko_circular-page-tree.pdf", "pdfcpu_withOffsetStart.pdf", "pdfbox_AcroFormsBasicFields.pdf",
    ])
    func sign(name: String) throws {
        let input = try TestSupport.corpusFile(name)
        let identity = try SigningSupport.makeIdentity()
        defer { identity.remove() }
        let before = try Self.verdicts(input)
        let document = try PDFDocument(data: input, options: .tolerant)
        let page = try document.pages.count - 1
        let prepared = try PDFSigner.prepare(input, request: SignaturePlaceholderTests.request(
            "SegelCorpusTest", appearance: SignaturePlaceholderTests.visibleAppearance(page: page)))
        let signed = try prepared.embed(cms: SigningSupport.sign(prepared, identity: identity))
        if try document.hasSignatures {
            #expect(signed.prefix(input.count) == input, "\(name): the signed input was not appended to")
        }
        let after = try Self.verdicts(signed)
        #expect(after.count == before.count + 1, "\(name): \(after)")
        #expect(Array(after.prefix(before.count)) == before, "\(name): earlier verdicts changed")
        #expect(after.last == "- Signature Validation: Signature is Valid.", "\(name): \(after)")
        let url = try TestSupport.temporaryFile(signed)
        defer { try? FileManager.default.removeItem(at: url) }
        let check = try TestSupport.run(TestSupport.tool("qpdf")!, ["--check", url.path])
        let originalURL = try TestSupport.temporaryFile(input)
        defer { try? FileManager.default.removeItem(at: originalURL) }
        let originalCheck = try TestSupport.run(TestSupport.tool("qpdf")!, ["--check", originalURL.path])
        // Signed inputs keep their bytes, so qpdf warnings they had remain; anything else must be clean.
        #expect(check.status == 0 || (originalCheck.status != 0 && signed.prefix(input.count) == input),
                "\(name): \(check.output)")
        let reread = try PDFDocument(data: signed, options: .strict)
        #expect(try reread.signatureFields.last?.name == "SegelCorpusTest")
        #expect(try reread.pages[page].dictionary["Annots"] != nil)
    }

    @Test("certified documents with no changes permitted are refused")
    func docMDP() throws {
        for name in ["dss_certified-no-change-permitted.pdf", "pdfcpu_sample2.pdf"] {
            do {
                _ = try PDFSigner.prepare(TestSupport.corpusFile(name), request: SignaturePlaceholderTests.request())
                Issue.record("\(name) was prepared for signing")
            } catch let error as PDFError {
                #expect(error.message == "the document is certified with no changes permitted")
            }
        }
    }

    @Test("password-protected and unparseable files are refused with one sentence")
    func refusals() throws {
        for name in ["pypdf_r6-user-password.pdf", "qpdf_enc-XI-R6_V5_U_view_O_master.pdf", "dss_malformed-pades.pdf"] {
            do {
                _ = try PDFSigner.prepare(TestSupport.corpusFile(name), request: SignaturePlaceholderTests.request())
                Issue.record("\(name) was prepared for signing")
            } catch let error as PDFError {
                #expect([.passwordRequired, .unsupported, .notPDF].contains(error.code), "\(name): \(error)")
                #expect(!error.message.contains("\n"))
            }
        }
        #expect(throws: PDFError.self) { try PDFSigner.prepare(Data("not a pdf".utf8), request: SignaturePlaceholderTests.request()) }
    }
}
