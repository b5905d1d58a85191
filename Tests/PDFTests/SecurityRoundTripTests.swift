import Dispatch
import Foundation
import Testing
@testable import PDF

// Self-contained tests of the standard security handler: the encryption dictionaries of
// four corpus files copied here as literals (so they run without the corpus), RC4 test
// vectors, encrypt→decrypt round trips, malformed input and parameter validation.

@Suite("Standard security handler round trips")
struct SecurityRoundTripTests {
    struct Fixture: Sendable, CustomTestStringConvertible {
        let name: String
        let parameters: StandardSecurityParameters
        let fileKeyHex: String
        var method: CryptMethod { parameters.streamMethod }
        var testDescription: String { name }
    }

    /// From pypdf's r2/r3-empty-password.pdf, qpdf's V4-aes.pdf and pdf.js's
    /// empty_protected.pdf; the file keys are what `qpdf --show-encryption-key` prints.
    static let fixtures: [Fixture] = [
        Fixture(name: "RC4 40-bit, R2",
                parameters: StandardSecurityParameters(
                    v: 1, r: 2, lengthBits: 40,
                    o: Data(securityHex: "2055c756c72e1ad702608e8196acad447ad32d17cff583235f6dd15fed7dab67"),
                    u: Data(securityHex: "67375c1122c5bf2db95cbadb7e22e3dd4293c963bf040b4afcad385d58921ea9"),
                    oe: nil, ue: nil, perms: nil, p: -4, encryptMetadata: true,
                    firstID: Data(securityHex: "fce2fe96b7e142b4a0576f61e2e9c441"),
                    stringMethod: .rc4, streamMethod: .rc4),
                fileKeyHex: "374675404a"),
        Fixture(name: "RC4 128-bit, R3",
                parameters: StandardSecurityParameters(
                    v: 2, r: 3, lengthBits: 128,
                    o: Data(securityHex: "36451bd39d753b7c1d10922c28e6665aa4f3353fb0348b536893e3b1db5c579b"),
                    u: Data(securityHex: "3aa7292767d13ba34c0d53d3118a163c0122456a91bae5134273a6db134c87c4"),
                    oe: nil, ue: nil, perms: nil, p: -4, encryptMetadata: true,
                    firstID: Data(securityHex: "fce2fe96b7e142b4a0576f61e2e9c441"),
                    stringMethod: .rc4, streamMethod: .rc4),
                fileKeyHex: "567ade93f85031efae6fe1edec120179"),
        Fixture(name: "AES-128, R4",
                parameters: StandardSecurityParameters(
                    v: 4, r: 4, lengthBits: 128,
                    o: Data(securityHex: "36451bd39d753b7c1d10922c28e6665aa4f3353fb0348b536893e3b1db5c579b"),
                    u: Data(securityHex: "32c27288b9ec6a4fab94e6188828595c0122456a91bae5134273a6db134c87c4"),
                    oe: nil, ue: nil, perms: nil, p: -4, encryptMetadata: true,
                    firstID: Data(securityHex: "66d36a30a97e0f16f39955c6221e0c2a"),
                    stringMethod: .aesV2, streamMethod: .aesV2),
                fileKeyHex: "474258b004f2ce0017adeb6e79574357"),
        Fixture(name: "AES-256, R6",
                parameters: StandardSecurityParameters(
                    v: 5, r: 6, lengthBits: 256,
                    o: Data(securityHex: "a058f580d058b34c99e6b8d67a36a9fc82d0fceddee08931ab797ec0a17375b4"
                        + "083511771f69d56f7b91d36d961526ff" + String(repeating: "00", count: 79)),
                    u: Data(securityHex: "d0264e6f9ad27a6164c2b9a41fa7e7ca445f178c733d679882a7dc330b6ccd09"
                        + "6a182e3342ff19d4f514a1c29e669b02" + String(repeating: "00", count: 79)),
                    oe: Data(securityHex: "3dd9dea0fb9f5d9ff189f78b884ee2a1ff016b0bebd1ddac137f31f37ee01b0e"),
                    ue: Data(securityHex: "bdbe44ebd633100e1aac7f3ff9cebb9d3ffab645ba309702581243d6fc551232"),
                    perms: Data(securityHex: "33b7be7d41ba1bb5de8f8d82c03263a5"),
                    p: -1052, encryptMetadata: true,
                    firstID: Data(securityHex: "f8a66e5ebda7314ca96678e187301870"),
                    stringMethod: .aesV3, streamMethod: .aesV3),
                fileKeyHex: "6749db69b19ac7a91579f561e09842ba07aebb7a6ba9c7950498724c4f936fd4"),
    ]

    static func fixture(_ method: CryptMethod) -> Fixture {
        fixtures.last { $0.method == method }!
    }

    static func randomData(_ count: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    @Test("derives the known file key", arguments: fixtures)
    func fileKey(_ fixture: Fixture) throws {
        let handler = try StandardSecurityHandler(parameters: fixture.parameters)
        #expect(handler.fileKey == Data(securityHex: fixture.fileKeyHex))
    }

    @Test("encrypt then decrypt gives the plaintext back", arguments: fixtures)
    func roundTrip(_ fixture: Fixture) throws {
        let handler = try StandardSecurityHandler(parameters: fixture.parameters)
        for size in [0, 1, 15, 16, 17, 31, 32, 1000, 65_537] {
            for isStream in [false, true] {
                let plaintext = Self.randomData(size)
                let ciphertext = try handler.encrypt(plaintext, object: 12, generation: 0, isStream: isStream)
                if fixture.method.isAES {
                    #expect(ciphertext.count == 16 + (size / 16 + 1) * 16)
                    let again = try handler.encrypt(plaintext, object: 12, generation: 0, isStream: isStream)
                    #expect(again != ciphertext, "each AES encryption draws a fresh IV")
                    #expect(try handler.decrypt(again, object: 12, generation: 0, isStream: isStream) == plaintext)
                } else {
                    #expect(ciphertext.count == size)
                }
                if size >= 8 { #expect(ciphertext != plaintext) }
                #expect(try handler.decrypt(ciphertext, object: 12, generation: 0, isStream: isStream) == plaintext)
            }
        }
    }

    @Test("RC4 and AESV2 keys differ per object and generation (algorithm 1)")
    func perObjectKeys() throws {
        let rc4 = try StandardSecurityHandler(parameters: Self.fixture(.rc4).parameters)
        let plaintext = Data("the same text in three objects".utf8)
        let first = try rc4.encrypt(plaintext, object: 7, generation: 0, isStream: false)
        #expect(first != (try rc4.encrypt(plaintext, object: 8, generation: 0, isStream: false)))
        #expect(first != (try rc4.encrypt(plaintext, object: 7, generation: 1, isStream: false)))
        #expect(try rc4.decrypt(first, object: 8, generation: 0, isStream: false) != plaintext)

        let aes = try StandardSecurityHandler(parameters: Self.fixture(.aesV2).parameters)
        #expect(try aes.objectKey(object: 7, generation: 0, salted: true)
            != (try aes.objectKey(object: 7, generation: 0, salted: false)))
        #expect(try aes.objectKey(object: 7, generation: 0, salted: true).count == 16)
        #expect(try rc4.objectKey(object: 7, generation: 0, salted: false).count == 16)
        let rc40 = try StandardSecurityHandler(parameters: Self.fixtures[0].parameters)
        #expect(try rc40.objectKey(object: 7, generation: 0, salted: false).count == 10)
    }

    @Test("identity crypt filters pass data through, in both directions")
    func identity() throws {
        var parameters = Self.fixture(.aesV2).parameters
        parameters.stringMethod = .identity
        let handler = try StandardSecurityHandler(parameters: parameters)
        let data = Data("(unencrypted)".utf8)
        #expect(try handler.decrypt(data, object: 3, generation: 0, isStream: false) == data)
        #expect(try handler.encrypt(data, object: 3, generation: 0, isStream: false) == data)
        #expect(try handler.encrypt(data, object: 3, generation: 0, isStream: true) != data)
        #expect(try handler.decrypt(data, object: 3, generation: 0, method: .identity) == data)
    }

    @Test("an explicit method outside the revision is refused")
    func methodOutsideRevision() throws {
        let aes128 = try StandardSecurityHandler(parameters: Self.fixture(.aesV2).parameters)
        let aes256 = try StandardSecurityHandler(parameters: Self.fixture(.aesV3).parameters)
        let data = Self.randomData(48)
        #expect(throws: PDFError.self) { try aes128.decrypt(data, object: 1, generation: 0, method: .aesV3) }
        #expect(throws: PDFError.self) { try aes256.decrypt(data, object: 1, generation: 0, method: .rc4) }
        #expect(throws: PDFError.self) { try aes256.encrypt(data, object: 1, generation: 0, method: .aesV2) }
        // AESV2 needs revision 4 and a 128-bit key; an RC4 handler must refuse it, not trap.
        for fixture in Self.fixtures where fixture.method == .rc4 {
            let rc4 = try StandardSecurityHandler(parameters: fixture.parameters)
            let error = try #require(throws: PDFError.self) {
                try rc4.decrypt(data, object: 1, generation: 0, method: .aesV2)
            }
            #expect(error.code == .unsupported)
        }
    }

    @Test("malformed AES data throws an encryption error naming the object",
          arguments: [CryptMethod.aesV2, .aesV3])
    func malformedAES(_ method: CryptMethod) throws {
        let handler = try StandardSecurityHandler(parameters: Self.fixture(method).parameters)
        for size in [1, 5, 15, 17, 31, 33, 47, 100] {
            let error = try #require(throws: PDFError.self) {
                try handler.decrypt(Self.randomData(size), object: 42, generation: 0, isStream: true)
            }
            #expect(error.code == .encryption)
            #expect(error.object == 42)
        }
        // A block that decrypts to a final byte of 0 can never be valid PKCS#7 padding.
        let key = method == .aesV3 ? handler.fileKey : try handler.objectKey(object: 42, generation: 0, salted: true)
        let iv = Self.randomData(16)
        let zeros = Data(count: 32)
        let badlyPadded = try key.withUnsafeBytes { key in
            try iv.withUnsafeBytes { iv in
                try zeros.withUnsafeBytes { input in
                    try EVPCipher().run(method == .aesV3 ? .aes256CBC : .aes128CBC, encrypting: true,
                                        key: key, iv: iv, input: input, padding: false)
                }
            }
        }
        let error = try #require(throws: PDFError.self) {
            try handler.decrypt(iv + badlyPadded, object: 42, generation: 0, isStream: false)
        }
        #expect(error.code == .encryption)
        #expect(error.object == 42)
        #expect(error.message.contains("padding"))
    }

    @Test("AES data of 0 bytes or a bare IV decrypts to nothing", arguments: [CryptMethod.aesV2, .aesV3])
    func emptyAES(_ method: CryptMethod) throws {
        let handler = try StandardSecurityHandler(parameters: Self.fixture(method).parameters)
        #expect(try handler.decrypt(Data(), object: 5, generation: 0, isStream: false).isEmpty)
        #expect(try handler.decrypt(Self.randomData(16), object: 5, generation: 0, isStream: false).isEmpty)
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        let name: String
        let code: PDFError.Code
        let parameters: StandardSecurityParameters
        var testDescription: String { name }
    }

    static let invalid: [Invalid] = {
        let rc4 = fixture(.rc4).parameters
        let aes128 = fixture(.aesV2).parameters
        let aes256 = fixture(.aesV3).parameters
        return [
            Invalid(name: "revision 7", code: .unsupported, parameters: aes256.with { $0.r = 7 }),
            Invalid(name: "revision 1", code: .unsupported, parameters: rc4.with { $0.r = 1 }),
            Invalid(name: "V3 (unpublished algorithm)", code: .unsupported, parameters: rc4.with { $0.v = 3 }),
            Invalid(name: "R4 with V2", code: .unsupported, parameters: aes128.with { $0.v = 2 }),
            Invalid(name: "R6 with V4", code: .unsupported, parameters: aes256.with { $0.v = 4 }),
            Invalid(name: "AESV2 under V2", code: .unsupported,
                    parameters: rc4.with { $0.streamMethod = .aesV2 }),
            Invalid(name: "AESV3 under R4", code: .unsupported,
                    parameters: aes128.with { $0.stringMethod = .aesV3 }),
            Invalid(name: "RC4 under R6", code: .unsupported, parameters: aes256.with { $0.streamMethod = .rc4 }),
            Invalid(name: "44-bit key", code: .encryption, parameters: rc4.with { $0.lengthBits = 44 }),
            Invalid(name: "256-bit RC4 key", code: .encryption, parameters: rc4.with { $0.lengthBits = 256 }),
            Invalid(name: "short /U (R3)", code: .encryption, parameters: rc4.with { $0.u = $0.u.prefix(31) }),
            Invalid(name: "short /O (R4)", code: .encryption, parameters: aes128.with { $0.o = Data() }),
            Invalid(name: "short /U (R6)", code: .encryption, parameters: aes256.with { $0.u = $0.u.prefix(40) }),
            Invalid(name: "missing /UE", code: .encryption, parameters: aes256.with { $0.ue = nil }),
            Invalid(name: "short /UE", code: .encryption, parameters: aes256.with { $0.ue = $0.ue?.prefix(16) }),
            Invalid(name: "missing /Perms (R6)", code: .encryption, parameters: aes256.with { $0.perms = nil }),
            Invalid(name: "short /Perms", code: .encryption, parameters: aes256.with { $0.perms = $0.perms?.prefix(8) }),
            Invalid(name: "/Perms garbled", code: .encryption,
                    parameters: aes256.with { $0.perms?[0] ^= 0x80 }),
            Invalid(name: "/EncryptMetadata contradicts /Perms", code: .encryption,
                    parameters: aes256.with { $0.encryptMetadata = false }),
            Invalid(name: "/UE altered", code: .encryption, parameters: aes256.with { $0.ue?[3] ^= 0x01 }),
            Invalid(name: "another /ID (R3)", code: .passwordRequired,
                    parameters: rc4.with { $0.firstID[0] ^= 0x01 }),
            Invalid(name: "/P altered (R4)", code: .passwordRequired, parameters: aes128.with { $0.p = -3904 }),
            Invalid(name: "/EncryptMetadata altered (R4)", code: .passwordRequired,
                    parameters: aes128.with { $0.encryptMetadata = false }),
            Invalid(name: "/U altered (R6)", code: .passwordRequired, parameters: aes256.with { $0.u[0] ^= 0x01 }),
        ]
    }()

    @Test("refuses parameters that are invalid or tampered with", arguments: invalid)
    func refused(_ invalid: Invalid) throws {
        let error = try #require(throws: PDFError.self) {
            try StandardSecurityHandler(parameters: invalid.parameters)
        }
        #expect(error.code == invalid.code, "\(error)")
    }

    @Test("accepts a tolerated key length and /O, /U longer than the standard length")
    func tolerated() throws {
        // Some writers put the crypt filter's length in bytes into /Length of a V4 dictionary.
        let aes128 = Self.fixture(.aesV2)
        let handler = try StandardSecurityHandler(parameters: aes128.parameters.with { $0.lengthBits = 16 })
        #expect(handler.fileKey == Data(securityHex: aes128.fileKeyHex))
        let rc4 = Self.fixture(.rc4)
        let padded = try StandardSecurityHandler(parameters: rc4.parameters.with { $0.u.append(Data(count: 95)) })
        #expect(padded.fileKey == Data(securityHex: rc4.fileKeyHex))
    }

    @Test("RC4 matches published test vectors")
    func rc4Vectors() {
        #expect(RC4.apply(key: Data("Key".utf8), to: Data("Plaintext".utf8)) == Data(securityHex: "bbf316e8d940af0ad3"))
        #expect(RC4.apply(key: Data("Wiki".utf8), to: Data("pedia".utf8)) == Data(securityHex: "1021bf0420"))
        #expect(RC4.apply(key: Data("Secret".utf8), to: Data("Attack at dawn".utf8))
            == Data(securityHex: "45a01f645fc35b383552544b9bf5"))
        // RFC 6229, 40-bit key 0x0102030405, keystream bytes 0–31.
        #expect(RC4.apply(key: Data(securityHex: "0102030405"), to: Data(count: 32))
            == Data(securityHex: "b2396305f03dc027ccc3524a0a1118a86982944f18fc82d589c403a47a0d0919"))
        #expect(RC4.apply(key: Data("k".utf8), to: Data()).isEmpty)
    }

    @Test("one handler decrypts from many threads at once", arguments: fixtures)
    func concurrent(_ fixture: Fixture) throws {
        let handler = try StandardSecurityHandler(parameters: fixture.parameters)
        let plaintexts = (0..<16).map { Self.randomData(1000 + $0 * 37) }
        let ciphertexts = try plaintexts.enumerated().map { index, plaintext in
            try handler.encrypt(plaintext, object: index + 1, generation: 0, isStream: true)
        }
        let results = ResultBox(count: plaintexts.count)
        DispatchQueue.concurrentPerform(iterations: plaintexts.count) { index in
            let decrypted = try? handler.decrypt(ciphertexts[index], object: index + 1, generation: 0, isStream: true)
            results.set(index, decrypted)
        }
        #expect(results.values == plaintexts.map { Optional($0) })
    }

    @Test("decrypts a 16 MiB stream quickly", arguments: [CryptMethod.rc4, .aesV2, .aesV3])
    func throughput(_ method: CryptMethod) throws {
        let handler = try StandardSecurityHandler(parameters: Self.fixture(method).parameters)
        let plaintext = Data(repeating: 0x5A, count: 16 << 20)
        let ciphertext = try handler.encrypt(plaintext, object: 9, generation: 0, isStream: true)
        let clock = ContinuousClock()
        var decrypted = Data()
        let elapsed = try clock.measure {
            decrypted = try handler.decrypt(ciphertext, object: 9, generation: 0, isStream: true)
        }
        #expect(decrypted == plaintext)
        // Generous for an unoptimised build on a shared machine; AES runs in OpenSSL at
        // hundreds of MB/s, RC4 here is a tight loop without per-byte allocation.
        #expect(elapsed < .seconds(method == .rc4 ? 5 : 2), "\(method): \(elapsed)")
    }
}

/// Collects results written from `concurrentPerform` iterations.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Data?]

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Data?) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    var values: [Data?] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}

extension StandardSecurityParameters {
    /// A copy with one change, for building invalid or tampered parameters.
    fileprivate func with(_ change: (inout StandardSecurityParameters) -> Void) -> StandardSecurityParameters {
        var copy = self
        change(&copy)
        return copy
    }
}
