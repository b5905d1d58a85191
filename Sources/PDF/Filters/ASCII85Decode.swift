import Foundation

/// The `ASCII85Decode` filter (ISO 32000-2 §7.4.3): groups of five characters
/// `!`…`u` encode four bytes, `z` encodes four zero bytes, `~>` ends the data.
enum ASCII85Decode {
    static func decode(_ data: Data) throws -> Data {
        var output = [UInt8]()
        output.reserveCapacity(data.count * 4 / 5 + 4)
        var group: UInt64 = 0
        var count = 0
        var iterator = data.makeIterator()
        while let byte = iterator.next() {
            if ByteClass.isWhitespace(byte) { continue }
            if byte == UInt8(ascii: "~") { break }
            if byte == UInt8(ascii: "z") {
                guard count == 0 else { throw PDFError(.filter, "ASCII85Decode 'z' inside a group") }
                output.append(contentsOf: [0, 0, 0, 0])
                continue
            }
            guard byte >= UInt8(ascii: "!"), byte <= UInt8(ascii: "u") else {
                throw PDFError(.filter, "ASCII85Decode data contains an invalid character")
            }
            group = group * 85 + UInt64(byte - UInt8(ascii: "!"))
            count += 1
            if count == 5 {
                guard group <= 0xFFFF_FFFF else { throw PDFError(.filter, "ASCII85Decode group overflows") }
                output.append(contentsOf: [UInt8(group >> 24), UInt8((group >> 16) & 0xFF),
                                           UInt8((group >> 8) & 0xFF), UInt8(group & 0xFF)])
                group = 0
                count = 0
            }
        }
        if count == 1 { throw PDFError(.filter, "ASCII85Decode data ends with a single character") }
        if count > 1 {
            // Pad the partial group with 'u' and keep count − 1 bytes.
            for _ in count..<5 { group = group * 85 + 84 }
            guard group <= 0xFFFF_FFFF else { throw PDFError(.filter, "ASCII85Decode group overflows") }
            let bytes = [UInt8(group >> 24), UInt8((group >> 16) & 0xFF), UInt8((group >> 8) & 0xFF), UInt8(group & 0xFF)]
            output.append(contentsOf: bytes[0..<(count - 1)])
        }
        return Data(output)
    }
}
