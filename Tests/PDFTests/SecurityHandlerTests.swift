import Foundation
import Testing
@testable import PDF

// Known-answer tests of the standard security handler against real files: the encrypted
// files of the corpus and files qpdf encrypts for the test. qpdf is the reference: for
// every string and stream of every uncompressed object, the handler's decryption of the
// raw bytes must equal what `qpdf --json` shows decrypted.

@Suite("Standard security handler on the corpus", .serialized,
       .enabled(if: SecurityFixtures.corpusIsPresent,
                "the corpus is not at ../shared/corpus/files next to the repository"))
struct SecurityHandlerCorpusTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let file: String
        let revision: Int
        let fileKeyHex: String
        var testDescription: String { file }
    }

    /// File keys as `qpdf --show-encryption-key` prints them.
    static let openable: [Case] = [
        Case(file: "pdfjs_empty_protected.pdf", revision: 6,
             fileKeyHex: "6749db69b19ac7a91579f561e09842ba07aebb7a6ba9c7950498724c4f936fd4"),
        Case(file: "qpdf_V4-aes.pdf", revision: 4, fileKeyHex: "474258b004f2ce0017adeb6e79574357"),
        Case(file: "qpdf_leading-junk.pdf", revision: 3, fileKeyHex: "1827777f1f30094016f892407a768d6b"),
        Case(file: "qpdf_minimal-signed-restricted.pdf", revision: 4,
             fileKeyHex: "edde8ef86d1633cc11903533b36bb344"),
        Case(file: "pypdf_r2-empty-password.pdf", revision: 2, fileKeyHex: "374675404a"),
        Case(file: "pypdf_r3-empty-password.pdf", revision: 3, fileKeyHex: "567ade93f85031efae6fe1edec120179"),
        Case(file: "pypdf_r6-empty-password.pdf", revision: 6,
             fileKeyHex: "56a73eb9caa96b570c808653ab89d4a0d62c0ad5dce64ebb0768f817af08979a"),
    ]

    @Test("opens with the empty user password and derives the file key", arguments: openable)
    func fileKey(_ testCase: Case) throws {
        let pdf = try SecurityFixtures.RawPDF(url: SecurityFixtures.corpus.appendingPathComponent(testCase.file))
        let parameters = try pdf.securityParameters()
        #expect(parameters.r == testCase.revision)
        let handler = try StandardSecurityHandler(parameters: parameters)
        #expect(handler.fileKey == Data(securityHex: testCase.fileKeyHex))
    }

    struct KnownString: Sendable, CustomTestStringConvertible {
        let file: String
        let object: Int
        let key: String
        let plaintext: String
        var testDescription: String { "\(file) \(object) 0 R /\(key)" }
    }

    static let knownStrings: [KnownString] = [
        KnownString(file: "pypdf_r2-empty-password.pdf", object: 2, key: "Author", plaintext: "cheng"),
        KnownString(file: "pypdf_r3-empty-password.pdf", object: 2, key: "Creator", plaintext: "WPS Writer"),
        KnownString(file: "pypdf_r6-empty-password.pdf", object: 2, key: "Author", plaintext: "cheng"),
        KnownString(file: "qpdf_V4-aes.pdf", object: 2, key: "CreationDate", plaintext: "D:20031010180432-03'00'"),
        KnownString(file: "qpdf_minimal-signed-restricted.pdf", object: 24, key: "Producer", plaintext: "Acrobat Sign"),
    ]

    @Test("decrypts a known Info string", arguments: knownStrings)
    func knownString(_ known: KnownString) throws {
        let pdf = try SecurityFixtures.RawPDF(url: SecurityFixtures.corpus.appendingPathComponent(known.file))
        let handler = try StandardSecurityHandler(parameters: pdf.securityParameters())
        let info = try #require(pdf.lastObject(number: known.object, generation: 0))
        let ciphertext = try #require(info.object[known.key]?.stringValue)
        #expect(ciphertext != Data(known.plaintext.utf8))
        let plaintext = try handler.decrypt(ciphertext, object: known.object, generation: 0, isStream: false)
        #expect(plaintext == Data(known.plaintext.utf8))
    }

    @Test("every string and stream decrypts to what qpdf shows", .enabled(if: SecurityFixtures.qpdfIsPresent),
          arguments: openable)
    func agreesWithQPDF(_ testCase: Case) throws {
        let url = SecurityFixtures.corpus.appendingPathComponent(testCase.file)
        let pdf = try SecurityFixtures.RawPDF(url: url)
        let handler = try StandardSecurityHandler(parameters: pdf.securityParameters())
        let result = try SecurityFixtures.compareWithQPDF(url: url, pdf: pdf, handler: handler)
        #expect(result.streams > 0)
        #expect(result.strings + result.streams >= 3)
    }

    @Test("refuses a file whose user password is not empty",
          arguments: ["pypdf_r6-user-password.pdf", "qpdf_enc-XI-R6_V5_U_view_O_master.pdf"])
    func passwordRequired(_ file: String) throws {
        let pdf = try SecurityFixtures.RawPDF(url: SecurityFixtures.corpus.appendingPathComponent(file))
        let parameters = try pdf.securityParameters()
        let error = try #require(throws: PDFError.self) {
            try StandardSecurityHandler(parameters: parameters)
        }
        #expect(error.code == .passwordRequired)
        #expect(error.message == "the file is protected by a password")
    }

    @Test("refuses revision 6 whose /Perms contradicts /P")
    func tamperedPermissions() throws {
        let pdf = try SecurityFixtures.RawPDF(url: SecurityFixtures.corpus.appendingPathComponent("pdfjs_empty_protected.pdf"))
        var parameters = try pdf.securityParameters()
        #expect(parameters.p == -1052)
        parameters.p = -4
        let error = try #require(throws: PDFError.self) {
            try StandardSecurityHandler(parameters: parameters)
        }
        #expect(error.code == .encryption)
        #expect(error.message.contains("/Perms"))
    }

    @Test("refuses a revision 4 file whose /O was altered, since /O feeds the file key")
    func tamperedOwnerEntry() throws {
        let pdf = try SecurityFixtures.RawPDF(url: SecurityFixtures.corpus.appendingPathComponent("qpdf_V4-aes.pdf"))
        var parameters = try pdf.securityParameters()
        parameters.o[0] ^= 0x01
        #expect(throws: PDFError(.passwordRequired, "the file is protected by a password")) {
            try StandardSecurityHandler(parameters: parameters)
        }
    }
}

@Suite("Standard security handler on files qpdf encrypts", .serialized,
       .enabled(if: SecurityFixtures.qpdfIsPresent, "qpdf is not installed"))
struct SecurityHandlerQPDFTests {
    struct Variant: Sendable, CustomTestStringConvertible {
        let name: String
        let arguments: [String]
        let revision: Int
        let method: CryptMethod
        let keyLength: Int
        let encryptMetadata: Bool
        var testDescription: String { name }
    }

    static let variants: [Variant] = [
        Variant(name: "RC4 40-bit (R2)", arguments: ["--allow-weak-crypto", "--encrypt", "", "owner", "40", "--"],
                revision: 2, method: .rc4, keyLength: 5, encryptMetadata: true),
        Variant(name: "RC4 128-bit (R3)",
                arguments: ["--allow-weak-crypto", "--encrypt", "", "owner", "128", "--use-aes=n", "--"],
                revision: 3, method: .rc4, keyLength: 16, encryptMetadata: true),
        Variant(name: "RC4 128-bit in V4 crypt filters (R4)",
                arguments: ["--allow-weak-crypto", "--encrypt", "", "owner", "128", "--use-aes=n", "--force-V4", "--"],
                revision: 4, method: .rc4, keyLength: 16, encryptMetadata: true),
        Variant(name: "AES-128 (R4)", arguments: ["--encrypt", "", "owner", "128", "--use-aes=y", "--"],
                revision: 4, method: .aesV2, keyLength: 16, encryptMetadata: true),
        Variant(name: "AES-128 (R4), cleartext metadata",
                arguments: ["--encrypt", "", "owner", "128", "--use-aes=y", "--cleartext-metadata", "--"],
                revision: 4, method: .aesV2, keyLength: 16, encryptMetadata: false),
        Variant(name: "AES-256 (R6)", arguments: ["--encrypt", "", "owner", "256", "--"],
                revision: 6, method: .aesV3, keyLength: 32, encryptMetadata: true),
        Variant(name: "AES-256 (R6), cleartext metadata",
                arguments: ["--encrypt", "", "owner", "256", "--cleartext-metadata", "--"],
                revision: 6, method: .aesV3, keyLength: 32, encryptMetadata: false),
        Variant(name: "AES-256 (R5, Adobe extension level 3)",
                arguments: ["--encrypt", "", "owner", "256", "--force-R5", "--"],
                revision: 5, method: .aesV3, keyLength: 32, encryptMetadata: true),
    ]

    @Test("opens, derives qpdf's key and decrypts what qpdf decrypts", arguments: variants)
    func emptyUserPassword(_ variant: Variant) throws {
        let directory = try SecurityFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let plain = directory.appendingPathComponent("plain.pdf")
        let encrypted = directory.appendingPathComponent("encrypted.pdf")
        try SecurityFixtures.tinyPDF().write(to: plain)
        _ = try SecurityFixtures.qpdf(["--object-streams=disable", "--compress-streams=n"] + variant.arguments
            + [plain.path, encrypted.path])

        let pdf = try SecurityFixtures.RawPDF(url: encrypted)
        let parameters = try pdf.securityParameters()
        #expect(parameters.r == variant.revision)
        #expect(parameters.streamMethod == variant.method)
        #expect(parameters.encryptMetadata == variant.encryptMetadata)
        let handler = try StandardSecurityHandler(parameters: parameters)
        #expect(handler.fileKey.count == variant.keyLength)
        #expect(handler.fileKey == (try SecurityFixtures.qpdfFileKey(encrypted)))

        let result = try SecurityFixtures.compareWithQPDF(url: encrypted, pdf: pdf, handler: handler)
        #expect(result.strings >= 2)
        #expect(result.decryptedStreams.contains(SecurityFixtures.tinyContent))

        // The plaintext as qpdf writes it when asked to drop the encryption.
        let decrypted = directory.appendingPathComponent("decrypted.pdf")
        _ = try SecurityFixtures.qpdf(["--qdf", "--object-streams=disable", "--decrypt", encrypted.path, decrypted.path])
        let qdf = try Data(contentsOf: decrypted)
        #expect(qdf.range(of: SecurityFixtures.tinyContent) != nil)
        #expect(qdf.range(of: Data("(segel encryption test)".utf8)) != nil)
        let ciphertextStream = try #require(result.rawStreams.first { $0.plaintext == SecurityFixtures.tinyContent })
        #expect(ciphertextStream.raw != SecurityFixtures.tinyContent)
    }

    @Test("refuses a non-empty user password, whatever the owner password", arguments: [
        ["--allow-weak-crypto", "--encrypt", "user", "owner", "40", "--"],
        ["--allow-weak-crypto", "--encrypt", "user", "owner", "128", "--use-aes=n", "--"],
        ["--encrypt", "user", "owner", "128", "--use-aes=y", "--"],
        ["--encrypt", "user", "", "128", "--use-aes=y", "--"],
        ["--encrypt", "user", "owner", "256", "--"],
        ["--encrypt", "user", "", "256", "--allow-insecure", "--"],
        ["--encrypt", "user", "", "256", "--force-R5", "--allow-insecure", "--"],
    ])
    func userPassword(_ arguments: [String]) throws {
        let directory = try SecurityFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let plain = directory.appendingPathComponent("plain.pdf")
        let encrypted = directory.appendingPathComponent("encrypted.pdf")
        try SecurityFixtures.tinyPDF().write(to: plain)
        _ = try SecurityFixtures.qpdf(arguments + [plain.path, encrypted.path])
        let parameters = try SecurityFixtures.RawPDF(url: encrypted).securityParameters()
        #expect(throws: PDFError(.passwordRequired, "the file is protected by a password")) {
            try StandardSecurityHandler(parameters: parameters)
        }
        if parameters.r >= 5 {
            // The same hash does accept the real user password, so the refusal is not a
            // broken algorithm 2.A / 2.B.
            let u = Data(parameters.u.prefix(48))
            let hash = try StandardSecurityHandler.passwordHash(revision: parameters.r, password: Data("user".utf8),
                                                                 salt: Data(u[32..<40]))
            #expect(hash == u[0..<32])
        }
    }
}

// MARK: - Test-only helpers: a minimal reader of raw PDF syntax and qpdf plumbing

enum SecurityFixtures {
    static let corpus: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/corpus/files").standardizedFileURL

    static var corpusIsPresent: Bool {
        FileManager.default.fileExists(atPath: corpus.appendingPathComponent("pypdf_r2-empty-password.pdf").path)
    }

    static let qpdfPath: String? = ["/usr/bin/qpdf", "/usr/local/bin/qpdf"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    static var qpdfIsPresent: Bool { qpdfPath != nil }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("segel-security-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs qpdf and returns its standard output; exit status 3 (warnings) counts as success.
    static func qpdf(_ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(qpdfPath))
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 || process.terminationStatus == 3 else {
            throw PDFError(.malformed, "qpdf \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
        return data
    }

    static func qpdfFileKey(_ url: URL) throws -> Data {
        let text = String(decoding: try qpdf(["--show-encryption-key", "--show-encryption", url.path]), as: UTF8.self)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("Encryption key = ") })
        return Data(securityHex: String(line.dropFirst("Encryption key = ".count)))
    }

    static let tinyContent = Data("BT /F1 24 Tf 40 100 Td (Hello, segel) Tj ET\n".utf8)

    /// A one-page PDF with an uncompressed content stream and an Info dictionary, with a
    /// correct cross-reference table so qpdf needs no repair.
    static func tinyPDF() -> Data {
        let bodies = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
                + "/Resources << /Font << /F1 6 0 R >> >> >>",
            "<< /Length \(tinyContent.count) >>\nstream\n\(String(decoding: tinyContent, as: UTF8.self))endstream",
            "<< /Title (segel encryption test) /Producer (segel \\(tests\\)) /Keywords <FEFF0073006500670065006C> >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
        var file = Data("%PDF-1.7\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
        var offsets: [Int] = []
        for (index, body) in bodies.enumerated() {
            offsets.append(file.count)
            file.append(Data("\(index + 1) 0 obj\n\(body)\nendobj\n".utf8))
        }
        let xref = file.count
        var table = "xref\n0 \(bodies.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { table += String(format: "%010d 00000 n \n", offset) }
        table += "trailer\n<< /Size \(bodies.count + 1) /Root 1 0 R /Info 5 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        file.append(Data(table.utf8))
        return file
    }

    struct Comparison {
        var strings = 0
        var streams = 0
        var rawStreams: [(raw: Data, plaintext: Data)] = []
        var decryptedStreams: [Data] { rawStreams.map(\.plaintext) }
    }

    /// Decrypts every string and stream of every uncompressed object (except the
    /// encryption dictionary, cross-reference streams and signature `/Contents`, which are
    /// never encrypted) and expects each to equal qpdf's decrypted JSON.
    static func compareWithQPDF(url: URL, pdf: RawPDF, handler: StandardSecurityHandler) throws -> Comparison {
        let xref = String(decoding: try qpdf(["--show-xref", url.path]), as: UTF8.self)
        let json = try JSONSerialization.jsonObject(with: try qpdf([
            "--json=2", "--json-key=qpdf", "--json-stream-data=inline", "--decode-level=none", url.path,
        ])) as? [String: Any]
        let sections = try #require(json?["qpdf"] as? [Any])
        let objects = try #require(sections.count == 2 ? sections[1] as? [String: Any] : nil)
        let encryptRef = try #require(pdf.trailerValue("Encrypt")?.referenceValue)

        var result = Comparison()
        for line in xref.split(separator: "\n") {
            // "12/0: uncompressed; offset = 613"
            let parts = line.split(whereSeparator: { "/: ;=".contains($0) })
            guard parts.count == 5, parts[2] == "uncompressed", let number = Int(parts[0]),
                  let generation = Int(parts[1]), let offset = Int(parts[4]) else { continue }
            guard number != encryptRef.number,
                  let entry = objects["obj:\(number) \(generation) R"] as? [String: Any] else { continue }
            let raw = try #require(pdf.object(atPDFOffset: offset, number: number, generation: generation),
                                   "object \(number) is not at offset \(offset)")
            if let stream = entry["stream"] as? [String: Any] {
                let rawData = try #require(raw.streamData, "object \(number) should be a stream")
                let type = raw.object["Type"]?.nameValue
                guard type != "XRef" else { continue }
                if type == "Metadata" && !handler.parameters.encryptMetadata { continue }
                if let base64 = stream["data"] as? String {
                    let expected = try #require(Data(base64Encoded: base64))
                    let actual = try handler.decrypt(rawData, object: number, generation: generation, isStream: true)
                    #expect(actual == expected, "stream \(number) \(generation) R of \(url.lastPathComponent)")
                    result.streams += 1
                    result.rawStreams.append((rawData, actual))
                }
                try compareStrings(raw.object, stream["dict"], number, generation, handler, &result, url)
            } else {
                try compareStrings(raw.object, entry["value"], number, generation, handler, &result, url)
            }
        }
        return result
    }

    private static func compareStrings(_ raw: RawObject, _ json: Any?, _ number: Int, _ generation: Int,
                                       _ handler: StandardSecurityHandler, _ result: inout Comparison,
                                       _ url: URL) throws {
        let place = "object \(number) \(generation) R of \(url.lastPathComponent)"
        switch raw {
        case .string(let ciphertext):
            let shown = try #require(json as? String, "qpdf shows no string in \(place)")
            let plaintext = try handler.decrypt(ciphertext, object: number, generation: generation, isStream: false)
            if shown.hasPrefix("b:") {
                #expect(plaintext == Data(securityHex: String(shown.dropFirst(2))), "string in \(place)")
            } else if let text = plaintext.securityTextString {
                #expect("u:" + text == shown, "string in \(place)")
            } else {
                return
            }
            result.strings += 1
        case .dictionary(let entries):
            let shown = try #require(json as? [String: Any], "qpdf shows no dictionary in \(place)")
            let isSignature = entries["ByteRange"] != nil
            for (key, value) in entries where !(isSignature && key == "Contents") {
                try compareStrings(value, shown["/" + key], number, generation, handler, &result, url)
            }
        case .array(let elements):
            let shown = try #require(json as? [Any], "qpdf shows no array in \(place)")
            try #require(shown.count == elements.count, "array lengths differ in \(place)")
            for (element, shownElement) in zip(elements, shown) {
                try compareStrings(element, shownElement, number, generation, handler, &result, url)
            }
        default:
            break
        }
    }
}

extension SecurityFixtures {
    /// A PDF object as the test reader sees it.
    indirect enum RawObject {
        case number(Double)
        case name(String)
        case string(Data)
        case array([RawObject])
        case dictionary([String: RawObject])
        case reference(number: Int, generation: Int)
        case keyword(String)

        subscript(key: String) -> RawObject? {
            if case .dictionary(let entries) = self { return entries[key] }
            return nil
        }

        var intValue: Int? { if case .number(let value) = self { return Int(value) } else { return nil } }
        var nameValue: String? { if case .name(let value) = self { return value } else { return nil } }
        var stringValue: Data? { if case .string(let value) = self { return value } else { return nil } }
        var arrayValue: [RawObject]? { if case .array(let value) = self { return value } else { return nil } }
        var referenceValue: (number: Int, generation: Int)? {
            if case .reference(let number, let generation) = self { return (number, generation) } else { return nil }
        }
    }

    /// Just enough of ISO 32000-2 §7.2–7.3 to read an encryption dictionary, a trailer and
    /// the raw strings and streams of a file, independently of the module under test.
    struct RawPDF {
        let bytes: [UInt8]
        /// Where `%PDF-` starts; offsets in the file are relative to it.
        let headerOffset: Int

        init(url: URL) throws {
            bytes = [UInt8](try Data(contentsOf: url))
            headerOffset = RawPDF.find(Array("%PDF-".utf8), in: bytes, from: 0) ?? 0
        }

        struct IndirectObject {
            let object: RawObject
            let streamData: Data?
        }

        func object(atPDFOffset offset: Int, number: Int, generation: Int) -> IndirectObject? {
            object(atFileOffset: headerOffset + offset, number: number, generation: generation)
        }

        /// The last definition of an object in the file, found by searching for `N G obj`.
        func lastObject(number: Int, generation: Int) -> IndirectObject? {
            let pattern = Array("\(number) \(generation) obj".utf8)
            var found: Int?
            var start = 0
            while let index = RawPDF.find(pattern, in: bytes, from: start) {
                if index == 0 || Lexer.isWhitespace(bytes[index - 1]) { found = index }
                start = index + 1
            }
            return found.flatMap { object(atFileOffset: $0, number: number, generation: generation) }
        }

        /// The value after the last `/key` that is a whole name: the trailer comes last.
        func trailerValue(_ key: String) -> RawObject? {
            let pattern = Array("/\(key)".utf8)
            var found: RawObject?
            var start = 0
            while let index = RawPDF.find(pattern, in: bytes, from: start) {
                let end = index + pattern.count
                if end < bytes.count, Lexer.isWhitespace(bytes[end]) || Lexer.isDelimiter(bytes[end]) {
                    var scanner = Lexer(bytes: bytes, position: end)
                    found = scanner.parse() ?? found
                }
                start = index + 1
            }
            return found
        }

        func securityParameters() throws -> StandardSecurityParameters {
            let ref = try #require(trailerValue("Encrypt")?.referenceValue, "no /Encrypt in the trailer")
            let encrypt = try #require(lastObject(number: ref.number, generation: ref.generation)?.object)
            let v = encrypt["V"]?.intValue ?? 0
            func method(_ key: String) throws -> CryptMethod {
                guard v >= 4 else { return .rc4 }
                let filter = encrypt[key]?.nameValue ?? "Identity"
                if filter == "Identity" { return .identity }
                let name = encrypt["CF"]?[filter]?["CFM"]?.nameValue ?? "None"
                return try #require(CryptMethod(cryptFilterMethod: name))
            }
            let firstID = trailerValue("ID")?.arrayValue?.first?.stringValue ?? Data()
            return StandardSecurityParameters(
                v: v, r: encrypt["R"]?.intValue ?? 0, lengthBits: encrypt["Length"]?.intValue ?? 40,
                o: encrypt["O"]?.stringValue ?? Data(), u: encrypt["U"]?.stringValue ?? Data(),
                oe: encrypt["OE"]?.stringValue, ue: encrypt["UE"]?.stringValue, perms: encrypt["Perms"]?.stringValue,
                p: Int32(truncatingIfNeeded: encrypt["P"]?.intValue ?? 0),
                encryptMetadata: {
                    if case .keyword("false")? = encrypt["EncryptMetadata"] { return false } else { return true }
                }(),
                firstID: firstID, stringMethod: try method("StrF"), streamMethod: try method("StmF"))
        }

        private func object(atFileOffset offset: Int, number: Int, generation: Int) -> IndirectObject? {
            var scanner = Lexer(bytes: bytes, position: offset)
            guard case .number(Double(number))? = scanner.parse(), case .number(Double(generation))? = scanner.parse(),
                  case .keyword("obj")? = scanner.parse(), let object = scanner.parse() else { return nil }
                guard case .keyword("stream")? = scanner.parse() else {
                return IndirectObject(object: object, streamData: nil)
            }
                var start = scanner.position
            if start < bytes.count, bytes[start] == 0x0D { start += 1 }
            if start < bytes.count, bytes[start] == 0x0A { start += 1 }
            var length = object["Length"]?.intValue
            if let ref = object["Length"]?.referenceValue {
                length = lastObject(number: ref.number, generation: ref.generation)?.object.intValue
            }
            guard let length, start + length <= bytes.count else { return nil }
            return IndirectObject(object: object, streamData: Data(bytes[start..<(start + length)]))
        }

        static func find(_ pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
            guard let first = pattern.first, bytes.count >= pattern.count else { return nil }
            var index = start
            while index <= bytes.count - pattern.count {
                if bytes[index] == first && bytes[index..<(index + pattern.count)].elementsEqual(pattern) { return index }
                index += 1
            }
            return nil
        }
    }

    struct Lexer {
        let bytes: [UInt8]
        var position: Int

        static func isWhitespace(_ byte: UInt8) -> Bool { [0, 9, 10, 12, 13, 32].contains(byte) }
        static func isDelimiter(_ byte: UInt8) -> Bool { Array("()<>[]{}/%".utf8).contains(byte) }

        private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        private mutating func skipWhitespaceAndComments() {
            while let byte = current {
                if Lexer.isWhitespace(byte) {
                    position += 1
                } else if byte == UInt8(ascii: "%") {
                    while let c = current, c != 10, c != 13 { position += 1 }
                } else {
                    return
                }
            }
        }

        private mutating func regularRun() -> [UInt8] {
            let start = position
            while let byte = current, !Lexer.isWhitespace(byte), !Lexer.isDelimiter(byte) { position += 1 }
            return Array(bytes[start..<position])
        }

        /// Parses one object; an integer followed by `G R` becomes a reference.
        mutating func parse() -> RawObject? {
            skipWhitespaceAndComments()
            guard let byte = current else { return nil }
            switch byte {
            case UInt8(ascii: "/"):
                position += 1
                var name: [UInt8] = []
                let run = regularRun()
                var index = 0
                while index < run.count {
                    if run[index] == UInt8(ascii: "#"), index + 2 < run.count,
                       let value = UInt8(String(decoding: run[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                        name.append(value)
                        index += 3
                    } else {
                        name.append(run[index])
                        index += 1
                    }
                }
                return .name(String(decoding: name, as: UTF8.self))
            case UInt8(ascii: "("):
                position += 1
                return .string(literalString())
            case UInt8(ascii: "<"):
                if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "<") {
                    position += 2
                    var entries: [String: RawObject] = [:]
                    while true {
                        skipWhitespaceAndComments()
                        guard let c = current else { return nil }
                        if c == UInt8(ascii: ">") {
                            position += 2
                            return .dictionary(entries)
                        }
                        guard case .name(let key)? = parse(), let value = parse() else { return nil }
                        entries[key] = value
                    }
                }
                position += 1
                var digits: [UInt8] = []
                while let c = current, c != UInt8(ascii: ">") {
                    if !Lexer.isWhitespace(c) { digits.append(c) }
                    position += 1
                }
                position += 1
                if digits.count % 2 == 1 { digits.append(UInt8(ascii: "0")) }
                return .string(Data(securityHex: String(decoding: digits, as: UTF8.self)))
            case UInt8(ascii: "["):
                position += 1
                var elements: [RawObject] = []
                while true {
                    skipWhitespaceAndComments()
                    guard let c = current else { return nil }
                    if c == UInt8(ascii: "]") {
                        position += 1
                        return .array(elements)
                    }
                    guard let element = parse() else { return nil }
                    elements.append(element)
                }
            default:
                let run = regularRun()
                if run.isEmpty {
                    position += 1
                    return .keyword(String(decoding: [byte], as: UTF8.self))
                }
                let text = String(decoding: run, as: UTF8.self)
                guard let value = Double(text) else { return .keyword(text) }
                if let number = Int(text) {
                    // Look ahead with plain runs, not parse(): a recursive look-ahead makes
                    // long arrays of numbers take exponential time.
                    let saved = position
                    skipWhitespaceAndComments()
                    if let generation = Int(String(decoding: regularRun(), as: UTF8.self)), generation >= 0 {
                        skipWhitespaceAndComments()
                        if regularRun() == [UInt8(ascii: "R")] {
                            return .reference(number: number, generation: generation)
                        }
                    }
                    position = saved
                }
                return .number(value)
            }
        }

        /// A literal string (§7.3.4.2): balanced parentheses, escapes, and end-of-line
        /// markers inside the string read as a single line feed.
        private mutating func literalString() -> Data {
            var output = Data()
            var depth = 1
            while let byte = current {
                position += 1
                switch byte {
                case UInt8(ascii: "("):
                    depth += 1
                    output.append(byte)
                case UInt8(ascii: ")"):
                    depth -= 1
                    if depth == 0 { return output }
                    output.append(byte)
                case 13:
                    if current == 10 { position += 1 }
                    output.append(10)
                case UInt8(ascii: "\\"):
                    guard let escaped = current else { return output }
                    position += 1
                    switch escaped {
                    case UInt8(ascii: "n"): output.append(10)
                    case UInt8(ascii: "r"): output.append(13)
                    case UInt8(ascii: "t"): output.append(9)
                    case UInt8(ascii: "b"): output.append(8)
                    case UInt8(ascii: "f"): output.append(12)
                    case 13: if current == 10 { position += 1 }
                    case 10: break
                    case UInt8(ascii: "0")...UInt8(ascii: "7"):
                        var value = Int(escaped - UInt8(ascii: "0"))
                        for _ in 0..<2 {
                            guard let digit = current, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(digit) else { break }
                            value = value * 8 + Int(digit - UInt8(ascii: "0"))
                            position += 1
                        }
                        output.append(UInt8(truncatingIfNeeded: value))
                    default: output.append(escaped)
                    }
                default:
                    output.append(byte)
                }
            }
            return output
        }
    }
}

extension Data {
    init(securityHex hex: String) {
        var bytes: [UInt8] = []
        var high: UInt8?
        for character in hex.utf8 {
            guard let nibble = UInt8(String(UnicodeScalar(character)), radix: 16) else { continue }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        self.init(bytes)
    }

    /// The text of a PDF text string (§7.9.2.2) the way qpdf's JSON shows it, for the
    /// encodings a test can decode unambiguously; `nil` for PDFDocEncoding bytes outside
    /// ASCII, which the comparison then skips.
    var securityTextString: String? {
        if starts(with: [0xFE, 0xFF]) {
            let units = stride(from: 2, to: count - 1, by: 2).map { UInt16(self[$0]) << 8 | UInt16(self[$0 + 1]) }
            return String(decoding: units, as: UTF16.self)
        }
        if starts(with: [0xEF, 0xBB, 0xBF]) { return String(decoding: dropFirst(3), as: UTF8.self) }
        guard allSatisfy({ $0 < 0x80 }) else { return nil }
        return String(decoding: self, as: UTF8.self)
    }
}
