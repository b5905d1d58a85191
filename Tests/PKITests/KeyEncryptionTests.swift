import Foundation
import Testing
@testable import PKI

/// Keys at rest: libcrypto's PKCS#8 encryption at the OWASP iteration count,
/// readable by the `openssl` command with the passphrase and by nothing without it.
@Suite("Encrypted PKCS#8 keys")
struct KeyEncryptionTests {
    @Test("PBES2 with PBKDF2-HMAC-SHA256 at 600,000 iterations and AES-256-CBC, which openssl reads",
          .enabled(if: TestSupport.hasOpenSSL, "openssl binary not installed"))
    func defaultEncryption() throws {
        let key = try PrivateKey.generate(.p256)
        let pem = try key.encryptedPKCS8PEM(passphrase: "kata sandi")
        let directory = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try TestSupport.write(pem, directory, "key.pem")
        let parsed = try TestSupport.openssl(["asn1parse", "-in", path])
        #expect(parsed.status == 0)
        // 600,000 = 0x0927C0, which asn1parse prints as the INTEGER :0927C0.
        for expected in ["PBES2", "PBKDF2", "hmacWithSHA256", "aes-256-cbc", ":0927C0"] {
            #expect(parsed.output.contains(expected), "\(expected) in:\n\(parsed.output)")
        }
        let decrypted = try TestSupport.openssl(["pkey", "-in", path, "-passin", "pass:kata sandi", "-pubout", "-outform", "DER",
                                                 "-out", directory.appendingPathComponent("pub.der").path])
        #expect(decrypted.status == 0, "\(decrypted.output)")
        #expect(try Data(contentsOf: directory.appendingPathComponent("pub.der")) == key.publicKeyDER)
        let wrong = try TestSupport.openssl(["pkey", "-in", path, "-passin", "pass:salah", "-noout"])
        #expect(wrong.status != 0)
    }

    @Test("A wrong passphrase is .wrongPassphrase; the right one gives the same key back")
    func roundTrip() throws {
        let key = try PrivateKey.generate(.rsa2048)
        for passphrase in ["", "kata sandi", String(repeating: "é", count: 50)] {
            let pem = try key.encryptedPKCS8PEM(passphrase: passphrase, iterations: 5_000)
            #expect(try PrivateKey(encryptedPKCS8PEM: pem, passphrase: passphrase).publicKeyDER == key.publicKeyDER)
            let error = #expect(throws: PKIError.self) {
                try PrivateKey(encryptedPKCS8PEM: pem, passphrase: passphrase + "x")
            }
            #expect(error?.code == .wrongPassphrase)
        }
    }

    @Test("segel's own scheme is decrypted with BoringSSL's PBKDF2; other PBES2 variants the openssl command writes still open through libcrypto",
          .enabled(if: TestSupport.hasOpenSSL, "openssl binary not installed"))
    func decryptionPaths() throws {
        let key = try PrivateKey.generate(.p256)
        let own = try PrivateKey.decryptPKCS8(try key.encryptedPKCS8PEM(passphrase: "kata sandi", iterations: 5_000),
                                              passphrase: "kata sandi")
        #expect(own.by == .boringSSL)
        #expect(try PrivateKey(owning: own.key).publicKeyDER == key.publicKeyDER)

        let directory = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let plain = directory.appendingPathComponent("plain.pem").path
        #expect(try TestSupport.openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", plain]).status == 0)
        let variants: [(name: String, arguments: [String], by: PrivateKey.Decryption)] = [
            // What segel writes, made by another program: still BoringSSL's PBKDF2.
            ("aes-256-cbc, hmacWithSHA256", ["-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA256"], .boringSSL),
            ("aes-128-cbc, hmacWithSHA256", ["-v2", "aes-128-cbc", "-v2prf", "hmacWithSHA256"], .libcrypto),
            ("aes-256-cbc, hmacWithSHA1", ["-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA1"], .libcrypto),
            ("scrypt", ["-scrypt"], .libcrypto),
        ]
        let reference = try TestSupport.openssl(["pkey", "-in", plain, "-pubout", "-outform", "DER",
                                                 "-out", directory.appendingPathComponent("reference.der").path])
        #expect(reference.status == 0)
        let publicKey = try Data(contentsOf: directory.appendingPathComponent("reference.der"))
        for (number, variant) in variants.enumerated() {
            let path = directory.appendingPathComponent("variant-\(number).pem").path
            let made = try TestSupport.openssl(["pkcs8", "-topk8", "-in", plain, "-out", path, "-passout", "pass:kata sandi",
                                                "-iter", "2048"] + variant.arguments)
            #expect(made.status == 0, "\(variant.name): \(made.output)")
            let pem = try Data(contentsOf: URL(fileURLWithPath: path))
            let opened = try PrivateKey.decryptPKCS8(pem, passphrase: "kata sandi")
            #expect(opened.by == variant.by, "\(variant.name)")
            #expect(try PrivateKey(owning: opened.key).publicKeyDER == publicKey, "\(variant.name)")
            let error = #expect(throws: PKIError.self, "\(variant.name)") {
                try PrivateKey.decryptPKCS8(pem, passphrase: "kata sandi salah")
            }
            #expect(error?.code == .wrongPassphrase, "\(variant.name)")
        }
    }

    @Test("A PBES2 key file with its AES parameters missing or of the wrong type is refused with an error, not a crash")
    func malformedPBES2Parameters() throws {
        func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
            precondition(content.count < 128)
            return [tag, UInt8(content.count)] + content
        }
        let pbes2: [UInt8] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0D]
        let pbkdf2: [UInt8] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0C]
        let hmacSHA256: [UInt8] = [0x06, 0x08, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x02, 0x09]
        let aes256CBC: [UInt8] = [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2A]
        let kdf = tlv(0x30, pbkdf2 + tlv(0x30, tlv(0x04, [UInt8](repeating: 7, count: 16)) + [0x02, 0x02, 0x08, 0x00]
            + tlv(0x30, hmacSHA256 + [0x05, 0x00])))
        // The cipher's parameters: absent, NULL, and an IV of the wrong length.
        for cipherParameters in [[], [0x05, 0x00], tlv(0x04, [UInt8](repeating: 1, count: 8))] as [[UInt8]] {
            let algorithm = tlv(0x30, pbes2 + tlv(0x30, kdf + tlv(0x30, aes256CBC + cipherParameters)))
            let der = tlv(0x30, algorithm + tlv(0x04, [UInt8](repeating: 9, count: 32)))
            let pem = "-----BEGIN ENCRYPTED PRIVATE KEY-----\n\(Data(der).base64EncodedString())\n-----END ENCRYPTED PRIVATE KEY-----\n"
            let error = #expect(throws: PKIError.self) {
                try PrivateKey(encryptedPKCS8PEM: Data(pem.utf8), passphrase: "kata sandi")
            }
            #expect(error?.code == .keyDecoding || error?.code == .wrongPassphrase, "\(cipherParameters)")
        }
    }
}
