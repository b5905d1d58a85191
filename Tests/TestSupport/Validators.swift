import Foundation

/// poppler's `pdfsig` with an NSS database that trusts one CA.
public struct PDFSig {
    public let nssDirectory: URL

    /// Creates an NSS database in `directory` trusting `caPEM` for signing.
    public init(trusting caPEM: URL, in directory: URL) throws {
        nssDirectory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let db = "sql:\(directory.path)"
        let created = try Tools.run("certutil", ["-N", "-d", db, "--empty-password"])
        guard created.status == 0 else { throw ValidatorError("certutil -N failed: \(created.err)") }
        let added = try Tools.run("certutil", ["-A", "-d", db, "-n", "segel-ca", "-t", "CT,C,C", "-i", caPEM.path])
        guard added.status == 0 else { throw ValidatorError("certutil -A failed: \(added.err)") }
    }

    public struct Signature: Sendable {
        public var lines: [String]
        public var signatureValid: Bool { lines.contains { $0.contains("Signature Validation: Signature is Valid") } }
        public var signatureValidation: String? { lines.first { $0.contains("Signature Validation:") } }
        public var certificateTrusted: Bool { lines.contains { $0.contains("Certificate Validation: Certificate is Trusted") } }
        public var totalDocumentSigned: Bool { lines.contains { $0.contains("Total document signed") } }
    }

    /// Every signature pdfsig reports, in file order.
    public func signatures(of pdf: URL) throws -> (status: Int32, signatures: [Signature], output: String) {
        let result = try Tools.run("pdfsig", ["-nssdir", "sql:\(nssDirectory.path)", pdf.path])
        var signatures: [Signature] = []
        for line in result.out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("Signature #") {
                signatures.append(Signature(lines: []))
            } else if !signatures.isEmpty {
                signatures[signatures.count - 1].lines.append(line)
            }
        }
        return (result.status, signatures, result.out + result.err)
    }
}

/// pyHanko's validator, one Python process for many files (`scripts/pyhanko-validate.py`).
public enum PyHanko {
    public struct Signature: Decodable, Sendable {
        public var field: String?
        public var intact: Bool?
        public var valid: Bool?
        public var trusted: Bool?
        public var coverage: String?
        public var modification_level: String?
        public var docmdp_ok: Bool?
        public var error: String?
    }

    public struct FileResult: Decodable, Sendable {
        public var file: String
        public var signatures: [Signature]
        public var error: String?
    }

    public static var available: Bool {
        (try? Tools.run("python3", ["-c", "import pyhanko, pyhanko_certvalidator"]).status) == 0
    }

    public static func validate(_ files: [URL], trusting caPEM: URL) throws -> [String: FileResult] {
        let script = TestPaths.packageRoot.appendingPathComponent("scripts/pyhanko-validate.py")
        let result = try Tools.run("python3", [script.path, caPEM.path] + files.map(\.path))
        guard result.status == 0 else { throw ValidatorError("pyHanko validator failed: \(result.err)") }
        var out: [String: FileResult] = [:]
        for line in result.out.split(separator: "\n") {
            let item = try JSONDecoder().decode(FileResult.self, from: Data(line.utf8))
            out[item.file] = item
        }
        return out
    }
}

public enum QRCheck {
    /// Renders one page (1-based) at 150 dpi with pdftoppm and decodes every QR with zbarimg.
    public static func decode(pdf: URL, page: Int, workDirectory: URL) throws -> [String] {
        let prefix = workDirectory.appendingPathComponent("qr-\(UUID().uuidString.prefix(6))")
        let rendered = try Tools.run("pdftoppm", ["-r", "150", "-f", "\(page)", "-l", "\(page)", "-png", "-singlefile", pdf.path, prefix.path])
        guard rendered.status == 0 else { throw ValidatorError("pdftoppm failed on \(pdf.lastPathComponent): \(rendered.err)") }
        let png = prefix.appendingPathExtension("png")
        defer { try? FileManager.default.removeItem(at: png) }
        let decoded = try Tools.run("zbarimg", ["-q", "--raw", "-Sdisable", "-Sqrcode.enable", png.path])
        return decoded.out.split(separator: "\n").map(String.init)
    }
}

public enum Text {
    /// `pdftotext -raw` output (content-stream order, so an annotation's text comes after
    /// the page's instead of being interleaved with it) with whitespace collapsed, or nil
    /// when poppler cannot extract it.
    public static func extract(_ pdf: URL) throws -> String? {
        let result = try Tools.run("pdftotext", ["-q", "-raw", "-enc", "UTF-8", pdf.path, "-"])
        guard result.status == 0 else { return nil }
        return result.out.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}

public struct ValidatorError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// `scripts/support/pyhanko-ltv.py`: pyHanko judging a signature at its own
/// timestamp's time with only the file's DSS (`embedded`), or now with
/// fetching from the certificate's CRL distribution point (`fetch`).
public enum PyHankoLTV {
    public enum Mode: String { case embedded, fetch }

    public struct Signature: Decodable, Sendable {
        public var field: String
        public var intact: Bool?
        public var valid: Bool?
        public var trusted: Bool?
        public var bottom_line: Bool?
        public var timestamp_valid: Bool?
        public var timestamp_trusted: Bool?
        public var timestamp_time: String?
        public var error: String?
    }

    struct FileResult: Decodable {
        var file: String
        var signatures: [Signature]
    }

    public static func validate(_ mode: Mode, _ files: [URL], trusting caPEM: URL) throws -> [String: [Signature]] {
        let script = TestPaths.packageRoot.appendingPathComponent("scripts/support/pyhanko-ltv.py")
        let result = try Tools.run("python3", [script.path, mode.rawValue, caPEM.path] + files.map(\.path))
        guard result.status == 0 else { throw ValidatorError("pyhanko-ltv.py failed: \(result.err)") }
        var out: [String: [Signature]] = [:]
        for line in result.out.split(separator: "\n") {
            let item = try JSONDecoder().decode(FileResult.self, from: Data(line.utf8))
            out[item.file] = item.signatures
        }
        return out
    }
}

/// `openssl ts -verify` on a signature's RFC 3161 signature timestamp
/// (extracted by `scripts/support/extract-signature-timestamp.py`).
public enum OpenSSLTimestamp {
    /// The openssl output and status for the signature `field` of `pdf`, checked against `caFile`.
    public static func verify(pdf: URL, field: String, caFile: URL, work: URL) throws -> Tools.Result {
        let directory = work.appendingPathComponent("ts-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let script = TestPaths.packageRoot.appendingPathComponent("scripts/support/extract-signature-timestamp.py")
        let extracted = try Tools.run("python3", [script.path, pdf.path, field, directory.path])
        guard extracted.status == 0 else { throw ValidatorError("cannot extract the timestamp: \(extracted.err)") }
        return try Tools.run("openssl", ["ts", "-verify", "-data", directory.appendingPathComponent("signature.bin").path,
                                         "-in", directory.appendingPathComponent("token.der").path, "-token_in",
                                         "-CAfile", caFile.path])
    }
}
