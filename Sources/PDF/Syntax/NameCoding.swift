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
