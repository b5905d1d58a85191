import Foundation

/// The `LZWDecode` filter (ISO 32000-2 §7.4.4.2): variable-width codes of 9–12
/// bits, 256 clears the table, 257 ends the data; with `EarlyChange` 1 the
/// code width grows one code early.
enum LZWDecode {
    static func decode(_ data: Data, earlyChange: Bool, limits: DecodeLimits) throws -> Data {
        let input = [UInt8](data)
        var output = [UInt8]()
        output.reserveCapacity(input.count * 3)
        // Each table entry is (prefix entry, last byte, length, first byte).
        var prefix = [Int32](repeating: -1, count: 4096)
        var suffix = [UInt8](repeating: 0, count: 4096)
        var length = [Int32](repeating: 1, count: 4096)
        var first = [UInt8](repeating: 0, count: 4096)
        for code in 0..<256 {
            suffix[code] = UInt8(code)
            first[code] = UInt8(code)
        }
        var next = 258
        var width = 9
        var previous = -1
        var bitBuffer: UInt32 = 0
        var bitCount = 0
        var index = 0
        var scratch = [UInt8](repeating: 0, count: 4096)
        let early = earlyChange ? 1 : 0

        func emit(_ code: Int) {
            var count = Int(length[code])
            var cursor = code
            var position = count
            while position > 0 {
                position -= 1
                scratch[position] = suffix[cursor]
                cursor = Int(prefix[cursor])
                if cursor < 0 { break }
            }
            count = min(count, scratch.count)
            output.append(contentsOf: scratch[0..<count])
        }

        while true {
            while bitCount < width, index < input.count {
                bitBuffer = bitBuffer << 8 | UInt32(input[index])
                bitCount += 8
                index += 1
            }
            if bitCount < width { break }
            let code = Int((bitBuffer >> UInt32(bitCount - width)) & ((1 << UInt32(width)) - 1))
            bitCount -= width
            if code == 256 {
                next = 258
                width = 9
                previous = -1
                continue
            }
            if code == 257 { break }
            if previous < 0 {
                guard code < 256 else { throw PDFError(.filter, "LZWDecode data starts with an undefined code") }
                emit(code)
                previous = code
                continue
            }
            let firstByte: UInt8
            if code < next {
                firstByte = first[code]
            } else if code == next {
                firstByte = first[previous]
            } else {
                throw PDFError(.filter, "LZWDecode data contains an undefined code")
            }
            if next < 4096 {
                prefix[next] = Int32(previous)
                suffix[next] = firstByte
                length[next] = length[previous] + 1
                first[next] = first[previous]
                next += 1
            }
            emit(code)
            previous = code
            if next + early >= (1 << width), width < 12 { width += 1 }
            try limits.check(output: output.count, input: input.count, filter: "LZWDecode")
        }
        return Data(output)
    }
}
