import Foundation
import Record
@testable import Portal
import XCTest

/// The JSON built on bytes (records, hash index shards, the publish summary)
/// is byte for byte what JSONEncoder writes for the same values.
final class JSONBytesTests: XCTestCase {
    /// Every control character, quote, backslash, slash, HTML, non-ASCII and a
    /// line separator: what JSONEncoder escapes and what it leaves alone.
    static let hostile = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }.joined()
        + #"<script>alert("x")</script> \ / & 'é' 😀 "# + "\u{7F}\u{2028}\u{200B}\u{301}"

    func testPublishedRecordMatchesJSONEncoder() throws {
        for text in [Self.hostile, "Transkrip Nilai", ""] {
            for optional in [nil, text] {
                var record = PublishedRecord(
                    token: "AAAAAAAAAAAAAAAAAAAAAA", status: .invalidated, statusReason: optional,
                    sha256: String(repeating: "ab", count: 32), signatureID: "SIG-\(text)", signedAt: Date(),
                    certificate: .init(serial: "4ea8", fingerprintSHA256: "00ff", notBefore: text, notAfter: "2028-01-01T00:00:00Z",
                                       issuer: "CN=CA \(text)", subject: "CN=\(text),O=X\\, Y"),
                    document: .init(name: text, type: optional, requesterName: "Budi \(text)"),
                    signer: .init(name: text, title: optional))
                record.statusDate = optional
                record.signedAt = "2025-11-19T06:42:00Z"
                record.asOf = "2025-11-19T06:42:00Z"
                XCTAssertEqual(String(decoding: record.json(), as: UTF8.self),
                               String(decoding: try PortalJSON.encode(record), as: UTF8.self))
            }
        }
    }

    func testHashIndexRecordAndShardMatchJSONEncoder() throws {
        let record = HashIndex.Record(token: "tok", name: Self.hostile, status: .revoked, signedAt: "2025-11-19T06:42:00Z", page: "v/\(Self.hostile)/")
        XCTAssertEqual(record.json(), try PortalJSON.encode(record))
        let entries = (0..<3).map { HashIndex.Entry(id: "id\(2 - $0)", iv: "iv/\($0)+", ct: "ct\(Self.hostile)") }
        for count in 0...3 {
            let shard = HashIndex.Shard(v: HashIndex.shardVersion, entries: entries.prefix(count).sorted { $0.id < $1.id })
            XCTAssertEqual(try HashIndex.shardData(Array(entries.prefix(count))), try PortalJSON.encode(shard))
        }
    }

    func testPublishSummaryMatchesJSONEncoder() throws {
        for seconds in [0, 1, 3.6412345678, 1e-7, 123_456.5] {
            var summary = PublishSummary(
                site: "/srv/site \(Self.hostile)", files: 90_551, written: 2, unchanged: 90_549, deleted: 1, documents: 5_000,
                renderedDocuments: 1, crlIssued: seconds > 1, crlNumber: 3, crlNextUpdate: "2025-11-26T06:42:00Z",
                asOf: "2025-11-19T06:42:00Z", seconds: seconds, writtenPaths: ["a/b.json", "v/\(Self.hostile)/index.html"],
                deletedPaths: seconds > 1 ? [] : ["d/x.pdf"],
                steps: [.init(step: "Read the registry", seconds: seconds), .init(step: Self.hostile, seconds: 0.25)])
            summary.logSize = Int(seconds * 10)
            summary.logSigned = seconds > 1
            XCTAssertEqual(String(decoding: summary.json(), as: UTF8.self),
                           String(decoding: try PortalJSON.encode(summary), as: UTF8.self))
        }
    }

    func testTokenPageFieldNamesAreInSortedOrder() {
        XCTAssertEqual(TokenPageValues.docNames, TokenPageValues.docNames.sorted())
        XCTAssertEqual(TokenPageValues.certNames, TokenPageValues.certNames.sorted())
        XCTAssertEqual(TokenPageValues.docNames.count, TokenPageValues.DocField.allCases.count)
        XCTAssertEqual(TokenPageValues.certNames.count, TokenPageValues.CertField.allCases.count)
    }
}
