import Foundation

/// A minimal, defensive DER reader (X.690 §8.1). Its one remaining user is the
/// portal's certificate outline; signingCertificateV2 and RFC 3161 TSTInfo are
/// read by libcrypto (`SigningCertificateV2`, `TimestampInfo`).
///
/// The reader accepts only definite lengths and low tag numbers, checks every
/// length against the remaining input and never traps on malformed bytes.
public struct DERReader {
    public struct Element: Sendable {
        public let tag: UInt8
        /// The content octets (without tag and length).
        public let content: Data
        /// The whole TLV.
        public let encoded: Data
    }

    private let bytes: [UInt8]
    private(set) var offset: Int

    public init(_ data: Data) {
        bytes = [UInt8](data)
        offset = 0
    }

    public var isAtEnd: Bool { offset >= bytes.count }

    /// Peeks at the next tag without consuming it.
    public var nextTag: UInt8? { isAtEnd ? nil : bytes[offset] }

    public mutating func read() -> Element? {
        let start = offset
        guard offset < bytes.count else { return nil }
        let tag = bytes[offset]
        // High-tag-number form (0x1f) does not occur in the structures we read.
        guard tag & 0x1f != 0x1f else { return nil }
        var cursor = offset + 1
        guard cursor < bytes.count else { return nil }
        let first = bytes[cursor]
        cursor += 1
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else {
            let count = Int(first & 0x7f)
            // 0x80 is BER's indefinite length; more than 4 length octets is absurd here.
            guard count > 0, count <= 4, cursor + count <= bytes.count else { return nil }
            for byte in bytes[cursor..<cursor + count] {
                length = (length << 8) | Int(byte)
            }
            cursor += count
        }
        guard length <= bytes.count - cursor else { return nil }
        offset = cursor + length
        return Element(tag: tag,
                       content: Data(bytes[cursor..<cursor + length]),
                       encoded: Data(bytes[start..<cursor + length]))
    }

    /// Reads the next element only if it has `tag`.
    public mutating func read(tag: UInt8) -> Element? {
        guard nextTag == tag else { return nil }
        return read()
    }

    /// Decodes an OBJECT IDENTIFIER's content octets to dotted form.
    public static func objectIdentifier(_ content: Data) -> String? {
        let octets = [UInt8](content)
        guard !octets.isEmpty, octets.last! & 0x80 == 0 else { return nil }
        var arcs: [UInt64] = []
        var value: UInt64 = 0
        for octet in octets {
            guard value < (UInt64(1) << 56) else { return nil }
            value = (value << 7) | UInt64(octet & 0x7f)
            if octet & 0x80 == 0 {
                arcs.append(value)
                value = 0
            }
        }
        guard let first = arcs.first else { return nil }
        let head: [UInt64] = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80]
        return (head + arcs.dropFirst()).map(String.init).joined(separator: ".")
    }
}
