import Foundation
import Testing
@testable import PKI

@Suite("CMS SignedData: signing and parsing")
struct CMSTests {
    static let idData = "1.2.840.113549.1.7.1"
    static let contentTypeOID = "1.2.840.113549.1.9.3"
    static let messageDigestOID = "1.2.840.113549.1.9.4"
    static let signingTimeOID = "1.2.840.113549.1.9.5"
    static let signingCertificateV2OID = "1.2.840.113549.1.9.16.2.47"

    struct Fixture {
        let authority: CertificateAuthority
        let key: PrivateKey
        let leaf: Certificate
        let parts: [Data]
        var content: Data { parts.reduce(into: Data()) { $0.append($1) } }
    }

    static func fixture(_ keyType: KeyType = .p256) throws -> Fixture {
        let authority = try TestSupport.authority()
        let key = try PrivateKey.generate(keyType)
        let leaf = try authority.issueLeaf(
            subject: DistinguishedNameFields(commonName: "José Müller", organization: "Universitas Contoh"),
            publicKeyOf: key, uri: "https://verify.example.ac.id/v/token/")
        // Two ByteRange-like spans with binary content.
        let parts = [Data("%PDF-1.7\n…first span…".utf8) + Data((0...255).map { UInt8($0) }),
                     Data("second span\n%%EOF\n".utf8)]
        return Fixture(authority: authority, key: key, leaf: leaf, parts: parts)
    }

    static func sign(_ fixture: Fixture, signingTime: Date? = nil) throws -> Data {
        try CMSSigner.signDetached(content: fixture.parts, key: fixture.key, certificate: fixture.leaf,
                                   chain: [fixture.authority.certificate], signingTime: signingTime)
    }

    @Test("The signature has exactly the PAdES attributes and verifies in our parser", arguments: [KeyType.rsa2048, .p256])
    func structure(keyType: KeyType) throws {
        let fixture = try Self.fixture(keyType)
        let der = try Self.sign(fixture)
        let parsed = try CMSSignedData(der: der)
        #expect(parsed.der == der)
        #expect(parsed.signerCount == 1)
        #expect(parsed.isDetached)
        #expect(parsed.encapsulatedContentType == Self.idData)
        #expect(parsed.contentType == Self.idData)
        #expect(Set(parsed.signedAttributeOIDs) == [Self.contentTypeOID, Self.messageDigestOID, Self.signingCertificateV2OID])
        #expect(parsed.signedAttributeOIDs.count == 3)
        #expect(parsed.signingTime == nil)
        #expect(parsed.digestAlgorithm == .sha256)
        #expect(parsed.signatureAlgorithmOID == (keyType == .p256 ? "1.2.840.10045.4.3.2" : "1.2.840.113549.1.1.1"))
        // CertificateSet is a DER SET OF, so the encoded order is by encoding, not leaf first.
        #expect(Set(parsed.certificates) == [fixture.leaf, fixture.authority.certificate])
        #expect(parsed.certificates.count == 2)
        #expect(parsed.signerCertificate == fixture.leaf)
        #expect(parsed.signerIdentifier == .issuerAndSerialNumber(issuer: fixture.authority.certificate.subject,
                                                                  serialHex: fixture.leaf.serialHex))
        #expect(parsed.messageDigest == Digest.sha256(fixture.content))
        #expect(parsed.contentDigestMatches(fixture.parts))
        #expect(parsed.contentDigestMatches([fixture.content]))
        #expect(parsed.contentDigest(of: fixture.parts) == Digest.sha256(fixture.content))
        // ESSCertIDv2 with the default SHA-256 (so no hashAlgorithm) and the leaf's hash.
        let ess = try #require(parsed.signingCertificateV2?.der)
        #expect(CMSSigner.contains(ess, Data([0x04, 0x20]) + Digest.sha256(fixture.leaf.der)))
        #expect(!CMSSigner.contains(ess, Data([0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01])))
        #expect(parsed.signingCertificateV2Matches)
        #expect(parsed.verifySignature())
    }

    @Test("signingTime is added only when asked for")
    func signingTime() throws {
        let fixture = try Self.fixture()
        let time = Date(timeIntervalSince1970: 1_767_225_600)
        let parsed = try CMSSignedData(der: try Self.sign(fixture, signingTime: time))
        #expect(parsed.signingTime == time)
        #expect(parsed.signedAttributeOIDs.count == 4)
        #expect(parsed.signedAttributeOIDs.contains(Self.signingTimeOID))
        #expect(parsed.verifySignature())
    }

    @Test("signDigest equals signDetached's content digest; wrong sizes and keys are refused")
    func signDigest() throws {
        let fixture = try Self.fixture()
        let der = try CMSSigner.signDigest(Digest.sha256(fixture.content), key: fixture.key, certificate: fixture.leaf,
                                           chain: [])
        let parsed = try CMSSignedData(der: der)
        #expect(parsed.contentDigestMatches(fixture.parts))
        #expect(parsed.certificates == [fixture.leaf])
        #expect(parsed.verifySignature())
        let short = #expect(throws: PKIError.self) {
            try CMSSigner.signDigest(Data(count: 20), key: fixture.key, certificate: fixture.leaf, chain: [])
        }
        #expect(short?.code == .cmsSigning)
        let otherKey = try PrivateKey.generate(.p256)
        let mismatch = #expect(throws: PKIError.self) {
            try CMSSigner.signDetached(content: fixture.parts, key: otherKey, certificate: fixture.leaf, chain: [])
        }
        #expect(mismatch?.code == .cmsSigning)
    }

    @Test("openssl cms -verify accepts it and prints exactly three signed attributes",
          .enabled(if: TestSupport.hasOpenSSL, "openssl binary not installed"), arguments: [KeyType.rsa2048, .p256])
    func opensslVerifies(keyType: KeyType) throws {
        let fixture = try Self.fixture(keyType)
        let der = try Self.sign(fixture)
        let directory = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let sigPath = try TestSupport.write(der, directory, "sig.der")
        let dataPath = try TestSupport.write(fixture.content, directory, "data.bin")
        let caPath = try TestSupport.write(fixture.authority.certificate.pem, directory, "ca.pem")

        let verify = try TestSupport.openssl(["cms", "-verify", "-binary", "-inform", "DER", "-in", sigPath,
                                              "-content", dataPath, "-CAfile", caPath, "-out", "/dev/null"])
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.stderr.contains("Verification successful"))

        var tampered = fixture.content
        tampered[tampered.count - 2] ^= 0x01
        let tamperedPath = try TestSupport.write(tampered, directory, "tampered.bin")
        let refused = try TestSupport.openssl(["cms", "-verify", "-binary", "-inform", "DER", "-in", sigPath,
                                               "-content", tamperedPath, "-CAfile", caPath, "-out", "/dev/null"])
        #expect(refused.status != 0)

        let printed = try TestSupport.openssl(["cms", "-cmsout", "-print", "-inform", "DER", "-in", sigPath])
        #expect(printed.status == 0)
        // Index 1: the text after " signedAttrs:" (not "unsignedAttrs:") up to the signature algorithm.
        let sections = printed.stdout.components(separatedBy: " signedAttrs:")
        try #require(sections.count == 2)
        let signedAttributes = try #require(sections[1].components(separatedBy: "signatureAlgorithm:").first)
        let objects = signedAttributes.split(separator: "\n")
            .filter { $0.contains("object: ") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(objects == ["object: contentType (1.2.840.113549.1.9.3)",
                            "object: messageDigest (1.2.840.113549.1.9.4)",
                            "object: id-smime-aa-signingCertificateV2 (1.2.840.113549.1.9.16.2.47)"])
        #expect(!printed.stdout.contains("signingTime"))
        #expect(printed.stdout.contains("eContent: <ABSENT>"))
        // The ESSCertIDv2 certHash is an OCTET STRING holding SHA-256 of the leaf's DER.
        let dump = try TestSupport.openssl(["asn1parse", "-inform", "DER", "-in", sigPath])
        #expect(dump.stdout.contains("[HEX DUMP]:" + Digest.hex(Digest.sha256(fixture.leaf.der)).uppercased()))
    }

    @Test("pyHanko validates the detached CMS as intact, valid and trusted",
          .enabled(if: PyHanko.available, "python3 with pyHanko not installed"), arguments: [KeyType.rsa2048, .p256])
    func pyHankoVerifies(keyType: KeyType) throws {
        let fixture = try Self.fixture(keyType)
        let der = try Self.sign(fixture)
        let directory = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try PyHanko.validateDetached(content: fixture.content, cms: der,
                                                  trustRoot: fixture.authority.certificate, in: directory)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout.contains("intact=True valid=True trusted=True"), "\(result.output)")
    }

    @Test("A flipped byte in content, signed attributes or signature is caught")
    func tampering() throws {
        let fixture = try Self.fixture(.rsa2048)
        let der = try Self.sign(fixture)
        let parsed = try CMSSignedData(der: der)

        var content = fixture.parts
        content[1][3] ^= 0x20
        #expect(!parsed.contentDigestMatches(content))
        #expect(parsed.verifySignature())

        // The messageDigest value sits inside the signed attributes.
        let digest = try #require(parsed.messageDigest)
        let digestOffset = try #require(der.firstRange(of: digest)).lowerBound
        var attributes = der
        attributes[digestOffset + 5] ^= 0x01
        let tamperedAttributes = try CMSSignedData(der: attributes)
        #expect(!tamperedAttributes.verifySignature())
        #expect(!tamperedAttributes.contentDigestMatches(fixture.parts))

        // The RSA signature value is the last 256 bytes before the (absent) unsigned attributes.
        var signature = der
        signature[der.count - 10] ^= 0x01
        let tamperedSignature = try CMSSignedData(der: signature)
        #expect(tamperedSignature.contentDigestMatches(fixture.parts))
        #expect(!tamperedSignature.verifySignature())

        // A different certificate's hash in signingCertificateV2 would not match.
        let essHash = Digest.sha256(fixture.leaf.der)
        var ess = der
        ess[try #require(der.firstRange(of: essHash)).lowerBound] ^= 0x01
        let tamperedESS = try CMSSignedData(der: ess)
        #expect(!tamperedESS.signingCertificateV2Matches)
        #expect(!tamperedESS.verifySignature())
    }

    @Test("One key and certificate sign from many threads at once")
    func concurrentSigning() async throws {
        let fixture = try Self.fixture(.rsa2048)
        let signatures = try await withThrowingTaskGroup(of: Data.self) { group in
            for index in 0..<16 {
                group.addTask {
                    try CMSSigner.signDetached(content: [Data("document \(index)".utf8)], key: fixture.key,
                                               certificate: fixture.leaf, chain: [fixture.authority.certificate])
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(signatures.count == 16)
        for signature in signatures {
            let parsed = try CMSSignedData(der: signature)
            #expect(parsed.verifySignature())
            #expect(parsed.signerCertificate == fixture.leaf)
        }
    }

    @Test("Zero padding after the DER (as in /Contents) is accepted, other trailing bytes are not")
    func padding() throws {
        let fixture = try Self.fixture()
        let der = try Self.sign(fixture)
        let padded = try CMSSignedData(der: der + Data(count: 4096))
        #expect(padded.der == der)
        #expect(padded.verifySignature())
        let error = #expect(throws: PKIError.self) { try CMSSignedData(der: der + Data([0, 0, 1])) }
        #expect(error?.code == .invalidCMS)
    }

    @Test("Hostile inputs produce .invalidCMS or a result, never a crash")
    func hostileInputs() throws {
        let fixture = try Self.fixture()
        let der = try Self.sign(fixture, signingTime: Date())
        for input in [Data(), Data([0x30]), Data([0x30, 0x80, 0, 0]), Data(repeating: 0x30, count: 64),
                      Data(repeating: 0xff, count: 1000)] {
            let error = #expect(throws: PKIError.self) { try CMSSignedData(der: input) }
            #expect(error?.code == .invalidCMS)
        }
        // Not SignedData: an encrypted-data-like ContentInfo is refused by type.
        var generator = SeededGenerator(seed: 0x5e9e1)
        var parsedCount = 0, refusedCount = 0
        for round in 0..<1500 {
            var mutated = der
            switch round % 3 {
            case 0:
                for _ in 0..<(1 + Int(generator.next() % 4)) {
                    let index = Int(generator.next() % UInt64(mutated.count))
                    mutated[index] = UInt8(truncatingIfNeeded: generator.next())
                }
            case 1:
                mutated = mutated.prefix(Int(generator.next() % UInt64(mutated.count)))
            default:
                let index = Int(generator.next() % UInt64(mutated.count))
                mutated[index] ^= 1 << UInt8(generator.next() % 8)
            }
            do {
                let parsed = try CMSSignedData(der: mutated)
                parsedCount += 1
                _ = parsed.verifySignature()
                _ = parsed.contentDigestMatches(fixture.parts)
                _ = parsed.signingCertificateV2Matches
                _ = parsed.signerCertificate?.subject.string
                _ = parsed.signingTime
            } catch let error as PKIError {
                #expect(error.code == .invalidCMS)
                refusedCount += 1
            }
        }
        #expect(parsedCount + refusedCount == 1500)
        #expect(refusedCount > 0)
    }
}

/// Deterministic xorshift generator so the mutation test is reproducible.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9e3779b97f4a7c15 : seed }
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}

/// pyHanko, driven through small Python scripts.
enum PyHanko {
    static let python: String? = {
        for path in ["/usr/local/bin/python3", "/usr/bin/python3", "/root/.pyenv/shims/python3"]
        where FileManager.default.isExecutableFile(atPath: path) {
            if let result = try? TestSupport.run(path, ["-c", "import pyhanko.sign.validation"]), result.status == 0 {
                return path
            }
        }
        return nil
    }()

    static var available: Bool { python != nil }

    static func validateDetached(content: Data, cms: Data, trustRoot: Certificate,
                                 in directory: URL) throws -> TestSupport.ProcessResult {
        let script = """
        import sys, asyncio
        from asn1crypto import cms, x509
        from pyhanko_certvalidator import ValidationContext
        from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
        data = open(sys.argv[1], 'rb').read()
        info = cms.ContentInfo.load(open(sys.argv[2], 'rb').read())
        root = x509.Certificate.load(open(sys.argv[3], 'rb').read())
        context = ValidationContext(trust_roots=[root])
        status = asyncio.run(async_validate_detached_cms(data, info['content'], signer_validation_context=context))
        print(f"intact={status.intact} valid={status.valid} trusted={status.trusted}")
        print(status.pretty_print_details())
        """
        let scriptPath = try TestSupport.write(script, directory, "validate.py")
        let dataPath = try TestSupport.write(content, directory, "content.bin")
        let cmsPath = try TestSupport.write(cms, directory, "sig.der")
        let rootPath = try TestSupport.write(trustRoot.der, directory, "root.der")
        return try TestSupport.run(python!, [scriptPath, dataPath, cmsPath, rootPath])
    }
}
