import Foundation
import PKI
@testable import Portal
import XCTest

/// The encrypted hash index entries, on their own.
final class HashIndexTests: XCTestCase {
    let fileHash = Digest.sha256(Data("%PDF-1.7 a signed file".utf8))
    let record = HashIndex.Record(token: "AAAAAAAAAAAAAAAAAAAAAA", name: "Transkrip Nilai",
                                  status: .valid, signedAt: "2025-11-19T06:42:00Z", page: "v/a/AAAAAAAAAAAAAAAAAAAAAA/")

    func testIdAndShardPathFollowTheFormat() {
        let id = HashIndex.id(fileHash: fileHash)
        XCTAssertEqual(id, Digest.hex(Digest.sha256(Data("segel-index:".utf8) + fileHash)))
        XCTAssertEqual(id.count, 64)
        let nested = HashIndex.Layout.shards65536
        XCTAssertEqual(nested.shardPath(id: id), "api/hash/\(id.prefix(2))/\(id.dropFirst(2).prefix(2)).json")
        XCTAssertEqual(nested.allShardPaths.count, 65_536)
        XCTAssertEqual(Set(nested.allShardPaths).count, 65_536)
        XCTAssertEqual(nested.allShardPaths.first, "api/hash/00/00.json")
        XCTAssertEqual(nested.allShardPaths.last, "api/hash/ff/ff.json")
        XCTAssertEqual(HashIndex.Layout.shards256.shardPath(id: id), "api/hash/\(id.prefix(2)).json")
        XCTAssertEqual(HashIndex.Layout.shards4096.shardPath(id: id), "api/hash/\(id.prefix(3)).json")
        XCTAssertEqual(HashIndex.Layout.shards256.allShardPaths.first, "api/hash/00.json")
        XCTAssertEqual(HashIndex.Layout.shards4096.allShardPaths.last, "api/hash/fff.json")
        for layout in HashIndex.Layout.allCases {
            XCTAssertEqual(layout.allShardPaths.count, layout.shardCount)
            XCTAssertEqual(layout.shardNumber(path: layout.shardPath(id: id)), layout.shardNumber(id: id))
            XCTAssertEqual(layout.allShardPaths[layout.shardNumber(id: id)], layout.shardPath(id: id))
            XCTAssertNil(layout.shardNumber(path: HashIndex.Layout.path))
        }
        XCTAssertEqual(String(decoding: HashIndex.emptyShard, as: UTF8.self), #"{"entries":[],"v":1}"#)
    }

    func testEntryIsDeterministicAndDecryptsOnlyWithTheFilesHash() throws {
        let entry = try HashIndex.entry(fileHash: fileHash, record: record)
        XCTAssertEqual(entry, try HashIndex.entry(fileHash: fileHash, record: record))
        let shard = try HashIndex.shardData([entry])
        XCTAssertEqual(try HashIndex.lookup(fileHash: fileHash, shard: shard), record)

        // The plaintext, key and IV as templates/README.md defines them.
        let key = Digest.sha256(Data("segel-key:".utf8) + fileHash)
        let plaintext = try AESGCM.open(Data(base64Encoded: entry.ct)!, key: key, iv: Data(base64Encoded: entry.iv)!)
        XCTAssertEqual(String(decoding: plaintext, as: UTF8.self),
                       #"{"name":"Transkrip Nilai","page":"v/a/AAAAAAAAAAAAAAAAAAAAAA/","signed_at":"2025-11-19T06:42:00Z","status":"valid","token":"AAAAAAAAAAAAAAAAAAAAAA"}"#)
        XCTAssertEqual(Data(base64Encoded: entry.iv)!, Digest.sha256(Data("segel-iv:".utf8) + fileHash + plaintext).prefix(12))

        var other = fileHash
        other[0] ^= 1
        XCTAssertNil(try HashIndex.lookup(fileHash: other, shard: shard))
    }

    func testChangedStatusChangesTheIV() throws {
        var invalidated = record
        invalidated.status = .invalidated
        let before = try HashIndex.entry(fileHash: fileHash, record: record)
        let after = try HashIndex.entry(fileHash: fileHash, record: invalidated)
        XCTAssertEqual(before.id, after.id)
        XCTAssertNotEqual(before.iv, after.iv, "one key must never see one IV with two plaintexts")
        XCTAssertEqual(try HashIndex.lookup(fileHash: fileHash, shard: HashIndex.shardData([after]))?.status, .invalidated)
    }

    func testTamperedOrDuplicatedEntriesFailClosed() throws {
        var entry = try HashIndex.entry(fileHash: fileHash, record: record)
        XCTAssertThrowsError(try HashIndex.lookup(fileHash: fileHash, shard: HashIndex.shardData([entry, entry])))
        var ct = Data(base64Encoded: entry.ct)!
        ct[3] ^= 0x40
        entry.ct = ct.base64EncodedString()
        XCTAssertThrowsError(try HashIndex.lookup(fileHash: fileHash, shard: HashIndex.shardData([entry])))
        XCTAssertThrowsError(try HashIndex.lookup(fileHash: fileHash, shard: Data("not json".utf8)))
    }

    /// Issue 17: the index grows with the authority. Two entries per document
    /// (its file and its lookup code); at most 64 per shard on average.
    func testTheShardCountFollowsTheDocumentCountAtEachBoundary() {
        func shards(documents: Int) -> Int { HashIndex.Layout.forEntries(2 * documents).shardCount }
        XCTAssertEqual(shards(documents: 0), 256)
        XCTAssertEqual(shards(documents: 12), 256)
        XCTAssertEqual(shards(documents: 3_000), 256)
        XCTAssertEqual(shards(documents: 8_192), 256)
        XCTAssertEqual(shards(documents: 8_193), 4_096)
        XCTAssertEqual(shards(documents: 131_072), 4_096)
        XCTAssertEqual(shards(documents: 131_073), 65_536)
        XCTAssertEqual(shards(documents: 1_000_000), 65_536)
        XCTAssertEqual(String(decoding: HashIndex.Layout.shards4096.json, as: UTF8.self), #"{"prefix":3,"shards":4096,"v":1}"#)
    }
}
