import Foundation

/// The `ASCIIHexDecode` filter (ISO 32000-2 §7.4.2): pairs of hex digits, white-space
/// ignored, `>` ends the data, an odd last digit is followed by an implied 0.
enum ASCIIHexDecode {
    static func decode(_ data: Data) throws -> Data {
        var output = [UInt8]()
        output.reserveCapacity(data.count / 2)
        var high: UInt8?
        for byte in data {
            if byte == UInt8(ascii: ">") { break }
            if ByteClass.isWhitespace(byte) { continue }
            guard let value = ByteClass.hexValue(byte) else {
                throw PDFError(.filter, "ASCIIHexDecode data contains a non-hex character")
            }
            if let pending = high {
                output.append(pending << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        if let high { output.append(high << 4) }
        return Data(output)
    }
}
