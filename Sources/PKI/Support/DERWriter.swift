import Foundation

/// Minimal DER writing for the signed-attributes `SET OF` (RFC 5652 §5.4).
enum DERWriter {
    /// Wraps `content` in a TLV with `tag` and a minimal definite length.
    static func wrap(tag: UInt8, _ content: Data) -> Data {
        var out = Data([tag])
        let count = content.count
        if count < 0x80 {
            out.append(UInt8(count))
        } else {
            var lengthBytes: [UInt8] = []
            var remaining = count
            while remaining > 0 {
                lengthBytes.insert(UInt8(remaining & 0xff), at: 0)
                remaining >>= 8
            }
            out.append(0x80 | UInt8(lengthBytes.count))
            out.append(contentsOf: lengthBytes)
        }
        out.append(content)
        return out
    }

    /// DER `SET OF`: the elements' encodings sorted as octet strings (X.690 §11.6).
    static func setOf(_ elements: [Data]) -> Data {
        let sorted = elements.sorted { $0.lexicographicallyPrecedes($1) }
        return wrap(tag: 0x31, sorted.reduce(into: Data()) { $0.append($1) })
    }
}
