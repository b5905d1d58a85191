import Foundation

/// A string object (ISO 32000-2 §7.3.4): its bytes, and whether the file wrote
/// it as a hexadecimal string (`<…>`) rather than a literal one (`(…)`).
///
/// The bytes are what the string means after escapes are resolved and, for an
/// encrypted document, after decryption. ``text`` interprets them as a text
/// string (§7.9.2.2).
public struct PDFString: Sendable, Hashable {
    public var bytes: Data
    public var wasHex: Bool

    public init(bytes: Data, wasHex: Bool = false) {
        self.bytes = bytes
        self.wasHex = wasHex
    }

    /// Encodes a text string (§7.9.2.2): PDFDocEncoding when every character has
    /// a code there, UTF-16BE with a byte order mark otherwise.
    public init(text: String) {
        if let encoded = PDFDocEncoding.encode(text) {
            self.init(bytes: encoded)
        } else {
            var bytes = Data([0xFE, 0xFF])
            for unit in text.utf16 {
                bytes.append(UInt8(unit >> 8))
                bytes.append(UInt8(unit & 0xFF))
            }
            self.init(bytes: bytes)
        }
    }

    /// The string read as a text string: UTF-16BE after `FE FF`, UTF-8 after
    /// `EF BB BF` (PDF 2.0), PDFDocEncoding otherwise.
    public var text: String {
        let count = bytes.count
        if count >= 2, bytes[bytes.startIndex] == 0xFE, bytes[bytes.startIndex + 1] == 0xFF {
            var units: [UInt16] = []
            units.reserveCapacity(count / 2)
            var index = bytes.startIndex + 2
            while index + 1 < bytes.endIndex {
                units.append(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
                index += 2
            }
            return String(decoding: units, as: UTF16.self)
        }
        if count >= 3, bytes[bytes.startIndex] == 0xEF, bytes[bytes.startIndex + 1] == 0xBB,
           bytes[bytes.startIndex + 2] == 0xBF {
            return String(decoding: bytes.dropFirst(3), as: UTF8.self)
        }
        return PDFDocEncoding.decode(bytes)
    }
}
