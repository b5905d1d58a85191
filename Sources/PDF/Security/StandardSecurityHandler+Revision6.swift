import Foundation
import Hashing

/// Revisions 5 and 6 of the standard security handler (ISO 32000-2 §7.6.4.3.3 and
/// §7.6.4.4), AES-256 based: algorithm 2.A (file key from `/U` and `/UE`) with the hash of
/// algorithm 2.B for revision 6, or plain SHA-256 for revision 5 (Adobe Supplement to
/// ISO 32000, extension level 3), then the `/Perms` check of algorithm 13.
extension StandardSecurityHandler {
    /// Algorithm 2.A for the empty password: `/U` is a 32-byte hash, an 8-byte
    /// validation salt and an 8-byte key salt. The hash of the password and validation
    /// salt must equal the stored one; the hash of the password and key salt is the AES-256
    /// key that decrypts `/UE` (CBC, zero IV, no padding) into the file key.
    static func fileKeyRevision6(_ parameters: StandardSecurityParameters) throws -> Data {
        guard parameters.o.count >= 48, parameters.u.count >= 48 else {
            throw PDFError(.encryption, "/O and /U must hold 48 bytes in revision \(parameters.r)")
        }
        guard let ue = parameters.ue, ue.count >= 32 else {
            throw PDFError(.encryption, "/UE must hold 32 bytes in revision \(parameters.r)")
        }
        let u = Data(parameters.u.prefix(48))
        let validationSalt = Data(u[32..<40])
        let keySalt = Data(u[40..<48])
        guard try passwordHash(revision: parameters.r, password: Data(), salt: validationSalt) == u[0..<32] else {
            throw PDFError(.passwordRequired, "the file is protected by a password")
        }
        let intermediateKey = try passwordHash(revision: parameters.r, password: Data(), salt: keySalt)
        let cipher = try EVPCipher()
        let zeroIV = Data(count: EVPCipher.blockSize)
        let fileKey = try intermediateKey.withUnsafeBytes { key in
            try zeroIV.withUnsafeBytes { iv in
                try Data(ue.prefix(32)).withUnsafeBytes { input in
                    try cipher.run(.aes256CBC, encrypting: false, key: key, iv: iv, input: input, padding: false)
                }
            }
        }
        try checkPermissions(parameters, fileKey: fileKey, cipher: cipher)
        return fileKey
    }

    /// The password hash of revision 5 (SHA-256 of password and salt) or 6 (algorithm
    /// 2.B), for the user password, so without the 48 bytes of `/U` that the owner
    /// variant appends.
    static func passwordHash(revision: Int, password: Data, salt: Data) throws -> Data {
        revision == 5
            ? try Digest.checkedHash(password, salt, algorithm: .sha256)
            : try hardenedHash(password: password, salt: salt, userKey: Data())
    }

    /// Algorithm 2.B: starting from SHA-256 of the input, at least 64 rounds each encrypt
    /// 64 copies of password ‖ K ‖ user key with AES-128-CBC (key and IV from K, no padding)
    /// into E, then hash E with SHA-256, -384 or -512 chosen by the first 16 bytes of E
    /// modulo 3; stop after round 64 or later once the last byte of E is at most
    /// round − 32. The result is the first 32 bytes of K.
    static func hardenedHash(password: Data, salt: Data, userKey: Data) throws -> Data {
        var k = try Digest.checkedHash(password, salt, userKey, algorithm: .sha256)
        let cipher = try EVPCipher()
        var round = 0
        while true {
            let unit = password + k + userKey
            var block = Data(capacity: 64 * unit.count)
            for _ in 0..<64 { block.append(unit) }
            let e = try k.withUnsafeBytes { kBytes in
                try block.withUnsafeBytes { input in
                    try cipher.run(.aes128CBC, encrypting: true,
                                   key: UnsafeRawBufferPointer(rebasing: kBytes[0..<16]),
                                   iv: UnsafeRawBufferPointer(rebasing: kBytes[16..<32]),
                                   input: input, padding: false)
                }
            }
            // The first 16 bytes of E as a big-endian number modulo 3 equal the sum of the
            // bytes modulo 3, because 256 ≡ 1 (mod 3).
            let selector = e.prefix(16).reduce(0) { $0 + Int($1) } % 3
            k = try Digest.checkedHash(e, algorithm: selector == 0 ? .sha256 : selector == 1 ? .sha384 : .sha512)
            round += 1
            if round >= 64, let last = e.last, Int(last) <= round - 32 { break }
        }
        return Data(k.prefix(32))
    }

    /// Algorithm 13: `/Perms` decrypted with the file key (AES-256-ECB, no padding) holds
    /// `/P` little-endian in bytes 0–3, `T` or `F` for `/EncryptMetadata` in byte 8 and
    /// `adb` in bytes 9–11. A mismatch means the encryption dictionary was altered, so the
    /// file is refused rather than read with permissions nobody set. Required for
    /// revision 6; checked for revision 5 when present.
    static func checkPermissions(_ parameters: StandardSecurityParameters, fileKey: Data,
                                 cipher: EVPCipher) throws {
        guard let perms = parameters.perms else {
            if parameters.r >= 6 { throw PDFError(.encryption, "/Perms is missing in revision 6") }
            return
        }
        guard perms.count >= 16 else {
            throw PDFError(.encryption, "/Perms must hold 16 bytes")
        }
        let block = try fileKey.withUnsafeBytes { key in
            try Data(perms.prefix(16)).withUnsafeBytes { input in
                try cipher.run(.aes256ECB, encrypting: false, key: key, iv: nil, input: input, padding: false)
            }
        }
        guard block[9..<12] == Data("adb".utf8) else {
            throw PDFError(.encryption, "/Perms does not decrypt to a permissions block")
        }
        let stored = (0..<4).reduce(UInt32(0)) { $0 | UInt32(block[$1]) << (8 * UInt32($1)) }
        guard stored == UInt32(bitPattern: parameters.p) else {
            throw PDFError(.encryption, "/Perms holds permissions \(Int32(bitPattern: stored)) but /P is \(parameters.p)")
        }
        guard block[8] == (parameters.encryptMetadata ? UInt8(ascii: "T") : UInt8(ascii: "F")) else {
            throw PDFError(.encryption, "/Perms and /EncryptMetadata disagree on whether metadata is encrypted")
        }
    }
}
