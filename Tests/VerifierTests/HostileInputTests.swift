import Foundation
import PDF
import PKI
import TestSupport
import Verifier
import XCTest

/// Hostile input (issue 3): truncated files, garbage, reference loops,
/// decompression bombs, huge lengths and numbers, deep nesting, CMS garbage.
/// Each must give a verdict — INVALID — quickly, without crashing.
final class HostileInputTests: XCTestCase {
    let verifier = VerifierFixture.shared.verifier(crl: try! VerifierFixture.shared.crl())

    private func assertRejected(_ data: Data, _ label: String, within seconds: TimeInterval = 5,
                                file: StaticString = #filePath, line: UInt = #line) {
        let started = Date()
        let report = verifier.verify(data: data, name: label)
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertNotEqual(report.verdict, .valid, "\(label): \(report.summary)", file: file, line: line)
        XCTAssertFalse(report.summary.isEmpty, file: file, line: line)
        XCTAssertLessThan(elapsed, seconds, "\(label) took \(elapsed) s", file: file, line: line)
    }

    /// A signature field whose dictionary carries `signature` (the rest of a
    /// signature dictionary around it), in an otherwise minimal file.
    private func fileWithSignature(_ signature: String) -> Data {
        TestPDF.assemble([
            "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >> >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>",
            "<< /FT /Sig /T (S) /V 5 0 R >>",
            "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached \(signature) >>",
        ])
    }

    func testTruncatedAtEveryPointOfASignedFile() throws {
        let signed = try VerifierFixture.shared.sign().data
        for length in stride(from: 0, to: signed.count, by: max(1, signed.count / 150)) {
            assertRejected(signed.prefix(length), "truncated at \(length)")
        }
    }

    func testRandomGarbage() {
        var generator = SystemRandomNumberGenerator()
        for size in [1, 16, 1000, 100_000] {
            let bytes = Data((0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) })
            assertRejected(bytes, "garbage \(size)")
            assertRejected(Data("%PDF-1.7\n".utf8) + bytes, "header + garbage \(size)")
        }
    }

    func testReferenceLoops() {
        // A /Length that refers to itself, a field whose /Kids contains itself,
        // a page tree that loops, a /Prev that loops.
        assertRejected(TestPDF.assemble([
            "<< /Type /Catalog /Pages 2 0 R >>", "<< /Length 2 0 R >>\nstream\nabc\nendstream",
        ]), "self-referencing /Length")
        assertRejected(TestPDF.assemble([
            "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [3 0 R] >> >>",
            "<< /Type /Pages /Kids [2 0 R] /Count 1 >>",
            "<< /FT /Sig /T (loop) /Kids [3 0 R 4 0 R] >>", "<< /Parent 3 0 R /Kids [3 0 R] /T (x) >>",
        ]), "field and page tree loops")
        let looping = TestPDF.assemble(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"])
        let xref = try! XCTUnwrap(PDFDocument(data: looping).startxref)
        let update = "xref\n0 0\ntrailer\n<< /Size 3 /Root 1 0 R /Prev \(looping.count) >>\nstartxref\n\(looping.count)\n%%EOF\n"
        _ = xref
        assertRejected(looping + Data(update.utf8), "/Prev pointing at itself")
        assertRejected(fileWithSignature("/ByteRange 5 0 R /Contents <00>"), "ByteRange is its own object")
    }

    func testDeepNesting() {
        let depth = 100_000
        let nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        assertRejected(TestPDF.assemble(["<< /Type /Catalog /Pages 2 0 R /Deep \(nested) >>",
                                          "<< /Type /Pages /Kids [] /Count 0 >>"]), "deep arrays")
        let dictionaries = String(repeating: "<< /A ", count: depth) + String(repeating: ">> ", count: depth)
        assertRejected(fileWithSignature("/ByteRange [0 1 2 3] /Contents <00> /Deep \(dictionaries)"), "deep dictionaries")
    }

    func testHugeLengthsAndNumbers() {
        assertRejected(TestPDF.assemble([
            "<< /Type /Catalog /Pages 2 0 R >>", "<< /Length 9223372036854775807 >>\nstream\nabc\nendstream",
        ]), "huge /Length")
        assertRejected(TestPDF.assemble([
            "<< /Type /Catalog /Pages 2 0 R >>", "<< /Length -5 >>\nstream\nabc\nendstream",
        ]), "negative /Length")
        let max = Int.max
        assertRejected(fileWithSignature("/ByteRange [0 \(max) \(max) \(max)] /Contents <3082>"), "ByteRange of Int.max")
        assertRejected(fileWithSignature("/ByteRange [0 10 20 99999999999999999999999] /Contents <3082>"), "ByteRange overflowing to real")
        assertRejected(fileWithSignature("/ByteRange [0 -10 20 30] /Contents <3082>"), "negative ByteRange")
        assertRejected(fileWithSignature("/ByteRange [0 10 20 30 40 50] /Contents <3082>"), "six ByteRange numbers")
        let xrefHuge = "%PDF-1.7\nxref\n0 9999999999\ntrailer\n<< /Root 1 0 R >>\nstartxref\n9\n%%EOF\n"
        assertRejected(Data(xrefHuge.utf8), "xref subsection of 10^10 entries")
    }

    func testCMSGarbage() {
        for contents in ["<>", "<00>", "<3082FFFFFFFF>", "<" + String(repeating: "30", count: 4000) + ">",
                         "<3080" + String(repeating: "A0", count: 200) + ">"] {
            assertRejected(fileWithSignature("/ByteRange [0 100 200 50] /Contents \(contents)"), "CMS \(contents.prefix(12))")
        }
        // Changed hex digits in the SignerInfo, which ends the DER: its signed
        // attributes, signature algorithm and signature value are all protected.
        // (The certificate set before it is unsigned: a changed copy of the CA
        // certificate there changes nothing the verifier relies on.)
        let signed = try! VerifierFixture.shared.sign().data
        let seal = try! Tamper.seal(of: signed)
        let gap = try! XCTUnwrap(seal.contentsRange)
        let length = try! CMSSignedData(der: XCTUnwrap(seal.contents)).der.count
        let digits = Array("0123456789ABCDEF".utf8)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<40 {
            var data = signed
            let byte = Int.random(in: (length - 250)..<length, using: &generator)
            let offset = gap.lowerBound + 1 + 2 * byte + Int.random(in: 0...1, using: &generator)
            var replacement = digits.randomElement(using: &generator)!
            while replacement == data[offset] { replacement = digits.randomElement(using: &generator)! }
            data[offset] = replacement
            assertRejected(data, "SignerInfo byte \(byte) of \(length) changed")
        }
    }

    func testDecompressionBombs() throws {
        guard Tools.available("python3") else { throw XCTSkip("python3 is needed to make the deflate streams") }
        // 320 MB of zeros (over the 256 MB decode limit) in about 300 KB, as an object stream holding the catalog and as an xref stream.
        let script = """
        import sys, zlib
        c = zlib.compressobj(9)
        chunk = bytes(1 << 20)
        out = b''.join(c.compress(chunk) for _ in range(320)) + c.flush()
        sys.stdout.buffer.write(out)
        """
        let bomb = try Tools.run("python3", ["-c", script]).stdout
        XCTAssertGreaterThan(bomb.count, 1000)
        var objectStream = Data("<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length \(bomb.count) >>\nstream\n".utf8)
        objectStream.append(bomb)
        objectStream.append(Data("\nendstream".utf8))
        var file = Data("%PDF-1.7\n".utf8)
        let objectOffset = file.count
        file.append(Data("2 0 obj\n".utf8) + objectStream + Data("\nendobj\n".utf8))
        // Object 1 (the catalog) lives in the bomb.
        let xref = file.count
        file.append(Data("xref\n0 3\n0000000000 65535 f \n".utf8))
        file.append(Data("0000000002 00000 n \n".utf8))
        file.append(Data(String(format: "%010d 00000 n \n", objectOffset).utf8))
        file.append(Data("trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n".utf8))
        assertRejected(file, "object stream bomb", within: 20)

        var xrefStream = Data("%PDF-1.7\n".utf8)
        let streamOffset = xrefStream.count
        xrefStream.append(Data("1 0 obj\n<< /Type /XRef /Size 1 /W [1 4 1] /Root 1 0 R /Filter /FlateDecode /Length \(bomb.count) >>\nstream\n".utf8))
        xrefStream.append(bomb)
        xrefStream.append(Data("\nendstream\nendobj\nstartxref\n\(streamOffset)\n%%EOF\n".utf8))
        assertRejected(xrefStream, "xref stream bomb", within: 20)
    }
}
