import COpenSSL
import Foundation

/// Scoped memory BIOs: each BIO lives only inside the closure that uses it and is
/// freed on the way out, so no BIO pointer ever escapes a call.
enum MemoryBIO {
    /// Runs `body` with a read-only BIO over `data`. The BIO borrows the bytes,
    /// which stay pinned for the duration of the call.
    static func reading<T>(_ data: Data, _ body: (OpaquePointer) throws -> T) throws -> T {
        try data.withUnsafeBytes { raw -> T in
            // An empty Data has no base address; a BIO over zero bytes of a dummy works.
            var dummy: UInt8 = 0
            let base = raw.baseAddress ?? withUnsafePointer(to: &dummy) { UnsafeRawPointer($0) }
            guard raw.count <= Int(Int32.max), let bio = BIO_new_mem_buf(base, Int32(raw.count)) else {
                throw PKIError.openSSL(.io, "Could not create a memory BIO over \(raw.count) bytes")
            }
            defer { BIO_free(bio) }
            return try body(bio)
        }
    }

    /// Runs `body` with an empty writable BIO and returns what it wrote.
    /// `body` returns false (OpenSSL's usual 0) to signal failure.
    static func writing(failure: PKIError.Code, _ what: String, _ body: (OpaquePointer) -> Bool) throws -> Data {
        guard let bio = BIO_new(BIO_s_mem()) else {
            throw PKIError.openSSL(.io, "Could not create a memory BIO for \(what)")
        }
        defer { BIO_free(bio) }
        guard body(bio) else {
            throw PKIError.openSSL(failure, "Could not write \(what)")
        }
        var pointer: UnsafeMutablePointer<CChar>?
        let length = segel_BIO_get_mem_data(bio, &pointer)
        guard length > 0, let pointer else { return Data() }
        return Data(bytes: pointer, count: length)
    }
}
