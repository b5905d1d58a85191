import COpenSSL
import Foundation

/// SHA-256 through libcrypto's one-shot `EVP_Digest` (no context to own).
/// Used for the deterministic file identifiers of §14.4 that segel writes.
enum Digest {
    static func sha256(_ data: Data) -> Data {
        data.withUnsafeBytes { sha256($0) }
    }

    static func sha256(_ bytes: UnsafeRawBufferPointer) -> Data {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let status = EVP_Digest(bytes.baseAddress, bytes.count, &digest, &length, EVP_sha256(), nil)
        precondition(status == 1 && length == 32, "EVP_Digest(SHA-256) cannot fail on valid input")
        return Data(digest)
    }
}
