import Foundation
import Record
import PKI

/// The sharded, encrypted hash index under `api/hash/` that the upload page
/// (`templates/assets/verify.js`) reads. It answers "was this exact file
/// issued here?" for someone who holds the file, and nothing to anyone else:
///
/// ```
/// fileHash = SHA-256(file)                                   32 bytes
/// id       = hex(SHA-256(utf8("segel-index:") ‖ fileHash))   64 lowercase hex
/// shard    = api/hash/<id[0..p]>.json                        p = 2 or 3 (256 or 4,096 shards),
///            api/hash/<id[0..2]>/<id[2..4]>.json              or 65,536 shards (see `Layout`);
///            every shard of the current layout exists
/// key      = SHA-256(utf8("segel-key:") ‖ fileHash)          AES-256-GCM key
/// iv       = SHA-256(utf8("segel-iv:") ‖ fileHash ‖ plaintext)[0..12]
/// shard    = {"v":1,"entries":[{"id","iv","ct"}]}            entries sorted by id
/// ct       = base64(AES-GCM(key, iv, plaintext) ‖ 128-bit tag), no AAD
/// plaintext= UTF-8 JSON {"token","name","status","signed_at","page","log_index","log_size"}
///            (since 0.6: page, the document's page, `DocumentAddress.page`;
///            log_index and log_size, its issuance entry in the public log, when it has one)
/// ```
///
/// A document is also entered under its lookup code (`LookupCode`), so the
/// portal's box and `v/<code>` find it with the same machinery: in place of
/// the file's hash, `codeHash = SHA-256(utf8("segel-code:") ‖ utf8(code))`
/// with the 16 normalized characters.
///
/// The IV is derived rather than drawn so that publishing is byte-stable; it
/// is unique per plaintext under each per-file key (NIST SP 800-38D §8.2.1's
/// requirement), because a changed record (new status) changes the plaintext
/// and therefore the IV.
public enum HashIndex {
    public static let shardVersion = 1

    /// How many shards the index has, which grows with the authority: 256
    /// (`api/hash/<2 hex>.json`) while they hold at most 64 entries on average,
    /// then 4,096 (`<3 hex>.json`), then 65,536 (`<2 hex>/<2 hex>.json`, the
    /// only layout before 0.5). `api/hash/layout.json` names it
    /// (`{"v":1,"prefix":2|3|4,"shards":N}`); a site without that file has
    /// the 65,536-shard layout. Readers (the upload page) read it first.
    public enum Layout: Int, Sendable, Hashable, CaseIterable {
        case shards256 = 2
        case shards4096 = 3
        case shards65536 = 4

        /// Hex digits of the id that name the shard.
        public var prefix: Int { rawValue }
        public var shardCount: Int { 1 << (4 * rawValue) }

        /// The layout for an index of `entries` entries.
        public static func forEntries(_ entries: Int) -> Layout {
            if entries <= 256 * 64 { return .shards256 }
            if entries <= 4_096 * 64 { return .shards4096 }
            return .shards65536
        }

        /// The shard holding `id`, relative to the site root.
        public func shardPath(id: String) -> String {
            let characters = Array(id)
            if self == .shards65536 {
                return "api/hash/\(String(characters[0..<2]))/\(String(characters[2..<4])).json"
            }
            return "api/hash/\(String(characters[0..<prefix])).json"
        }

        /// The number of the shard holding `id`: its index in `allShardPaths`.
        func shardNumber(id: String) -> Int {
            Int(id.prefix(prefix), radix: 16) ?? 0
        }

        /// The number of the shard at `path`, nil for any path not a shard of this layout.
        func shardNumber(path: String) -> Int? {
            guard path.hasPrefix("api/hash/"), path.hasSuffix(".json") else { return nil }
            let name = path.dropFirst(9).dropLast(5).replacingOccurrences(of: "/", with: "")
            guard name.count == prefix, let number = Int(name, radix: 16), number < shardCount,
                  allShardPaths[number] == path else { return nil }
            return number
        }

        /// Every shard path of the layout, in order.
        public var allShardPaths: [String] {
            switch self {
            case .shards256: Layout.paths256
            case .shards4096: Layout.paths4096
            case .shards65536: Layout.paths65536
            }
        }

        private static let digits = Array("0123456789abcdef")
        private static let paths256: [String] = (0..<256).map { String(format: "api/hash/%02x.json", $0) }
        private static let paths4096: [String] = (0..<4_096).map { String(format: "api/hash/%03x.json", $0) }
        private static let paths65536: [String] = (0..<65_536).map {
            String(format: "api/hash/%02x/%02x.json", $0 >> 8, $0 & 0xff)
        }

        /// `api/hash/layout.json`.
        public var json: Data {
            Data(#"{"prefix":\#(prefix),"shards":\#(shardCount),"v":1}"#.utf8)
        }

        public static let path = "api/hash/layout.json"
    }

    /// What an entry decrypts to.
    public struct Record: Codable, Sendable, Hashable {
        public var token: String
        public var name: String
        public var status: PublicStatus
        /// ISO 8601 UTC.
        public var signedAt: String
        /// The document's page relative to the site root (`DocumentAddress.page`).
        public var page: String
        /// The issuance entry's index in the public log, and the tree size its proof reaches.
        public var logIndex: Int?
        public var logSize: Int?
        /// Every signature in order when several approvers signed (nil for one).
        public var signers: [Signer]?

        public struct Signer: Codable, Sendable, Hashable {
            public var name: String
            /// ISO 8601 UTC.
            public var signedAt: String
            /// "signed", or "revoked" when the signer's certificate was revoked.
            public var state: String

            enum CodingKeys: String, CodingKey {
                case name, state
                case signedAt = "signed_at"
            }

            public init(name: String, signedAt: String, state: String) {
                self.name = name
                self.signedAt = signedAt
                self.state = state
            }
        }

        enum CodingKeys: String, CodingKey {
            case token, name, status, page, signers
            case signedAt = "signed_at"
            case logIndex = "log_index"
            case logSize = "log_size"
        }

        public init(token: String, name: String, status: PublicStatus, signedAt: String, page: String,
                    logIndex: Int? = nil, logSize: Int? = nil, signers: [Signer]? = nil) {
            self.token = token
            self.name = name
            self.status = status
            self.signedAt = signedAt
            self.page = page
            self.logIndex = logIndex
            self.logSize = logSize
            self.signers = signers
        }

        /// What `PortalJSON.encode(self)` writes, built on bytes.
        func json() -> Data {
            var out = JSONBytes(capacity: 200)
            out.raw("{")
            if let logIndex, let logSize {
                out.key("log_index"); out.int(logIndex)
                out.raw(","); out.key("log_size"); out.int(logSize)
                out.raw(",")
            }
            out.key("name"); out.string(name)
            out.raw(","); out.key("page"); out.string(page)
            out.raw(","); out.key("signed_at"); out.string(signedAt)
            if let signers {
                out.raw(","); out.key("signers"); out.raw("[")
                for (index, signer) in signers.enumerated() {
                    if index > 0 { out.raw(",") }
                    out.raw("{"); out.key("name"); out.string(signer.name)
                    out.raw(","); out.key("signed_at"); out.string(signer.signedAt)
                    out.raw(","); out.key("state"); out.string(signer.state)
                    out.raw("}")
                }
                out.raw("]")
            }
            out.raw(","); out.key("status"); out.string(status.rawValue)
            out.raw(","); out.key("token"); out.string(token)
            out.raw("}")
            return Data(out.bytes)
        }
    }

    /// One encrypted entry as it appears in a shard.
    public struct Entry: Codable, Sendable, Hashable {
        public var id: String
        /// base64 of the 12-byte IV.
        public var iv: String
        /// base64 of ciphertext ‖ tag.
        public var ct: String
    }

    struct Shard: Codable, Sendable, Hashable {
        var v: Int
        var entries: [Entry]
    }

    /// What stands in for a file hash when a document is entered under its lookup code.
    public static func codeHash(_ code: LookupCode) -> Data {
        Digest.sha256(Data("segel-code:\(code.normalized)".utf8))
    }

    /// The index id of a file whose SHA-256 is `fileHash`.
    public static func id(fileHash: Data) -> String {
        Digest.hex(Digest.sha256(Data("segel-index:".utf8) + fileHash))
    }


    static func entryKey(fileHash: Data) -> Data {
        Digest.sha256(Data("segel-key:".utf8) + fileHash)
    }

    /// Encrypts `record` for the file whose SHA-256 is `fileHash`.
    public static func entry(fileHash: Data, record: Record) throws -> Entry {
        let plaintext = record.json()
        let iv = Digest.sha256(Data("segel-iv:".utf8) + fileHash + plaintext).prefix(AESGCM.ivLength)
        let sealed = try AESGCM.seal(plaintext, key: entryKey(fileHash: fileHash), iv: Data(iv))
        return Entry(id: id(fileHash: fileHash), iv: Data(iv).base64EncodedString(), ct: sealed.base64EncodedString())
    }

    /// The bytes of a shard holding `entries` (sorted here by id): what
    /// `PortalJSON` makes of a `Shard`, built on bytes.
    static func shardData(_ entries: [Entry]) throws -> Data {
        var out = JSONBytes(capacity: 64 + entries.count * 300)
        out.raw("{"); out.key("entries"); out.raw("[")
        for (index, entry) in entries.sorted(by: { $0.id < $1.id }).enumerated() {
            if index > 0 { out.raw(",") }
            out.raw("{"); out.key("ct"); out.string(entry.ct)
            out.raw(","); out.key("id"); out.string(entry.id)
            out.raw(","); out.key("iv"); out.string(entry.iv)
            out.raw("}")
        }
        out.raw("],"); out.key("v"); out.int(shardVersion); out.raw("}")
        return Data(out.bytes)
    }

    /// The shard that holds no entry; most shards are this.
    static let emptyShard: Data = (try? shardData([])) ?? Data(#"{"entries":[],"v":1}"#.utf8)
    static let emptyShardSHA256 = Digest.hex(Digest.sha256(emptyShard))

    /// Looks `fileHash` up in a shard's bytes the way the browser does: nil when
    /// no entry has its id; throws when the shard is malformed, an id appears
    /// twice, or the entry does not decrypt to a record (the browser then
    /// reports a damaged index rather than a verdict).
    public static func lookup(fileHash: Data, shard data: Data) throws -> Record? {
        let shard: Shard
        do {
            shard = try JSONDecoder().decode(Shard.self, from: data)
        } catch {
            throw PortalError(.integrity, "the hash index shard is not valid JSON")
        }
        guard shard.v == shardVersion else {
            throw PortalError(.integrity, "the hash index shard has version \(shard.v), not \(shardVersion)")
        }
        let id = id(fileHash: fileHash)
        let matches = shard.entries.filter { $0.id == id }
        guard let match = matches.first else { return nil }
        guard matches.count == 1 else { throw PortalError(.integrity, "the hash index lists \(id) twice") }
        guard let iv = Data(base64Encoded: match.iv), iv.count == AESGCM.ivLength,
              let sealed = Data(base64Encoded: match.ct) else {
            throw PortalError(.integrity, "the hash index entry \(id) is malformed")
        }
        let plaintext = try AESGCM.open(sealed, key: entryKey(fileHash: fileHash), iv: iv)
        return try JSONDecoder().decode(Record.self, from: plaintext)
    }
}
