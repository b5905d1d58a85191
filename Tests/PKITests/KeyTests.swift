import Foundation
import Testing
@testable import PKI

@Suite("Keys and PKCS#8")
struct KeyTests {
    @Test("Every key type generates with the right size and algorithm", arguments: KeyType.allCases)
    func generate(type: KeyType) throws {
        let key = try PrivateKey.generate(type)
        #expect(key.keyType == type)
        #expect(key.bits == type.bits)
        #expect(key.algorithmName == (type == .p256 ? "EC P-256" : "RSA"))
        // A SubjectPublicKeyInfo is a SEQUENCE; P-256's is always 91 bytes.
        #expect(key.publicKeyDER.first == 0x30)
        if type == .p256 { #expect(key.publicKeyDER.count == 91) }
        #expect(try PrivateKey.generate(type).publicKeyDER != key.publicKeyDER)
    }

    @Test("RSA keys use the public exponent 65537",
          .enabled(if: TestSupport.hasOpenSSL, "openssl binary not installed"))
    func rsaExponent() throws {
        let key = try PrivateKey.generate(.rsa2048)
        let directory = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try TestSupport.write(key.publicKeyDER, directory, "pub.der")
        let result = try TestSupport.openssl(["pkey", "-pubin", "-inform", "DER", "-in", path, "-noout", "-text"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Exponent: 65537"))
    }

    @Test("Generated RSA keys pass OpenSSL's key-pair check and have FIPS 186-5 shaped primes",
          .enabled(if: TestSupport.hasOpenSSL, "openssl binary not installed"),
          arguments: [(KeyType.rsa2048, 6), (KeyType.rsa3072, 2)])
    func rsaKeysAreSound(type: KeyType, count: Int) throws {
        let directory = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for index in 0..<count {
            let key = try PrivateKey.generate(type)
            let pem = try key.encryptedPKCS8PEM(passphrase: "x", iterations: 1_000)
            let path = try TestSupport.write(pem, directory, "key\(index).pem")
            // EVP_PKEY_check: p and q prime (64 Miller-Rabin rounds), n = pq, d, dP, dQ, qInv consistent.
            let check = try TestSupport.openssl(["pkey", "-in", path, "-passin", "pass:x", "-check", "-noout"])
            #expect(check.status == 0, "openssl pkey -check: \(check.output)")
            #expect(check.stdout.contains("Key is valid"))

            let text = try TestSupport.openssl(["pkey", "-in", path, "-passin", "pass:x", "-text", "-noout"])
            try #require(text.status == 0)
            let p = try #require(Self.hexField("prime1", in: text.stdout))
            let q = try #require(Self.hexField("prime2", in: text.stdout))
            // p, q > sqrt(2) * 2^(bits/2 - 1) (FIPS 186-5 A.1.3: sqrt(2) begins 0xB504F333…), exactly bits/2 bits long.
            for prime in [p, q] {
                #expect(prime.count == type.bits / 16)
                #expect(prime.prefix(4).reduce(0) { $0 << 8 | UInt32($1) } > 0xB504_F333)
                #expect((prime.last ?? 0) & 1 == 1)
            }
            // |p - q| > 2^(bits/2 - 100): the top 100 bits (13 bytes) cannot all agree.
            #expect(p.prefix(13) != q.prefix(13))
        }
    }

    @Test("Both library generators make keys of the asked type, exponent 65537, that libcrypto signs with",
          arguments: [KeyType.rsa2048, .rsa3072])
    func libraryGenerators(type: KeyType) throws {
        for generator in PrivateKey.Generator.allCases {
            let key = try PrivateKey.generate(type, with: generator)
            #expect(key.keyType == type)
            #expect(key.bits == type.bits)
            // SubjectPublicKeyInfo ends with the exponent INTEGER 65537 (02 03 01 00 01).
            #expect(key.publicKeyDER.suffix(5) == Data([0x02, 0x03, 0x01, 0x00, 0x01]), "\(generator)")
        }
    }

    @Test("Twenty RSA-2048 keys have twenty different moduli")
    func distinctModuli() throws {
        let keys = try (0..<20).map { _ in try PrivateKey.generate(.rsa2048).publicKeyDER }
        #expect(Set(keys).count == 20)
    }

    @Test("PKCS#8 round trip keeps the key", arguments: KeyType.allCases)
    func roundTrip(type: KeyType) throws {
        let key = try PrivateKey.generate(type)
        let pem = try key.encryptedPKCS8PEM(passphrase: "kata sandi rahasia", iterations: 10_000)
        let text = String(decoding: pem, as: UTF8.self)
        #expect(text.hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
        let restored = try PrivateKey(encryptedPKCS8PEM: pem, passphrase: "kata sandi rahasia")
        #expect(restored.publicKeyDER == key.publicKeyDER)
        #expect(restored.keyType == type)
    }

    @Test("A wrong passphrase is refused with .wrongPassphrase")
    func wrongPassphrase() throws {
        let key = try PrivateKey.generate(.p256)
        let pem = try key.encryptedPKCS8PEM(passphrase: "correct horse", iterations: 2_000)
        for attempt in ["correct hors", "", "Correct horse", "correct horse "] {
            let error = #expect(throws: PKIError.self) {
                try PrivateKey(encryptedPKCS8PEM: pem, passphrase: attempt)
            }
            #expect(error?.code == .wrongPassphrase)
        }
    }

    @Test("UTF-8 and empty passphrases work")
    func unusualPassphrases() throws {
        let key = try PrivateKey.generate(.p256)
        for passphrase in ["", "sandi-ñ-ü-日本", String(repeating: "x", count: 1000)] {
            let pem = try key.encryptedPKCS8PEM(passphrase: passphrase, iterations: 1_000)
            #expect(try PrivateKey(encryptedPKCS8PEM: pem, passphrase: passphrase).publicKeyDER == key.publicKeyDER)
        }
    }

    @Test("Garbage and unencrypted PEMs are refused with .keyDecoding")
    func garbage() throws {
        for input in [Data(), Data("hello".utf8), Data("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".utf8)] {
            let error = #expect(throws: PKIError.self) { try PrivateKey(encryptedPKCS8PEM: input, passphrase: "x") }
            #expect(error?.code == .keyDecoding)
        }
    }

    @Test("The PEM is really PBES2 / PBKDF2-HMAC-SHA256 / AES-256-CBC and openssl decrypts it",
          .enabled(if: TestSupport.hasOpenSSL, "openssl binary not installed"))
    func opensslReadsIt() throws {
        let key = try PrivateKey.generate(.rsa2048)
        let pem = try key.encryptedPKCS8PEM(passphrase: "s3cret")
        let directory = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try TestSupport.write(pem, directory, "key.pem")

        let structure = try TestSupport.openssl(["asn1parse", "-in", path])
        #expect(structure.status == 0)
        for marker in ["PBES2", "PBKDF2", "hmacWithSHA256", "aes-256-cbc"] {
            #expect(structure.stdout.contains(marker), "asn1parse output lacks \(marker)")
        }
        // The iteration count (600000 = 0x927C0) is in the PBKDF2 parameters.
        #expect(structure.stdout.contains(":0927C0"))

        let decrypted = try TestSupport.openssl(["pkcs8", "-in", path, "-passin", "pass:s3cret"])
        #expect(decrypted.status == 0)
        #expect(decrypted.stdout.contains("-----BEGIN PRIVATE KEY-----"))
        let publicKey = try TestSupport.openssl(["pkey", "-in", path, "-passin", "pass:s3cret", "-pubout"])
        #expect(publicKey.status == 0)
        let expectedPublic = "-----BEGIN PUBLIC KEY-----\n"
            + key.publicKeyDER.base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
            + "\n-----END PUBLIC KEY-----\n"
        #expect(publicKey.stdout == expectedPublic)
        let refused = try TestSupport.openssl(["pkey", "-in", path, "-passin", "pass:wrong", "-noout"])
        #expect(refused.status != 0)
    }

    @Test("Keys encrypted by the openssl CLI load; legacy schemes and foreign key sizes are refused clearly",
          .enabled(if: TestSupport.hasOpenSSL, "openssl binary not installed"))
    func opensslMadeKeys() throws {
        let directory = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let plainPath = directory.appendingPathComponent("ec.pem").path
        let generated = try TestSupport.openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                                                 "-out", plainPath])
        try #require(generated.status == 0)

        let modern = try TestSupport.openssl(["pkcs8", "-topk8", "-in", plainPath, "-v2", "aes-256-cbc",
                                              "-passout", "pass:x"])
        #expect(modern.status == 0)
        let key = try PrivateKey(encryptedPKCS8PEM: Data(modern.stdout.utf8), passphrase: "x")
        #expect(key.keyType == .p256)

        let legacy = try TestSupport.openssl(["pkcs8", "-topk8", "-in", plainPath, "-v1", "PBE-MD5-DES",
                                              "-passout", "pass:x", "-provider", "legacy", "-provider", "default"])
        if legacy.status == 0 {
            let error = #expect(throws: PKIError.self) {
                try PrivateKey(encryptedPKCS8PEM: Data(legacy.stdout.utf8), passphrase: "x")
            }
            #expect(error?.code == .keyDecoding)
        }

        let rsa1024 = try TestSupport.openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024",
                                               "-aes-256-cbc", "-pass", "pass:x"])
        #expect(rsa1024.status == 0)
        let error = #expect(throws: PKIError.self) {
            try PrivateKey(encryptedPKCS8PEM: Data(rsa1024.stdout.utf8), passphrase: "x")
        }
        #expect(error?.code == .unsupportedKey)
    }

    /// The bytes of a colon-separated hex field of `openssl pkey -text` (leading 00 dropped).
    static func hexField(_ name: String, in text: String) -> [UInt8]? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix(name + ":") }) else { return nil }
        var bytes: [UInt8] = []
        for line in lines[(start + 1)...] {
            guard line.hasPrefix("    ") else { break }
            bytes += line.split(separator: ":").compactMap { UInt8($0.trimmingCharacters(in: .whitespaces), radix: 16) }
        }
        if bytes.first == 0 { bytes.removeFirst() }
        return bytes.isEmpty ? nil : bytes
    }
}
