import Foundation
import Testing
@testable import Stamp

@Suite struct WinAnsiTests {
    private func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    @Test func asciiNamesPassThrough() {
        for name in ["Siti Nurhaliza", "Dr. Ir. Bambang Hartono, M.T.", "SIG-7F3A9C21"] {
            #expect(WinAnsi.encode(name) == Array(name.utf8))
        }
    }

    @Test func latinLettersUseTheirCodePagePositions() {
        #expect(WinAnsi.encode("José Müller") == [0x4A, 0x6F, 0x73, 0xE9, 0x20, 0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72])
        // Decomposed input (e + combining acute) is composed first.
        #expect(WinAnsi.encode("Jose\u{301}") == [0x4A, 0x6F, 0x73, 0xE9])
        #expect(WinAnsi.encode("€ “x” – Š ž Ÿ …") == [0x80, 0x20, 0x93, 0x78, 0x94, 0x20, 0x96, 0x20, 0x8A, 0x20, 0x9E, 0x20, 0x9F, 0x20, 0x85])
        #expect(WinAnsi.encode("Straße") == Array("Stra".utf8) + [0xDF, 0x65])
    }

    /// Cross-check against Foundation's own Windows-1252 codec for every code.
    @Test func everyCodeRoundTripsAgainstFoundationCP1252() throws {
        var checked = 0
        for byte in UInt8(0x20)...UInt8(0xFF) where byte != 0x7F {
            guard let decoded = String(data: Data([byte]), encoding: .windowsCP1252),
                  decoded.unicodeScalars.count == 1,
                  let scalar = decoded.unicodeScalars.first,
                  scalar.properties.generalCategory != .control
            else { continue }
            #expect(WinAnsi.byte(for: scalar) == byte, "U+\(String(scalar.value, radix: 16)) for 0x\(String(byte, radix: 16))")
            #expect(WinAnsi.scalar(for: byte) == scalar)
            checked += 1
        }
        // 95 printable ASCII + 27 Windows additions + 96 Latin-1.
        #expect(checked == 95 + 27 + 96)
        for unused: UInt8 in [0x81, 0x8D, 0x8F, 0x90, 0x9D] {
            #expect(WinAnsi.scalar(for: unused) == nil)
        }
    }

    @Test func lettersOutsideTheCodePageDegradeToReadableText() {
        // Ł and ł do not decompose; Ż and ć lose their accents; ó is in CP1252.
        #expect(WinAnsi.encode("Łukasz Żółć") == Array("Lukasz Z".utf8) + [0xF3] + Array("lc".utf8))
        #expect(text(WinAnsi.encode("Đorđe Şahin İpek ı")) == "Dorde Sahin Ipek i")
        #expect(text(WinAnsi.encode("Ǝ Ə ə ẞ")) == "? E e SS")
        // Vietnamese: keep the accent the code page has (ê), drop the other.
        #expect(WinAnsi.encode("Nguyễn") == Array("Nguy".utf8) + [0xEA, 0x6E])
        // Compatibility forms: ligature, full-width letters, superscript in CP1252 stays.
        #expect(text(WinAnsi.encode("ﬁ ＡＢ")) == "fi AB")
        #expect(WinAnsi.encode("m²") == [0x6D, 0xB2])
        #expect(text(WinAnsi.encode("a‐b − c ′")) == "a-b - c '")
    }

    @Test func scriptsWithoutLatinFormBecomeOneQuestionMarkPerCharacter() {
        #expect(text(WinAnsi.encode("日本 Ωμέγα")) == "?? ?????")
        // A multi-scalar emoji (thumbs up + skin tone) is one character: one "?".
        #expect(text(WinAnsi.encode("ok 👍🏽")) == "ok ?")
    }

    @Test func whiteSpaceBecomesSpaceAndInvisibleCharactersVanish() {
        #expect(text(WinAnsi.encode("a\tb\nc\u{00A0}d\u{2003}e")) == "a b c d e")
        #expect(text(WinAnsi.encode("so\u{00AD}ft\u{200D}x\u{FEFF}y\u{0007}")) == "softxy")
    }

    @Test func literalStringsEscapeDelimitersAndEightBitBytes() {
        #expect(WinAnsi.literalString(Array("a(b)c\\d".utf8)) == "(a\\(b\\)c\\\\d)")
        #expect(WinAnsi.literalString(WinAnsi.encode("José")) == "(Jos\\351)")
        #expect(WinAnsi.literalString([0x85, 0x0A, 0x7F]) == "(\\205\\012\\177)")
        #expect(WinAnsi.literalString([]) == "()")
    }

    @Test func helveticaWidthsMatchTheAFMFiles() {
        // H e l l o: 722 + 556 + 222 + 222 + 556 (Helvetica.afm).
        #expect(StampFont.regular.width(of: Array("Hello".utf8), fontSize: 1000) == 2278)
        // 722 + 556 + 278 + 278 + 611 (Helvetica-Bold.afm).
        #expect(StampFont.bold.width(of: Array("Hello".utf8), fontSize: 1000) == 2445)
        #expect(StampFont.regular.width(of: Array("Hello".utf8), fontSize: 10) == 22.78)
        let spot: [(StampFont, UInt8, Int)] = [
            (.regular, 0x20, 278), (.regular, 0x27, 191), (.regular, 0x57, 944), (.regular, 0x60, 333),
            (.regular, 0x66, 278), (.regular, 0x80, 556), (.regular, 0x85, 1000), (.regular, 0xB5, 556),
            (.regular, 0xB6, 537), (.regular, 0xE9, 556), (.regular, 0xFC, 556), (.regular, 0xFF, 500),
            (.bold, 0x27, 238), (.bold, 0x40, 975), (.bold, 0x6D, 889), (.bold, 0x8C, 1000),
            (.bold, 0x9C, 944), (.bold, 0xB5, 611), (.bold, 0xDF, 611), (.bold, 0xE9, 556), (.bold, 0xFC, 611),
        ]
        for (font, code, width) in spot {
            #expect(font.glyphWidth(code) == width, "\(font.baseFont) code \(code)")
        }
        #expect(StampFont.regular.resourceName == "F1" && StampFont.regular.baseFont == "Helvetica")
        #expect(StampFont.bold.resourceName == "F2" && StampFont.bold.baseFont == "Helvetica-Bold")
    }

    @Test func fitterShrinksWrapsAndTruncatesWithinTheWidth() {
        let short = TextFitter.fit("José Müller", font: .bold, size: 10, minSize: 6, maxWidth: 150, maxLines: 2)
        #expect(short.lines == [WinAnsi.encode("José Müller")] && short.fontSize == 10)

        let scan = TextFitter.fit(StampCaption.defaultScanText, font: .regular, size: 6.5, minSize: 5,
                                  maxWidth: 80, maxLines: 2)
        #expect(scan.lines.map(text) == ["Scan to verify", "Pindai untuk verifikasi"])

        let long = "Prof. Dr. Ir. Raden Mas Bambang Sutrisno Hadiwijoyo Kusumanegara, M.Sc., Ph.D., IPU, ASEAN Eng."
        for maxLines in 1...2 {
            let fitted = TextFitter.fit(long, font: .bold, size: 10, minSize: 6, maxWidth: 150, maxLines: maxLines)
            #expect(fitted.lines.count == maxLines)
            #expect(fitted.fontSize >= 6 && fitted.fontSize <= 10)
            for line in fitted.lines {
                #expect(StampFont.bold.width(of: line, fontSize: fitted.fontSize) <= 150)
            }
            #expect(fitted.lines.last?.last == WinAnsi.ellipsis)
        }
        // A name a little too wide shrinks rather than wraps.
        let slightly = TextFitter.fit("Dr. Ir. Bambang Hartono, M.T.", font: .bold, size: 10, minSize: 6,
                                      maxWidth: 140, maxLines: 2)
        #expect(slightly.lines.count == 1 && slightly.fontSize < 10 && slightly.fontSize >= 8.5)
    }
}
