import Foundation
import Testing
@testable import PDF

@Suite("Lexer, parser and serializer")
struct LexerTests {
    func parse(_ text: String, tolerant: Bool = false) throws -> PDFObject {
        let data = Data(text.utf8)
        return try data.withUnsafeBytes { buffer in
            var parser = ObjectParser(buffer, tolerant: tolerant)
            return try parser.parseObject()
        }
    }

    func parse(bytes: [UInt8]) throws -> PDFObject {
        try Data(bytes).withUnsafeBytes { buffer in
            var parser = ObjectParser(buffer)
            return try parser.parseObject()
        }
    }

    @Test("numbers: integers, reals, -.5, 4., +17, overflow")
    func numbers() throws {
        #expect(try parse("123") == .integer(123))
        #expect(try parse("-17") == .integer(-17))
        #expect(try parse("+17") == .integer(17))
        #expect(try parse("-.5") == .real(-0.5))
        #expect(try parse("4.") == .real(4))
        #expect(try parse(".25") == .real(0.25))
        #expect(try parse("595.276") == .real(595.276))
        #expect(try parse("0.0") == .real(0))
        #expect(try parse("99999999999999999999") == .real(1e20))
        #expect(throws: PDFError.self) { try parse("12a") }
        #expect(throws: PDFError.self) { try parse("-") }
    }

    @Test("literal strings: escapes, octal, nesting, continuation, end-of-line")
    func literalStrings() throws {
        #expect(try parse(#"(a\(b\)c\n\101\0\\)"#).stringValue?.bytes == Data("a(b)c\nA\0\\".utf8))
        #expect(try parse("(a(b)c)").stringValue?.bytes == Data("a(b)c".utf8))
        #expect(try parse("(ab\\\ncd)").stringValue?.bytes == Data("abcd".utf8))
        #expect(try parse("(ab\\\r\ncd)").stringValue?.bytes == Data("abcd".utf8))
        #expect(try parse("(a\r\nb\rc)").stringValue?.bytes == Data("a\nb\nc".utf8))
        #expect(try parse(#"(\q\1234)"#).stringValue?.bytes == Data([UInt8(ascii: "q"), 0o123, UInt8(ascii: "4")]))
        #expect(try parse("(x)").stringValue?.wasHex == false)
        #expect(throws: PDFError.self) { try parse("(unterminated") }
    }

    @Test("hexadecimal strings: white-space, odd digit count")
    func hexStrings() throws {
        let hello = try #require(try parse("<48 65 6C6c\n6F>").stringValue)
        #expect(hello.bytes == Data("Hello".utf8))
        #expect(hello.wasHex)
        #expect(try parse("<414>").stringValue?.bytes == Data([0x41, 0x40]))
        #expect(try parse("<>").stringValue?.bytes == Data())
        #expect(throws: PDFError.self) { try parse("<4G>") }
    }

    @Test("names: #xx escapes and bytes that are not UTF-8 survive a round trip")
    func names() throws {
        #expect(try parse("/A#20B") == .name("A B"))
        #expect(try parse("/Type") == .name("Type"))
        #expect(try parse("/") == .name(""))
        let shiftJIS = try parse("/#82l#82r#83S")
        let written = shiftJIS.serialized
        #expect(String(decoding: written, as: UTF8.self) == "/#82l#82r#83S")
        #expect(try parse(bytes: Array(written)) == shiftJIS)
        #expect(PDFObject.name("a/b(c)#").serialized == Data("/a#2Fb#28c#29#23".utf8))
    }

    @Test("arrays, dictionaries in key order, references, comments, keywords")
    func containers() throws {
        let object = try parse("<< /Z 1 /A [1 0 R 2 % comment\n 3 true false null] /M << /K (v) >> >>")
        let dictionary = try #require(object.dictionaryValue)
        #expect(dictionary.keys == ["Z", "A", "M"])
        #expect(dictionary["A"] == .array([.reference(ObjectRef(number: 1)), .integer(2), .integer(3),
                                           .bool(true), .bool(false), .null]))
        #expect(dictionary["M"]?.dictionaryValue?["K"]?.textValue == "v")
        #expect(try parse("[1 2 R]") == .array([.reference(ObjectRef(number: 1, generation: 2))]))
        #expect(try parse("[1 2]") == .array([.integer(1), .integer(2)]))
        #expect(throws: PDFError.self) { try parse("[-1 0 R]") }
        #expect(throws: PDFError.self) { try parse("<< 1 2 >>") }
        #expect(throws: PDFError.self) { try parse("<< /A >>") }
        #expect(try parse("<< /A >>", tolerant: true).dictionaryValue?["A"] == .null)
        #expect(throws: PDFError.self) { try parse("[1 2") }
    }

    @Test("nesting is bounded")
    func nesting() throws {
        #expect(try parse(String(repeating: "[", count: 200) + String(repeating: "]", count: 200)).arrayValue != nil)
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        do {
            _ = try parse(deep)
            Issue.record("300 levels of nesting were accepted")
        } catch let error as PDFError {
            #expect(error.code == .limit)
        }
    }

    @Test("indirect objects and streams: /Length, EOL after stream, endstream required")
    func indirectObjects() throws {
        func indirect(_ text: String, tolerant: Bool = false) throws -> (ObjectRef, PDFObject) {
            try Data(text.utf8).withUnsafeBytes { buffer in
                var parser = ObjectParser(buffer, tolerant: tolerant)
                return try parser.parseIndirectObject()
            }
        }
        let (reference, object) = try indirect("12 3 obj\n<< /Length 5 >>\nstream\r\nHELLO\nendstream\nendobj")
        #expect(reference == ObjectRef(number: 12, generation: 3))
        #expect(object.streamValue?.data == Data("HELLO".utf8))
        #expect(try indirect("1 0 obj\n<< /Length 5 >>\nstream\nHELLO endstream endobj").1.streamValue?.data
                == Data("HELLO".utf8))
        #expect(throws: PDFError.self) { try indirect("1 0 obj\n<< /Length 3 >>\nstream\nHELLO\nendstream\nendobj") }
        #expect(try indirect("1 0 obj\n<< /Length 3 >>\nstream\nHELLO\nendstream\nendobj", tolerant: true).1
                    .streamValue?.data == Data("HELLO".utf8))
        #expect(try indirect("  7 0 obj (x) endobj").0.number == 7)
        #expect(throws: PDFError.self) { try indirect("7 0 (x) endobj") }
    }

    @Test("serializer: deterministic reals, escapes, round trip")
    func serializer() throws {
        #expect(PDFObject.real(0.5).serialized == Data("0.5".utf8))
        #expect(PDFObject.real(3).serialized == Data("3".utf8))
        #expect(PDFObject.real(-0.25).serialized == Data("-0.25".utf8))
        #expect(PDFObject.real(0.00001).serialized == Data("0.00001".utf8))
        #expect(PDFObject.real(1e20).serialized == Data("100000000000000000000".utf8))
        #expect(PDFObject.real(595.276).serialized == Data("595.276".utf8))
        #expect(PDFObject.string(PDFString(bytes: Data("a(b)\\\n\u{1}".utf8))).serialized
                == Data(#"(a\(b\)\\\n\001)"#.utf8))
        #expect(PDFObject.string(PDFString(bytes: Data([0xAB, 0x01]), wasHex: true)).serialized == Data("<AB01>".utf8))
        let source = "<< /Type /Catalog /Kids [1 0 R (t\\)) <00FF> 2.5 -3 true null /N#20x] /D << /E [] >> >>"
        let object = try parse(source)
        let written = object.serialized
        #expect(try parse(bytes: Array(written)) == object)
        #expect(object.serialized == written)
    }

    @Test("text strings: PDFDocEncoding, UTF-16BE with BOM, UTF-8 with BOM")
    func textStrings() throws {
        let latin = PDFString(text: "Grüße – “ok”")
        #expect(latin.bytes.first != 0xFE)
        #expect(latin.text == "Grüße – “ok”")
        let japanese = PDFString(text: "署名 ✓")
        #expect(japanese.bytes.prefix(2) == Data([0xFE, 0xFF]))
        #expect(japanese.text == "署名 ✓")
        #expect(PDFString(bytes: Data([0xEF, 0xBB, 0xBF]) + Data("Ł".utf8)).text == "Ł")
        #expect(PDFString(bytes: Data([0x80, 0x93, 0xA0])).text == "•ﬁ€")
    }
}
