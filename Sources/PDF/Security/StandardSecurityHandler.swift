import Foundation
import Hashing

/// The standard security handler of ISO 32000-2 §7.6.4, opened with the empty user
/// password only: revisions 2 to 4 (RC4 of 40 to 128 bits, AES-128) and revisions 5 and 6
/// (AES-256). A document whose user password is not empty is refused even when its owner
/// password is empty: segel never opens a document by way of the owner password, so it
/// never bypasses a user password.
///
/// Immutable after `init`; every call makes its own OpenSSL context, so one handler may be
/// used from many threads at once.
public final class StandardSecurityHandler: Sendable {
    /// The encryption dictionary values the handler was opened with.
    public let parameters: StandardSecurityParameters
    /// The file encryption key (5 to 16 bytes for revisions 2 to 4, 32 bytes for 5 and 6).
    public let fileKey: Data

    /// Authenticates the empty user password and derives the file encryption key.
    ///
    /// - Throws: `PDFError(.passwordRequired)` when the empty password is not the user
    ///   password; `.unsupported` for a revision, version or method combination the
    ///   standard does not define; `.encryption` for malformed entries or a `/Perms`
    ///   entry that contradicts `/P`.
    public init(parameters: StandardSecurityParameters) throws {
        try Self.validate(parameters)
        switch parameters.r {
        case 2...4:
            fileKey = try Self.fileKeyRevision4(parameters,
                                                 keyLength: Self.keyLengthRevision4(parameters))
        default:
            fileKey = try Self.fileKeyRevision6(parameters)
        }
        self.parameters = parameters
    }

    /// Decrypts a string (`isStream: false`) or a stream's data with the method the
    /// encryption dictionary sets for it (`/StrF` or `/StmF`).
    ///
    /// - Throws: `PDFError(.encryption)` with the object number for AES data that is too
    ///   short, not a whole number of blocks, or badly padded.
    public func decrypt(_ data: Data, object: Int, generation: Int, isStream: Bool) throws -> Data {
        try decrypt(data, object: object, generation: generation,
                    method: isStream ? parameters.streamMethod : parameters.stringMethod)
    }

    /// Encrypts a string or a stream's data for object `object`, the inverse of
    /// `decrypt(_:object:generation:isStream:)`. AES output starts with a fresh random IV.
    public func encrypt(_ data: Data, object: Int, generation: Int, isStream: Bool) throws -> Data {
        try encrypt(data, object: object, generation: generation,
                    method: isStream ? parameters.streamMethod : parameters.stringMethod)
    }

    /// Decrypts with an explicit method, for a stream whose `/Crypt` filter names a crypt
    /// filter other than the default (ISO 32000-2 §7.4.10).
    ///
    /// AES data of exactly 0 bytes (an empty string some writers leave unencrypted) or
    /// 16 bytes (an IV with nothing after it) decrypts to empty data.
    public func decrypt(_ data: Data, object: Int, generation: Int, method: CryptMethod) throws -> Data {
        try checkMethod(method)
        switch method {
        case .identity:
            return data
        case .rc4:
            return RC4.apply(key: try objectKey(object: object, generation: generation, salted: false),
                             to: data)
        case .aesV2, .aesV3:
            if data.count == 0 || data.count == EVPCipher.blockSize { return Data() }
            guard data.count >= 2 * EVPCipher.blockSize else {
                throw PDFError(.encryption, "AES data of \(data.count) bytes is shorter than an IV and one block",
                               object: object)
            }
            guard data.count % EVPCipher.blockSize == 0 else {
                throw PDFError(.encryption, "AES data of \(data.count) bytes is not a whole number of blocks",
                               object: object)
            }
            let key = method == .aesV3
                ? fileKey
                : try objectKey(object: object, generation: generation, salted: true)
            let cipher = try EVPCipher()
            return try key.withUnsafeBytes { key in
                try data.withUnsafeBytes { bytes in
                    try cipher.run(method == .aesV3 ? .aes256CBC : .aes128CBC, encrypting: false, key: key,
                                   iv: UnsafeRawBufferPointer(rebasing: bytes[..<EVPCipher.blockSize]),
                                   input: UnsafeRawBufferPointer(rebasing: bytes[EVPCipher.blockSize...]),
                                   padding: true, object: object)
                }
            }
        }
    }

    /// Encrypts with an explicit method; see `decrypt(_:object:generation:method:)`.
    public func encrypt(_ data: Data, object: Int, generation: Int, method: CryptMethod) throws -> Data {
        try checkMethod(method)
        switch method {
        case .identity:
            return data
        case .rc4:
            return RC4.apply(key: try objectKey(object: object, generation: generation, salted: false),
                             to: data)
        case .aesV2, .aesV3:
            let key = method == .aesV3
                ? fileKey
                : try objectKey(object: object, generation: generation, salted: true)
            let iv = try EVPCipher.randomIV()
            let cipher = try EVPCipher()
            let ciphertext = try key.withUnsafeBytes { key in
                try iv.withUnsafeBytes { iv in
                    try data.withUnsafeBytes { bytes in
                        try cipher.run(method == .aesV3 ? .aes256CBC : .aes128CBC, encrypting: true, key: key,
                                       iv: iv, input: bytes, padding: true, object: object)
                    }
                }
            }
            return iv + ciphertext
        }
    }

    /// Algorithm 1 (ISO 32000-2 §7.6.3.3): the key for one object under revisions 2 to 4,
    /// MD5 of the file key, the low 3 bytes of the object number and the low 2 bytes of the
    /// generation (little-endian), and for AES the bytes `sAlT`; cut to n + 5 bytes, at
    /// most 16.
    func objectKey(object: Int, generation: Int, salted: Bool) throws -> Data {
        let number = UInt32(truncatingIfNeeded: object)
        let gen = UInt16(truncatingIfNeeded: generation)
        var input = fileKey
        input.append(contentsOf: [UInt8(truncatingIfNeeded: number), UInt8(truncatingIfNeeded: number >> 8),
                                  UInt8(truncatingIfNeeded: number >> 16),
                                  UInt8(truncatingIfNeeded: gen), UInt8(truncatingIfNeeded: gen >> 8)])
        if salted { input.append(contentsOf: [0x73, 0x41, 0x6C, 0x54]) }
        return Data(try Digest.checkedHash(input, algorithm: .md5).prefix(min(fileKey.count + 5, 16)))
    }

    /// Refuses a method that does not belong to the handler: AESV3 needs the 32-byte key
    /// of revisions 5 and 6, RC4 the per-object keys of revisions 2 to 4, and AESV2 the
    /// crypt filters of revision 4 with a 128-bit file key.
    private func checkMethod(_ method: CryptMethod) throws {
        let fits = Self.method(method, fitsRevision: parameters.r) && (method != .aesV2 || fileKey.count == 16)
        guard fits else {
            throw PDFError(.unsupported,
                           "crypt method \(method) does not fit security handler revision \(parameters.r) "
                               + "with a \(fileKey.count * 8)-bit key")
        }
    }

    static func method(_ method: CryptMethod, fitsRevision r: Int) -> Bool {
        switch method {
        case .identity: true
        case .rc4: r <= 4
        case .aesV2: r == 4
        case .aesV3: r >= 5
        }
    }

    /// Checks the combination of `/V`, `/R` and crypt methods against ISO 32000-2
    /// Table 20 and Table 21 before any key is derived.
    private static func validate(_ parameters: StandardSecurityParameters) throws {
        let r = parameters.r
        let v = parameters.v
        guard (2...6).contains(r) else {
            throw PDFError(.unsupported, "standard security handler revision \(r) is not supported")
        }
        let versionFits = switch r {
        case 2, 3: v == 1 || v == 2
        case 4: v == 4
        default: v == 5
        }
        guard versionFits else {
            throw PDFError(.unsupported, "encryption version \(v) does not fit security handler revision \(r)")
        }
        for method in [parameters.stringMethod, parameters.streamMethod] {
            guard Self.method(method, fitsRevision: r), v >= 4 || method == .rc4 else {
                throw PDFError(.unsupported, "crypt method \(method) does not fit encryption version \(v)")
            }
        }
    }
}
