import Foundation

/// PDFDocEncoding (ISO 32000-2 Annex D.3): Latin-1 with typographic characters
/// in 0x18–0x1F and 0x80–0xA0.
enum PDFDocEncoding {
    /// Unicode scalars for the bytes that differ from ISO Latin-1; 0 means undefined.
    private static let special: [UInt8: UInt32] = [
        0x18: 0x02D8, 0x19: 0x02C7, 0x1A: 0x02C6, 0x1B: 0x02D9, 0x1C: 0x02DD, 0x1D: 0x02DB,
        0x1E: 0x02DA, 0x1F: 0x02DC, 0x7F: 0,
        0x80: 0x2022, 0x81: 0x2020, 0x82: 0x2021, 0x83: 0x2026, 0x84: 0x2014, 0x85: 0x2013,
        0x86: 0x0192, 0x87: 0x2044, 0x88: 0x2039, 0x89: 0x203A, 0x8A: 0x2212, 0x8B: 0x2030,
        0x8C: 0x201E, 0x8D: 0x201C, 0x8E: 0x201D, 0x8F: 0x2018, 0x90: 0x2019, 0x91: 0x201A,
        0x92: 0x2122, 0x93: 0xFB01, 0x94: 0xFB02, 0x95: 0x0141, 0x96: 0x0152, 0x97: 0x0160,
        0x98: 0x0178, 0x99: 0x017D, 0x9A: 0x0131, 0x9B: 0x0142, 0x9C: 0x0153, 0x9D: 0x0161,
        0x9E: 0x017E, 0x9F: 0, 0xA0: 0x20AC, 0xAD: 0,
    ]

    private static let reverse: [UInt32: UInt8] = {
        var table: [UInt32: UInt8] = [:]
        for (byte, scalar) in special where scalar != 0 { table[scalar] = byte }
        return table
    }()

    static func decode(_ bytes: Data) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            if let mapped = special[byte] {
                scalars.append(Unicode.Scalar(mapped == 0 ? 0xFFFD : mapped) ?? "\u{FFFD}")
            } else {
                scalars.append(Unicode.Scalar(byte))
            }
        }
        return String(scalars)
    }

    /// The PDFDocEncoding bytes of `text`, or `nil` if some character has no
    /// code or the result would be mistaken for a byte order mark.
    static func encode(_ text: String) -> Data? {
        var result = Data()
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if let byte = reverse[value] {
                result.append(byte)
            } else if value == 0x09 || value == 0x0A || value == 0x0D
                        || (value >= 0x20 && value <= 0xFF && special[UInt8(value)] == nil) {
                result.append(UInt8(value))
            } else {
                return nil
            }
        }
        if result.starts(with: [0xFE, 0xFF]) || result.starts(with: [0xEF, 0xBB, 0xBF]) { return nil }
        return result
    }
}
