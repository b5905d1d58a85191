import Foundation
@testable import PDF

/// Makes real CMS signatures with the `openssl` command-line tool, so the
/// placeholder tests can check a complete file in pdfsig and pyHanko.
enum SigningSupport {
    struct Identity {
        let directory: URL
        var key: URL { directory.appendingPathComponent("key.pem") }
        var certificate: URL { directory.appendingPathComponent("cert.pem") }

        /// Deletes the key and certificate (the key is not encrypted).
        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    static var openssl: URL? { TestSupport.tool("openssl") }

    /// A new RSA key and self-signed certificate in a temporary folder; the
    /// caller removes it (`Identity.remove`).
    static func makeIdentity() throws -> Identity {
        guard let openssl else { throw PDFError(.unsupported, "openssl is not installed") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("segel-pdf-id-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let identity = Identity(directory: directory)
        var made = false
        defer { if !made { identity.remove() } }
        let result = try TestSupport.run(openssl, [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", identity.key.path,
            "-out", identity.certificate.path, "-subj", "/CN=segel test signer", "-days", "3",
            "-addext", "keyUsage=critical,digitalSignature,nonRepudiation",
        ])
        guard result.status == 0 else { throw PDFError(.unsupported, "openssl req failed: \(result.output)") }
        made = true
        return identity
    }

    /// A detached CAdES CMS over the prepared file's signed ranges.
    static func sign(_ prepared: PreparedSignature, identity: Identity) throws -> Data {
        guard let openssl else { throw PDFError(.unsupported, "openssl is not installed") }
        var content = Data()
        for range in prepared.signedRanges() { content.append(range) }
        let input = try TestSupport.temporaryFile(content, suffix: ".bin")
        let output = input.deletingPathExtension().appendingPathExtension("der")
        defer {
            try? FileManager.default.removeItem(at: input)
            try? FileManager.default.removeItem(at: output)
        }
        let result = try TestSupport.run(openssl, [
            "cms", "-sign", "-binary", "-cades", "-md", "sha256", "-in", input.path, "-signer",
            identity.certificate.path, "-inkey", identity.key.path, "-outform", "DER", "-out", output.path,
        ])
        guard result.status == 0 else { throw PDFError(.unsupported, "openssl cms failed: \(result.output)") }
        return try Data(contentsOf: output)
    }
}

extension SigningSupport {
    static let pyHankoScript = """
    import sys
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko_certvalidator import ValidationContext
    with open(sys.argv[1], 'rb') as f:
        reader = PdfFileReader(f, strict=True)
        vc = ValidationContext(trust_roots=[load_cert_from_pemder(sys.argv[2])])
        for sig in reader.embedded_signatures:
            status = validate_pdf_signature(sig, vc)
            print(sig.field_name, 'intact=%s valid=%s trusted=%s coverage=%s modification=%s' % (
                status.intact, status.valid, status.trusted, status.coverage.name,
                status.modification_level.name if status.modification_level else None))
    """

    static var pyHankoAvailable: Bool {
        guard let python = TestSupport.tool("python3"),
              let result = try? TestSupport.run(python, ["-c", "import pyhanko.sign.validation"]) else { return false }
        return result.status == 0
    }

    /// pyHanko's verdict lines, one per embedded signature.
    static func pyHankoValidate(_ file: URL, identity: Identity) throws -> String {
        guard let python = TestSupport.tool("python3") else { return "python3 missing" }
        return try TestSupport.run(python, ["-c", pyHankoScript, file.path, identity.certificate.path]).output
    }
}
