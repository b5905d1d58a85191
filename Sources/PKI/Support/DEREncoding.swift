import COpenSSL
import Foundation

/// DER encoding through the `i2d_*` convention: call once for the length, once to write.
enum DEREncoding {
    static func encode(_ what: String, failure: PKIError.Code,
                       _ i2d: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32) throws -> Data {
        let length = i2d(nil)
        guard length > 0 else {
            throw PKIError.openSSL(failure, "Could not DER-encode \(what)")
        }
        var data = Data(count: Int(length))
        let written = data.withUnsafeMutableBytes { raw -> Int32 in
            var cursor: UnsafeMutablePointer<UInt8>? = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            return i2d(&cursor)
        }
        guard written == length else {
            throw PKIError.openSSL(failure, "DER encoding of \(what) changed length (\(length) → \(written))")
        }
        return data
    }

    /// Runs a `d2i_*` function over `data` and insists that it consumed every byte,
    /// so trailing garbage after a structure is refused rather than silently
    /// ignored. `free` releases an object that decoded but was then refused.
    static func decode(_ data: Data, free: (OpaquePointer) -> Void,
                       _ d2i: (UnsafeMutablePointer<UnsafePointer<UInt8>?>, Int) -> OpaquePointer?) -> OpaquePointer? {
        guard !data.isEmpty else { return nil }
        return data.withUnsafeBytes { raw -> OpaquePointer? in
            let start = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var cursor: UnsafePointer<UInt8>? = UnsafePointer(start)
            guard let value = d2i(&cursor, raw.count) else { return nil }
            guard let end = cursor, end - UnsafePointer(start) == raw.count else {
                free(value)
                return nil
            }
            return value
        }
    }
}
