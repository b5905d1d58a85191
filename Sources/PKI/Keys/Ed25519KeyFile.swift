import COpenSSL
import Foundation

/// An Ed25519 private key (the issuance log's; RFC 8032) kept at rest like
/// every other segel key: encrypted PKCS#8 (RFC 8410 §7, RFC 5958 §3) with
/// PBES2, PBKDF2-HMAC-SHA256 and AES-256-CBC, by libcrypto. Signing itself
/// is swift-crypto's (`Curve25519.Signing`), which takes the raw 32 bytes.
public enum Ed25519KeyFile {
    /// The raw private key (RFC 8032 §5.1.5's 32-byte seed) as an encrypted PKCS#8 PEM.
    public static func encrypt(rawPrivateKey: Data, passphrase: String,
                               iterations: Int = PrivateKey.defaultPBKDF2Iterations) throws -> Data {
        guard rawPrivateKey.count == 32 else { throw PKIError(.keyEncoding, "An Ed25519 private key is 32 bytes") }
        let key = rawPrivateKey.withUnsafeBytes { bytes in
            EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, bytes.bindMemory(to: UInt8.self).baseAddress, 32)
        }
        guard let key else { throw PKIError.openSSL(.keyEncoding, "Could not load the Ed25519 private key") }
        defer { EVP_PKEY_free(key) }
        return try PrivateKey.encryptPKCS8(key, passphrase: passphrase, iterations: iterations)
    }

    /// The raw 32-byte private key from an encrypted PKCS#8 PEM; throws
    /// `.wrongPassphrase` like any key, `.unsupportedKey` for a key that is not Ed25519.
    public static func decrypt(pem: Data, passphrase: String) throws -> Data {
        let key = try PrivateKey.decryptPKCS8(pem, passphrase: passphrase).key
        defer { EVP_PKEY_free(key) }
        guard EVP_PKEY_get_id(key) == EVP_PKEY_ED25519 else {
            throw PKIError(.unsupportedKey, "The key file does not hold an Ed25519 key")
        }
        var raw = Data(count: 32)
        var length = 32
        let ok = raw.withUnsafeMutableBytes { bytes in
            EVP_PKEY_get_raw_private_key(key, bytes.bindMemory(to: UInt8.self).baseAddress, &length)
        }
        guard ok == 1, length == 32 else { throw PKIError.openSSL(.keyDecoding, "Could not read the Ed25519 private key") }
        return raw
    }
}
