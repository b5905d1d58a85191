import Foundation
import Testing
@testable import PDF

/// The parser's use of the standard security handler: decryption on load,
/// decrypted rewrites, encrypted incremental updates. Runs only once the real
/// handler is built in (the placeholder refuses every encrypted file).
@Suite("Encrypted documents", .enabled(if: SecurityHandlerProbe.isReal && TestSupport.tool("qpdf") != nil,
                                       "the standard security handler is a placeholder, or qpdf is missing"))
struct EncryptedDocumentTests {
    static func encrypt(_ data: Data, arguments: [String]) throws -> Data {
        let input = try TestSupport.temporaryFile(data)
        let output = input.deletingPathExtension().appendingPathExtension("enc.pdf")
        defer {
            try? FileManager.default.removeItem(at: input)
            try? FileManager.default.removeItem(at: output)
        }
        let result = try TestSupport.run(TestSupport.tool("qpdf")!,
                                         ["--allow-weak-crypto", "--encrypt"] + arguments + ["--", input.path, output.path])
        guard result.status == 0 || result.status == 3 else {
            throw PDFError(.unsupported, "qpdf --encrypt failed: \(result.output)")
        }
        return try Data(contentsOf: output)
    }

    @Test("strings and streams decrypt on load; the rewrite is unencrypted",
          arguments: [["", "owner", "40"], ["", "owner", "128"], ["", "owner", "128", "--use-aes=y"], ["", "owner", "256"]])
    func decryptAndRewrite(arguments: [String]) throws {
        var fixture = PDFFixture()
        fixture.simpleDocument(text: "Secret text")
        fixture.object(6, "<< /Title (Encrypted title) >>")
        fixture.table(trailer: "/Size 7 /Root 1 0 R /Info 6 0 R")
        let encrypted = try Self.encrypt(fixture.data, arguments: arguments)
        #expect(encrypted.range(of: Data("Secret text".utf8)) == nil)

        let document = try PDFDocument(data: encrypted)
        #expect(document.isEncrypted)
        #expect(document.info?["Title"]?.textValue == "Encrypted title")
        let page = try document.pages[0]
        let content = try #require(try document.resolve(page.dictionary["Contents"]!).streamValue)
        #expect(String(decoding: try content.decodedData(), as: UTF8.self).contains("(Secret text)"))

        let rewritten = try PDFRewriter.rewrite(document)
        let plain = try PDFDocument(data: rewritten)
        #expect(!plain.isEncrypted)
        #expect(plain.info?["Title"]?.textValue == "Encrypted title")
        let url = try TestSupport.temporaryFile(rewritten)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try TestSupport.run(TestSupport.tool("qpdf")!, ["--check", url.path]).status == 0)
    }

    @Test("an update to an encrypted signed file encrypts new strings but not /Contents",
          .enabled(if: SigningSupport.openssl != nil && TestSupport.tool("pdfsig") != nil, "openssl or pdfsig missing"))
    func encryptedUpdate() throws {
        // A signed file, then encrypted by qpdf: still carries a signature field.
        let first = try PDFSigner.prepare(SignaturePlaceholderTests.simplePDF(), request: SignaturePlaceholderTests.request("First"))
        let signedPlain = try first.embed(cms: Data([0x30, 0x03, 0x02, 0x01, 0x01]))
        let encrypted = try Self.encrypt(signedPlain, arguments: ["", "owner", "128", "--use-aes=y"])
        #expect(try PDFDocument(data: encrypted).hasSignatures)

        let identity = try SigningSupport.makeIdentity()
        defer { identity.remove() }
        let request = SignaturePlaceholderTests.request("Second", appearance: SignaturePlaceholderTests.visibleAppearance())
        let prepared = try PDFSigner.prepare(encrypted, request: request)
        #expect(prepared.data.prefix(encrypted.count) == encrypted)
        // The new signature's text strings are encrypted in the file…
        #expect(prepared.data.range(of: Data("Dr. Ayu Lestari".utf8)) == nil)
        let signed = try prepared.embed(cms: SigningSupport.sign(prepared, identity: identity))
        // …and read back decrypted, while /Contents is stored as is.
        let document = try PDFDocument(data: signed)
        let field = try #require(try document.signatureFields.first { $0.name == "Second" })
        #expect(field.signature?.signerName == "Dr. Ayu Lestari")
        #expect(field.signature?.contentsRange == prepared.byteRange[1]..<prepared.byteRange[2])
        let url = try TestSupport.temporaryFile(signed)
        defer { try? FileManager.default.removeItem(at: url) }
        let pdfsig = try TestSupport.run(TestSupport.tool("pdfsig")!, [url.path], stdoutOnly: true).output
        #expect(pdfsig.contains("Signature is Valid"), "\(pdfsig)")
        #expect(try TestSupport.run(TestSupport.tool("qpdf")!, ["--check", url.path]).status == 0)
    }
}

/// Whether the real standard security handler is built in: the placeholder
/// refuses everything with `.unsupported`, the real one answers a bogus
/// dictionary with another error.
enum SecurityHandlerProbe {
    static let isReal: Bool = {
        let parameters = StandardSecurityParameters(
            v: 2, r: 3, lengthBits: 128, o: Data(count: 32), u: Data(count: 32), oe: nil, ue: nil, perms: nil,
            p: -4, encryptMetadata: true, firstID: Data(count: 16), stringMethod: .rc4, streamMethod: .rc4)
        do {
            _ = try StandardSecurityHandler(parameters: parameters)
            return true
        } catch let error as PDFError {
            return error.code != .unsupported
        } catch {
            return true
        }
    }()
}
