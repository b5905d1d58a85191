import Foundation

/// The RC4 stream cipher, the `/V2` crypt method and the only cipher of security handler
/// versions 1 and 2 (ISO 32000-2 §7.6.3.2). OpenSSL 3 offers RC4 only in its legacy
/// provider, which a stock system may not load, so it lives here. Encryption and
/// decryption are the same keystream XOR.
enum RC4 {
    /// Transforms `data` under `key` (1 to 256 bytes) in one pass: key scheduling, then
    /// the keystream XOR, with a single allocation for the output.
    static func apply(key: Data, to data: Data) -> Data {
        precondition(!key.isEmpty && key.count <= 256, "RC4 key of the wrong length")
        var state = [UInt8](repeating: 0, count: 256)
        var output = Data(count: data.count)
        state.withUnsafeMutableBufferPointer { s in
            for index in 0..<256 { s[index] = UInt8(index) }
            key.withUnsafeBytes { (k: UnsafeRawBufferPointer) in
                var j: UInt8 = 0
                for index in 0..<256 {
                    j = j &+ s[index] &+ k[index % k.count]
                    s.swapAt(index, Int(j))
                }
            }
            data.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
                output.withUnsafeMutableBytes { (out: UnsafeMutableRawBufferPointer) in
                    var i: UInt8 = 0
                    var j: UInt8 = 0
                    for position in 0..<input.count {
                        i = i &+ 1
                        j = j &+ s[Int(i)]
                        s.swapAt(Int(i), Int(j))
                        out[position] = input[position] ^ s[Int(s[Int(i)] &+ s[Int(j)])]
                    }
                }
            }
        }
        return output
    }
}
