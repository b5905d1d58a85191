import Foundation

/// Every JSON file of the site goes through this encoder: sorted keys so the
/// bytes are stable, slashes unescaped so URLs and PEM read naturally. The
/// files made by the thousand (records, hash index shards) are written by
/// `JSONBytes` instead, byte for byte as this encoder would write them.
enum PortalJSON {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Encodes with a fresh encoder (JSONEncoder is not safe to share across threads).
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        try encoder().encode(value)
    }
}
