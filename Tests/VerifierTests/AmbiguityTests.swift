import Foundation
import PDF
import PKI
import TestSupport
import Verifier
import XCTest

/// Issue 20: the five classes of file that other readers resolve differently
/// from segel, or that add after the seal what a later revision may not.
/// Each generator makes several variants of its class from a genuine segel
/// signature; each must be INVALID with a reason that names the class. The
/// controls beside them (the same revision written correctly, and files
/// extended by pyHanko) show that the rules keep genuine files VALID.
final class AmbiguityTests: XCTestCase {
    let fixture = VerifierFixture.shared

    private func verify(_ data: Data, now: Date = Date()) throws -> VerificationReport {
        Self.keepAsSeed(data)
        return fixture.verifier(crl: try fixture.crl(), now: now).verify(data: data, name: "generated.pdf")
    }

    /// With `SEGEL_SEED_DIR` set (by `scripts/fuzz`), every generated file is
    /// also written there, named by its hash, as a seed for the fuzzer.
    private static func keepAsSeed(_ data: Data) {
        guard let directory = ProcessInfo.processInfo.environment["SEGEL_SEED_DIR"], !directory.isEmpty else { return }
        let url = URL(fileURLWithPath: directory).appendingPathComponent("issue20-\(Digest.hex(Digest.sha256(data)).prefix(16)).pdf")
        try? data.write(to: url)
    }

    private func assertInvalid(_ data: Data, _ label: String, mentioning words: [String],
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let report = try verify(data)
        let text = report.humanText()
        XCTAssertEqual(report.verdict, .invalid, "\(label):\n\(text)", file: file, line: line)
        for word in words {
            XCTAssertTrue(text.lowercased().contains(word.lowercased()), "\(label): expected “\(word)” in:\n\(text)",
                          file: file, line: line)
        }
    }

    private func assertValid(_ data: Data, _ label: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let report = try verify(data)
        XCTAssertEqual(report.verdict, .valid, "\(label):\n\(report.humanText())", file: file, line: line)
    }

    // MARK: - A legitimate validation-data revision, to be written wrongly

    /// The objects of a PAdES B-LT revision: the CA certificate as a stream, a
    /// `/DSS` naming it, the catalog pointing at the DSS; and a second catalog
    /// that a reader resolving the ambiguity the other way would show instead.
    private struct DSSRevision {
        let certificate: Int
        let dss: Int
        let root: ObjectRef
        let certificateBody: PDFObject
        let dssBody: PDFObject
        let catalog: PDFObject
        let forgedCatalog: PDFObject
        let page: ObjectRef
        let forgedPage: PDFObject
        var size: Int { dss + 1 }
    }

    private func dssRevision(_ signed: Data, numbersFrom first: Int) throws -> DSSRevision {
        let document = try PDFDocument(data: signed, options: .strict)
        let root = try XCTUnwrap(document.catalogReference)
        var catalog = try XCTUnwrap(document.catalog)
        catalog["DSS"] = .reference(ObjectRef(number: first + 1, generation: 0))
        var forged = catalog
        forged["PageMode"] = .name("FullScreen")
        forged["OpenAction"] = .array([.reference(try XCTUnwrap(document.pages.first).ref), .name("Fit")])
        let page = try XCTUnwrap(document.pages.first)
        var forgedPage = page.dictionary
        forgedPage["MediaBox"] = .numbers([0, 0, 200, 200])
        return DSSRevision(
            certificate: first, dss: first + 1, root: root,
            certificateBody: .stream(PDFStream(dictionary: ["Length": .integer(fixture.ca.certificate.der.count)],
                                               data: fixture.ca.certificate.der)),
            dssBody: .dictionary(["Type": .name("DSS"), "Certs": .array([.reference(ObjectRef(number: first, generation: 0))])]),
            catalog: .dictionary(catalog), forgedCatalog: .dictionary(forged),
            page: page.ref, forgedPage: .dictionary(forgedPage))
    }

    /// The revision written correctly as a table, with optional extra bytes
    /// before the section (e.g. an object the section does not list).
    private func tableRevision(_ signed: Data, eol: String = " \n", unlisted: [(Int, PDFObject)] = []) throws -> Data {
        var revision = try RawRevision(after: signed)
        let parts = try dssRevision(signed, numbersFrom: revision.size)
        let certificate = revision.object(parts.certificate, parts.certificateBody)
        let dss = revision.object(parts.dss, parts.dssBody)
        for (number, body) in unlisted { revision.object(number, body) }
        let catalog = revision.object(parts.root.number, parts.catalog)
        let section = "\(parts.root.number) 1\n" + RawRevision.entry(catalog, eol: eol)
            + "\(parts.certificate) 2\n" + RawRevision.entry(certificate, eol: eol) + RawRevision.entry(dss, eol: eol)
        return revision.table(section, size: parts.size)
    }

    // MARK: - Controls: the same revisions written correctly stay VALID

    func testCorrectValidationDataRevisionsAreValid() throws {
        let signed = try fixture.sign().data
        try assertValid(try tableRevision(signed), "DSS revision with a table")
        try assertValid(try streamRevision(signed, overlap: false), "DSS revision with an xref stream")
        try assertValid(try objectStreamRevision(signed, header: .correct), "DSS revision in an object stream")
    }

    // MARK: - Class 1: ambiguous cross-references

    func testTableDefiningAnObjectTwiceIsInvalid() throws {
        let signed = try fixture.sign().data
        var revision = try RawRevision(after: signed)
        let parts = try dssRevision(signed, numbersFrom: revision.size)
        let certificate = revision.object(parts.certificate, parts.certificateBody)
        let dss = revision.object(parts.dss, parts.dssBody)
        let catalog = revision.object(parts.root.number, parts.catalog)
        let forged = revision.object(parts.root.number, parts.forgedCatalog)
        let root = parts.root.number
        // Two subsections for the same object, in either order.
        for (first, second) in [(catalog, forged), (forged, catalog)] {
            let section = "\(root) 1\n" + RawRevision.entry(first) + "\(root) 1\n" + RawRevision.entry(second)
                + "\(parts.certificate) 2\n" + RawRevision.entry(certificate) + RawRevision.entry(dss)
            try assertInvalid(revision.table(section, size: parts.size), "catalog listed twice",
                              mentioning: ["object \(root) twice", "in the file's last revision"])
        }
        // Overlapping subsections: the DSS is defined by both.
        let overlapping = "\(root) 1\n" + RawRevision.entry(catalog) + "\(parts.certificate) 2\n"
            + RawRevision.entry(certificate) + RawRevision.entry(dss) + "\(parts.dss) 1\n" + RawRevision.entry(certificate)
        try assertInvalid(revision.table(overlapping, size: parts.size), "overlapping subsections",
                          mentioning: ["object \(parts.dss) twice"])
    }

    func testTableEntriesNotTwentyBytesAreInvalid() throws {
        let signed = try fixture.sign().data
        for eol in ["\n", "\r", " \r\n", "  \n"] {
            let label = "entries ending in \(eol.debugDescription)"
            try assertInvalid(try tableRevision(signed, eol: eol), label, mentioning: ["20-byte", "last revision"])
        }
        // Offsets padded with spaces instead of the ten digits.
        let correct = try tableRevision(signed)
        let text = try XCTUnwrap(String(data: correct, encoding: .isoLatin1))
        let xref = try XCTUnwrap(text.range(of: "\nxref\n", options: .backwards))
        let entry = try XCTUnwrap(text.range(of: " 00000 n \n", range: xref.upperBound..<text.endIndex))
        let digits = text.index(entry.lowerBound, offsetBy: -10)..<entry.lowerBound
        let number = String(Int(text[digits])!)
        let padded = text.replacingCharacters(in: digits, with: String(repeating: " ", count: 10 - number.count) + number)
        try assertInvalid(try XCTUnwrap(padded.data(using: .isoLatin1)), "space-padded offset", mentioning: ["20-byte"])
    }

    func testObjectsTheCrossReferenceDoesNotListAreInvalid() throws {
        let signed = try fixture.sign().data
        let document = try PDFDocument(data: signed, options: .strict)
        let page = try XCTUnwrap(document.pages.first)
        let parts = try dssRevision(signed, numbersFrom: document.size)
        // A changed page that a reader rebuilding the xref by scanning would use,
        // and a brand-new object number nothing lists.
        for (number, body) in [(page.ref.number, parts.forgedPage), (parts.size + 3, parts.forgedCatalog)] {
            let data = try tableRevision(signed, unlisted: [(number, body)])
            try assertInvalid(data, "unlisted object \(number)",
                              mentioning: ["revision 3", "defines object \(number)", "without listing"])
        }
        // The same in the cross-reference stream form.
        let data = try streamRevision(signed, overlap: false, unlisted: [(page.ref.number, parts.forgedPage)])
        try assertInvalid(data, "unlisted object beside an xref stream",
                          mentioning: ["defines object \(page.ref.number)", "without listing"])
    }

    /// A linearized input's newest section (the first-page one) sits at the
    /// start of the file: the objects after it belong to the older, main
    /// section, and what segel appends is only what follows them. (An unsigned
    /// input is rewritten, so the case needs a signed, linearized original:
    /// DSS's FieldMDP sample from the corpus.)
    func testSignedLinearizedInputsStayValidAndTheirUpdatesAreScanned() throws {
        guard let corpus = TestPaths.corpus else { throw XCTSkip(TestPaths.corpusMissingMessage) }
        let input = try Data(contentsOf: corpus.appendingPathComponent("dss_fieldmdp-include.pdf"))
        XCTAssertNotNil(String(decoding: input.prefix(1024), as: UTF8.self).range(of: "/Linearized"), "the sample is linearized")
        let signed = try fixture.sign(input).data
        try assertValid(signed, "segel's signature after a signed, linearized file")
        try assertValid(try tableRevision(signed), "DSS revision after that")
        let document = try PDFDocument(data: signed, options: .strict)
        let page = try XCTUnwrap(document.pages.first)
        let parts = try dssRevision(signed, numbersFrom: document.size)
        try assertInvalid(try tableRevision(signed, unlisted: [(page.ref.number, parts.forgedPage)]),
                          "unlisted object after a linearized file",
                          mentioning: ["revision \(document.revisions.count + 1)", "defines object \(page.ref.number)", "without listing"])
    }

    func testXRefStreamIndexDefiningAnObjectTwiceIsInvalid() throws {
        let signed = try fixture.sign().data
        let root = try XCTUnwrap(PDFDocument(data: signed, options: .strict).catalogReference).number
        try assertInvalid(try streamRevision(signed, overlap: true), "xref stream /Index overlap",
                          mentioning: ["object \(root) twice"])
    }

    func testObjectStreamHeaderAmbiguityIsInvalid() throws {
        let signed = try fixture.sign().data
        let root = try XCTUnwrap(PDFDocument(data: signed, options: .strict).catalogReference).number
        try assertInvalid(try objectStreamRevision(signed, header: .duplicate), "object stream lists the catalog twice",
                          mentioning: ["lists object \(root) twice"])
        try assertInvalid(try objectStreamRevision(signed, header: .swapped), "object stream member at the wrong index",
                          mentioning: ["header lists object"])
    }

    /// The DSS revision with a cross-reference stream; with `overlap`, its
    /// /Index names the catalog twice (once for the real, once for the forged one).
    private func streamRevision(_ signed: Data, overlap: Bool, unlisted: [(Int, PDFObject)] = []) throws -> Data {
        var revision = try RawRevision(after: signed)
        let parts = try dssRevision(signed, numbersFrom: revision.size)
        let certificate = revision.object(parts.certificate, parts.certificateBody)
        let dss = revision.object(parts.dss, parts.dssBody)
        let catalog = revision.object(parts.root.number, parts.catalog)
        let forged = overlap ? revision.object(parts.root.number, parts.forgedCatalog) : catalog
        for (number, body) in unlisted { revision.object(number, body) }
        let stream = parts.size
        let root = parts.root.number
        var index = [root, 1, parts.certificate, 2, stream, 1]
        var rows: [(type: Int, field2: Int, field3: Int)] = [(1, catalog, 0), (1, certificate, 0), (1, dss, 0),
                                                             (1, revision.nextOffset, 0)]
        if overlap {
            index = [root, 1, root, 1] + index.dropFirst(2)
            rows.insert((1, forged, 0), at: 1)
        }
        return revision.xrefStream(stream, index: index, rows: rows)
    }

    private enum ObjectStreamHeader { case correct, duplicate, swapped }

    /// The DSS and the catalog stored in an object stream of the update.
    private func objectStreamRevision(_ signed: Data, header: ObjectStreamHeader) throws -> Data {
        var revision = try RawRevision(after: signed)
        let parts = try dssRevision(signed, numbersFrom: revision.size)
        let certificate = revision.object(parts.certificate, parts.certificateBody)
        let objectStream = parts.size
        let root = parts.root.number
        let members = [parts.catalog.serialized, parts.dssBody.serialized, parts.forgedCatalog.serialized]
        let pairs: [(number: Int, member: Int)]
        switch header {
        case .correct: pairs = [(root, 0), (parts.dss, 1)]
        case .duplicate: pairs = [(root, 0), (parts.dss, 1), (root, 2)]
        case .swapped: pairs = [(parts.dss, 0), (root, 1)]
        }
        let stream = revision.object(objectStream, RawRevision.objectStream(header: pairs, members: members))
        let xref = objectStream + 1
        // The entries say: catalog at index 0, DSS at index 1.
        return revision.xrefStream(xref, index: [root, 1, parts.certificate, 2, objectStream, 2],
                                   rows: [(2, objectStream, 0), (1, certificate, 0), (2, objectStream, 1),
                                          (1, stream, 0), (1, revision.nextOffset, 0)])
    }

    // MARK: - Class 2: later revisions judged by reachability and shape

    /// A requester plants a `/DSS` that names the page content before the
    /// authority signs (here in a revision after a foreign signature, which
    /// segel must keep, so its signer cannot drop it); after the seal, an update
    /// "refreshes" the DSS and rewrites the content it names.
    func testPlantedDSSCannotExplainAChangedPage() throws {
        let foreign = try VerifierFixture.other.sign(TestPDF.make(text: "Nilai A"))
        let document = try PDFDocument(data: foreign.data, options: .strict)
        let page = try XCTUnwrap(document.pages.first)
        let content = try XCTUnwrap(page.dictionary["Contents"]?.referenceValue)
        let pageTree = try XCTUnwrap(document.catalog?["Pages"]?.referenceValue)
        for (label, planted) in [("content", content), ("page tree", pageTree), ("page", page.ref)] {
            var plant = try IncrementalUpdate(document: document)
            let dss = plant.add(.dictionary(["Certs": .array([.reference(planted)]),
                                             "VRI": .dictionary(["ABC": .dictionary(["Cert": .array([.reference(planted)])])])]))
            var catalog = try XCTUnwrap(document.catalog)
            catalog["DSS"] = .reference(dss)
            plant.replace(try XCTUnwrap(document.catalogReference), with: .dictionary(catalog))
            let sealed = try fixture.sign(try plant.write())
            XCTAssertNotNil(try PDFDocument(data: sealed.data, options: .strict).catalog?["DSS"], "the planted DSS is signed")
            try assertValid(sealed.data, "sealed with a planted DSS (\(label))")

            let signedDocument = try PDFDocument(data: sealed.data, options: .strict)
            var attack = try IncrementalUpdate(document: signedDocument)
            let replacement: PDFObject
            switch label {
            case "content":
                replacement = .stream(PDFStream(dictionary: [:], data: Data("BT /F1 24 Tf 72 760 Td (Nilai E) Tj ET".utf8)))
            case "page tree":
                var tree = try XCTUnwrap(signedDocument.resolve(pageTree).dictionaryValue)
                tree["Kids"] = .array([])
                tree["Count"] = .integer(0)
                replacement = .dictionary(tree)
            default:
                var forged = page.dictionary
                forged["Rotate"] = .integer(180)
                replacement = .dictionary(forged)
            }
            attack.replace(planted, with: replacement)
            let newDSS = attack.add(.dictionary(["Certs": .array([.reference(planted)])]))
            var sealedCatalog = try XCTUnwrap(signedDocument.catalog)
            sealedCatalog["DSS"] = .reference(newDSS)
            attack.replace(try XCTUnwrap(signedDocument.catalogReference), with: .dictionary(sealedCatalog))
            // The page itself is caught by the rule for pages (only /Annots may grow).
            let words = label == "page" ? ["changes the /Rotate of a page"]
                : ["changes object \(planted.number)", "which the signed document shows"]
            try assertInvalid(try attack.write(), "planted DSS naming the \(label)", mentioning: words)
        }
    }

    /// segel's own signer drops a `/DSS` (and catalog keys it does not know)
    /// from unsigned input, so nothing can be planted through it.
    func testSignerDropsAPlantedDSSFromUnsignedInput() throws {
        let input = TestPDF.assemble([
            "<< /Type /Catalog /Pages 2 0 R /DSS << /Certs [4 0 R] >> /Unknown 4 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            "<< /Length 10 >>\nstream\nBT /F1 ET\nendstream",
        ])
        let signed = try fixture.sign(input)
        let catalog = try XCTUnwrap(PDFDocument(data: signed.data, options: .strict).catalog)
        XCTAssertNil(catalog["DSS"])
        XCTAssertNil(catalog["Unknown"])
        try assertValid(signed.data, "signed input that had a DSS")
    }

    func testDSSOfTheWrongShapeIsInvalid() throws {
        let signed = try fixture.sign().data
        let document = try PDFDocument(data: signed, options: .strict)
        let certificate = PDFObject.stream(PDFStream(dictionary: [:], data: fixture.ca.certificate.der))
        let shapes: [(String, (ObjectRef) -> PDFObject)] = [
            ("an unknown key", { .dictionary(["Certs": .array([.reference($0)]), "Pages": .reference($0)]) }),
            ("a certificate that is not a stream", { _ in .dictionary(["Certs": .array([.dictionary(["Type": .name("Page")])])]) }),
            ("/Certs that is not an array", { .dictionary(["Certs": .reference($0)]) }),
            ("a VRI entry with JavaScript", { .dictionary(["Certs": .array([.reference($0)]),
                                                         "VRI": .dictionary(["AB": .dictionary(["JS": .reference($0)])])]) }),
        ]
        for (label, make) in shapes {
            var update = try IncrementalUpdate(document: document)
            let stream = update.add(certificate)
            let dss = update.add(make(stream))
            var catalog = try XCTUnwrap(document.catalog)
            catalog["DSS"] = .reference(dss)
            update.replace(try XCTUnwrap(document.catalogReference), with: .dictionary(catalog))
            try assertInvalid(try update.write(), "DSS with \(label)", mentioning: ["not validation data"])
        }
    }

    // MARK: - Class 3: document timestamps invisible and inert (pyHanko)

    /// Genuine pyHanko revisions (B-LT, B-LTA) stay VALID; the same pyHanko
    /// timestamp with a widget a timestamp must not have is INVALID.
    func testPyHankoExtensionsAndTimestampWidgets() throws {
        let tools = try PyHankoExtender()
        defer { tools.remove() }
        let signed = try fixture.sign()
        for (label, arguments) in [("DSS", ["--dss"]), ("timestamp", tools.timestamp),
                                   ("DSS and timestamp", ["--dss"] + tools.timestamp)] {
            let extended = try tools.extend(signed.data, arguments)
            let report = try verify(extended)
            XCTAssertEqual(report.verdict, .valid, "pyHanko \(label):\n\(report.humanText())")
            XCTAssertGreaterThan(try PDFDocument(data: extended, options: .strict).revisions.count, 2)
        }
        let widgets: [(String, String)] = [
            ("noview-print", "visible widget"), ("toggle-noview", "visible widget"),
            ("action", "/A, which a timestamp does not need"), ("additional-actions", "/AA, which a timestamp does not need"),
        ]
        for (variant, words) in widgets {
            let extended = try tools.extend(signed.data, tools.timestamp + ["--widget", variant])
            try assertInvalid(extended, "timestamp widget \(variant)", mentioning: [words])
        }
    }

    // MARK: - Class 4: algorithm policy and claimed times

    func testWeakAlgorithmsAreInvalidAndSoundOnesPass() throws {
        let tools = try OpenSSLSigner(ca: fixture.ca)
        defer { tools.remove() }
        let cases: [(label: String, key: [String], digest: String, words: String?)] = [
            ("RSA-2048 SHA-256", ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"], "sha256", nil),
            ("P-384 SHA-384", ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"], "sha384", nil),
            ("RSA-2048 SHA-1", ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"], "sha1", "SHA-1"),
            ("RSA-1024 SHA-256", ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"], "sha256", "RSA 1024"),
            ("secp256k1 SHA-256", ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp256k1"], "sha256", "unaccepted algorithm"),
            ("P-256 SHA-224", ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"], "sha224", "2.16.840.1.101.3.4.2.4"),
        ]
        for item in cases {
            let data = try tools.signedPDF(keyArguments: item.key, digest: item.digest)
            let report = try verify(data)
            if let words = item.words {
                XCTAssertEqual(report.verdict, .invalid, "\(item.label):\n\(report.humanText())")
                XCTAssertEqual(report.seal?.checks.signature.status, .fail, "\(item.label):\n\(report.humanText())")
                XCTAssertTrue(report.humanText().contains(words), "\(item.label): expected “\(words)”:\n\(report.humanText())")
            } else {
                XCTAssertEqual(report.seal?.checks.signature.status, .pass, "\(item.label):\n\(report.humanText())")
                XCTAssertEqual(report.seal?.checks.digest.status, .pass, "\(item.label):\n\(report.humanText())")
            }
        }
    }

    func testTwoCertificatesWithTheSignersIssuerAndSerialAreRefused() throws {
        let tools = try OpenSSLSigner(ca: fixture.ca)
        defer { tools.remove() }
        let data = try tools.signedPDF(keyArguments: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
                                       digest: "sha256", twinCertificate: true)
        let report = try verify(data)
        XCTAssertEqual(report.verdict, .invalid, report.humanText())
        XCTAssertTrue(report.humanText().contains("which one signed is ambiguous"), report.humanText())
    }

    func testSigningTimeInTheFutureIsNotValid() throws {
        let signed = try fixture.sign(now: Date().addingTimeInterval(86_400))
        try assertInvalid(signed.data, "signed tomorrow", mentioning: ["later than the verification time"])
        // A few minutes of clock skew are tolerated.
        let skewed = try fixture.sign(now: Date().addingTimeInterval(60))
        try assertValid(skewed.data, "signed a minute ahead")
    }

    /// A signature cannot claim a time after a timestamp that proves it (or
    /// the file holding it) existed: the document timestamp that follows the
    /// seal, or the seal's own signature timestamp (pyHanko, PAdES B-T).
    func testSigningTimeLaterThanATimestampIsNotValid() throws {
        let tools = try PyHankoExtender()
        defer { tools.remove() }
        let signed = try fixture.sign()
        let yesterday = Date().addingTimeInterval(-86_400)
        try assertInvalid(try tools.extend(signed.data, tools.timestamp(at: yesterday)), "document timestamp of yesterday",
                          mentioning: ["later than the document timestamp that follows it"])
        try assertValid(try tools.extend(signed.data, tools.timestamp(at: Date())), "document timestamp of now")

        let openssl = try OpenSSLSigner(ca: fixture.ca)
        defer { openssl.remove() }
        let leaf = try openssl.leaf(keyArguments: ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"])
        let sign = ["--sign", leaf.certificate.path, leaf.key.path]
        let stamped = try tools.extend(TestPDF.make(), sign + tools.timestamp(at: Date()))
        let report = try verify(stamped)
        XCTAssertEqual(report.seal?.checks.validity.status, .pass, "B-T signature stamped now:\n\(report.humanText())")
        let backdated = try tools.extend(TestPDF.make(), sign + tools.timestamp(at: yesterday))
        try assertInvalid(backdated, "B-T signature whose own timestamp is a day older",
                          mentioning: ["later than the timestamp in the same signature"])
    }

    // MARK: - Class 5: resources bounded by the file

    /// Cross-reference streams declaring millions of entries from a few KB of
    /// compressed zeros, and an object stream bomb: INVALID, quickly, with
    /// the peak memory of `segel-verify` bounded.
    func testDeclaredEntriesAndBombsAreBoundedByTheFile() throws {
        let verify = TestPaths.executable("segel-verify")
        guard FileManager.default.isExecutableFile(atPath: verify.path) else {
            throw XCTSkip("segel-verify is not built (swift build --product segel-verify)")
        }
        guard Tools.available("python3") else { throw XCTSkip("python3 is needed to make the deflate streams") }
        let work = try TestPaths.temporaryDirectory("bounded")
        defer { try? FileManager.default.removeItem(at: work) }
        let script = TestPaths.packageRoot.appendingPathComponent("scripts/support/make-bombs.py")
        let made = try Tools.run("python3", [script.path, work.path])
        XCTAssertEqual(made.status, 0, made.err)
        let signed = try fixture.sign()
        try signed.data.write(to: work.appendingPathComponent("signed.pdf"))
        let caPath = work.appendingPathComponent("ca.pem")
        try Data(fixture.ca.certificate.pem.utf8).write(to: caPath)
        for name in ["xref-entries.pdf", "xref-stream-bomb.pdf", "object-stream-bomb.pdf", "appended-bomb.pdf"] {
            let file = work.appendingPathComponent(name)
            if name == "appended-bomb.pdf" {
                // The bomb after a genuine signature, as an object of an update.
                let bomb = try Data(contentsOf: work.appendingPathComponent("bomb.deflate"))
                var update = try IncrementalUpdate(document: PDFDocument(data: signed.data, options: .strict))
                _ = update.add(.stream(PDFStream(dictionary: ["Filter": .name("FlateDecode")], data: bomb)))
                try update.write().write(to: file)
            }
            let started = Date()
            let run = try Tools.run("python3", ["-c", PeakMemory.script, verify.path, "--ca", caPath.path, file.path])
            let elapsed = Date().timeIntervalSince(started)
            let lines = run.out.split(separator: "\n")
            let peak = try XCTUnwrap(lines.last.flatMap { Int($0.split(separator: " ").last ?? "") }, run.out)
            print("\(name): INVALID in \(String(format: "%.2f", elapsed)) s, peak \(peak / 1024) MB")
            XCTAssertTrue(run.out.contains("INVALID"), "\(name): \(run.out)")
            XCTAssertTrue(run.out.contains("exit 1"), "\(name): \(run.out)")
            XCTAssertLessThan(elapsed, 20, "\(name) took \(elapsed) s")
            // 64 MB for the file plus what the verifier's own code needs (debug build).
            XCTAssertLessThan(peak, 160 << 10, "\(name): peak \(peak) KB")
        }
    }
}

/// Runs a command and prints its output, "exit N" and the peak resident set
/// of the child in KB (getrusage of the children, ru_maxrss).
enum PeakMemory {
    static let script = """
    import resource, subprocess, sys
    result = subprocess.run(sys.argv[1:], capture_output=True, text=True)
    print(result.stdout + result.stderr)
    print("exit", result.returncode)
    print("peak_kb", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    """
}
