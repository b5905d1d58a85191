import Foundation
import Testing
@testable import PDF

@Suite("Cross-reference tables, streams, hybrids and revisions")
struct XRefTests {
    static func tableFile(lineEnd: String = " \n") -> PDFFixture {
        var fixture = PDFFixture()
        fixture.simpleDocument()
        fixture.table(trailer: "/Size 6 /Root 1 0 R", lineEnd: lineEnd)
        return fixture
    }

    func text(_ document: PDFDocument, page: Int = 0) throws -> String {
        let page = try document.pages[page]
        let content = try #require(try document.resolve(page.dictionary["Contents"]!).streamValue)
        return String(decoding: try content.decodedData(), as: UTF8.self)
    }

    @Test("classic table with 20-byte entries, read strictly")
    func classicTable() throws {
        let document = try PDFDocument(data: Self.tableFile().data)
        #expect(document.revisions.count == 1)
        #expect(document.revisions[0].kind == .table)
        #expect(document.revisions[0].definedObjects == [1, 2, 3, 4, 5])
        #expect(document.headerVersion == "1.7")
        #expect(try document.pages.count == 1)
        #expect(try text(document).contains("(Hello)"))
        #expect(document.revisions[0].endOffset == document.data.count)
        #expect(try document.resolve(ObjectRef(number: 99)) == .null)
    }

    @Test("19-byte entries and space-padded entries: refused when strict, read when tolerant")
    func entryVariants() throws {
        let nineteenBytes = Self.tableFile(lineEnd: "\n").data
        let error = #expect(throws: PDFError.self) { try PDFDocument(data: nineteenBytes, options: .strict) }
        #expect(error?.message.contains("20-byte") == true)
        let nineteen = try PDFDocument(data: nineteenBytes, options: .tolerant)
        #expect(try nineteen.pages.count == 1)

        var text = TestSupport.latin1(Self.tableFile().data)
        let offset = try #require(text.range(of: "0000000015 00000 n"))
        text.replaceSubrange(offset, with: "        15 00000 n")
        #expect(throws: PDFError.self) { try PDFDocument(data: TestSupport.bytes(latin1: text), options: .strict) }
        let padded = try PDFDocument(data: TestSupport.bytes(latin1: text), options: .tolerant)
        #expect(try padded.resolve(ObjectRef(number: 1)).dictionaryValue?.name("Type") == "Catalog")
    }

    @Test("cross-reference stream, with and without PNG predictor")
    func xrefStream() throws {
        for predictor in [false, true] {
            var fixture = PDFFixture(version: "1.5")
            fixture.simpleDocument(text: "Stream \(predictor)")
            fixture.xrefStream(6, trailer: "/Size 7 /Root 1 0 R", predictor: predictor)
            let document = try PDFDocument(data: fixture.data)
            #expect(document.revisions.map(\.kind) == [.stream])
            #expect(try text(document).contains("Stream \(predictor)"))
            #expect(document.trailer.name("Type") == "XRef")
            #expect(document.xref[0]?.isFree == true)
        }
    }

    @Test("hybrid file: a table whose trailer has /XRefStm for objects in an object stream")
    func hybrid() throws {
        var fixture = PDFFixture()
        fixture.object(1, "<< /Type /Catalog /Pages 2 0 R >>")
        fixture.object(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>")
        fixture.stream(4, "", Data("BT (hybrid) Tj ET".utf8))
        fixture.objectStream(6, members: [(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"), (5, "(five)")])
        let streamOffset = fixture.xrefStream(7, trailer: "/Size 8", writeStartxref: false)
        fixture.table(trailer: "/Size 8 /Root 1 0 R", xrefStream: streamOffset)
        let document = try PDFDocument(data: fixture.data)
        #expect(document.revisions.map(\.kind) == [.hybrid])
        #expect(document.revisions[0].xrefStreamOffset == streamOffset)
        #expect(document.xref[2] == .compressed(objectStream: 6, index: 0))
        #expect(try document.pages.count == 1)
        #expect(try document.resolve(ObjectRef(number: 5)).textValue == "five")
    }

    @Test("incremental updates: newest definition wins, revisions and %%EOF offsets are recorded")
    func revisions() throws {
        var fixture = Self.tableFile()
        let firstEnd = fixture.data.count
        fixture.stream(4, "", Data("BT (Updated) Tj ET".utf8))
        fixture.object(6, "<< /Producer (second) >>")
        fixture.table(trailer: "/Size 7 /Root 1 0 R /Info 6 0 R", includeFreeHead: false)
        let document = try PDFDocument(data: fixture.data)
        #expect(document.revisions.count == 2)
        #expect(document.revisions[0].endOffset == firstEnd)
        #expect(document.revisions[0].eofOffset == firstEnd - 1)
        #expect(document.revisions[1].definedObjects == [4, 6])
        #expect(document.revisions[1].endOffset == fixture.data.count)
        #expect(document.revisions[1].trailer.int("Prev") == document.revisions[0].startxref)
        #expect(try text(document).contains("Updated"))
        #expect(document.info?["Producer"]?.textValue == "second")

        // Objects as each revision left them.
        let old = try document.resolve(ObjectRef(number: 4), asOfRevision: 0).streamValue?.data
        #expect(old.map { String(decoding: $0, as: UTF8.self) }?.contains("(Hello)") == true)
        #expect(try document.resolve(ObjectRef(number: 6), asOfRevision: 0) == .null)
        #expect(try document.resolve(ObjectRef(number: 6), asOfRevision: 1).dictionaryValue != nil)
        #expect(document.entry(4, asOfRevision: 0) != document.entry(4, asOfRevision: 1))
        #expect(throws: PDFError.self) { try document.resolve(ObjectRef(number: 4), asOfRevision: 5) }
    }

    @Test("a /Prev loop is an error in strict mode and terminates in tolerant mode")
    func prevLoop() throws {
        var fixture = Self.tableFile()
        let first = try #require(fixture.lastStartxref)
        fixture.object(6, "<< /Producer (loop) >>")
        let second = fixture.table(trailer: "/Size 7 /Root 1 0 R /Info 6 0 R", includeFreeHead: false)
        var text = TestSupport.latin1(fixture.data)
        // Make the second section point at itself.
        text = text.replacingOccurrences(of: "/Prev \(first)", with: "/Prev \(second)")
        let data = TestSupport.bytes(latin1: text)
        do {
            _ = try PDFDocument(data: data)
            Issue.record("a looping /Prev chain was accepted")
        } catch let error as PDFError {
            #expect(error.code == .xref)
        }
        let tolerant = try PDFDocument(data: data, options: .tolerant)
        #expect(try tolerant.pages.count == 1)
    }

    @Test("startxref must point at the section in strict mode; white-space before it is allowed")
    func startxrefPrecision() throws {
        let data = Self.tableFile().data
        var text = TestSupport.latin1(data)
        let xref = try #require(text.range(of: "\nxref\n"))
        let offset = text.unicodeScalars.distance(from: text.startIndex, to: xref.lowerBound) + 1
        text = text.replacingOccurrences(of: "startxref\n\(offset)", with: "startxref\n\(offset - 1)")
        #expect(try PDFDocument(data: TestSupport.bytes(latin1: text)).pages.count == 1)

        let intoKeyword = TestSupport.latin1(data)
            .replacingOccurrences(of: "startxref\n\(offset)", with: "startxref\n\(offset + 2)")
        #expect(throws: PDFError.self) { try PDFDocument(data: TestSupport.bytes(latin1: intoKeyword)) }
        #expect(try PDFDocument(data: TestSupport.bytes(latin1: intoKeyword), options: .tolerant).pages.count == 1)
    }

    @Test("an offset that points at the wrong object is an error in strict mode")
    func wrongObjectAtOffset() throws {
        var text = TestSupport.latin1(Self.tableFile().data)
        text = text.replacingOccurrences(of: "4 0 obj", with: "8 0 obj")
        let strict = try PDFDocument(data: TestSupport.bytes(latin1: text))
        do {
            _ = try strict.resolve(ObjectRef(number: 4))
            Issue.record("object 8 was accepted as object 4")
        } catch let error as PDFError {
            #expect(error.code == .xref)
            #expect(error.object == 4)
        }
    }

    @Test("leading junk: refused strictly, read tolerantly (offsets from the header or from byte 0)")
    func leadingJunk() throws {
        let base = Self.tableFile().data
        let junk = Data("garbage before the header\n".utf8)
        do {
            _ = try PDFDocument(data: junk + base)
            Issue.record("leading junk was accepted in strict mode")
        } catch let error as PDFError {
            #expect(error.code == .notPDF)
        }
        #expect(try PDFDocument(data: junk + base, options: .tolerant).pages.count == 1)
    }

    @Test("unreadable cross-reference data is rebuilt by scanning in tolerant mode")
    func repair() throws {
        var source = TestSupport.latin1(Self.tableFile().data)
        let xref = try #require(source.range(of: "xref\n0 6"))
        source.replaceSubrange(xref.lowerBound..<source.range(of: "trailer")!.lowerBound, with: "xref\ngarbage\n")
        #expect(throws: PDFError.self) { try PDFDocument(data: TestSupport.bytes(latin1: source)) }
        let repaired = try PDFDocument(data: TestSupport.bytes(latin1: source), options: .tolerant)
        #expect(repaired.wasRepaired)
        #expect(repaired.revisions.isEmpty)
        #expect(try repaired.pages.count == 1)
        #expect(try text(repaired).contains("Hello"))
    }

    @Test("indirect /Length and a wrong /Length")
    func streamLengths() throws {
        var fixture = PDFFixture()
        fixture.object(1, "<< /Type /Catalog /Pages 2 0 R >>")
        fixture.object(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
        fixture.object(3, "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>")
        fixture.append("")
        fixture.object(4, "<< /Length 5 0 R >>\nstream\nBT (indirect) Tj ET\nendstream")
        fixture.object(5, "19")
        fixture.object(6, "<< /Length 3 >>\nstream\nlonger than three\nendstream")
        fixture.table(trailer: "/Size 7 /Root 1 0 R")
        let strict = try PDFDocument(data: fixture.data)
        #expect(try text(strict) == "BT (indirect) Tj ET")
        #expect(throws: PDFError.self) { try strict.resolve(ObjectRef(number: 6)) }
        let tolerant = try PDFDocument(data: fixture.data, options: .tolerant)
        #expect(try tolerant.resolve(ObjectRef(number: 6)).streamValue?.data == Data("longer than three".utf8))
    }

    @Test("a /Length that refers to the stream itself terminates with an error")
    func selfReferentialLength() throws {
        var fixture = PDFFixture()
        fixture.simpleDocument()
        fixture.object(6, "<< /Length 6 0 R >>\nstream\nabc\nendstream")
        fixture.table(trailer: "/Size 7 /Root 1 0 R")
        let document = try PDFDocument(data: fixture.data)
        #expect(throws: PDFError.self) { try document.resolve(ObjectRef(number: 6)) }
    }

    @Test("not a PDF, empty file, missing startxref")
    func notPDF() throws {
        for (data, code) in [(Data(), PDFError.Code.notPDF), (Data("hello".utf8), .notPDF),
                             (Data("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n".utf8), .xref)] {
            do {
                _ = try PDFDocument(data: data)
                Issue.record("accepted \(data.count) bytes")
            } catch let error as PDFError {
                #expect(error.code == code)
            }
        }
    }
}
