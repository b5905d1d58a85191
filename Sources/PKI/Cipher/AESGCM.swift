import COpenSSL
import Foundation

/// AES-256 in Galois/Counter Mode (NIST SP 800-38D) through libcrypto's
/// `EVP_aes_256_gcm`, with a 96-bit IV and a 128-bit tag appended to the
/// ciphertext — the layout WebCrypto's `AES-GCM` uses, so a browser decrypts
/// what this seals.
///
/// GCM's one rule is that an IV must never repeat under one key with a
/// different plaintext (SP 800-38D §8); choosing the IV is the caller's job.
public enum AESGCM {
    public static let keyLength = 32
    public static let ivLength = 12
    public static let tagLength = 16

    /// Encrypts `plaintext` and returns ciphertext ‖ tag.
    public static func seal(_ plaintext: Data, key: Data, iv: Data, authenticating aad: Data = Data()) throws -> Data {
        try check(key: key, iv: iv)
        let context = try AESGCMContext()
        return try context.seal(plaintext, key: key, iv: iv, aad: aad)
    }

    /// Decrypts ciphertext ‖ tag; throws `.decryption` when the tag does not
    /// authenticate (wrong key, IV, AAD, or altered bytes).
    public static func open(_ sealed: Data, key: Data, iv: Data, authenticating aad: Data = Data()) throws -> Data {
        try check(key: key, iv: iv)
        guard sealed.count >= tagLength else {
            throw PKIError(.decryption, "AES-GCM input of \(sealed.count) bytes is shorter than its \(tagLength)-byte tag")
        }
        let context = try AESGCMContext()
        return try context.open(sealed, key: key, iv: iv, aad: aad)
    }

    private static func check(key: Data, iv: Data) throws {
        guard key.count == keyLength else {
            throw PKIError(.encryption, "An AES-256-GCM key has \(keyLength) bytes, not \(key.count)")
        }
        guard iv.count == ivLength else {
            throw PKIError(.encryption, "This AES-GCM uses \(ivLength)-byte IVs, not \(iv.count)")
        }
    }
}

/// Owns one `EVP_CIPHER_CTX` for a single GCM operation.
final class AESGCMContext {
    private let pointer: OpaquePointer

    init() throws {
        OpenSSLErrorQueue.clear()
        guard let context = EVP_CIPHER_CTX_new() else {
            throw PKIError.openSSL(.encryption, "Could not allocate a cipher context")
        }
        pointer = context
    }

    deinit {
        EVP_CIPHER_CTX_free(pointer)
    }

    func seal(_ plaintext: Data, key: Data, iv: Data, aad: Data) throws -> Data {
        try initialise(key: key, iv: iv, encrypting: true, aad: aad)
        var output = try update(plaintext, failure: .encryption)
        var tail = [UInt8](repeating: 0, count: AESGCM.tagLength)
        var finalLength: Int32 = 0
        guard EVP_EncryptFinal_ex(pointer, &tail, &finalLength) == 1 else {
            throw PKIError.openSSL(.encryption, "AES-GCM encryption failed to finish")
        }
        output.append(contentsOf: tail.prefix(Int(finalLength)))
        var tag = [UInt8](repeating: 0, count: AESGCM.tagLength)
        guard EVP_CIPHER_CTX_ctrl(pointer, EVP_CTRL_GCM_GET_TAG, Int32(AESGCM.tagLength), &tag) == 1 else {
            throw PKIError.openSSL(.encryption, "Could not read the AES-GCM tag")
        }
        output.append(contentsOf: tag)
        return output
    }

    func open(_ sealed: Data, key: Data, iv: Data, aad: Data) throws -> Data {
        let body = sealed.prefix(sealed.count - AESGCM.tagLength)
        var tag = [UInt8](sealed.suffix(AESGCM.tagLength))
        try initialise(key: key, iv: iv, encrypting: false, aad: aad)
        var output = try update(Data(body), failure: .decryption)
        guard EVP_CIPHER_CTX_ctrl(pointer, EVP_CTRL_GCM_SET_TAG, Int32(AESGCM.tagLength), &tag) == 1 else {
            throw PKIError.openSSL(.decryption, "Could not set the AES-GCM tag")
        }
        var tail = [UInt8](repeating: 0, count: AESGCM.tagLength)
        var finalLength: Int32 = 0
        guard EVP_DecryptFinal_ex(pointer, &tail, &finalLength) == 1 else {
            // A failed tag check leaves no error on the queue; say what it means.
            OpenSSLErrorQueue.clear()
            throw PKIError(.decryption, "The AES-GCM tag does not authenticate the data (wrong key, IV or altered bytes)")
        }
        output.append(contentsOf: tail.prefix(Int(finalLength)))
        return output
    }

    private func initialise(key: Data, iv: Data, encrypting: Bool, aad: Data) throws {
        let failure: PKIError.Code = encrypting ? .encryption : .decryption
        guard EVP_CipherInit_ex(pointer, EVP_aes_256_gcm(), nil, nil, nil, encrypting ? 1 : 0) == 1,
              EVP_CIPHER_CTX_ctrl(pointer, EVP_CTRL_GCM_SET_IVLEN, Int32(AESGCM.ivLength), nil) == 1 else {
            throw PKIError.openSSL(failure, "Could not set up AES-256-GCM")
        }
        let keyed = key.withUnsafeBytes { keyBytes in
            iv.withUnsafeBytes { ivBytes in
                EVP_CipherInit_ex(pointer, nil, nil,
                                  keyBytes.bindMemory(to: UInt8.self).baseAddress,
                                  ivBytes.bindMemory(to: UInt8.self).baseAddress, -1)
            }
        }
        guard keyed == 1 else {
            throw PKIError.openSSL(failure, "Could not set the AES-GCM key and IV")
        }
        if !aad.isEmpty {
            var ignored: Int32 = 0
            let ok = aad.withUnsafeBytes { raw in
                EVP_CipherUpdate(pointer, nil, &ignored, raw.bindMemory(to: UInt8.self).baseAddress, Int32(raw.count))
            }
            guard ok == 1 else {
                throw PKIError.openSSL(failure, "Could not add the AES-GCM associated data")
            }
        }
    }

    private func update(_ input: Data, failure: PKIError.Code) throws -> Data {
        guard input.count <= Int(Int32.max) - AESGCM.tagLength else {
            throw PKIError(failure, "AES-GCM input larger than 2 GiB")
        }
        guard !input.isEmpty else { return Data() }
        var output = Data(count: input.count)
        var written: Int32 = 0
        let ok = output.withUnsafeMutableBytes { out in
            input.withUnsafeBytes { raw in
                EVP_CipherUpdate(pointer, out.bindMemory(to: UInt8.self).baseAddress, &written,
                                 raw.bindMemory(to: UInt8.self).baseAddress, Int32(raw.count))
            }
        }
        guard ok == 1 else {
            throw PKIError.openSSL(failure, "AES-GCM failed on \(input.count) bytes")
        }
        output.count = Int(written)
        return output
    }
}
