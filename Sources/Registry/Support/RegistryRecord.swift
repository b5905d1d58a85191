import Foundation
import GRDB

/// What every registry record shares: Codable persistence through GRDB with
/// dates stored as `Timestamp` text and JSON columns with sorted keys, so the
/// same record always produces the same bytes (audit hashes depend on it).
public protocol RegistryRecord: Codable, Hashable, Sendable, FetchableRecord, PersistableRecord {}

extension RegistryRecord {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        .custom { Timestamp.string(from: $0) }
    }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        .custom { value in String.fromDatabaseValue(value).flatMap(Timestamp.date(from:)) }
    }
}

/// Free-form JSON metadata (`settings`, `workflow_metadata`, `metadata`):
/// string keys and string values, stored as a JSON object with sorted keys.
public typealias Metadata = [String: String]

extension Date {
    /// The stored text form, for raw SQL arguments.
    var databaseText: String { Timestamp.string(from: self) }
}

extension RegistryRecord {
    /// The row with primary key `id`, through a statement SQLite compiles once
    /// per connection. The query interface compiles a new statement on every
    /// call, which was a third of the registry's time per signed document.
    static func cachedFetch(_ db: Database, id: Int64) throws -> Self? {
        try fetchOne(db.cachedStatement(sql: "SELECT * FROM \"\(databaseTableName)\" WHERE id = ?"), arguments: [id])
    }

    /// The first row whose `column` (a name from the schema, never user input)
    /// equals `value`, through a cached statement.
    static func cachedFetch(_ db: Database, where column: String,
                            is value: some DatabaseValueConvertible) throws -> Self? {
        let sql = "SELECT * FROM \"\(databaseTableName)\" WHERE \"\(column)\" = ? LIMIT 1"
        return try fetchOne(db.cachedStatement(sql: sql), arguments: [value])
    }
}

/// JSON columns as GRDB's default `databaseJSONEncoder` writes them (a
/// `JSONEncoder` with sorted keys), byte for byte, for records that encode
/// their columns by hand.
enum ColumnJSON {
    static let decoder = JSONDecoder()

    /// A JSON object of strings read directly, as `text` writes it (the common
    /// case; `JSONDecoder` costs ~10 µs per small object, and a publish reads
    /// three per document); nil for anything else — other value types,
    /// nesting, white space, a `\u` escape — which `JSONDecoder` then reads
    /// (and judges).
    static func flatObject(_ text: String) -> Metadata? {
        var text = text
        return text.withUTF8 { bytes -> Metadata? in
            let count = bytes.count
            guard count >= 2, bytes[0] == UInt8(ascii: "{"), bytes[count - 1] == UInt8(ascii: "}") else { return nil }
            var result: Metadata = [:]
            if count == 2 { return result }
            var index = 1
            let end = count - 1
            /// The string starting at `index` (a quote); unescaped strings are decoded straight from their bytes.
            func string() -> String? {
                guard index < end, bytes[index] == UInt8(ascii: "\"") else { return nil }
                index += 1
                let start = index
                while index < end, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\"),
                      bytes[index] >= 0x20 {
                    index += 1
                }
                guard index < end else { return nil }
                if bytes[index] == UInt8(ascii: "\"") {
                    defer { index += 1 }
                    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                }
                var decoded = Array(bytes[start..<index])
                while index < end {
                    let byte = bytes[index]
                    index += 1
                    switch byte {
                    case UInt8(ascii: "\""): return String(decoding: decoded, as: UTF8.self)
                    case UInt8(ascii: "\\"):
                        guard index < end else { return nil }
                        let escaped = bytes[index]
                        index += 1
                        switch escaped {
                        case UInt8(ascii: "\""): decoded.append(UInt8(ascii: "\""))
                        case UInt8(ascii: "\\"): decoded.append(UInt8(ascii: "\\"))
                        case UInt8(ascii: "/"): decoded.append(UInt8(ascii: "/"))
                        case UInt8(ascii: "n"): decoded.append(0x0A)
                        case UInt8(ascii: "r"): decoded.append(0x0D)
                        case UInt8(ascii: "t"): decoded.append(0x09)
                        case UInt8(ascii: "b"): decoded.append(0x08)
                        case UInt8(ascii: "f"): decoded.append(0x0C)
                        default: return nil
                        }
                    case 0..<0x20: return nil
                    default: decoded.append(byte)
                    }
                }
                return nil
            }
            while true {
                guard let key = string(), index < end, bytes[index] == UInt8(ascii: ":") else { return nil }
                index += 1
                guard let value = string(), result.updateValue(value, forKey: key) == nil else { return nil }
                guard index < end else { return result }
                guard bytes[index] == UInt8(ascii: ",") else { return nil }
                index += 1
            }
        }
    }

    /// The object with its keys in UTF-8 byte order (as `JSONEncoder` sorts
    /// them: not `String` order, which normalizes) and `JSONEncoder`'s escapes
    /// (`\"`, `\\`, `\/`, `\b \f \n \r \t`, other control characters as
    /// `\u00xx`; everything else as UTF-8), written directly: a `JSONEncoder`
    /// costs ~15 µs per small object and a batch writes eight per document.
    /// `ColumnJSONTests` compares the two.
    static func text(_ metadata: Metadata?) -> String? {
        guard let metadata else { return nil }
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(64 * metadata.count + 2)
        func quoted(_ text: String) {
            out.append(UInt8(ascii: "\""))
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
                    out.append(UInt8(ascii: "\\"))
                    out.append(byte)
                case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
                case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
                case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                            hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                default: out.append(byte)
                }
            }
            out.append(UInt8(ascii: "\""))
        }
        for (index, key) in metadata.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            quoted(key)
            out.append(UInt8(ascii: ":"))
            quoted(metadata[key] ?? "")
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }
}

extension Row {
    /// A `Timestamp` text column; anything else is an integrity error naming the column.
    func timestamp(_ column: String) throws -> Date { try ColumnReader(self).timestamp(column) }

    /// A JSON metadata column, as `ColumnJSON` writes it.
    func metadata(_ column: String) throws -> Metadata? { try ColumnReader(self).metadata(column) }
}

/// Where each column of one statement's rows is, found once from its first
/// row. Looked up a few hundred thousand times in a publish, so not through a
/// `Dictionary` (whose SipHash of the name costs more than the read): an
/// open-addressing table keyed by the name's length and a few of its bytes,
/// each hit confirmed by comparing the whole name.
final class ColumnPositions: @unchecked Sendable {
    private let names: [String]
    /// Slot → column index + 1 (0: empty); its size a power of two, at most half full.
    private let slots: [Int]
    private let mask: Int

    init(_ row: Row) {
        let names = Array(row.columnNames)
        var size = 16
        while size < names.count * 2 { size *= 2 }
        var slots = [Int](repeating: 0, count: size)
        for (index, name) in names.enumerated() {
            var slot = Self.hash(name) & (size - 1)
            var taken = false
            while slots[slot] != 0 {
                if names[slots[slot] - 1] == name { taken = true; break }  // the first of two equal names wins, as in GRDB
                slot = (slot + 1) & (size - 1)
            }
            if !taken { slots[slot] = index + 1 }
        }
        self.names = names
        self.slots = slots
        mask = size - 1
    }

    func index(_ name: String) -> Int? {
        var slot = Self.hash(name) & mask
        while slots[slot] != 0 {
            let index = slots[slot] - 1
            if names[index] == name { return index }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// The length and the first, middle and last bytes, mixed.
    private static func hash(_ name: String) -> Int {
        let utf8 = name.utf8
        let count = utf8.count
        guard count > 0 else { return 0 }
        let first = Int(utf8[utf8.startIndex])
        let middle = Int(utf8[utf8.index(utf8.startIndex, offsetBy: count / 2)])
        let last = Int(utf8[utf8.index(before: utf8.endIndex)])
        return (count &* 31 &+ first &* 7 &+ middle &* 131 &+ last &* 17) &* 0x9E37
    }
}

/// A row's columns by name, as the records' initialisers read them. GRDB finds
/// a column by lower-casing its name and hashing that at every read; the rows
/// of one statement can share the `ColumnPositions` of the first, so a
/// publish that reads a few hundred thousand columns (`Registry.fetchAll`)
/// finds each by the name as written. A name not found there (another case)
/// is looked up the GRDB way.
struct ColumnReader {
    let row: Row
    let positions: ColumnPositions?

    init(_ row: Row, positions: ColumnPositions? = nil) {
        self.row = row
        self.positions = positions
    }

    func decode<Value: DatabaseValueConvertible>(_ type: Value.Type, forColumn name: String) throws -> Value {
        guard let index = positions?.index(name) else { return try row.decode(type, forColumn: name) }
        return try row.decode(type, atIndex: index)
    }

    func decode<Value: DatabaseValueConvertible & StatementColumnConvertible>(
        _ type: Value.Type, forColumn name: String) throws -> Value {
        guard let index = positions?.index(name) else { return try row.decode(type, forColumn: name) }
        return try row.decode(type, atIndex: index)
    }

    /// A `Timestamp` text column; anything else is an integrity error naming the column.
    func timestamp(_ column: String) throws -> Date {
        guard let date = try optionalTimestamp(column) else {
            throw RegistryError(.integrity, "the registry has no \(column) where one is required")
        }
        return date
    }

    func optionalTimestamp(_ column: String) throws -> Date? {
        guard let text = try decode(String?.self, forColumn: column) else { return nil }
        guard let date = Timestamp.date(from: text) else {
            throw RegistryError(.integrity, "the registry's \(column) \"\(text)\" is not a timestamp")
        }
        return date
    }

    /// A JSON metadata column, as `ColumnJSON` writes it.
    func metadata(_ column: String) throws -> Metadata? {
        guard let text = try decode(String?.self, forColumn: column) else { return nil }
        if let flat = ColumnJSON.flatObject(text) { return flat }
        do {
            return try ColumnJSON.decoder.decode(Metadata.self, from: Data(text.utf8))
        } catch {
            throw RegistryError(.integrity, "the registry's \(column) is not a JSON object of strings")
        }
    }
}

/// A record read column by column (`init(columns:)`), so that rows of one
/// statement can share their column positions (`Registry.fetchAll`).
protocol ColumnDecodable: FetchableRecord {
    init(columns: ColumnReader) throws
}

extension Registry {
    /// Every record `request` selects, the rows sharing one `ColumnPositions`;
    /// `capacity` is the number expected.
    static func fetchAll<Record: ColumnDecodable>(_ db: Database, _ request: QueryInterfaceRequest<Record>,
                                                 capacity: Int = 0) throws -> [Record] {
        var records: [Record] = []
        records.reserveCapacity(capacity)
        try forEach(db, request) { records.append($0) }
        return records
    }

    /// The records `request` selects by `id`, put straight into the dictionary.
    static func fetchByID<Record: ColumnDecodable & Identifiable>(_ db: Database, _ request: QueryInterfaceRequest<Record>,
                                                                  capacity: Int = 0) throws -> [Record.ID: Record] {
        var records: [Record.ID: Record] = [:]
        records.reserveCapacity(capacity)
        try forEach(db, request) { records[$0.id] = $0 }
        return records
    }

    private static func forEach<Record: ColumnDecodable>(_ db: Database, _ request: QueryInterfaceRequest<Record>,
                                                        _ body: (Record) -> Void) throws {
        let rows = try Row.fetchCursor(db, request)
        var positions: ColumnPositions?
        while let row = try rows.next() {
            if positions == nil { positions = ColumnPositions(row) }
            body(try Record(columns: ColumnReader(row, positions: positions)))
        }
    }
}
