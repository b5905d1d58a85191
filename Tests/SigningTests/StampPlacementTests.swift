import Authority
import Foundation
import PKI
import Stamp
import TestSupport
import XCTest

/// Issue 16: the stamp never hides content. On dense pages — full-page text,
/// a table down to the bottom margin, a scanned image, a rotated page, an
/// already signed file — the stamp lands only where the original page was
/// blank (checked by rendering both with pdftoppm), its QR decodes at 150 dpi,
/// and a page with no room is refused unless a verification page is appended.
final class StampPlacementTests: XCTestCase {
    static let settings = AuthoritySettings(name: "Universitas Contoh", baseURL: "https://verify.example.ac.id",
                                            siteDirectory: "site")
    static let ca: CertificateAuthority = {
        let created = try! CertificateAuthority.create(
            subject: DistinguishedNameFields(commonName: "Placement Test CA", organization: "Universitas Contoh"),
            keyType: .p256)
        return try! CertificateAuthority(key: created.key, certificate: created.certificate)
    }()

    var work: URL!

    override func setUpWithError() throws {
        for tool in ["pdftoppm", "zbarimg"] where !Tools.available(tool) {
            throw XCTSkip("\(tool) is not installed; run scripts/setup --test")
        }
        work = try TestPaths.temporaryDirectory("placement")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: work)
    }

    private func sign(_ pdf: Data, placement: StampPosition.Placement = .auto) throws -> SignedPDF {
        let signer = DocumentSigner(ca: Self.ca, settings: Self.settings)
        return try signer.sign(pdf: pdf, fileLabel: "test.pdf", signer: SignerIdentity(name: "Dr. José Müller", title: "Dekan"),
                               token: try Random.token(byteCount: 17), signatureID: "SIG-" + UUID().uuidString.prefix(8).uppercased(),
                               keyType: .p256, position: StampPosition(placement: placement))
    }

    /// A one-page PDF drawing `content` (Helvetica as /F1, an 8×8 gray image as /Im1).
    private func page(_ content: String, mediaBox: [Int] = [0, 0, 595, 842], rotate: Int = 0) -> Data {
        let image = String(repeating: "\u{80}", count: 64)
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [\(mediaBox.map(String.init).joined(separator: " "))] /Rotate \(rotate) /Resources << /Font << /F1 4 0 R >> /XObject << /Im1 6 0 R >> >> /Contents 5 0 R >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
            "<< /Length \(content.utf8.count) >>\nstream\n\(content)endstream",
            "<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 64 >>\nstream\n\(image)\nendstream",
        ]
        return SamplePDF.make(objects: objects, encoding: .isoLatin1)
    }

    /// A grayscale rendering (pdftoppm, PGM) of one page.
    private struct Raster {
        let width: Int, height: Int, pixels: [UInt8]
        func at(_ x: Int, _ y: Int) -> UInt8 { pixels[y * width + x] }
    }

    private func render(_ pdf: Data, page: Int, dpi: Int = 50) throws -> Raster {
        let file = work.appendingPathComponent("r-\(UUID().uuidString.prefix(8)).pdf")
        try pdf.write(to: file)
        let prefix = file.deletingPathExtension().path
        let run = try Tools.run("pdftoppm", ["-r", String(dpi), "-gray", "-f", String(page), "-l", String(page),
                                             "-singlefile", file.path, prefix])
        XCTAssertEqual(run.status, 0, run.err)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: prefix + ".pgm")))
        // "P5\n<w> <h>\n255\n" then the pixels.
        var fields: [String] = [], index = 0, current = ""
        while fields.count < 4 {
            let byte = bytes[index]; index += 1
            if byte == 0x20 || byte == 0x0A { if !current.isEmpty { fields.append(current); current = "" } } else { current.append(Character(UnicodeScalar(byte))) }
        }
        return Raster(width: Int(fields[1])!, height: Int(fields[2])!, pixels: Array(bytes[index...]))
    }

    /// The widget rectangle in pixels of a rendering at `dpi`, for a page
    /// whose MediaBox starts at 0,0 (`displayed` maps user space as viewers turn it).
    private func pixels(of rect: [Double], pageSize: (Double, Double), rotate: Int, dpi: Int = 50) -> (x0: Int, y0: Int, x1: Int, y1: Int) {
        let (w, h) = pageSize
        func displayed(_ x: Double, _ y: Double) -> (Double, Double) {
            switch rotate {
            case 90: (y, w - x)
            case 180: (w - x, h - y)
            case 270: (h - y, x)
            default: (x, y)
            }
        }
        let a = displayed(rect[0], rect[1]), b = displayed(rect[2], rect[3])
        let displayedHeight = rotate % 180 == 0 ? h : w
        let scale = Double(dpi) / 72
        return (Int((min(a.0, b.0) * scale).rounded(.down)), Int(((displayedHeight - max(a.1, b.1)) * scale).rounded(.down)),
                Int((max(a.0, b.0) * scale).rounded(.up)), Int(((displayedHeight - min(a.1, b.1)) * scale).rounded(.up)))
    }

    /// Every pixel of the original page under the stamp was blank, the stamp
    /// is drawn there now, and its QR decodes at 150 dpi.
    private func assertPlacedOnBlank(_ original: Data, _ signed: SignedPDF, pageSize: (Double, Double) = (595, 842),
                                     rotate: Int = 0, _ label: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let before = try render(original, page: signed.pageIndex + 1)
        let after = try render(signed.data, page: signed.pageIndex + 1)
        let box = pixels(of: signed.rect, pageSize: pageSize, rotate: rotate)
        var inked = 0, changed = 0
        for y in max(0, box.y0)..<min(before.height, box.y1) {
            for x in max(0, box.x0)..<min(before.width, box.x1) {
                if before.at(x, y) < 250 { inked += 1 }
                if after.at(x, y) != before.at(x, y) { changed += 1 }
            }
        }
        XCTAssertEqual(inked, 0, "\(label): the stamp at \(signed.rect) covers \(inked) non-blank pixels of the original page", file: file, line: line)
        XCTAssertGreaterThan(changed, 100, "\(label): the stamp is not drawn where its widget is", file: file, line: line)
        let url = work.appendingPathComponent("\(label).pdf")
        try signed.data.write(to: url)
        let decoded = try QRCheck.decode(pdf: url, page: signed.pageIndex + 1, workDirectory: work)
        XCTAssertTrue(decoded.contains { $0.hasPrefix("https://verify.example.ac.id/v/") }, "\(label): QR at 150 dpi: \(decoded)", file: file, line: line)
    }

    func testAFullPageOfTextGetsTheStampInItsBlankColumnShrunkIfNeeded() throws {
        var content = "BT /F1 10 Tf 40 800 Td 13 TL\n"
        for row in 0..<58 {
            content += "(\(String(repeating: "Mata kuliah \(row) nilai A ", count: row % 3 + 2))) '\n"
        }
        content += "ET\n"
        let original = page(content)
        let signed = try sign(original)
        try assertPlacedOnBlank(original, signed, "full-text")
        XCTAssertLessThan(signed.rect[2] - signed.rect[0], 278, "the default 278-point stamp does not fit beside this text")
    }

    func testATableToTheBottomMarginIsRefusedAndANewPageWorks() throws {
        var content = "0.5 w\n"
        for row in 0..<40 {
            let y = 36 + row * 19
            content += "40 \(y) m 555 \(y) l S\n"
            content += "BT /F1 9 Tf 44 \(y + 5) Td (Baris \(row)   Kode MK   Nama mata kuliah   SKS   Nilai   Mutu) Tj ET\n"
        }
        for x in [40, 140, 300, 380, 460, 555] { content += "\(x) 36 m \(x) 797 l S\n" }
        let original = page(content)
        XCTAssertThrowsError(try sign(original)) { error in
            let message = (error as? AuthorityError)?.message ?? "\(error)"
            XCTAssertTrue(message.contains("no blank area") && message.contains("--placement new-page"), message)
        }
        let appended = try sign(original, placement: .newPage)
        XCTAssertEqual(appended.pageIndex, 1, "the stamp goes on the appended page")
        let url = work.appendingPathComponent("table-new-page.pdf")
        try appended.data.write(to: url)
        let decoded = try QRCheck.decode(pdf: url, page: 2, workDirectory: work)
        XCTAssertTrue(decoded.contains { $0.hasPrefix("https://verify.example.ac.id/v/") }, "\(decoded)")
        // The table page itself is unchanged.
        let before = try render(original, page: 1), after = try render(appended.data, page: 1)
        XCTAssertEqual(before.pixels, after.pixels)
    }

    func testAScannedPageIsRefused() throws {
        let original = page("q 595 0 0 842 0 0 cm /Im1 Do Q\n")
        XCTAssertThrowsError(try sign(original)) { error in
            XCTAssertTrue(((error as? AuthorityError)?.message ?? "").contains("no blank area"), "\(error)")
        }
    }

    func testARotatedPageKeepsTheStampOnBlankSpace() throws {
        // A landscape certificate stored as a rotated portrait page: text and a
        // picture fill the top two thirds of what the reader sees.
        var content = "q 400 0 0 250 150 20 cm /Im1 Do Q\n"
        for row in 0..<20 { content += "BT /F1 12 0 0 12 \(60 + row * 14) 300 Tm 0 1 -1 0 \(60 + row * 14) 300 Tm (Sertifikat kompetensi baris \(row)) Tj ET\n" }
        let original = page(content, rotate: 90)
        let signed = try sign(original)
        try assertPlacedOnBlank(original, signed, rotate: 90, "rotated")
    }

    func testAGeneratedTranscriptAndASecondSignatureNeverOverlap() throws {
        let transcript = SampleDocuments.make(.transcript, institution: "Universitas Contoh",
                                              student: .init(name: "Andi Pratama", nim: "21523001", programme: "Informatika"),
                                              signer: "Dr. Rina", signerTitle: "Ketua Program Studi", date: Date(), seed: 3)
        let first = try sign(transcript)
        try assertPlacedOnBlank(transcript, first, "transcript")
        let second = try sign(first.data)
        try assertPlacedOnBlank(first.data, second, "transcript-second")
        let a = first.rect, b = second.rect
        let overlaps = first.pageIndex == second.pageIndex && a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
        XCTAssertFalse(overlaps, "the second stamp \(b) overlaps the first \(a)")
    }
}
