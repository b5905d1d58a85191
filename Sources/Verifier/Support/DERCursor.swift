import Foundation

/// A bounds-checked reader of DER TLVs (X.690 §8.1), for the one structure
/// the verifier reads itself: the RFC 3161 TSTInfo inside a document
/// timestamp. Definite lengths and low tag numbers only; malformed input
/// yields nil, never a trap.
struct DERCursor {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ data: Data) {
        bytes = [UInt8](data)
    }

    var isAtEnd: Bool { offset >= bytes.count }

    var nextTag: UInt8? { isAtEnd ? nil : bytes[offset] }

    /// The next element's tag and content octets.
    mutating func read() -> (tag: UInt8, content: Data)? {
        guard offset < bytes.count else { return nil }
        let tag = bytes[offset]
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
            guard count > 0, count <= 4, count <= bytes.count - cursor else { return nil }
            for byte in bytes[cursor..<cursor + count] { length = (length << 8) | Int(byte) }
            cursor += count
        }
        guard length <= bytes.count - cursor else { return nil }
        offset = cursor + length
        return (tag, Data(bytes[cursor..<cursor + length]))
    }

    /// The next element if it has `tag`.
    mutating func read(tag: UInt8) -> Data? {
        guard nextTag == tag else { return nil }
        return read()?.content
    }

    /// Dotted form of OBJECT IDENTIFIER content octets.
    static func objectIdentifier(_ content: Data) -> String? {
        let octets = [UInt8](content)
        guard let last = octets.last, last & 0x80 == 0 else { return nil }
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
