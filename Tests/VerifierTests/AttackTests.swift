import Foundation
import PDF
import PKI
import Verifier
import XCTest

/// Every attack class of issue 3, each on a file built here from a genuine
/// segel signature: none may come out VALID, and the failing check is the one
/// that explains it.
final class AttackTests: XCTestCase {
    let fixture = VerifierFixture.shared

    private func verify(_ data: Data) throws -> VerificationReport {
        fixture.verifier(crl: try fixture.crl()).verify(data: data, name: "attacked.pdf")
    }

    private func assertInvalid(_ data: Data, failing check: CheckName? = nil, mentioning words: String? = nil,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let report = try verify(data)
        XCTAssertEqual(report.verdict, .invalid, report.humanText(), file: file, line: line)
        if let check {
            let failed = report.signatures.contains { $0.checks[check].failed }
            XCTAssertTrue(failed, "expected \(check) to fail:\n\(report.humanText())", file: file, line: line)
        }
        if let words {
            let text = report.humanText().lowercased()
            XCTAssertTrue(text.contains(words.lowercased()), "expected “\(words)” in:\n\(report.humanText())",
                          file: file, line: line)
        }
    }

    func testGenuineFileIsValid() throws {
        XCTAssertEqual(try verify(try fixture.sign().data).verdict, .valid)
    }

    func testByteChangedInSignedRange() throws {
        let signed = try fixture.sign()
        let seal = try Tamper.seal(of: signed.data)
        let ranges = try XCTUnwrap(seal.byteRange)
        // In the first range (the page content) and in the second (after /Contents).
        let content = try XCTUnwrap(signed.data.range(of: Data("Transkrip Nilai".utf8)))
        try assertInvalid(Tamper.flip(signed.data, at: content.lowerBound), failing: .digest, mentioning: "changed")
        try assertInvalid(Tamper.flip(signed.data, at: ranges[2] + 2), failing: .digest)
    }

    func testAppendedUpdateThatChangesAPage() throws {
        let signed = try fixture.sign()
        let document = try PDFDocument(data: signed.data, options: .strict)
        let page = try XCTUnwrap(document.pages.first)
        var update = try IncrementalUpdate(document: document)
        let content = update.add(.stream(PDFStream(dictionary: [:], data: Data("BT /F1 24 Tf 72 700 Td (FORGED) Tj ET".utf8))))
        var dictionary = page.dictionary
        dictionary["Contents"] = .reference(content)
        update.replace(page.ref, with: .dictionary(dictionary))
        try assertInvalid(try update.write(), failing: .coverage, mentioning: "page")
    }

    func testAppendedXRefOnlyUpdate() throws {
        let signed = try fixture.sign()
        try assertInvalid(try Tamper.appendUpdate(signed.data, objects: []), failing: .coverage,
                          mentioning: "cross-reference section and nothing else")
    }

    /// An xref-only update that re-points an object at different bytes already
    /// inside the signed part (a "shadow" object staged before signing).
    func testAppendedUpdateRedirectingIntoSignedBytes() throws {
        let signed = try fixture.sign()
        let document = try PDFDocument(data: signed.data, options: .strict)
        let page = try XCTUnwrap(document.pages.first)
        guard case .inUse(let offset, _)? = document.xref[page.ref.number] else { return XCTFail("page not in use") }
        var output = signed.data
        let xref = output.count
        let root = try XCTUnwrap(document.catalogReference)
        output.append(Data("xref\n\(page.ref.number) 1\n\(String(format: "%010d", offset)) 00000 n \ntrailer\n<< /Size \(document.size) /Root \(root.number) 0 R /Prev \(try XCTUnwrap(document.startxref)) >>\nstartxref\n\(xref)\n%%EOF\n".utf8))
        try assertInvalid(output, failing: .coverage, mentioning: "inside the signed part")
    }

    func testWidenedByteRangeGap() throws {
        let signed = try fixture.sign()
        let values = try XCTUnwrap(Tamper.seal(of: signed.data).byteRange)
        let widened = [0, values[1] - 10, values[2] + 10, values[3] - 10]
        try assertInvalid(try Tamper.rewriteByteRange(signed.data, widened), failing: .coverage,
                          mentioning: "not exactly this signature's /Contents")
    }

    func testByteRangeNotStartingAtZero() throws {
        let signed = try fixture.sign()
        let values = try XCTUnwrap(Tamper.seal(of: signed.data).byteRange)
        try assertInvalid(try Tamper.rewriteByteRange(signed.data, [1, values[1] - 1, values[2], values[3]]),
                          failing: .coverage, mentioning: "does not start at byte 0")
    }

    func testContentsZeroed() throws {
        let signed = try fixture.sign()
        let gap = try XCTUnwrap(Tamper.seal(of: signed.data).contentsRange)
        let zeros = "<" + String(repeating: "0", count: gap.count - 2) + ">"
        try assertInvalid(Tamper.overwrite(signed.data, gap, with: zeros), failing: .digest, mentioning: "zeros")
    }

    func testByteRangeRemoved() throws {
        let signed = try fixture.sign()
        let seal = try Tamper.seal(of: signed.data)
        let array = try XCTUnwrap(seal.byteRangeRange)
        // "/ByteRange" plus its array becomes white-space.
        let key = (array.lowerBound - 11)..<array.upperBound
        XCTAssertEqual(String(decoding: signed.data[key.lowerBound..<(key.lowerBound + 10)], as: UTF8.self), "/ByteRange")
        try assertInvalid(Tamper.overwrite(signed.data, key, with: ""), failing: .coverage, mentioning: "no /ByteRange")
    }

    func testTrailingBytes() throws {
        let signed = try fixture.sign()
        try assertInvalid(Tamper.append(signed.data, "%% a comment that nobody signed\n"), failing: .coverage,
                          mentioning: "appended")
        try assertInvalid(Tamper.append(signed.data, String(repeating: " ", count: 200)), failing: .coverage)
    }

    func testTruncation() throws {
        let signed = try fixture.sign()
        for cut in [1, 7, 100, signed.data.count / 2] {
            let report = try verify(signed.data.prefix(signed.data.count - cut))
            XCTAssertEqual(report.verdict, .invalid, "cut \(cut): \(report.summary)")
        }
    }

    func testLiteralStringContents() throws {
        let signed = try fixture.sign()
        let gap = try XCTUnwrap(Tamper.seal(of: signed.data).contentsRange)
        var data = signed.data
        data[gap.lowerBound] = UInt8(ascii: "(")
        data[gap.upperBound - 1] = UInt8(ascii: ")")
        try assertInvalid(data, failing: .structure, mentioning: "literal string")
    }

    /// Two signature fields whose /V is the same dictionary (one /Contents, two claims).
    func testOverlappingRanges() throws {
        let signed = try fixture.sign()
        let document = try PDFDocument(data: signed.data, options: .strict)
        let field = try XCTUnwrap(document.signatureFields.first { $0.isSigned })
        let form = try XCTUnwrap(document.dictionary(document.catalog?["AcroForm"]))
        var update = try IncrementalUpdate(document: document)
        let twin = update.add(.dictionary(["FT": .name("Sig"), "T": .text("Twin"), "V": .reference(try XCTUnwrap(field.signatureRef))]))
        var newForm = form
        newForm["Fields"] = .array((try document.array(form["Fields"]) ?? []) + [.reference(twin)])
        if let formRef = document.catalog?["AcroForm"]?.referenceValue {
            update.replace(formRef, with: .dictionary(newForm))
        } else {
            var catalog = try XCTUnwrap(document.catalog)
            catalog["AcroForm"] = .dictionary(newForm)
            update.replace(try XCTUnwrap(document.catalogReference), with: .dictionary(catalog))
        }
        try assertInvalid(try update.write(), failing: .coverage, mentioning: "overlaps that of another signature")
    }

    /// The second signature's ByteRange reaches into the bytes the first one signed.
    func testRangesOverlappingAnEarlierSignature() throws {
        let first = try fixture.sign()
        let second = try fixture.sign(first.data)
        let firstRange = try XCTUnwrap(PDFDocument(data: second.data, options: .strict).signatureFields
            .compactMap(\.signature?.byteRange).min { $0[2] + $0[3] < $1[2] + $1[3] })
        let values = try XCTUnwrap(Tamper.seal(of: second.data).byteRange)
        // Move the second gap's start back inside the first signature's signed bytes.
        let overlapping = [0, firstRange[2] + 1, values[2], values[3]]
        try assertInvalid(try Tamper.rewriteByteRange(second.data, overlapping), failing: .coverage)
    }

    func testCertificateFromAnotherCA() throws {
        let signed = try VerifierFixture.other.sign()
        try assertInvalid(signed.data, failing: .chain, mentioning: "not issued by")
    }

    /// A signature whose signing time lies outside its certificate's validity.
    func testSignedOutsideCertificateValidity() throws {
        let now = Date()
        let key = try PrivateKey.generate(.p256)
        let certificate = try fixture.ca.issueLeaf(
            subject: DistinguishedNameFields(commonName: "Short-lived"), publicKeyOf: key,
            uri: "\(VerifierFixture.siteURL)/v/\(try Random.token())/", validityDays: 1, now: now)
        let request = SignatureRequest(fieldName: "Late", name: "Short-lived", signingTime: now.addingTimeInterval(3 * 86_400),
                                       subFilter: "ETSI.CAdES.detached", contentsCapacity: 8192)
        let prepared = try PDFSigner.prepare(TestPDF.make(), request: request)
        let cms = try CMSSigner.signDetached(content: prepared.signedRanges(), key: key, certificate: certificate,
                                             chain: [fixture.ca.certificate])
        // Checked after the claimed time, so that only the certificate's validity can fail.
        let verifier = fixture.verifier(crl: try fixture.crl(), now: now.addingTimeInterval(3 * 86_400 + 3600))
        let report = verifier.verify(data: try prepared.embed(cms: cms), name: "late.pdf")
        XCTAssertEqual(report.verdict, .invalid, report.humanText())
        XCTAssertEqual(report.seal?.checks.validity.status, .fail, report.humanText())
        XCTAssertTrue(report.humanText().contains("not valid at the signing time"), report.humanText())
    }

    func testGarbageAndEmptyFiles() throws {
        for data in [Data(), Data("not a pdf".utf8), Data("%PDF-1.7\n".utf8), TestPDF.make()] {
            let report = try verify(data)
            XCTAssertEqual(report.verdict, .invalid, report.summary)
            XCTAssertTrue(report.signatures.isEmpty)
        }
        XCTAssertTrue(try verify(TestPDF.make()).summary.contains("no signature"))
    }
}
