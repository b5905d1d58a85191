import Foundation
import Testing
@testable import Stamp

/// Renderer + placement, checked the way a reader meets them: a hand-written
/// one-page PDF rendered by poppler at 150 dpi, the QR decoded by zbar, the
/// text extracted by pdftotext.
@Suite(.enabled(if: ExternalTool.available("pdftoppm", "pdftotext", "zbarimg"),
                "needs poppler-utils (pdftoppm, pdftotext) and zbar-tools (zbarimg)"))
struct StampEndToEndTests {
    static let url = "https://verify.example.ac.id/v/q7Yk3mD9vL2xPq8RtZ0aBw/"
    static let caption = StampCaption(signerName: "José Müller", signerTitle: "Ketua Program Studi",
                                      dateText: "14 March 2025 10:22 WIB", code: "Kode: 7F3A-9C21-E0AB-CDEF")
    static let dpi = 150.0
    static let pixelsPerPoint = dpi / 72

    struct Case: CustomTestStringConvertible, Sendable {
        var rotate: Int
        var mediaBox: [Double]
        var cropBox: [Double]?
        var mode: TestPDFWriter.Mode
        var position: (x: Double, y: Double)?

        var testDescription: String {
            "/Rotate \(rotate), CropBox \(cropBox.map { "\($0)" } ?? "none"), \(mode)"
                + (position.map { " at \($0)" } ?? "")
        }
    }

    static let cases: [Case] = [0, 90, 180, 270].flatMap { rotate -> [Case] in
        [TestPDFWriter.Mode.pageContent, .widget].flatMap { mode in
            [
                Case(rotate: rotate, mediaBox: [0, 0, 595.276, 841.89], cropBox: nil, mode: mode),
                Case(rotate: rotate, mediaBox: [0, 0, 700, 900], cropBox: [50, 80, 650, 850], mode: mode),
            ]
        }
    } + [
        Case(rotate: 90, mediaBox: [-200, -100, 500, 800], cropBox: [-150, -50, 450, 700], mode: .widget,
             position: (x: 30, y: 40)),
    ]

    @Test(arguments: cases)
    func stampIsUprightInTheDisplayedBottomRightAndScans(_ testCase: Case) throws {
        let directory = try TemporaryDirectory()
        let stamp = try StampRenderer.render(url: Self.url, caption: Self.caption, qrSize: 96)
        let visibleBox = testCase.cropBox ?? testCase.mediaBox
        let (rect, matrix) = try StampPlacement.place(cropBox: visibleBox, rotate: testCase.rotate,
                                                      size: (stamp.width, stamp.height), at: testCase.position)
        let writer = TestPDFWriter(mediaBox: testCase.mediaBox, cropBox: testCase.cropBox, rotate: testCase.rotate)
        let pdf = directory.file("page.pdf")
        try writer.pdf(stamp: stamp, rect: rect, matrix: matrix, mode: testCase.mode).write(to: pdf)

        let image = try render(pdf, in: directory)
        let quarterTurn = testCase.rotate % 180 != 0
        let cropWidth = abs(visibleBox[2] - visibleBox[0]), cropHeight = abs(visibleBox[3] - visibleBox[1])
        let (displayedWidth, displayedHeight) = quarterTurn ? (cropHeight, cropWidth) : (cropWidth, cropHeight)
        #expect(abs(Double(image.width) - displayedWidth * Self.pixelsPerPoint) <= 1.5)
        #expect(abs(Double(image.height) - displayedHeight * Self.pixelsPerPoint) <= 1.5)

        // The page holds nothing but the stamp, so the dark pixels (border
        // included) are the stamp: landscape, where placement says.
        let bounds = try #require(image.darkBounds())
        let px = Self.pixelsPerPoint
        let expectedLeft = (testCase.position?.x ?? (displayedWidth - 24 - stamp.width)) * px
        let expectedBottom = Double(image.height) - (testCase.position?.y ?? 24) * px
        #expect(abs(Double(bounds.minX) - expectedLeft) <= 3, "left edge \(bounds.minX), expected \(expectedLeft)")
        #expect(abs(Double(bounds.maxX + 1) - (expectedLeft + stamp.width * px)) <= 3)
        #expect(abs(Double(bounds.maxY + 1) - expectedBottom) <= 3, "bottom edge \(bounds.maxY), expected \(expectedBottom)")
        #expect(abs(Double(bounds.maxY - bounds.minY + 1) - stamp.height * px) <= 3)

        // Upright: the QR is the right-hand square of the stamp and scans on its
        // own; the caption to its left holds no code. (Turned 180° the QR would
        // be on the left; turned 90° the stamp would be portrait.)
        let side = bounds.maxY - bounds.minY + 1
        let qrLeft = bounds.maxX + 1 - side
        let qr = image.cropped(x0: qrLeft, y0: bounds.minY, x1: bounds.maxX + 1, y1: bounds.maxY + 1, border: 20)
        let qrFile = directory.file("qr.pgm")
        try qr.pgm.write(to: qrFile)
        #expect(try ExternalTool.decodeQR(qrFile.path) == [Self.url])
        let captionPart = image.cropped(x0: bounds.minX, y0: bounds.minY, x1: qrLeft, y1: bounds.maxY + 1, border: 20)
        let captionFile = directory.file("caption.pgm")
        try captionPart.pgm.write(to: captionFile)
        #expect(try ExternalTool.decodeQR(captionFile.path) == nil)
        if testCase.position == nil {
            #expect(qrLeft > image.width / 2 && bounds.minY > image.height / 2, "QR must be in the bottom-right quadrant")
        }

        // The whole rendered page scans too.
        let pageFile = directory.file("page.pgm")
        try image.pgm.write(to: pageFile)
        #expect(try ExternalTool.decodeQR(pageFile.path) == [Self.url])

        let text = try ExternalTool.run("pdftotext", ["-enc", "UTF-8", pdf.path, "-"]).output
        #expect(text.contains("José Müller"), "pdftotext gave: \(text)")
        #expect(text.contains("7F3A-9C21-E0AB-CDEF"))
        #expect(text.contains("Pindai untuk verifikasi"))
    }

    @Test func nonLatin1NamesRenderWithTheirFallbacks() throws {
        let directory = try TemporaryDirectory()
        var caption = Self.caption
        caption.signerName = "Łukasz Żółć"
        caption.signerTitle = "Dr. Ir. Bambang Hartono, M.T. (Penguji)"
        let stamp = try StampRenderer.render(url: Self.url, caption: caption, qrSize: 96)
        let (rect, matrix) = try StampPlacement.place(cropBox: [0, 0, 595, 842], rotate: 0, size: (stamp.width, stamp.height))
        let pdf = directory.file("page.pdf")
        try TestPDFWriter(mediaBox: [0, 0, 595, 842], cropBox: nil, rotate: 0)
            .pdf(stamp: stamp, rect: rect, matrix: matrix, mode: .pageContent).write(to: pdf)
        let text = try ExternalTool.run("pdftotext", ["-enc", "UTF-8", pdf.path, "-"]).output
        #expect(text.contains("Lukasz Zólc"), "pdftotext gave: \(text)")
        #expect(text.contains("Dr. Ir. Bambang Hartono, M.T. (Penguji)"))
    }

    private func render(_ pdf: URL, in directory: TemporaryDirectory) throws -> GrayImage {
        let prefix = directory.file("render").path
        let result = try ExternalTool.run("pdftoppm", ["-r", "150", "-gray", "-cropbox", "-singlefile", pdf.path, prefix])
        try #require(result.status == 0, "pdftoppm failed on \(pdf.path)")
        return try GrayImage(pgm: Data(contentsOf: URL(fileURLWithPath: prefix + ".pgm")))
    }
}
