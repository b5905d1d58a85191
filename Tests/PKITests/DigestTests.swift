import Foundation
import Testing
@testable import PKI

@Suite("Digests and randomness")
struct DigestTests {
    // FIPS 180-4 / NIST CSRC example vectors.
    static let abcSHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    static let emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    @Test("SHA-256 known answers")
    func knownAnswers() {
        #expect(Digest.hex(Digest.sha256(Data("abc".utf8))) == Self.abcSHA256)
        #expect(Digest.hex(Digest.sha256(Data())) == Self.emptySHA256)
        let million = Data(repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(Digest.hex(Digest.sha256(million)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(Digest.hex(Digest.hash([Data("abc".utf8)], algorithm: .sha1)) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(Digest.hex(Digest.hash([Data("abc".utf8)], algorithm: .sha384)).hasPrefix("cb00753f45a35e8b"))
        #expect(Digest.hex(Digest.hash([Data("abc".utf8)], algorithm: .sha512)).hasPrefix("ddaf35a193617aba"))
    }

    @Test("Streaming equals one-shot, however the input is split")
    func streaming() {
        let data = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        let expected = Digest.sha256(data)
        for chunk in [1, 7, 64, 4096, 100_000] {
            let hasher = SHA256Hasher()
            var offset = 0
            while offset < data.count {
                hasher.update(data[offset..<min(offset + chunk, data.count)])
                offset += chunk
            }
            #expect(hasher.finalize() == expected)
        }
        let parts = [data.prefix(12345), Data(), data.dropFirst(12345)]
        #expect(Digest.hash(parts, algorithm: .sha256) == expected)
        #expect(CMSSignedData.digest(of: parts, algorithm: .sha256) == expected)
    }

    @Test("File hashing reads in chunks and matches sha256sum")
    func fileHashing() throws {
        let directory = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // 2.5 MiB spans several 1 MiB reads.
        let data = Data((0..<(5 << 19)).map { UInt8(truncatingIfNeeded: $0 ^ ($0 >> 8)) })
        let path = try TestSupport.write(data, directory, "big.bin")
        let digest = try Digest.sha256(fileAt: URL(fileURLWithPath: path))
        #expect(digest == Digest.sha256(data))
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/sha256sum") {
            let result = try TestSupport.run("/usr/bin/sha256sum", [path])
            #expect(result.stdout.hasPrefix(Digest.hex(digest)))
        }
        let emptyPath = try TestSupport.write(Data(), directory, "empty.bin")
        #expect(Digest.hex(try Digest.sha256(fileAt: URL(fileURLWithPath: emptyPath))) == Self.emptySHA256)
        let error = #expect(throws: DigestError.self) {
            try Digest.sha256(fileAt: directory.appendingPathComponent("missing.bin"))
        }
        #expect(error?.description.contains("missing.bin") == true)
    }

    @Test("Hex helpers")
    func hex() {
        let bytes = Data([0x00, 0x0f, 0xa0, 0xff])
        #expect(Digest.hex(bytes) == "000fa0ff")
        #expect(Digest.colonHex(bytes) == "00:0F:A0:FF")
        #expect(Digest.data(fromHex: "000FA0ff") == bytes)
        #expect(Digest.data(fromHex: "00:0F:A0:FF") == bytes)
        #expect(Digest.data(fromHex: "abc") == nil)
        #expect(Digest.data(fromHex: "zz") == nil)
        #expect(Digest.hex(Data()) == "")
    }

    @Test("Algorithm OIDs map both ways")
    func algorithms() {
        for algorithm in DigestAlgorithm.allCases {
            #expect(DigestAlgorithm(oid: algorithm.oid) == algorithm)
            #expect(Digest.hash([Data()], algorithm: algorithm).count == algorithm.outputLength)
        }
        #expect(DigestAlgorithm(oid: "1.2.3") == nil)
    }

    @Test("Random bytes and URL-safe tokens")
    func random() throws {
        #expect(try Random.bytes(0).isEmpty)
        #expect(try Random.bytes(32).count == 32)
        #expect(try Random.bytes(32) != Random.bytes(32))
        var tokens = Set<String>()
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        for _ in 0..<1000 {
            let token = try Random.token()
            #expect(token.count == 22)
            #expect(token.allSatisfy { allowed.contains($0) })
            tokens.insert(token)
        }
        #expect(tokens.count == 1000)
        #expect(try Random.token(byteCount: 32).count == 43)
        #expect(Random.base64URL(Data([0xfb, 0xff, 0xbf])) == "-_-_")
        #expect(Random.base64URL(Data([0xff])) == "_w")
    }
}
