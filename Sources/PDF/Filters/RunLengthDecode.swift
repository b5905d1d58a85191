import Foundation

/// The `RunLengthDecode` filter (ISO 32000-2 §7.4.5): a length byte 0–127
/// copies the next n+1 bytes, 129–255 repeats the next byte 257−n times, 128 ends.
enum RunLengthDecode {
    static func decode(_ data: Data, limits: DecodeLimits) throws -> Data {
        let input = [UInt8](data)
        var output = [UInt8]()
        output.reserveCapacity(input.count * 2)
        var index = 0
        while index < input.count {
            let length = Int(input[index])
            index += 1
            if length == 128 { break }
            if length < 128 {
                let end = min(index + length + 1, input.count)
                output.append(contentsOf: input[index..<end])
                index = end
            } else {
                guard index < input.count else { break }
                output.append(contentsOf: repeatElement(input[index], count: 257 - length))
                index += 1
            }
            try limits.check(output: output.count, input: input.count, filter: "RunLengthDecode")
        }
        return Data(output)
    }
}
