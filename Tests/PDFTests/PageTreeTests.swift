import Foundation
import Testing
@testable import PDF

@Suite("Page tree")
struct PageTreeTests {
    /// Root (MediaBox, Rotate 90, Resources) → node (CropBox, Rotate -90) → pages.
    static func nestedTree() -> Data {
        var fixture = PDFFixture()
        fixture.object(1, "<< /Type /Catalog /Pages 2 0 R >>")
        fixture.object(2, "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 3 /MediaBox [0 0 600 800] /Rotate 90 /Resources 9 0 R >>")
        fixture.object(3, "<< /Type /Pages /Parent 2 0 R /Kids [5 0 R 6 0 R] /Count 2 /CropBox [-10 10 300 900] /Rotate -90 >>")
        fixture.object(4, "<< /Type /Page /Parent 2 0 R /MediaBox [100 100 0 0] /Rotate 450 >>")
        fixture.object(5, "<< /Type /Page /Parent 3 0 R >>")
        fixture.object(6, "<< /Type /Page /Parent 3 0 R /Rotate 180 /Resources << /Own true >> /CropBox [700 700 800 800] >>")
        fixture.object(9, "<< /ProcSet [/PDF] >>")
        fixture.table(trailer: "/Size 10 /Root 1 0 R")
        return fixture.data
    }

    @Test("inherited MediaBox, CropBox (clipped), Rotate (normalised) and Resources")
    func inheritance() throws {
        let pages = try PDFDocument(data: Self.nestedTree()).pages
        #expect(pages.map(\.ref.number) == [5, 6, 4])
        #expect(pages.map(\.index) == [0, 1, 2])

        #expect(pages[0].mediaBox == PDFRectangle(llx: 0, lly: 0, urx: 600, ury: 800))
        #expect(pages[0].cropBox == PDFRectangle(llx: 0, lly: 10, urx: 300, ury: 800))
        #expect(pages[0].rotate == 270)
        #expect(pages[0].resources?["ProcSet"] != nil)
        #expect(pages[0].displayWidth == 790)

        #expect(pages[1].rotate == 180)
        #expect(pages[1].resources?["Own"] == .bool(true))
        // A crop box outside the media box falls back to the media box.
        #expect(pages[1].cropBox == pages[1].mediaBox)

        #expect(pages[2].mediaBox == PDFRectangle(llx: 0, lly: 0, urx: 100, ury: 100))
        #expect(pages[2].cropBox == pages[2].mediaBox)
        #expect(pages[2].rotate == 90)
    }

    @Test("a page tree cycle is an error in strict mode and skipped in tolerant mode")
    func cycle() throws {
        var fixture = PDFFixture()
        fixture.object(1, "<< /Type /Catalog /Pages 2 0 R >>")
        fixture.object(2, "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>")
        fixture.object(3, "<< /Type /Page /Parent 2 0 R >>")
        fixture.object(4, "<< /Type /Pages /Parent 2 0 R /Kids [4 0 R 2 0 R 3 0 R] /Count 1 >>")
        fixture.table(trailer: "/Size 5 /Root 1 0 R")
        do {
            _ = try PDFDocument(data: fixture.data).pages
            Issue.record("a cyclic page tree was accepted in strict mode")
        } catch let error as PDFError {
            #expect(error.code == .malformed)
        }
        let tolerant = try PDFDocument(data: fixture.data, options: .tolerant)
        #expect(try tolerant.pages.map(\.ref.number) == [3])
        #expect(!tolerant.pageTreeIsWellFormed)
    }

    @Test("corpus: inherited rotation and boxes", .enabled(if: TestSupport.corpusAvailable, "corpus is absent"))
    func corpusBoxes() throws {
        let inherited = try PDFDocument(data: TestSupport.corpusFile("qpdf_inherited-rotate.pdf"))
        #expect(try inherited.pages.map(\.rotate) == [90])
        let boxes = try PDFDocument(data: TestSupport.corpusFile("qpdf_boxes.pdf")).pages
        #expect(boxes.count == 8)
        #expect(Set(boxes.map(\.rotate)).isSuperset(of: [90, 180, 270]))
        #expect(boxes.allSatisfy { $0.mediaBox.intersection($0.cropBox) == $0.cropBox })
        #expect(try PDFDocument(data: TestSupport.corpusFile("pdfjs_freeculture.pdf")).pages.count == 352)
        let grid = try PDFDocument(data: TestSupport.corpusFile("pdfcpu_grid_example.pdf")).pages
        #expect(grid.contains { $0.mediaBox.llx != 0 || $0.mediaBox.lly != 0 })
    }
}
