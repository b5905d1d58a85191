import Foundation
import Hashing

/// Revisions 2 to 4 of the standard security handler (ISO 32000-2 §7.6.4.3 and §7.6.4.4),
/// MD5 and RC4 based: algorithm 2 (file key), 4 and 5 (the `/U` value) and 6 (user
/// password check), applied to the empty user password.
extension StandardSecurityHandler {
    /// The 32-byte padding string of algorithm 2 step (a); the empty password padded to
    /// 32 bytes is exactly this string.
    static let passwordPadding = Data([
        0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
        0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
    ])

    /// The file key length n in bytes: 5 for revision 2 and version 1 (40-bit RC4); 16
    /// for AESV2, whose key is always 128 bits; otherwise `/Length` / 8. A version 4
    /// dictionary with a `/Length` outside 40…128 (some writers give the crypt filter's
    /// length in bytes there) gets 128 bits, the only length AESV2 allows.
    static func keyLengthRevision4(_ parameters: StandardSecurityParameters) throws -> Int {
        if parameters.r == 2 || parameters.v == 1 { return 5 }
        let bits = parameters.lengthBits
        if parameters.v == 4 {
            let usesAES = parameters.stringMethod == .aesV2 || parameters.streamMethod == .aesV2
            if usesAES || !(40...128).contains(bits) { return 16 }
        }
        guard (40...128).contains(bits), bits % 8 == 0 else {
            throw PDFError(.encryption, "a key length of \(bits) bits is not a multiple of 8 from 40 to 128")
        }
        return bits / 8
    }

    /// Algorithm 2 for the empty password, then algorithm 6: recompute `/U` with
    /// algorithm 4 (revision 2) or 5 (revisions 3 and 4) and compare it with the stored one.
    static func fileKeyRevision4(_ parameters: StandardSecurityParameters, keyLength: Int) throws -> Data {
        guard parameters.o.count >= 32, parameters.u.count >= 32 else {
            throw PDFError(.encryption, "/O and /U must hold 32 bytes in revision \(parameters.r)")
        }
        let digest = try StreamingDigest(.md5)
        digest.update(passwordPadding)
        digest.update(Data(parameters.o.prefix(32)))
        let permissions = UInt32(bitPattern: parameters.p)
        digest.update(Data((0..<4).map { UInt8(truncatingIfNeeded: permissions >> (8 * $0)) }))
        digest.update(parameters.firstID)
        if parameters.r >= 4 && !parameters.encryptMetadata {
            digest.update(Data([0xFF, 0xFF, 0xFF, 0xFF]))
        }
        var key = digest.finalize()
        if parameters.r >= 3 {
            for _ in 0..<50 { key = try Digest.checkedHash(Data(key.prefix(keyLength)), algorithm: .md5) }
        }
        key = Data(key.prefix(keyLength))

        let computed: Data
        let stored: Data
        if parameters.r == 2 {
            computed = RC4.apply(key: key, to: passwordPadding)
            stored = Data(parameters.u.prefix(32))
        } else {
            // Algorithm 5 compares only 16 bytes: the rest of /U is arbitrary padding.
            var value = RC4.apply(key: key, to: try Digest.checkedHash(passwordPadding, parameters.firstID, algorithm: .md5))
            for round in 1...19 {
                value = RC4.apply(key: Data(key.map { $0 ^ UInt8(round) }), to: value)
            }
            computed = value
            stored = Data(parameters.u.prefix(16))
        }
        guard computed == stored else {
            throw PDFError(.passwordRequired, "the file is protected by a password")
        }
        return key
    }
}
