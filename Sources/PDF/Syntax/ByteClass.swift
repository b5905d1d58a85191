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

/// Maps name bytes (§7.3.5) to `String` and back without loss.
///
/// Names are byte sequences that should be UTF-8. Valid UTF-8 is decoded as
/// such; a byte that is not part of valid UTF-8 (Shift-JIS font names, say) is
/// kept as the private-use scalar U+F700 + byte, so that writing the name back
/// reproduces the original bytes (the idea of Python's `surrogateescape`).
enum NameCoding {
    static let escapeBase: UInt32 = 0xF700

    static func decode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        let array = Array(bytes)
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < array.count {
            let lead = array[index]
            if lead < 0x80 {
                scalars.append(Unicode.Scalar(lead))
                index += 1
                continue
            }
            let length: Int
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: length = 0
            }
            if length > 0, index + length <= array.count {
                let slice = array[index..<(index + length)]
                var iterator = slice.makeIterator()
                var decoder = UTF8()
                if case .scalarValue(let scalar) = decoder.decode(&iterator),
                   scalar.utf8.count == length {
                    scalars.append(scalar)
                    index += length
                    continue
                }
            }
            scalars.append(Unicode.Scalar(escapeBase + UInt32(lead))!)
            index += 1
        }
        return String(scalars)
    }

    static func encode(_ name: String) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(name.utf8.count)
        for scalar in name.unicodeScalars {
            if scalar.value >= escapeBase + 0x80, scalar.value <= escapeBase + 0xFF {
                result.append(UInt8(scalar.value - escapeBase))
            } else {
                result.append(contentsOf: scalar.utf8)
            }
        }
        return result
    }
}
