import Foundation
import Testing
@testable import PDF

@Suite("Full rewriter")
struct RewriterTests {
    /// Revision 1 shows "Original" and carries an unreferenced "Shadow" object;
    /// revision 2 replaces the content with "Visible".
    static func shadowedFile() -> Data {
        var fixture = PDFFixture()
        fixture.simpleDocument(text: "Original")
        fixture.stream(6, "", Data("BT /F1 24 Tf 72 600 Td (Shadow) Tj ET".utf8))
        fixture.table(trailer: "/Size 7 /Root 1 0 R")
        fixture.stream(4, "", Data("BT /F1 24 Tf 72 700 Td (Visible) Tj ET".utf8))
        fixture.object(7, "<< /Title (Info) /Producer (fixture) >>")
        fixture.table(trailer: "/Size 8 /Root 1 0 R /Info 7 0 R", includeFreeHead: false)
        return fixture.data
    }

    static func contains(_ data: Data, _ text: String) -> Bool {
        data.range(of: Data(text.utf8)) != nil
    }

    @Test("only reachable objects, renumbered densely, one revision, no shadow content")
    func reachableOnly() throws {
        let input = Self.shadowedFile()
        #expect(Self.contains(input, "(Original)") && Self.contains(input, "(Shadow)"))
        let output = try PDFRewriter.rewrite(PDFDocument(data: input))
        #expect(!Self.contains(output, "(Original)"))
        #expect(!Self.contains(output, "(Shadow)"))
        #expect(Self.contains(output, "(Visible)"))
        #expect(output.starts(with: Data("%PDF-1.7\n%".utf8)))

        let document = try PDFDocument(data: output)
        #expect(document.revisions.count == 1)
        #expect(document.xref.keys.sorted() == Array(0...6))
        #expect(document.trailer["Root"] == .reference(ObjectRef(number: 1)))
        #expect(document.trailer["Info"] == .reference(ObjectRef(number: 2)))
        #expect(document.trailer["Prev"] == nil)
        #expect(document.info?["Title"]?.textValue == "Info")
        let ids = try #require(document.trailer["ID"]?.arrayValue)
        #expect(ids.count == 2 && ids[0] == ids[1])
        #expect(try document.pages.count == 1)
    }

    @Test("output is deterministic")
    func deterministic() throws {
        let input = Self.shadowedFile()
        let first = try PDFRewriter.rewrite(PDFDocument(data: input))
        let second = try PDFRewriter.rewrite(PDFDocument(data: input, options: .tolerant))
        #expect(first == second)
        #expect(try PDFRewriter.rewrite(PDFDocument(data: first)).count == first.count)
    }

    @Test("streams keep their filters and bytes; the higher input version is kept")
    func streamsAndVersion() throws {
        var fixture = PDFFixture(version: "2.0")
        fixture.object(1, "<< /Type /Catalog /Pages 2 0 R >>")
        fixture.object(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
        fixture.object(3, "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>")
        let compressed = Flate.compress(Data("BT (deflated) Tj ET".utf8))
        fixture.stream(4, "/Filter /FlateDecode", compressed)
        fixture.table(trailer: "/Size 5 /Root 1 0 R")
        let output = try PDFRewriter.rewrite(PDFDocument(data: fixture.data))
        #expect(output.starts(with: Data("%PDF-2.0".utf8)))
        #expect(output.range(of: compressed) != nil)
        let page = try PDFDocument(data: output).pages[0]
        #expect(page.dictionary["Contents"] == .reference(ObjectRef(number: 4)))
    }

    @Test("the catalog loses /DSS, /Perms and keys segel does not know, keeps the standard ones")
    func catalogKeys() throws {
        var fixture = PDFFixture()
        // A /DSS planted before signing that names the page content (issue 20, class 2).
        fixture.object(1, "<< /Type /Catalog /Pages 2 0 R /DSS << /Certs [4 0 R] >> /Perms << /DocMDP 5 0 R >> /PrivateThing 4 0 R /Lang (id-ID) /PageMode /UseOutlines >>")
        fixture.object(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 300 400] >>")
        fixture.object(3, "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>")
        fixture.object(4, "<< /Length 0 >>\nstream\n\nendstream")
        fixture.object(5, "<< /Type /Sig >>")
        fixture.table(trailer: "/Size 6 /Root 1 0 R")
        let document = try PDFDocument(data: PDFRewriter.rewrite(PDFDocument(data: fixture.data)))
        let catalog = try #require(document.catalog)
        #expect(catalog["DSS"] == nil)
        #expect(catalog["Perms"] == nil)
        #expect(catalog["PrivateThing"] == nil)
        #expect(catalog["Lang"]?.textValue == "id-ID")
        #expect(catalog.name("PageMode") == "UseOutlines")
    }

    @Test("references to missing objects become null; a broken page tree is flattened")
    func repairs() throws {
        var fixture = PDFFixture()
        fixture.object(1, "<< /Type /Catalog /Pages 2 0 R /Outlines 40 0 R >>")
        fixture.object(2, "<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 /MediaBox [0 0 300 400] >>")
        fixture.object(3, "<< /Type /Page /Parent 2 0 R >>")
        fixture.table(trailer: "/Size 4 /Root 1 0 R")
        let output = try PDFRewriter.rewrite(PDFDocument(data: fixture.data, options: .tolerant))
        let document = try PDFDocument(data: output)
        #expect(document.catalog?["Outlines"] == .null)
        let pages = try document.pages
        #expect(pages.count == 1)
        #expect(pages[0].mediaBox == PDFRectangle(llx: 0, lly: 0, urx: 300, ury: 400))
    }

    static let qpdf = TestSupport.tool("qpdf")
    static let pdftotext = TestSupport.tool("pdftotext")

    static func text(_ data: Data) throws -> String {
        let url = try TestSupport.temporaryFile(data)
        defer { try? FileManager.default.removeItem(at: url) }
        return try TestSupport.run(pdftotext!, [url.path, "-"], stdoutOnly: true).output
    }

    @Test("qpdf --check passes and pdftotext output is unchanged on the fixture and the corpus",
          .enabled(if: qpdf != nil && pdftotext != nil, "qpdf or pdftotext is not installed"))
    func externalTools() throws {
        var inputs: [(String, Data)] = [("shadowed fixture", Self.shadowedFile())]
        if TestSupport.corpusAvailable {
            for name in ["pysf_pdflatex-4-pages.pdf", "pdfjs_bug1937438_from_word.pdf", "qpdf_hybrid-xref.pdf",
                         "pdfjs_comments.pdf", "pysf_GeoTopo-komprimiert.pdf", "pysf_libreoffice-form.pdf",
                         "qpdf_form-filled-by-acrobat.pdf", "pdfcpu_withOffsetStart.pdf", "hanko_circular-page-tree.pdf",
                         "qpdf_append-xref-loop.pdf", "dss_hide.pdf", "pdfjs_xref_command_missing.pdf"] {
                inputs.append((name, try TestSupport.corpusFile(name)))
            }
        }
        for (name, input) in inputs {
            let output = try PDFRewriter.rewrite(PDFDocument(data: input, options: .tolerant))
            let url = try TestSupport.temporaryFile(output)
            defer { try? FileManager.default.removeItem(at: url) }
            let check = try TestSupport.run(Self.qpdf!, ["--check", url.path])
            #expect(check.status == 0, "qpdf --check on the rewrite of \(name): \(check.output)")
            #expect(try Self.text(output) == Self.text(input), "pdftotext differs for \(name)")
        }
    }
}
