import COpenSSL
import Foundation

/// HMAC-SHA256 (RFC 2104, FIPS 198-1) through libcrypto's one-shot `HMAC`:
/// the primitive AWS Signature Version 4 chains to derive its keys.
public enum HMAC {
    public static func sha256(key: Data, _ message: Data) -> Data {
        var output = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        key.withUnsafeBytes { keyBytes in
            message.withUnsafeBytes { messageBytes in
                _ = COpenSSL.HMAC(EVP_sha256(), keyBytes.baseAddress, Int32(keyBytes.count),
                                  messageBytes.bindMemory(to: UInt8.self).baseAddress, messageBytes.count,
                                  &output, &length)
            }
        }
        return Data(output.prefix(Int(length)))
    }

    public static func sha256(key: Data, _ text: String) -> Data { sha256(key: key, Data(text.utf8)) }
}
