import Foundation
import Testing
@testable import PDF

@Suite("Object streams")
struct ObjectStreamTests {
    static func document(extends: Bool = false) -> PDFFixture {
        var fixture = PDFFixture(version: "1.5")
        fixture.object(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] /Contents 4 0 R >>")
        fixture.stream(4, "", Data("BT (objstm) Tj ET".utf8))
        fixture.objectStream(8, members: [(10, "[1 2 3]"), (11, "<< /Deep << /Deeper (yes) >> >>")])
        fixture.objectStream(7, members: [
            (1, "<< /Type /Catalog /Pages 2 0 R >>"),
            (2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
            (5, "42"),
            (6, "(a string in an object stream)"),
        ], extra: extends ? "/Extends 8 0 R" : "")
        fixture.xrefStream(9, trailer: "/Size 12 /Root 1 0 R", predictor: true)
        return fixture
    }

    @Test("objects are read from object streams by type 2 entries")
    func members() throws {
        let document = try PDFDocument(data: Self.document(extends: true).data)
        #expect(document.xref[1] == .compressed(objectStream: 7, index: 0))
        #expect(document.catalog?.name("Type") == "Catalog")
        #expect(try document.pages.count == 1)
        #expect(try document.resolve(ObjectRef(number: 5)) == .integer(42))
        #expect(try document.resolve(ObjectRef(number: 6)).textValue == "a string in an object stream")
        #expect(try document.resolve(ObjectRef(number: 10)) == .array([.integer(1), .integer(2), .integer(3)]))
        let deep = try document.resolve(ObjectRef(number: 11)).dictionaryValue?["Deep"]?.dictionaryValue
        #expect(deep?["Deeper"]?.textValue == "yes")
        #expect(try document.objectStream(7, depth: 0).extends == ObjectRef(number: 8))
        #expect(try document.resolve(ObjectRef(number: 5), asOfRevision: 0) == .integer(42))
        // Generation must be 0 for compressed objects.
        #expect(try document.resolve(ObjectRef(number: 5, generation: 1)) == .null)
    }

    @Test("a wrong index in the entry is an error when strict, recovered from the stream header when tolerant")
    func wrongIndex() throws {
        var fixture = PDFFixture(version: "1.5")
        fixture.object(3, "<< /Type /Page /Parent 2 0 R >>")
        fixture.objectStream(7, members: [(1, "<< /Type /Catalog /Pages 2 0 R >>"),
                                          (2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")])
        fixture.xrefStream(9, trailer: "/Size 10 /Root 1 0 R")
        let document = try PDFDocument(data: fixture.data)
        // Read object 2 as if the entry said index 0.
        let stream = try document.objectStream(7, depth: 0)
        // Strict: the member at index 0 is object 1, so readers could disagree on object 2.
        #expect(throws: PDFError.self) { try stream.object(ObjectRef(number: 2), index: 0, options: .strict) }
        let object = try stream.object(ObjectRef(number: 2), index: 0, options: .tolerant)
        #expect(object.dictionaryValue?.name("Type") == "Pages")
        #expect(throws: PDFError.self) { try stream.object(ObjectRef(number: 4), index: 0, options: .strict) }
    }

    @Test("an object stream cannot live inside an object stream")
    func nested() throws {
        var fixture = PDFFixture(version: "1.5")
        fixture.simpleDocument()
        fixture.objectStream(7, members: [(8, "(x)")])
        var data = fixture.data
        // An xref stream that claims object 7 (the stream) is itself compressed in 7.
        var rows: [UInt8] = [0, 0, 0, 0, 255]
        let text = TestSupport.latin1(data)
        func offset(_ marker: String) -> Int {
            text.unicodeScalars.distance(from: text.startIndex, to: text.range(of: marker)!.lowerBound)
        }
        for number in 1...5 {
            let value = offset("\n\(number) 0 obj") + 1
            rows += [1, UInt8(value >> 16), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF), 0]
        }
        rows += [0, 0, 0, 0, 0]
        rows += [2, 0, 0, 7, 0, 2, 0, 0, 7, 0]
        let start = data.count
        let content = Flate.compress(Data(rows))
        data.append(Data("9 0 obj\n<< /Type /XRef /Size 10 /W [1 3 1] /Index [0 9] /Root 1 0 R /Filter /FlateDecode /Length \(content.count) >>\nstream\n".utf8))
        data.append(content)
        data.append(Data("\nendstream\nendobj\nstartxref\n\(start)\n%%EOF\n".utf8))
        let document = try PDFDocument(data: data)
        #expect(throws: PDFError.self) { try document.resolve(ObjectRef(number: 8)) }
    }
}
