import COpenSSL
import Foundation

/// SHA-256 (FIPS 180-4) for stored files, request identities and audit rows,
/// computed by libcrypto (with the CPU's SHA extensions where it has them).
///
/// A plain-Swift implementation hashed about 40 MB/s; the file store hashes
/// every submitted PDF twice (on submission and before signing).
struct SHA256: ~Copyable {
    private let context: OpaquePointer

    init() {
        // Allocation failure is the only way these can fail.
        guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            fatalError("libcrypto could not start a SHA-256 digest")
        }
        self.context = context
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    mutating func update(_ data: Data) {
        data.withUnsafeBytes { bytes in
            _ = EVP_DigestUpdate(context, bytes.baseAddress, bytes.count)
        }
    }

    mutating func update(_ string: String) {
        var string = string
        string.withUTF8 { bytes in
            _ = EVP_DigestUpdate(context, bytes.baseAddress, bytes.count)
        }
    }

    /// The 32-byte digest; the hasher is spent afterwards.
    consuming func finalize() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        _ = EVP_DigestFinal_ex(context, &digest, &length)
        return digest
    }

    static func hash(_ data: Data) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data)
        return hasher.finalize()
    }

    static func hex(_ data: Data) -> String {
        hash(data).hexString
    }

    static func hex(_ string: String) -> String {
        hex(Data(string.utf8))
    }
}

extension Sequence where Element == UInt8 {
    /// Lowercase hexadecimal, the form every hash column stores.
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
