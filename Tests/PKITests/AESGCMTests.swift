import Foundation
import Testing
@testable import PKI

@Suite("AES-256-GCM")
struct AESGCMTests {
    /// McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", test cases 13–16
    /// (the 256-bit-key cases; NIST SP 800-38D uses the same algorithm).
    static let key15 = hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
    static let iv15 = hex("cafebabefacedbaddecaf888")
    static let plain15 = hex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                             + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255")

    static func hex(_ text: String) -> Data { Digest.data(fromHex: text)! }

    @Test("Known answers: test cases 13, 14, 15 and 16")
    func knownAnswers() throws {
        let zeroKey = Data(count: 32), zeroIV = Data(count: 12)
        #expect(Digest.hex(try AESGCM.seal(Data(), key: zeroKey, iv: zeroIV)) == "530f8afbc74536b9a963b4f1c4cb738b")
        #expect(Digest.hex(try AESGCM.seal(Data(count: 16), key: zeroKey, iv: zeroIV))
                == "cea7403d4d606b6e074ec5d3baf39d18" + "d0d1c8a799996bf0265b98b5d48ab919")
        let sealed15 = try AESGCM.seal(Self.plain15, key: Self.key15, iv: Self.iv15)
        #expect(Digest.hex(sealed15) == "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad"
                + "b094dac5d93471bdec1a502270e3cc6c")
        let aad = Self.hex("feedfacedeadbeeffeedfacedeadbeefabaddad2")
        let sealed16 = try AESGCM.seal(Self.plain15.prefix(60), key: Self.key15, iv: Self.iv15, authenticating: aad)
        #expect(Digest.hex(sealed16.suffix(16)) == "76fc6ece0f4e1768cddf8853bb2d551b")
        #expect(try AESGCM.open(sealed16, key: Self.key15, iv: Self.iv15, authenticating: aad) == Self.plain15.prefix(60))
    }

    @Test("Open reverses seal for every length around the block size")
    func roundTrip() throws {
        let key = try Random.bytes(32), iv = try Random.bytes(12)
        for length in [0, 1, 15, 16, 17, 31, 32, 33, 1000] {
            let plain = try Random.bytes(length)
            let sealed = try AESGCM.seal(plain, key: key, iv: iv)
            #expect(sealed.count == length + 16)
            #expect(try AESGCM.open(sealed, key: key, iv: iv) == plain)
        }
    }

    @Test("A flipped bit, a wrong key, IV or AAD fails authentication")
    func tampering() throws {
        let sealed = try AESGCM.seal(Self.plain15, key: Self.key15, iv: Self.iv15, authenticating: Data("a".utf8))
        var flipped = sealed
        flipped[5] ^= 0x01
        var otherKey = Self.key15
        otherKey[0] ^= 0x80
        var otherIV = Self.iv15
        otherIV[11] ^= 0x01
        let attempts: [(Data, Data, Data, Data)] = [
            (flipped, Self.key15, Self.iv15, Data("a".utf8)),
            (sealed, otherKey, Self.iv15, Data("a".utf8)),
            (sealed, Self.key15, otherIV, Data("a".utf8)),
            (sealed, Self.key15, Self.iv15, Data("b".utf8)),
            (sealed.prefix(sealed.count - 1), Self.key15, Self.iv15, Data("a".utf8)),
        ]
        for (input, key, iv, aad) in attempts {
            #expect(throws: PKIError.self) { try AESGCM.open(input, key: key, iv: iv, authenticating: aad) }
        }
        let error = #expect(throws: PKIError.self) { try AESGCM.open(flipped, key: Self.key15, iv: Self.iv15) }
        #expect(error?.code == .decryption)
    }

    @Test("Keys and IVs of the wrong size are refused")
    func sizes() {
        #expect(throws: PKIError.self) { try AESGCM.seal(Data(), key: Data(count: 16), iv: Data(count: 12)) }
        #expect(throws: PKIError.self) { try AESGCM.seal(Data(), key: Data(count: 32), iv: Data(count: 16)) }
        #expect(throws: PKIError.self) { try AESGCM.open(Data(count: 8), key: Data(count: 32), iv: Data(count: 12)) }
    }
}
