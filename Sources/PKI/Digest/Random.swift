import COpenSSL
import Foundation

/// Cryptographically secure random bytes from libcrypto's DRBG (`RAND_bytes`).
public enum Random {
    /// `count` random bytes. Throws only if the DRBG cannot be seeded, in which
    /// case nothing that needs secrecy may proceed.
    public static func bytes(_ count: Int) throws -> Data {
        precondition(count >= 0 && count <= Int(Int32.max), "Random.bytes count out of range")
        var data = Data(count: count)
        guard count > 0 else { return data }
        let ok = data.withUnsafeMutableBytes { raw in
            RAND_bytes(raw.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(count))
        }
        guard ok == 1 else {
            throw PKIError.openSSL(.random, "The random generator failed to produce \(count) bytes")
        }
        return data
    }

    /// A URL-safe token: base64url (RFC 4648 §5) without padding of `byteCount`
    /// random bytes. The default 16 bytes (128 bits) gives 22 characters.
    ///
    /// A token never starts with `-`, so it can be passed to a command line as
    /// an argument without being read as an option (`segel invalidate TOKEN`):
    /// draws whose first character would be `-` are rejected and redrawn, which
    /// takes log2(64/63) ≈ 0.02 bits; callers that need a full 128 bits ask for 17 bytes.
    public static func token(byteCount: Int = 16) throws -> String {
        precondition(byteCount >= 16, "tokens carry at least 128 bits")
        while true {
            let token = base64URL(try bytes(byteCount))
            if !token.hasPrefix("-") { return token }
        }
    }

    /// base64url without padding.
    public static func base64URL(_ data: Data) -> String {
        var text = data.base64EncodedString()
        text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }
}
