import Foundation
import Testing
@testable import PKI

/// End-to-end check that a `CMSSigner` signature embedded in a minimal PDF
/// (ISO 32000-2 §12.8, SubFilter ETSI.CAdES.detached) validates in the tools
/// the design names: poppler's pdfsig (NSS) and pyHanko.
@Suite("CMS in a PDF: pdfsig and pyHanko")
struct PDFSignatureInteropTests {
    static let pdfsig = "/usr/bin/pdfsig"
    static let certutil = "/usr/bin/certutil"
    static var hasPoppler: Bool {
        FileManager.default.isExecutableFile(atPath: pdfsig) && FileManager.default.isExecutableFile(atPath: certutil)
    }

    /// A one-page PDF with one signature field whose /Contents holds `sign(ranges)`.
    static func signedPDF(_ sign: ([Data]) throws -> Data) throws -> Data {
        let reservedBytes = 8192
        let byteRangeWidth = 60
        let placeholder = "[0 0 0 0]".padding(toLength: byteRangeWidth, withPad: " ", startingAt: 0)
        let zeros = String(repeating: "0", count: reservedBytes * 2)
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >> >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] >>",
            "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /Rect [0 0 0 0] /F 132 /P 3 0 R /V 5 0 R >>",
            "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange \(placeholder) /Contents <\(zeros)> /M (D:20260101000000Z) /Reason (Test) >>",
        ]
        var file = Data("%PDF-1.7\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
        var offsets: [Int] = []
        for (index, body) in objects.enumerated() {
            offsets.append(file.count)
            file.append(Data("\(index + 1) 0 obj\n\(body)\nendobj\n".utf8))
        }
        let xrefOffset = file.count
        var xref = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { xref += String(format: "%010d 00000 n \n", offset) }
        xref += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xrefOffset)\n%%EOF\n"
        file.append(Data(xref.utf8))

        let contentsStart = try #require(file.firstRange(of: Data("/Contents <".utf8))).upperBound - 1
        let contentsEnd = contentsStart + 2 + reservedBytes * 2
        let byteRange = "[0 \(contentsStart) \(contentsEnd) \(file.count - contentsEnd)]"
            .padding(toLength: byteRangeWidth, withPad: " ", startingAt: 0)
        let byteRangeStart = try #require(file.firstRange(of: Data(placeholder.utf8))).lowerBound
        file.replaceSubrange(byteRangeStart..<byteRangeStart + byteRangeWidth, with: Data(byteRange.utf8))

        let cms = try sign([file.prefix(contentsStart), file.suffix(from: contentsEnd)])
        try #require(cms.count <= reservedBytes)
        let hex = Digest.hex(cms).uppercased().padding(toLength: reservedBytes * 2, withPad: "0", startingAt: 0)
        file.replaceSubrange(contentsStart + 1..<contentsEnd - 1, with: Data(hex.utf8))
        return file
    }

    @Test("pdfsig reports a valid signature from a trusted certificate",
          .enabled(if: hasPoppler, "poppler-utils / libnss3-tools not installed"), arguments: [KeyType.rsa2048, .p256])
    func pdfsigAccepts(keyType: KeyType) throws {
        let fixture = try CMSTests.fixture(keyType)
        let pdf = try Self.signedPDF { parts in
            try CMSSigner.signDetached(content: parts, key: fixture.key, certificate: fixture.leaf,
                                       chain: [fixture.authority.certificate])
        }
        let directory = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pdfPath = try TestSupport.write(pdf, directory, "signed.pdf")
        let caPath = try TestSupport.write(fixture.authority.certificate.pem, directory, "ca.pem")
        let database = directory.appendingPathComponent("nss").path
        try FileManager.default.createDirectory(atPath: database, withIntermediateDirectories: true)
        #expect(try TestSupport.run(Self.certutil, ["-N", "-d", "sql:\(database)", "--empty-password"]).status == 0)
        #expect(try TestSupport.run(Self.certutil, ["-A", "-d", "sql:\(database)", "-n", "segel-ca", "-t", "CT,C,C",
                                                    "-i", caPath]).status == 0)

        let result = try TestSupport.run(Self.pdfsig, ["-nssdir", "sql:\(database)", pdfPath])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout.contains("Signature Validation: Signature is Valid."), "\(result.output)")
        #expect(result.stdout.contains("Certificate Validation: Certificate is Trusted."), "\(result.output)")
        #expect(result.stdout.contains("Signer Certificate Common Name: José Müller"), "\(result.output)")
        #expect(result.stdout.contains("Signature Type: ETSI.CAdES.detached"))
        #expect(result.stdout.contains("Total document signed"))

        // The same file with one content byte changed must be reported as broken.
        var tampered = pdf
        let mediaBox = try #require(pdf.firstRange(of: Data("200 200".utf8))).lowerBound
        tampered[mediaBox] = UInt8(ascii: "3")
        let tamperedPath = try TestSupport.write(tampered, directory, "tampered.pdf")
        let refused = try TestSupport.run(Self.pdfsig, ["-nssdir", "sql:\(database)", tamperedPath])
        #expect(!refused.stdout.contains("Signature is Valid."), "\(refused.output)")
    }

    @Test("pyHanko validates the PDF signature as intact, valid, trusted and covering the file",
          .enabled(if: PyHanko.available, "python3 with pyHanko not installed"), arguments: [KeyType.rsa2048, .p256])
    func pyHankoAccepts(keyType: KeyType) throws {
        let fixture = try CMSTests.fixture(keyType)
        let pdf = try Self.signedPDF { parts in
            try CMSSigner.signDetached(content: parts, key: fixture.key, certificate: fixture.leaf,
                                       chain: [fixture.authority.certificate])
        }
        let directory = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = """
        import sys
        from asn1crypto import x509
        from pyhanko_certvalidator import ValidationContext
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        root = x509.Certificate.load(open(sys.argv[2], 'rb').read())
        with open(sys.argv[1], 'rb') as f:
            reader = PdfFileReader(f, strict=True)
            signature = reader.embedded_signatures[0]
            status = validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))
            print(f"intact={status.intact} valid={status.valid} trusted={status.trusted} coverage={status.coverage.name} bottom_line={status.bottom_line}")
            print(status.pretty_print_details())
        """
        let scriptPath = try TestSupport.write(script, directory, "validate_pdf.py")
        let pdfPath = try TestSupport.write(pdf, directory, "signed.pdf")
        let rootPath = try TestSupport.write(fixture.authority.certificate.der, directory, "root.der")
        let result = try TestSupport.run(PyHanko.python!, [scriptPath, pdfPath, rootPath])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout.contains("intact=True valid=True trusted=True coverage=ENTIRE_FILE bottom_line=True"),
                "\(result.output)")
    }
}
