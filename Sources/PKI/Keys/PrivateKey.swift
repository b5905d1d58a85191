import COpenSSL
import CryptoExtras
import Foundation

/// A private key (libcrypto `EVP_PKEY`), owned by this object and freed with it.
///
/// Immutable after init, hence `@unchecked Sendable`: libcrypto 3 allows
/// concurrent signing operations on one `EVP_PKEY`, each with its own context.
/// Serialisation is only ever encrypted (PKCS#8 `EncryptedPrivateKeyInfo`,
/// RFC 5958 §3, with PBES2 from RFC 8018 §6.2).
public final class PrivateKey: @unchecked Sendable {
    /// The owned `EVP_PKEY *`.
    let pointer: OpaquePointer
    public let keyType: KeyType

    /// PBKDF2-HMAC-SHA256 iterations used by default when encrypting:
    /// OWASP's 2023 recommendation (unlocking takes about 0.08 s here with
    /// BoringSSL's PBKDF2, see `decryptPBES2`, and 0.17 s with libcrypto 3.0's
    /// `PKCS8_decrypt`; `scripts/bench-batch` prints the figure).
    public static let defaultPBKDF2Iterations = 600_000

    /// Takes ownership of `pointer` (freed here even when init throws).
    init(owning pointer: OpaquePointer) throws {
        guard let type = PublicKeyInfo.keyType(of: pointer) else {
            let description = PublicKeyInfo.description(of: pointer)
            EVP_PKEY_free(pointer)
            throw PKIError(.unsupportedKey, "Key type \(description) is not one segel uses (RSA 2048/3072, EC P-256)")
        }
        self.pointer = pointer
        self.keyType = type
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// Which maintained library makes a key pair.
    public enum Generator: String, Sendable, CaseIterable {
        /// BoringSSL through swift-crypto's `_RSA.Signing.PrivateKey(keySize:)`,
        /// handed to libcrypto as PKCS#8 DER (RSA only).
        case boringSSL
        /// libcrypto's `EVP_PKEY_generate`.
        case openSSL
    }

    /// Generates a fresh key. RSA uses exponent 65537; EC uses named curve P-256.
    ///
    /// RSA keys come from BoringSSL (swift-crypto): measured here at about 80 ms
    /// for RSA-2048 against about 250 ms for Debian's OpenSSL 3.0, whose
    /// generator runs more primality-test rounds per prime than FIPS 186-5 asks
    /// (`scripts/bench-batch` prints both). P-256 keys come from libcrypto
    /// (well under a millisecond).
    public static func generate(_ type: KeyType) throws -> PrivateKey {
        try generate(type, with: type == .p256 ? .openSSL : .boringSSL)
    }

    public static func generate(_ type: KeyType, with generator: Generator) throws -> PrivateKey {
        switch (type, generator) {
        case (.rsa2048, .boringSSL), (.rsa3072, .boringSSL):
            let generated: _RSA.Signing.PrivateKey
            do {
                generated = try _RSA.Signing.PrivateKey(keySize: type == .rsa2048 ? .bits2048 : .bits3072)
            } catch {
                throw PKIError(.keyGeneration, "Key generation failed for \(type.rawValue) (BoringSSL: \(error))")
            }
            return try PrivateKey(privateKeyInfoDER: generated.pkcs8DERRepresentation)
        default:
            return try generateWithOpenSSL(type)
        }
    }

    /// A PKCS#8 `PrivateKeyInfo` (RFC 5958 §2) in DER, decoded by libcrypto.
    convenience init(privateKeyInfoDER der: Data) throws {
        OpenSSLErrorQueue.clear()
        let key: OpaquePointer? = der.withUnsafeBytes { raw in
            var cursor: UnsafePointer<UInt8>? = raw.bindMemory(to: UInt8.self).baseAddress
            return d2i_AutoPrivateKey(nil, &cursor, raw.count)
        }
        guard let key else {
            throw PKIError.openSSL(.keyDecoding, "The generated key could not be read as PKCS#8")
        }
        try self.init(owning: key)
    }

    /// Key generation with libcrypto's `EVP_PKEY_generate`.
    static func generateWithOpenSSL(_ type: KeyType) throws -> PrivateKey {
        OpenSSLErrorQueue.clear()
        let algorithm = type == .p256 ? "EC" : "RSA"
        guard let context = EVP_PKEY_CTX_new_from_name(nil, algorithm, nil) else {
            throw PKIError.openSSL(.keyGeneration, "Could not create a key generation context for \(type.rawValue)")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else {
            throw PKIError.openSSL(.keyGeneration, "Could not initialise key generation for \(type.rawValue)")
        }
        switch type {
        case .rsa2048, .rsa3072:
            guard EVP_PKEY_CTX_set_rsa_keygen_bits(context, Int32(type.bits)) == 1 else {
                throw PKIError.openSSL(.keyGeneration, "Could not set the RSA modulus size to \(type.bits)")
            }
            guard let exponent = BN_new() else {
                throw PKIError.openSSL(.keyGeneration, "Could not allocate the RSA public exponent")
            }
            defer { BN_free(exponent) }
            guard BN_set_word(exponent, 65537) == 1,
                  EVP_PKEY_CTX_set1_rsa_keygen_pubexp(context, exponent) == 1 else {
                throw PKIError.openSSL(.keyGeneration, "Could not set the RSA public exponent to 65537")
            }
        case .p256:
            guard EVP_PKEY_CTX_set_group_name(context, "P-256") == 1 else {
                throw PKIError.openSSL(.keyGeneration, "Could not select curve P-256")
            }
        }
        var generated: OpaquePointer?
        guard EVP_PKEY_generate(context, &generated) == 1, let generated else {
            throw PKIError.openSSL(.keyGeneration, "Key generation failed for \(type.rawValue)")
        }
        return try PrivateKey(owning: generated)
    }

    /// Reads an `ENCRYPTED PRIVATE KEY` PEM (PKCS#8, RFC 5958 §3).
    ///
    /// Throws `.wrongPassphrase` when decryption fails (bad padding, or plaintext
    /// that is not a PrivateKeyInfo), `.keyDecoding` when the PEM is not an
    /// encrypted PKCS#8 key or uses an unsupported scheme, `.unsupportedKey`
    /// for key types segel does not use.
    public convenience init(encryptedPKCS8PEM pem: Data, passphrase: String) throws {
        try self.init(owning: try Self.decryptPKCS8(pem, passphrase: passphrase).key)
    }

    /// Which library derived the key that decrypted a key file.
    enum Decryption: Sendable {
        /// BoringSSL's PBKDF2, for the scheme segel writes (`decryptPBES2`).
        case boringSSL
        /// libcrypto's `PKCS8_decrypt`, for any other scheme.
        case libcrypto
    }

    /// The `EVP_PKEY` an `ENCRYPTED PRIVATE KEY` PEM holds, owned by the caller, and how it was decrypted.
    static func decryptPKCS8(_ pem: Data, passphrase: String) throws -> (key: OpaquePointer, by: Decryption) {
        OpenSSLErrorQueue.clear()
        let encrypted: OpaquePointer? = try MemoryBIO.reading(pem) { bio in
            PEM_read_bio_PKCS8(bio, nil, nil, nil)
        }
        guard let encrypted else {
            throw PKIError.openSSL(.keyDecoding, "The key file is not an encrypted PKCS#8 PEM (ENCRYPTED PRIVATE KEY)")
        }
        defer { X509_SIG_free(encrypted) }
        let passwordBytes = Array(passphrase.utf8)
        let info: OpaquePointer, decryption: Decryption
        if let pbes2 = try decryptPBES2(encrypted, password: passwordBytes) {
            (info, decryption) = (pbes2, .boringSSL)
        } else {
            (info, decryption) = (try decryptWithLibcrypto(encrypted, password: passwordBytes), .libcrypto)
        }
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        guard let key = EVP_PKCS82PKEY(info) else {
            throw PKIError.openSSL(.keyDecoding, "The decrypted PKCS#8 structure does not hold a usable private key")
        }
        return (key, decryption)
    }

    /// `PKCS8_decrypt`, for any scheme libcrypto reads; the PrivateKeyInfo, owned by the caller.
    private static func decryptWithLibcrypto(_ encrypted: OpaquePointer, password passwordBytes: [UInt8]) throws -> OpaquePointer {
        let info = passwordBytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                // A non-null pointer even for an empty passphrase: NULL means "no password" to PKCS#12 code.
                var empty: CChar = 0
                return PKCS8_decrypt(encrypted, chars.baseAddress ?? withUnsafePointer(to: &empty) { $0 }, Int32(chars.count))
            }
        }
        guard let info else {
            let entries = OpenSSLErrorQueue.drainEntries()
            let unsupported = entries.contains { entry in
                let reason = entry.reason
                return reason == ERR_R_UNSUPPORTED || reason == EVP_R_UNSUPPORTED_CIPHER
                    || reason == EVP_R_UNSUPPORTED_PRF || reason == EVP_R_UNSUPPORTED_KEY_DERIVATION_FUNCTION
                    || reason == EVP_R_UNSUPPORTED_KEYLENGTH || reason == EVP_R_UNKNOWN_CIPHER
            }
            if unsupported {
                throw PKIError(.keyDecoding, "The key file uses an encryption scheme this build cannot decrypt",
                               openSSLErrors: entries.map(\.text))
            }
            throw PKIError(.wrongPassphrase, "Wrong passphrase for the encrypted private key",
                           openSSLErrors: entries.map(\.text))
        }
        return info
    }

    /// Decrypts the scheme segel writes (`encryptedPKCS8PEM`) with the key
    /// derived by BoringSSL's PBKDF2 (swift-crypto), which takes about 0.08 s
    /// for 600,000 iterations here where libcrypto 3.0's takes 0.17 s: the same
    /// derivation, same iterations, from a maintained library. libcrypto reads
    /// the parameters and decrypts (AES-256-CBC, then the PrivateKeyInfo,
    /// owned by the caller). nil when the file uses another scheme, which
    /// `PKCS8_decrypt` then reads.
    private static func decryptPBES2(_ encrypted: OpaquePointer, password: [UInt8]) throws -> OpaquePointer? {
        var salt = [UInt8](repeating: 0, count: 64), iv = [UInt8](repeating: 0, count: 16)
        var saltLength: Int32 = 0, iterations = 0
        var ciphertext: UnsafePointer<UInt8>?
        var ciphertextLength: Int32 = 0
        guard segel_pbes2_sha256_aes256cbc(encrypted, &salt, &saltLength, &iterations, &iv,
                                           &ciphertext, &ciphertextLength) == 1, let ciphertext else { return nil }
        // swift-crypto keeps the derived key in a SymmetricKey (SecureBytes, zeroed when freed); its
        // BoringSSL backend derives into a buffer of its own first, which it does not zero.
        let derived: SymmetricKey
        do {
            derived = try KDF.Insecure.PBKDF2.deriveKey(from: password, salt: salt[..<Int(saltLength)], using: .sha256,
                                                        outputByteCount: 32, unsafeUncheckedRounds: iterations)
        } catch {
            throw PKIError(.keyDecoding, "Could not derive the key that decrypts the private key (PBKDF2): \(error)")
        }
        guard let context = EVP_CIPHER_CTX_new() else {
            throw PKIError.openSSL(.keyDecoding, "Could not set up AES-256-CBC to decrypt the private key")
        }
        defer { EVP_CIPHER_CTX_free(context) }
        var plaintext = [UInt8](repeating: 0, count: Int(ciphertextLength) + 16)
        defer { plaintext.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) } }
        var length: Int32 = 0, last: Int32 = 0
        let decrypted = derived.withUnsafeBytes { key in
            EVP_DecryptInit_ex(context, EVP_aes_256_cbc(), nil, key.bindMemory(to: UInt8.self).baseAddress, iv) == 1
                && EVP_DecryptUpdate(context, &plaintext, &length, ciphertext, ciphertextLength) == 1
                && plaintext.withUnsafeMutableBufferPointer { buffer in
                    EVP_DecryptFinal_ex(context, buffer.baseAddress! + Int(length), &last) == 1
                }
        }
        // A wrong passphrase shows as bad padding or as bytes that are not a PrivateKeyInfo.
        let info: OpaquePointer? = decrypted ? plaintext.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_PKCS8_PRIV_KEY_INFO(nil, &cursor, Int(length + last))
        } : nil
        guard let info else {
            OpenSSLErrorQueue.clear()
            throw PKIError(.wrongPassphrase, "Wrong passphrase for the encrypted private key")
        }
        return info
    }

    /// The key as an `ENCRYPTED PRIVATE KEY` PEM: PKCS#8 with PBES2 (RFC 8018
    /// §6.2), PBKDF2-HMAC-SHA256 with a random 16-byte salt, AES-256-CBC with a
    /// random IV.
    public func encryptedPKCS8PEM(passphrase: String,
                                  iterations: Int = PrivateKey.defaultPBKDF2Iterations) throws -> Data {
        try Self.encryptPKCS8(pointer, passphrase: passphrase, iterations: iterations)
    }

    /// `key` as an `ENCRYPTED PRIVATE KEY` PEM (see `encryptedPKCS8PEM`).
    static func encryptPKCS8(_ key: OpaquePointer, passphrase: String, iterations: Int) throws -> Data {
        precondition(iterations >= 1 && iterations <= Int(Int32.max), "PBKDF2 iteration count out of range")
        OpenSSLErrorQueue.clear()
        guard let info = EVP_PKEY2PKCS8(key) else {
            throw PKIError.openSSL(.keyEncoding, "Could not convert the private key to PKCS#8")
        }
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        // A NULL salt and IV ask libcrypto to draw them at random.
        guard let algorithm = PKCS5_pbe2_set_iv_ex(EVP_aes_256_cbc(), Int32(iterations), nil, 16, nil,
                                                   NID_hmacWithSHA256, nil) else {
            throw PKIError.openSSL(.keyEncoding, "Could not set up PBES2 (AES-256-CBC, PBKDF2-HMAC-SHA256)")
        }
        let passwordBytes = Array(passphrase.utf8)
        let encrypted = passwordBytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                var empty: CChar = 0
                return PKCS8_set0_pbe(chars.baseAddress ?? withUnsafePointer(to: &empty) { $0 },
                                      Int32(chars.count), info, algorithm)
            }
        }
        guard let encrypted else {
            // On failure the algorithm identifier was not adopted.
            X509_ALGOR_free(algorithm)
            throw PKIError.openSSL(.keyEncoding, "Could not encrypt the private key")
        }
        defer { X509_SIG_free(encrypted) }
        return try MemoryBIO.writing(failure: .keyEncoding, "the encrypted private key PEM") { bio in
            PEM_write_bio_PKCS8(bio, encrypted) == 1
        }
    }

    /// DER SubjectPublicKeyInfo of the public half (RFC 5280 §4.1.2.7).
    public var publicKeyDER: Data {
        // Encoding a well-formed in-memory key cannot fail short of allocation failure.
        try! PublicKeyInfo.subjectPublicKeyInfoDER(of: pointer)
    }

    /// Modulus length (RSA) or field size (EC) in bits.
    public var bits: Int { Int(segel_EVP_PKEY_bits(pointer)) }

    /// "RSA" or "EC P-256".
    public var algorithmName: String { keyType.algorithmName }
}
