/// Character classes of ISO 32000-2 §7.2.3 (Table 1 white-space characters,
/// Table 2 delimiter characters).
enum ByteClass {
    /// 0 = regular, 1 = white-space, 2 = delimiter.
    private static let table: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for byte in [0x00, 0x09, 0x0A, 0x0C, 0x0D, 0x20] as [UInt8] { table[Int(byte)] = 1 }
        for byte in Array("()<>[]{}/%".utf8) { table[Int(byte)] = 2 }
        return table
    }()

    @inline(__always) static func isWhitespace(_ byte: UInt8) -> Bool { table[Int(byte)] == 1 }
    @inline(__always) static func isDelimiter(_ byte: UInt8) -> Bool { table[Int(byte)] == 2 }
    @inline(__always) static func isRegular(_ byte: UInt8) -> Bool { table[Int(byte)] == 0 }
    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    @inline(__always) static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }
}
