import COpenSSL
import CSegelCrypto
import Foundation
import Testing
@testable import PKI

/// segel's PBKDF2-HMAC-SHA256 (precomputed HMAC states, CSegelCrypto) against RFC 7914's
/// vectors and against OpenSSL's own PKCS5_PBKDF2_HMAC, and its PKCS#8 decryption against
/// OpenSSL's PKCS8_decrypt.
@Suite("PBKDF2 and PKCS#8 decryption")
struct PBKDF2Tests {
    static func segel(_ password: [UInt8], _ salt: [UInt8], _ iterations: Int, _ length: Int) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: length)
        let ok = segel_pbkdf2_hmac_sha256(password, password.count, salt, salt.count, UInt(iterations), &out, length)
        return ok == 1 ? out : nil
    }

    static func openSSL(_ password: [UInt8], _ salt: [UInt8], _ iterations: Int, _ length: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: length)
        let ok = password.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                var empty: CChar = 0
                return PKCS5_PBKDF2_HMAC(chars.baseAddress ?? withUnsafePointer(to: &empty) { $0 }, Int32(password.count),
                                         salt, Int32(salt.count), Int32(iterations), EVP_sha256(), Int32(length), &out)
            }
        }
        #expect(ok == 1)
        return out
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test("RFC 7914 section 11 vector (P = passwd, S = salt, c = 1, dkLen = 64)")
    func rfcVector() {
        let derived = Self.segel(Array("passwd".utf8), Array("salt".utf8), 1, 64)
        #expect(derived.map(Self.hex) == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
            + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")
    }

    @Test("Same bytes as OpenSSL for short, block-sized, long and empty passwords, any length and count",
          arguments: [0, 1, 63, 64, 65, 200])
    func matchesOpenSSL(passwordLength: Int) {
        let password = (0..<passwordLength).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for (saltLength, iterations, length) in [(16, 1, 32), (16, 2, 32), (8, 1000, 32), (0, 3, 20), (64, 777, 96)] {
            let salt = (0..<saltLength).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 5) }
            #expect(Self.segel(password, salt, iterations, length) == Self.openSSL(password, salt, iterations, length),
                    "password \(passwordLength) B, salt \(saltLength) B, c = \(iterations), dkLen = \(length)")
        }
    }

    @Test("Zero iterations and zero length are refused")
    func badArguments() {
        #expect(Self.segel([1], [2], 0, 32) == nil)
        #expect(Self.segel([1], [2], 1, 0) == nil)
    }

    @Test("A key segel encrypted decrypts with segel's path and with OpenSSL's PKCS8_decrypt to the same key")
    func decryptMatchesOpenSSL() throws {
        let key = try PrivateKey.generate(.p256)
        for passphrase in ["", "kata sandi", String(repeating: "é", count: 50)] {
            let pem = try key.encryptedPKCS8PEM(passphrase: passphrase, iterations: 5_000)
            let bytes = Array(passphrase.utf8)
            func decrypt(_ function: (OpaquePointer?, UnsafePointer<CChar>?, Int32) -> OpaquePointer?) throws -> Data {
                let encrypted = try #require(try MemoryBIO.reading(pem) { PEM_read_bio_PKCS8($0, nil, nil, nil) })
                defer { X509_SIG_free(encrypted) }
                let info = try #require(bytes.withUnsafeBufferPointer { buffer in
                    buffer.withMemoryRebound(to: CChar.self) { chars in
                        var empty: CChar = 0
                        return function(encrypted, chars.baseAddress ?? withUnsafePointer(to: &empty) { $0 }, Int32(chars.count))
                    }
                })
                defer { PKCS8_PRIV_KEY_INFO_free(info) }
                var out: UnsafeMutablePointer<UInt8>?
                let length = i2d_PKCS8_PRIV_KEY_INFO(info, &out)
                defer { segel_OPENSSL_free(out) }
                return Data(bytes: try #require(out), count: Int(length))
            }
            let ours = try decrypt { segel_pkcs8_decrypt($0, $1, $2) }
            let theirs = try decrypt { PKCS8_decrypt($0, $1, $2) }
            #expect(ours == theirs)
            #expect(!ours.isEmpty)
        }
    }
}
