import COpenSSL
import Foundation

/// AES (FIPS 197) through OpenSSL's EVP interface, in the modes the standard security
/// handler uses (ISO 32000-2 §7.6.3.2 and §7.6.4.3): CBC with PKCS#7 padding for
/// strings and streams, CBC without padding in algorithm 2.B and for `/UE`, ECB for
/// `/Perms`. Owns one `EVP_CIPHER_CTX`, reinitialised for each operation so that a loop
/// such as algorithm 2.B's rounds reuses it.
final class EVPCipher {
    enum Algorithm {
        case aes128CBC, aes256CBC, aes256ECB

        /// A static method table of the default provider; never freed.
        fileprivate var method: OpaquePointer? {
            switch self {
            case .aes128CBC: EVP_aes_128_cbc()
            case .aes256CBC: EVP_aes_256_cbc()
            case .aes256ECB: EVP_aes_256_ecb()
            }
        }

        var keyLength: Int { self == .aes128CBC ? 16 : 32 }
        var usesIV: Bool { self != .aes256ECB }
    }

    static let blockSize = 16

    private let context: OpaquePointer

    init() throws {
        guard let context = EVP_CIPHER_CTX_new() else {
            throw PDFError.openSSL("cannot allocate a cipher context")
        }
        self.context = context
    }

    deinit {
        EVP_CIPHER_CTX_free(context)
    }

    /// Encrypts or decrypts `input` in one pass. Without padding, `input` must be a whole
    /// number of blocks; with padding on decryption, a wrong final block throws.
    func run(_ algorithm: Algorithm, encrypting: Bool, key: UnsafeRawBufferPointer,
             iv: UnsafeRawBufferPointer?, input: UnsafeRawBufferPointer, padding: Bool,
             object: Int? = nil) throws -> Data {
        guard key.count == algorithm.keyLength, !algorithm.usesIV || iv?.count == Self.blockSize else {
            throw PDFError(.encryption, "an AES key of \(key.count) bytes or an IV of \(iv?.count ?? 0) bytes "
                               + "does not fit \(algorithm)", object: object)
        }
        guard input.count <= Int(Int32.max) - Self.blockSize else {
            throw PDFError(.limit, "encrypted data larger than 2 GiB", object: object)
        }
        guard EVP_CipherInit_ex(context, algorithm.method, nil,
                                key.bindMemory(to: UInt8.self).baseAddress,
                                iv?.bindMemory(to: UInt8.self).baseAddress,
                                encrypting ? 1 : 0) == 1,
              EVP_CIPHER_CTX_set_padding(context, padding ? 1 : 0) == 1 else {
            throw PDFError.openSSL("cannot set up AES", object: object)
        }
        var output = Data(count: input.count + Self.blockSize)
        var updated: Int32 = 0
        var finished: Int32 = 0
        let status = output.withUnsafeMutableBytes { out -> Bool in
            let outBase = out.bindMemory(to: UInt8.self).baseAddress!
            guard EVP_CipherUpdate(context, outBase, &updated,
                                   input.bindMemory(to: UInt8.self).baseAddress,
                                   Int32(input.count)) == 1 else { return false }
            return EVP_CipherFinal_ex(context, outBase + Int(updated), &finished) == 1
        }
        guard status else {
            let message = encrypting || !padding
                ? "AES failed on data that is not a whole number of blocks"
                : "the AES ciphertext has invalid padding"
            throw PDFError.openSSL(message, object: object)
        }
        output.count = Int(updated + finished)
        return output
    }

    /// A fresh random IV from the operating system's CSPRNG through `RAND_bytes`
    /// (§7.6.3.2: "a 16-byte random number").
    static func randomIV() throws -> Data {
        var iv = Data(count: blockSize)
        let status = iv.withUnsafeMutableBytes { bytes in
            RAND_bytes(bytes.bindMemory(to: UInt8.self).baseAddress, Int32(blockSize))
        }
        guard status == 1 else { throw PDFError.openSSL("cannot draw a random IV") }
        return iv
    }
}
