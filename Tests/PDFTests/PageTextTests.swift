import Foundation
import Testing
@testable import PDF

/// segel's page text (`PDFDocument.text(of:)`): each way a font maps codes to
/// Unicode, form XObjects, inline images, and which annotations show.
@Suite("Page text")
struct PageTextTests {
    /// One page whose content is `content`, with the fonts, XObjects and
    /// annotations given as extra objects from number 10 on.
    static func document(content: String, fonts: String, xobjects: String = "", annotations: String = "",
                         objects: [(Int, String)] = [], streams: [(Int, String, Data)] = []) throws -> PDFDocument {
        var pdf = PDFFixture()
        pdf.object(1, "<< /Type /Catalog /Pages 2 0 R >>")
        pdf.object(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
        pdf.object(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R "
                   + "/Resources << /Font << \(fonts) >> /XObject << \(xobjects) >> >> /Annots [\(annotations)] >>")
        pdf.stream(4, "", Data(content.utf8))
        for (number, body) in objects { pdf.object(number, body) }
        for (number, dictionary, data) in streams { pdf.stream(number, dictionary, data) }
        pdf.table(trailer: "/Size 20 /Root 1 0 R")
        return try PDFDocument(data: pdf.data, options: .strict)
    }

    static func text(_ document: PDFDocument) throws -> String? {
        try document.text(of: try #require(document.pages.first))
    }

    static let helvetica = "/F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"

    @Test("WinAnsi, Standard and Differences through glyph names")
    func simpleEncodings() throws {
        let fonts = Self.helvetica
            + " /F2 << /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>"
            + " /F3 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /BaseEncoding /WinAnsiEncoding"
            + " /Differences [65 /Zcaron /uni0416 /f_i /u1F600] >> >>"
        let document = try Self.document(content: "BT /F1 12 Tf (Gr\\374\\337e) Tj /F2 12 Tf ( \\047quoted\\047) Tj "
                                         + "/F3 12 Tf [(A) -300 (BCD)] TJ ET", fonts: fonts)
        let text = try #require(try Self.text(document))
        #expect(text.contains("Grüße"))
        // StandardEncoding's 0x27 is quoteright.
        #expect(text.contains("\u{2019}quoted\u{2019}"))
        #expect(text.contains("Ž Жfi😀"))
    }

    @Test("a Type0 font through its ToUnicode bfchar and bfrange")
    func compositeFont() throws {
        let cmap = """
        /CIDInit /ProcSet findresource begin 12 dict begin begincmap
        1 begincodespacerange <0000> <FFFF> endcodespacerange
        2 beginbfchar <0003> <0020> <0011> <D83DDE00> endbfchar
        2 beginbfrange <0024> <0026> <0041> <0030> <0031> [<00E9> <0066006C>] endbfrange
        endcmap CMapName currentdict /CMap defineresource pop end end
        """
        let document = try Self.document(
            content: "BT /F1 12 Tf <0024002500260003003000310011> Tj ET",
            fonts: "/F1 10 0 R",
            objects: [(10, "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /ToUnicode 11 0 R /DescendantFonts [] >>")],
            streams: [(11, "", Data(cmap.utf8))])
        #expect(try Self.text(document) == "ABC éfl😀\n")
    }

    @Test("codes no mechanism explains make the page undecodable")
    func undecodable() throws {
        // A CID font without ToUnicode, and a symbolic font without an encoding.
        let cid = try Self.document(content: "BT /F1 12 Tf <00240025> Tj ET", fonts: "/F1 10 0 R",
                                    objects: [(10, "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [] >>")])
        #expect(try Self.text(cid) == nil)
        let symbolic = try Self.document(content: "BT /F1 12 Tf (abc) Tj ET", fonts: "/F1 10 0 R",
                                         objects: [(10, "<< /Type /Font /Subtype /TrueType /BaseFont /S /FontDescriptor 11 0 R >>"),
                                                   (11, "<< /Type /FontDescriptor /Flags 4 /FontFile2 12 0 R >>"),
                                                   (12, "<< >>")])
        #expect(try Self.text(symbolic) == nil)
        // No text at all is an empty page, not an undecodable one.
        #expect(try Self.text(try Self.document(content: "0 0 m 10 10 l S", fonts: "")) == "")
    }

    @Test("form XObjects, inline images and visible annotations are read; hidden ones are not")
    func formsImagesAnnotations() throws {
        let image = "BI /W 4 /H 1 /BPC 8 /CS /G ID \u{01}(X) Tj EI\u{02} EI "
        let document = try Self.document(
            content: "q \(image) Q BT /F1 12 Tf (Body) Tj ET /Fm1 Do",
            fonts: Self.helvetica, xobjects: "/Fm1 10 0 R",
            annotations: "12 0 R 14 0 R 16 0 R",
            objects: [
                (12, "<< /Type /Annot /Subtype /FreeText /Rect [0 0 50 50] /AP << /N 13 0 R >> >>"),
                (14, "<< /Type /Annot /Subtype /FreeText /F 2 /Rect [0 0 50 50] /AP << /N 15 0 R >> >>"),
                (16, "<< /Type /Annot /Subtype /Widget /F 4 /Rect [0 0 50 50] /AS /On /AP << /N << /On 17 0 R /Off 15 0 R >> >> >>"),
            ],
            streams: [
                (10, "/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /Font << \(Self.helvetica) >> >>",
                 Data("BT /F1 9 Tf (InForm) Tj ET".utf8)),
                (13, "/Type /XObject /Subtype /Form /BBox [0 0 50 50] /Resources << /Font << \(Self.helvetica) >> >>",
                 Data("BT /F1 9 Tf (Shown) Tj ET".utf8)),
                (15, "/Type /XObject /Subtype /Form /BBox [0 0 50 50] /Resources << /Font << \(Self.helvetica) >> >>",
                 Data("BT /F1 9 Tf (Hidden) Tj ET".utf8)),
                (17, "/Type /XObject /Subtype /Form /BBox [0 0 50 50] /Resources << /Font << \(Self.helvetica) >> >>",
                 Data("BT /F1 9 Tf (Checked) Tj ET".utf8)),
            ])
        let text = try #require(try Self.text(document))
        #expect(text.contains("Body"))
        #expect(text.contains("InForm"))
        #expect(text.contains("Shown"))
        #expect(text.contains("Checked"))
        #expect(!text.contains("Hidden"))
        #expect(!text.contains("X"), "the inline image's bytes are not content")
    }

    @Test("a form that paints itself ends")
    func recursiveForm() throws {
        let document = try Self.document(
            content: "/Fm1 Do", fonts: "", xobjects: "/Fm1 10 0 R",
            streams: [(10, "/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /Font << \(Self.helvetica) >> /XObject << /Fm1 10 0 R >> >>",
                       Data("BT /F1 9 Tf (Loop) Tj ET /Fm1 Do".utf8))])
        let text = try #require(try Self.text(document))
        #expect(text.components(separatedBy: "Loop").count - 1 == 12)
    }
}
