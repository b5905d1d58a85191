import Foundation

/// A file with a signature placeholder (ISO 32000-2 §12.8.1): `/ByteRange`
/// already final, `/Contents` a hexadecimal string of zeros waiting for the CMS.
public struct PreparedSignature: Sendable {
    /// The whole file, `/Contents` filled with zeros.
    public let data: Data
    /// `[0, a, b, c]`: the signed bytes are `0..<a` and `b..<b+c`; `a..<b` is
    /// exactly the `/Contents` string including `<` and `>`.
    public let byteRange: [Int]
    /// Bytes available for the DER-encoded CMS.
    public let contentsCapacity: Int

    init(data: Data, byteRange: [Int], contentsCapacity: Int) {
        self.data = data
        self.byteRange = byteRange
        self.contentsCapacity = contentsCapacity
    }

    /// The bytes covered by the ByteRange, both parts, for hashing and CMS.
    public func signedRanges() -> [Data] {
        [data.subdata(in: 0..<byteRange[1]), data.subdata(in: byteRange[2]..<(byteRange[2] + byteRange[3]))]
    }

    /// Feeds the covered bytes to `body` without copying them.
    public func withSignedBytes(_ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        try data.withUnsafeBytes { buffer in
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<byteRange[1]]))
            try body(UnsafeRawBufferPointer(rebasing: buffer[byteRange[2]..<(byteRange[2] + byteRange[3])]))
        }
    }

    /// The final file with `cms` hex-encoded into `/Contents` (zero padded).
    public func embed(cms: Data) throws -> Data {
        guard cms.count <= contentsCapacity else {
            throw PDFError(.write, "the CMS signature (\(cms.count) bytes) does not fit the \(contentsCapacity) bytes reserved for it")
        }
        let digits = Array("0123456789ABCDEF".utf8)
        var hex = [UInt8]()
        hex.reserveCapacity(cms.count * 2)
        for byte in cms {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        var result = data
        let start = byteRange[1] + 1
        result.replaceSubrange(start..<(start + hex.count), with: hex)
        return result
    }
}
