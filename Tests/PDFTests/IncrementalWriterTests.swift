import Foundation
import Testing
@testable import PDF

@Suite("Incremental update writer")
struct IncrementalWriterTests {
    static func update(_ document: PDFDocument) throws -> Data {
        var update = try IncrementalUpdate(document: document)
        let note = update.add(.dictionary(["Type": .name("Note"), "Text": .text("added")]))
        var catalog = try #require(document.catalog)
        catalog["SegelNote"] = .reference(note)
        update.replace(try #require(document.catalogReference), with: .dictionary(catalog))
        return try update.write()
    }

    @Test("table flavour: original bytes untouched, /Prev chained, new objects readable")
    func tableFlavour() throws {
        let original = XRefTests.tableFile().data
        let document = try PDFDocument(data: original)
        let output = try Self.update(document)
        #expect(output.prefix(original.count) == original)
        let updated = try PDFDocument(data: output)
        #expect(updated.revisions.count == 2)
        #expect(updated.revisions.last?.kind == .table)
        #expect(updated.revisions.last?.trailer.int("Prev") == document.startxref)
        #expect(updated.revisions.last?.definedObjects == [1, 6])
        #expect(updated.trailer.int("Size") == 7)
        let note = try updated.dictionary(updated.catalog?["SegelNote"])
        #expect(note?["Text"]?.textValue == "added")
        #expect(try updated.pages.count == 1)
    }

    @Test("the /ID keeps its first element and gets a new second one")
    func identifiers() throws {
        var fixture = PDFFixture()
        fixture.simpleDocument()
        fixture.table(trailer: "/Size 6 /Root 1 0 R /ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>]")
        let updated = try PDFDocument(data: Self.update(PDFDocument(data: fixture.data)))
        let ids = updated.trailer["ID"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(ids.count == 2)
        #expect(ids[0].bytes == Data([0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF]))
        #expect(ids[1].bytes != ids[0].bytes)
    }

    @Test("stream flavour for a file whose last section is a cross-reference stream")
    func streamFlavour() throws {
        let original = ObjectStreamTests.document().data
        let output = try Self.update(PDFDocument(data: original))
        #expect(output.prefix(original.count) == original)
        let updated = try PDFDocument(data: output)
        #expect(updated.revisions.map(\.kind) == [.stream, .stream])
        #expect(updated.trailer.name("Type") == "XRef")
        #expect(try updated.dictionary(updated.catalog?["SegelNote"])?["Text"]?.textValue == "added")
        #expect(try updated.resolve(ObjectRef(number: 6)).textValue == "a string in an object stream")
    }

    @Test("table flavour for a hybrid file", .enabled(if: TestSupport.corpusAvailable, "corpus is absent"))
    func hybridFlavour() throws {
        let original = try TestSupport.corpusFile("hanko_minimal-hybrid-xref-mswordstyle.pdf")
        let updated = try PDFDocument(data: Self.update(PDFDocument(data: original)))
        #expect(updated.revisions.map(\.kind) == [.table, .hybrid, .table])
        #expect(try updated.pages.count == 1)
    }

    @Test("a repaired file cannot take an update")
    func repairedRefused() throws {
        var source = TestSupport.latin1(XRefTests.tableFile().data)
        source = source.replacingOccurrences(of: "xref\n0 6", with: "xref\nbroken")
        let document = try PDFDocument(data: TestSupport.bytes(latin1: source), options: .tolerant)
        #expect(document.wasRepaired)
        #expect(throws: PDFError.self) { try IncrementalUpdate(document: document) }
    }

    @Test("qpdf --check passes and earlier signatures stay intact (pdfsig)",
          .enabled(if: TestSupport.corpusAvailable && TestSupport.tool("qpdf") != nil && TestSupport.tool("pdfsig") != nil,
                   "corpus, qpdf or pdfsig missing"))
    func externalTools() throws {
        for name in ["pdfcpu_testPAdES_BB.pdf", "openpdf_sample_signed-sha512.pdf", "dss_pades-bes.pdf",
                     "dss_DSS1376-rev_n.pdf", "hanko_minimal-hybrid-xref-mswordstyle.pdf"] {
            let original = try TestSupport.corpusFile(name)
            let output = try Self.update(PDFDocument(data: original))
            let before = try TestSupport.temporaryFile(original)
            let after = try TestSupport.temporaryFile(output)
            defer {
                try? FileManager.default.removeItem(at: before)
                try? FileManager.default.removeItem(at: after)
            }
            let check = try TestSupport.run(TestSupport.tool("qpdf")!, ["--check", after.path])
            #expect(check.status == 0, "qpdf --check after updating \(name): \(check.output)")
            func verdicts(_ url: URL) throws -> [String] {
                let output = try TestSupport.run(TestSupport.tool("pdfsig")!, [url.path], stdoutOnly: true).output
                return output.split(separator: "\n").filter { $0.contains("Signature Validation:") }.map(String.init)
            }
            #expect(try verdicts(after) == verdicts(before), "pdfsig verdicts changed for \(name)")
        }
    }
}
