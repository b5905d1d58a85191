import Foundation
import PKI
@testable import Portal
import Record
import XCTest

/// Issue 17: no folder of the site holds more than 50,000 entries (Netlify
/// refuses 54,000 files in one folder) before a million documents, and every
/// address already printed keeps its shape.
final class FolderLimitTests: XCTestCase {
    func testAMillionDocumentsPutNoMoreThan50000EntriesInAnyFolder() throws {
        let documents = 1_000_000
        // Random tokens as the signer makes them (17 bytes, base64url).
        let bytes = try Random.bytes(17 * documents)
        var perFolder: [String: Int] = [:]
        for index in 0..<documents {
            let token = Random.base64URL(bytes[(index * 17)..<(index * 17 + 17)])
            let address = DocumentAddress(token: token, layout: .sharded)
            if index < 1_000 {
                // Each of a document's files is one entry of <kind>/<f>/ (its page a folder there).
                let folder = DocumentAddress.folder(of: token)
                for path in PublishingStep.documentPaths(address, privatePDFs: false, otherLocale: .en) {
                    let parts = path.split(separator: "/")
                    let at = try XCTUnwrap(parts.lastIndex { $0 == folder }, path)
                    XCTAssertTrue(["v", "en/v", "api/verify", "cert", "d"].contains(parts[..<at].joined(separator: "/")), path)
                    XCTAssertTrue(parts[at + 1].hasPrefix(token), path)
                }
            }
            perFolder[DocumentAddress.folder(of: token), default: 0] += 1
        }
        // v/, en/v/, api/verify/, cert/ and d/ each hold the folders <f>; each <f> one entry per document.
        let largest = try XCTUnwrap(perFolder.values.max())
        XCTAssertLessThanOrEqual(perFolder.count, 38)
        XCTAssertLessThanOrEqual(largest, 50_000)
        // A letter and its capital: 2 in 64, about 31,250 of a million (a standard deviation is ~174).
        XCTAssertLessThan(largest, 33_000)
        // The hash index holds each document twice (file and lookup code): 256 folders of 256 shards.
        let shards = HashIndex.Layout.forEntries(2 * documents).allShardPaths
        let shardFolders = Dictionary(grouping: shards) { $0.split(separator: "/").dropLast().joined(separator: "/") }
        XCTAssertLessThanOrEqual(shardFolders.count, 50_000)
        XCTAssertLessThanOrEqual(try XCTUnwrap(shardFolders.values.map(\.count).max()), 50_000)
    }

    func testVerificationURLsOfBothLayoutsSplitIntoTheirAddress() throws {
        let token = "AbCdEfGhIjKlMnOpQrStUvW"
        let sharded = try XCTUnwrap(DocumentAddress.split(verificationURL: "https://h.example/portal/v/a/\(token)/").first)
        XCTAssertEqual(sharded.prefix, "https://h.example/portal")
        XCTAssertEqual(sharded.address, DocumentAddress(token: token, layout: .sharded))
        XCTAssertEqual(sharded.address.pageFile, "v/a/\(token)/index.html")
        XCTAssertEqual(sharded.address.record, "api/verify/a/\(token).json")
        XCTAssertEqual(sharded.address.certificate, "cert/a/\(token).crt")
        XCTAssertEqual(sharded.address.pdf, "d/a/\(token).pdf")
        XCTAssertEqual(sharded.address.pageRoot, "../../../")

        let flat = try XCTUnwrap(DocumentAddress.split(verificationURL: "https://h.example/v/\(token)/").first)
        XCTAssertEqual(flat.prefix, "https://h.example")
        XCTAssertEqual(flat.address.record, "api/verify/\(token).json")
        XCTAssertEqual(flat.address.pageRoot, "../../")
        // A registry without a URL (before URLs were kept) means the flat address.
        XCTAssertEqual(DocumentAddress(token: token, verificationURL: nil, baseURL: "https://h.example").layout, .flat)

        // A token starting with v reads both ways; the site's base URL decides.
        let vToken = "vIetDFtiNNEq3bvx-m75cjI"
        let both = DocumentAddress.split(verificationURL: "https://h.example/v/v/\(vToken)/")
        XCTAssertEqual(both.map(\.prefix), ["https://h.example", "https://h.example/v"])
        XCTAssertEqual(DocumentAddress(token: vToken, verificationURL: "https://h.example/v/v/\(vToken)/",
                                       baseURL: "https://h.example").layout, .sharded)
        XCTAssertEqual(DocumentAddress(token: vToken, verificationURL: "https://h.example/v/v/\(vToken)/",
                                       baseURL: "https://h.example/v").layout, .flat)

        // A folder that is not the token's own, or no trailing slash, is no address.
        XCTAssertTrue(DocumentAddress.split(verificationURL: "https://h.example/v/x/\(token)/").isEmpty)
        XCTAssertTrue(DocumentAddress.split(verificationURL: "https://h.example/v/A/\(token)/").isEmpty)
        XCTAssertTrue(DocumentAddress.split(verificationURL: "https://h.example/v/a/\(token)").isEmpty)
        XCTAssertTrue(DocumentAddress.split(verificationURL: "https://h.example/w/\(token)/").isEmpty)
    }

    /// A token's folder is its first character in lower case; ASCII is
    /// lowered byte by byte, anything else as Unicode lowers it.
    func testATokensFolderIsItsFirstCharacterInLowerCase() {
        let tokens = ["AbC", "abc", "Z", "z", "0x", "-a", "_b", "", "É1", "é", "e\u{301}x", "E\u{301}", "\r\nx", "\rx",
                      "İx", "ẞ", "Ωmega", "a\u{200D}b", "🇮🇩x", "v", "V"]
        for token in tokens {
            XCTAssertEqual(DocumentAddress.folder(of: token), String(token.prefix(1)).lowercased(), token.debugDescription)
        }
        XCTAssertEqual(DocumentAddress.folder(of: "Q4mK"), "q")
        XCTAssertEqual(DocumentAddress(token: "Q4mKx", layout: .sharded).pageFile, "v/q/Q4mKx/index.html")
        XCTAssertEqual(DocumentAddress(token: "Q4mKx", layout: .flat).record, "api/verify/Q4mKx.json")
    }

    /// The bucket copy sends the log's tiles before the checkpoint that needs
    /// them, with the content types and caching c2sp.org/tlog-tiles asks for.
    func testTheBucketCopyOrdersAndLabelsTheIssuanceLog() {
        XCTAssertLessThan(BucketPublisher.phase("log/tile/0/000.p/13"), BucketPublisher.phase("log/checkpoint"))
        XCTAssertLessThan(BucketPublisher.phase("log/tile/entries/x001/234"), BucketPublisher.phase("log/checkpoint"))
        XCTAssertEqual(BucketPublisher.phase("log/checkpoint"), 3)
        XCTAssertEqual(BucketPublisher.contentType("log/checkpoint"), "text/plain; charset=utf-8")
        XCTAssertEqual(BucketPublisher.contentType("log/tile/1/000.p/2"), "application/octet-stream")
        XCTAssertEqual(BucketPublisher.cacheControl("log/checkpoint"), "no-cache")
        XCTAssertEqual(BucketPublisher.cacheControl("log/tile/entries/000"), "public, max-age=31536000, immutable")
        // Sharded document files keep their rules.
        XCTAssertEqual(BucketPublisher.phase("d/a/AbC.pdf"), 0)
        XCTAssertEqual(BucketPublisher.phase("en/v/a/AbC/index.html"), 1)
        XCTAssertEqual(BucketPublisher.cacheControl("cert/a/AbC.crt"), "public, max-age=31536000, immutable")
    }
}
