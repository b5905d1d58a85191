import Foundation
import Testing
@testable import Stamp

@Suite struct StampRendererTests {
    static let url = "https://verify.example.ac.id/v/q7Yk3mD9vL2xPq8RtZ0aBw/"
    static let caption = StampCaption(signerName: "José Müller", signerTitle: "Ketua Program Studi Informatika",
                                      dateText: "14 March 2025 10:22 WIB", code: "Kode: 7F3A-9C21-E0AB-CDEF")

    @Test func geometryFontsAndStructure() throws {
        let stamp = try StampRenderer.render(url: Self.url, caption: Self.caption, qrSize: 96)
        #expect(stamp.height == 96)
        #expect(abs(stamp.width - 96 * (1 + StampRenderer.captionWidthRatio)) < 1e-9)
        #expect(stamp.bbox == [0, 0, stamp.width, 96])
        #expect(stamp.qrBox == [stamp.width - 96, 0, stamp.width, 96])
        #expect(stamp.fonts == [.regular, .bold])
        #expect(stamp.fontResourceNames == ["F1", "F2"])
        #expect(stamp.content.allSatisfy { $0 == 0x0A || (0x20...0x7E).contains($0) }, "content must be 7-bit ASCII")

        let ops = ContentStreamScanner(stamp.content).operations.map(\.op)
        #expect(ops.first == "q" && ops.last == "Q")
        var depth = 0
        for op in ops {
            if op == "q" { depth += 1 }
            if op == "Q" { depth -= 1 }
            #expect(depth >= 0)
        }
        #expect(depth == 0)
        #expect(ops.filter { $0 == "BT" }.count == ops.filter { $0 == "ET" }.count)
        // Background fill, border stroke.
        #expect(ops.contains("S") && ops.contains("f"))
    }

    @Test func numbersHaveAtMostThreeDecimalsAndNoExponent() throws {
        let stamp = try StampRenderer.render(url: Self.url, caption: Self.caption, qrSize: 87.123456)
        let pattern = try Regex("^-?[0-9]+(\\.[0-9]{1,3})?$")
        for operation in ContentStreamScanner(stamp.content).operations {
            for operand in operation.operands where !operand.hasPrefix("/") {
                #expect(operand.wholeMatch(of: pattern) != nil, "bad number \(operand) for \(operation.op)")
            }
        }
        let cases: [(Double, String)] = [
            (1, "1"), (0.1234, "0.123"), (0.1235, "0.124"), (-2.5, "-2.5"), (-0.0004, "0"), (1e-7, "0"),
            (12_345_678.9, "12345678.9"), (100.10, "100.1"), (0.05, "0.05"), (1e20, "2000000000"), (.nan, "0"),
        ]
        for (value, text) in cases {
            #expect(ContentStreamWriter.number(value) == text, "\(value)")
        }
    }

    @Test func qrIsOneRectanglePerHorizontalRunOnAModuleGrid() throws {
        let stamp = try StampRenderer.render(url: Self.url, caption: Self.caption, qrSize: 96)
        let operations = ContentStreamScanner(stamp.content).operations
        let cm = try #require(operations.firstIndex { $0.op == "cm" })
        let fill = try #require(operations[cm...].firstIndex { $0.op == "f" })
        let module = 96 / Double(stamp.symbol.size + 8)
        #expect(abs(operations[cm].numbers[0] - module) < 0.001)
        #expect(abs(operations[cm].numbers[4] - stamp.qrBox[0]) < 0.001)
        let rects = operations[cm..<fill].filter { $0.op == "re" }.map(\.numbers)
        let runs = (0..<stamp.symbol.size).flatMap { y in stamp.symbol.darkRuns(row: y).map { (y, $0) } }
        #expect(rects.count == runs.count)
        for (rect, (row, run)) in zip(rects, runs) {
            // Module units: x and y offset by the 4-module quiet zone, y counted from the bottom.
            #expect(rect == [Double(run.x + 4), Double(stamp.symbol.size + 3 - row), Double(run.length), 1])
        }
    }

    @Test func captionStaysInItsColumnAndUsesWinAnsi() throws {
        let stamp = try StampRenderer.render(url: Self.url, caption: Self.caption, qrSize: 96)
        let lines = ContentStreamScanner(stamp.content).textLines
        #expect(lines.map(\.bytes) == [
            WinAnsi.encode("José Müller"), WinAnsi.encode("Ketua Program Studi Informatika"),
            WinAnsi.encode("14 March 2025 10:22 WIB"), WinAnsi.encode("Kode: 7F3A-9C21-E0AB-CDEF"),
            WinAnsi.encode(StampCaption.defaultScanText),
        ])
        // Bold: the name and the lookup code (read aloud and typed); the rest regular.
        #expect(lines.map(\.font) == ["/F2", "/F1", "/F1", "/F2", "/F1"])
        #expect(lines.first.map(\.size) == 9.6)
        try expectInsideCaptionColumn(lines, stamp)
        // Lines go down the column in order.
        #expect(zip(lines, lines.dropFirst()).allSatisfy { $0.y > $1.y })
    }

    @Test func longCaptionShrinksWrapsAndTruncatesInsideTheColumn() throws {
        let caption = StampCaption(
            signerName: "Prof. Dr. Ir. Raden Mas Bambang Sutrisno Hadiwijoyo Kusumanegara Wiryoatmodjo, M.Sc., Ph.D., IPU, ASEAN Eng.",
            signerTitle: "Dekan Fakultas Teknik, Ketua Senat Akademik, Ketua Program Studi Magister Teknik Informatika dan Sistem Informasi",
            dateText: "Kamis, 14 Maret 2025 pukul 10.22.45 Waktu Indonesia Barat (UTC+07:00)",
            code: "Kode: 0123456789ABCDEF0123456789ABCDEF0123456789",
            scanText: "Scan this code with any phone camera to verify / Pindai kode ini dengan kamera ponsel untuk verifikasi")
        let stamp = try StampRenderer.render(url: Self.url, caption: caption, qrSize: 96)
        let lines = ContentStreamScanner(stamp.content).textLines
        try expectInsideCaptionColumn(lines, stamp)
        #expect(lines.count == 2 + 2 + 1 + 1 + 2)
        #expect(lines.contains { $0.bytes.last == WinAnsi.ellipsis })
        #expect(lines.allSatisfy { $0.size >= 96 / 100 * 5 })
    }

    @Test func blankTitleIsLeftOutAndRenderingIsDeterministic() throws {
        var caption = Self.caption
        caption.signerTitle = "  "
        let first = try StampRenderer.render(url: Self.url, caption: caption, qrSize: 80)
        let second = try StampRenderer.render(url: Self.url, caption: caption, qrSize: 80)
        #expect(first == second)
        #expect(ContentStreamScanner(first.content).textLines.count == 4)
        caption.signerTitle = nil
        #expect(try StampRenderer.render(url: Self.url, caption: caption, qrSize: 80).content == first.content)
    }

    @Test func rejectsSizesThatAreNotPositive() {
        for size in [0, -5, Double.nan, .infinity] {
            #expect { try StampRenderer.render(url: Self.url, caption: Self.caption, qrSize: size) } throws: {
                ($0 as? StampError)?.code == .invalidGeometry
            }
        }
    }

    /// Every line, with Helvetica's ascender (718) and descender (−207), lies
    /// inside the caption column, left of the QR square.
    private func expectInsideCaptionColumn(_ lines: [ContentStreamScanner.TextLine], _ stamp: StampAppearance) throws {
        #expect(!lines.isEmpty)
        for line in lines {
            let font = try #require(StampFont(rawValue: String(line.font.dropFirst())))
            let width = font.width(of: line.bytes, fontSize: line.size)
            #expect(line.x > 0 && line.x + width <= stamp.qrBox[0], "line \(line.bytes) is \(width) wide at \(line.x)")
            #expect(line.y - 0.207 * line.size >= 0 && line.y + 0.718 * line.size <= stamp.height)
        }
    }
}
