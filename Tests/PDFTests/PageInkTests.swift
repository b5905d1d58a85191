import Foundation
import PDF
import TestSupport
import Testing

/// Issue 16's page ink on hostile input: numbers no page has, font tables
/// with absurd ranges, a form that draws itself — the reading ends (with the
/// page counted as covered where it gave up) and never traps or hangs.
@Suite("Page ink on hostile input")
struct PageInkTests {
    /// A one-page PDF with `content`, `/F1` (a font dictionary given as text) and `/X1` (a form drawing `form`).
    private func page(_ content: String, font: String = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
                      form: String = "", annots: String = "") throws -> (PDFDocument, Page) {
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> /XObject << /X1 6 0 R >> >> /Contents 5 0 R \(annots) >>",
            font,
            "<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream",
            "<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X1 6 0 R >> >> /Length \(form.utf8.count) >>\nstream\n\(form)\nendstream",
        ]
        let document = try PDFDocument(data: SamplePDF.make(objects: objects))
        return (document, try document.pages[0])
    }

    @Test func hugeNumbersAndRectanglesDoNotTrap() throws {
        let (document, page) = try page("1e300 0 0 1e300 0 0 cm 0 0 1 1 re f 9999999999999999999999 0 m 1 1 l S",
                                        annots: "/Annots [<< /Subtype /Square /Rect [0 0 1000000000000000000000000 10] >>]")
        let ink = try document.ink(of: page)
        #expect(!ink.boxes.isEmpty || ink.coversPage)
    }

    @Test func absurdFontRangesDoNotTrap() throws {
        let font = "<< /Type /Font /Subtype /Type1 /BaseFont /Foo /FirstChar 9223372036854775807 /Widths [1 2] >>"
        let (document, page) = try page("BT /F1 12 Tf 10 10 Td (abc) Tj ET", font: font)
        _ = try document.ink(of: page)
        let cid = "<< /Type /Font /Subtype /Type0 /BaseFont /Foo /Encoding /Identity-H /DescendantFonts [<< /Subtype /CIDFontType2 /W [9223372036854775806 9223372036854775807 500 -5 [1 2]] >>] >>"
        let (cidDocument, cidPage) = try self.page("BT /F1 12 Tf 10 10 Td <00410042> Tj ET", font: cid)
        _ = try cidDocument.ink(of: cidPage)
    }

    @Test func aFormThatDrawsItselfEndsAndCountsAsCovered() throws {
        let form = String(repeating: "/X1 Do ", count: 40)
        let (document, page) = try page(String(repeating: "/X1 Do ", count: 40), form: form)
        let started = Date()
        let ink = try document.ink(of: page)
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(ink.coversPage, "a page that cannot be read to the end has no free space")
    }

    @Test func aRotatedRectangleIsBoundedByAllFourCorners() throws {
        let (document, page) = try page("q .7071 .7071 -.7071 .7071 300 300 cm 0 0 100 100 re f Q")
        let box = try #require(try document.ink(of: page).boxes.first)
        #expect(box[0] < 230 && box[2] > 299)
        #expect(box[1] < 301 && box[3] > 440)
    }

    @Test func verticalAndType3TextCountAsCovered() throws {
        let vertical = "<< /Type /Font /Subtype /Type0 /BaseFont /Foo /Encoding /Identity-V /DescendantFonts [<< /Subtype /CIDFontType2 >>] >>"
        let (document, page) = try page("BT /F1 12 Tf 10 10 Td <0041> Tj ET", font: vertical)
        #expect(try document.ink(of: page).coversPage)
        let type3 = "<< /Type /Font /Subtype /Type3 /FontMatrix [1 0 0 1 0 0] /FirstChar 65 /Widths [1] >>"
        let (document3, page3) = try self.page("BT /F1 12 Tf 10 10 Td (A) Tj ET", font: type3)
        #expect(try document3.ink(of: page3).coversPage)
    }
}
